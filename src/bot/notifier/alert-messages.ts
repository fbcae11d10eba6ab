import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/** How long the bot remembers where an alert was posted: past any exception's life on the floor. */
export const ALERT_MESSAGE_TTL_SECONDS = 30 * 24 * 3600;

/** Where an alert about something (`exception:<id>`, `sla:BREACH:<id>`) was posted. */
export interface AlertMessage {
  readonly channel: string;
  readonly ts: string;
}

/**
 * Where each alert went, by what it is about, so a later change (an exception resolved) updates the
 * messages that told people about it.
 */
export interface AlertMessages {
  put(about: string, message: AlertMessage): Promise<void>;
  get(about: string): Promise<AlertMessage | undefined>;
}

/** In the settlement table: one `SLACKALERT#<about>` item each, expiring after 30 days. */
export class DynamoDbAlertMessages implements AlertMessages {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(about: string, message: AlertMessage): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `SLACKALERT#${about}`,
          sk: '#',
          itemType: 'SLACK_ALERT',
          channel: message.channel,
          ts: message.ts,
          expiresAt: Math.floor(this.now().getTime() / 1000) + ALERT_MESSAGE_TTL_SECONDS,
        },
      }),
    );
  }

  async get(about: string): Promise<AlertMessage | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: `SLACKALERT#${about}`, sk: '#' } }),
    );
    const item = out.Item;
    if (item === undefined || typeof item.channel !== 'string' || typeof item.ts !== 'string')
      return undefined;
    return { channel: item.channel, ts: item.ts };
  }
}
