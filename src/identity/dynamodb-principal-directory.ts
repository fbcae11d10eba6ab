import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  auditItem,
  type ChainKey,
  fromItem,
  type Item,
  ROOT_SK,
  recordMacMessage,
} from '../settlement/index.ts';
import { DirectoryEntry, type SlackUser } from './directory-entry.ts';
import type { DirectoryWrite, DirectoryWriteResult, PrincipalDirectory } from './principal-directory.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/*
 * Single-table keys (see docs/data-model.md):
 * - `PRINCIPAL#<principalId>` / `#`: the entry, with version and chain head like every audited entity;
 *   active entries are in the byQueue index under `DIRECTORY#ACTIVE` (sorted by principal id) for `list`.
 * - `SLACKUSER#<teamId>#<userId>` / `#`: the principal a Slack user maps to, created only if absent,
 *   so one Slack user never maps to two principals.
 * - the audit records under `AUDIT#PRINCIPAL#<principalId>`, as for trades and matches.
 */
export const directoryKeys = {
  principal: (principalId: string) => ({ pk: `PRINCIPAL#${principalId}`, sk: ROOT_SK }),
  slackUser: (s: SlackUser) => ({ pk: `SLACKUSER#${s.teamId}#${s.userId}`, sk: ROOT_SK }),
  activeIndexPk: 'DIRECTORY#ACTIVE',
} as const;

/** Pure: a directory entry as a DynamoDB item (active entries carry the byQueue keys). */
export function directoryItem(entry: DirectoryEntry): Item {
  const { pk, sk } = directoryKeys.principal(entry.principalId);
  return {
    pk,
    sk,
    itemType: 'PRINCIPAL',
    ...entry,
    ...(entry.status === 'ACTIVE'
      ? { byQueuePk: directoryKeys.activeIndexPk, byQueueSk: entry.principalId }
      : {}),
  };
}

/** The principal directory in the settlement table. */
export class DynamoDbPrincipalDirectory implements PrincipalDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Signs each directory audit record, as the settlement store signs its own (unset: unsigned). */
    private readonly options: { readonly chainKey?: ChainKey } = {},
  ) {}

  async get(principalId: string): Promise<DirectoryEntry | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: directoryKeys.principal(principalId),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : fromItem(DirectoryEntry, out.Item);
  }

  async findBySlackUser(slack: SlackUser): Promise<DirectoryEntry | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: directoryKeys.slackUser(slack),
        ConsistentRead: true,
      }),
    );
    const principalId = out.Item?.principalId;
    if (typeof principalId !== 'string') return undefined;
    const entry = await this.get(principalId);
    return entry?.status === 'ACTIVE' &&
      entry.slack?.teamId === slack.teamId &&
      entry.slack.userId === slack.userId
      ? entry
      : undefined;
  }

  async list(): Promise<DirectoryEntry[]> {
    const entries: DirectoryEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byQueue',
          KeyConditionExpression: 'byQueuePk = :pk',
          ExpressionAttributeValues: { ':pk': directoryKeys.activeIndexPk },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) entries.push(fromItem(DirectoryEntry, item));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return entries;
  }

  put(change: DirectoryWrite): Promise<DirectoryWriteResult> {
    return this.#write(change);
  }

  remove(change: DirectoryWrite): Promise<DirectoryWriteResult> {
    if (change.entry.status !== 'REMOVED') throw new Error('remove writes a REMOVED tombstone');
    return this.#write(change);
  }

  async #write(change: DirectoryWrite): Promise<DirectoryWriteResult> {
    const { entry, previous } = change;
    const key = this.options.chainKey;
    const audit =
      key === undefined
        ? change.audit
        : { ...change.audit, mac: (await key.mac([recordMacMessage(change.audit.hash)]))[0] as string };
    const TableName = this.tableName;
    const items: TransactItem[] = [
      {
        Put: {
          TableName,
          Item: directoryItem(entry),
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#v = :expected',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': previous.version },
              }),
        },
      },
      { Put: { TableName, Item: auditItem(audit), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
    const before = previous?.status === 'ACTIVE' ? previous.slack : undefined;
    const after = entry.status === 'ACTIVE' ? entry.slack : undefined;
    let slackPut = -1;
    if (!sameSlackUser(before, after)) {
      if (before !== undefined) {
        items.push({
          Delete: {
            TableName,
            Key: directoryKeys.slackUser(before),
            ConditionExpression: 'principalId = :me',
            ExpressionAttributeValues: { ':me': entry.principalId },
          },
        });
      }
      if (after !== undefined) {
        slackPut = items.length;
        items.push({
          Put: {
            TableName,
            Item: {
              ...directoryKeys.slackUser(after),
              itemType: 'SLACKUSER',
              principalId: entry.principalId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (after !== undefined && slackPut >= 0 && codes[slackPut] === 'ConditionalCheckFailed') {
        return {
          ok: false,
          reason: 'SLACK_USER_TAKEN',
          message: `Slack user ${after.teamId}/${after.userId} already belongs to another principal`,
        };
      }
      if (codes.includes('ConditionalCheckFailed') || codes.includes('TransactionConflict')) {
        return { ok: false, reason: 'CONFLICT', message: `${entry.principalId} changed concurrently` };
      }
      throw error;
    }
  }
}

function sameSlackUser(a: SlackUser | undefined, b: SlackUser | undefined): boolean {
  return a?.teamId === b?.teamId && a?.userId === b?.userId;
}
