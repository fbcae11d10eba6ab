import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

/** How long a delivery key is remembered: Slack retries for up to ~5 minutes; twice that, rounded up. */
export const DELIVERY_TTL_SECONDS = 15 * 60;

/**
 * Which Slack deliveries were already taken. Keys are the event id and, for messages, channel + ts
 * (Slack rarely re-sends one message under a new event id). A delivery is first only if none of its
 * keys was seen; the check and the record are one conditional write, so two processes receiving the
 * same retry at once take it once.
 */
export interface DeliveryLedger {
  firstDelivery(keys: readonly string[]): Promise<boolean>;
  /** Forgets `keys` (the delivery could not be enqueued, so Slack's retry must be taken). */
  release(keys: readonly string[]): Promise<void>;
}

/**
 * In the settlement table: one item per key (`SLACKDELIVERY#<key>`), written together only if none
 * exists, expiring after `DELIVERY_TTL_SECONDS` (DynamoDB TTL; expired items also count as absent
 * until TTL removes them).
 *
 * Not Powertools' idempotency utility: its DynamoDB persistence layer writes either only a partition
 * key (this table's key is pk + sk) or every record under one static partition key (a hot partition
 * during an alert storm), and it stores each handler's result for replay, which ingress does not need
 * — the work itself is keyed and idempotent downstream.
 */
export class DynamoDbDeliveryLedger implements DeliveryLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async firstDelivery(keys: readonly string[]): Promise<boolean> {
    const unique = uniqueKeys(keys);
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: unique.map((key) => ({
            Put: {
              TableName: this.tableName,
              Item: {
                pk: `SLACKDELIVERY#${key}`,
                sk: '#',
                itemType: 'SLACK_DELIVERY',
                seenAt: new Date(nowSeconds * 1000).toISOString(),
                expiresAt: nowSeconds + DELIVERY_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
              ExpressionAttributeValues: { ':now': nowSeconds },
            },
          })),
        }),
      );
      return true;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return false;
      }
      throw error;
    }
  }

  async release(keys: readonly string[]): Promise<void> {
    const unique = uniqueKeys(keys);
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: unique.map((key) => ({
          Delete: { TableName: this.tableName, Key: { pk: `SLACKDELIVERY#${key}`, sk: '#' } },
        })),
      }),
    );
  }
}

function uniqueKeys(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)].filter((k) => k !== '');
  if (unique.length === 0) throw new Error('a delivery needs at least one key');
  return unique;
}
