import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDynamoDbClients, type DynamoDbClients } from '../../src/settlement/store/dynamodb-client.ts';
import { DynamoDbSettlementStore } from '../../src/settlement/store/dynamodb-settlement-store.ts';
import { ensureTable } from '../../src/settlement/store/table.ts';

export interface TestTable extends DynamoDbClients {
  readonly endpoint: string;
  readonly tableName: string;
  readonly store: DynamoDbSettlementStore;
}

/** A fresh table of its own on the run's DynamoDB Local, so test files never see each other's data. */
export async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamodbEndpoint');
  const clients = createDynamoDbClients({ endpoint, region: 'us-east-1', local: true });
  const tableName = `test-${randomUUID()}`;
  await ensureTable(clients.client, tableName);
  return { ...clients, endpoint, tableName, store: new DynamoDbSettlementStore(clients.doc, tableName) };
}
