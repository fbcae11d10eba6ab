import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TRADE_INDEX_VERSION, tradeIndexKeys } from './trade-index.ts';

const TRADE_INDEX_COMPLETE = tradeIndexKeys.complete;

/**
 * One table, four sparse global secondary indexes (see docs/data-model.md):
 * - byBlock: unmatched trades by level-1 block key (ISIN, trade date, side, source);
 * - byQueue: work queues by status (pending reviews, exceptions by status and deadline, outbox);
 * - byDue: things that fall due at an instant (SLA warnings/breaches, missing counterparty records);
 * - byDay: everything of a trade date, sorted by desk (reports).
 * An item is in an index only while it carries that index's key attributes.
 */
export const INDEXES = ['byBlock', 'byQueue', 'byDue', 'byDay'] as const;
export type IndexName = (typeof INDEXES)[number];

/** TTL attribute (epoch seconds) for ephemeral items. */
export const TTL_ATTRIBUTE = 'expiresAt';

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const attrs = ['pk', 'sk', ...INDEXES.flatMap((i) => [`${i}Pk`, `${i}Sk`])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attrs.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: INDEXES.map((IndexName) => ({
      IndexName,
      KeySchema: [
        { AttributeName: `${IndexName}Pk`, KeyType: 'HASH' },
        { AttributeName: `${IndexName}Sk`, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}

/** Creates the table and enables TTL if they are not there yet. Safe to run concurrently and repeatedly. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  let created = false;
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
    created = true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitActive(client, tableName);
  // A new table holds no trade from before the trade index: the index is complete from the start.
  // (An existing table without the marker is backfilled by `backfillTradeIndex`.)
  if (created) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: TRADE_INDEX_COMPLETE.pk },
          sk: { S: TRADE_INDEX_COMPLETE.sk },
          itemType: { S: 'META' },
          completedBy: { S: 'create-table' },
          version: { N: String(TRADE_INDEX_VERSION) },
        },
      }),
    );
  }
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        }),
      );
    } catch (error) {
      // A concurrent caller enabled it between our read and write.
      if (!(error instanceof Error && /already enabled/i.test(error.message))) throw error;
    }
  }
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
      if (d.Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`table ${tableName} did not become active`);
}
