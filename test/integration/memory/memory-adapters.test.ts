import {
  BatchCreateMemoryRecordsCommand,
  BedrockAgentCoreClient,
  CreateEventCommand,
  DeleteMemoryRecordCommand,
  ListEventsCommand,
  ListMemoryRecordsCommand,
  ResourceNotFoundException,
  RetrieveMemoryRecordsCommand,
  ValidationException,
} from '@aws-sdk/client-bedrock-agentcore';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalAgentCoreMemoryEndpoint,
  startLocalAgentCoreMemoryEndpoint,
} from '../../../src/local/index.ts';
import {
  AgentCoreLongTermMemory,
  AgentCoreSessionMemory,
  DynamoDbLongTermMemory,
  DynamoDbSessionMemory,
  factKeys,
  factNamespace,
  sessionMemoryKeys,
} from '../../../src/memory/index.ts';
import { CONTRACT_NOW, longTermMemoryContract } from '../../contract/long-term-memory.contract.ts';
import { sessionMemoryContract } from '../../contract/session-memory.contract.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

const MEMORY_ID = 'settleops_memory-a1B2c3D4e5';

let tablePromise: Promise<TestTable> | undefined;
const table = () => {
  tablePromise ??= createTestTable();
  return tablePromise;
};

let endpoint: LocalAgentCoreMemoryEndpoint | undefined;
async function agentCore(): Promise<BedrockAgentCoreClient> {
  endpoint ??= await startLocalAgentCoreMemoryEndpoint({ memories: [MEMORY_ID], now: () => CONTRACT_NOW });
  return new BedrockAgentCoreClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

afterAll(async () => {
  await endpoint?.close();
});

sessionMemoryContract('DynamoDB', async () => {
  const t = await table();
  return new DynamoDbSessionMemory(t.doc, t.tableName);
});
longTermMemoryContract('DynamoDB', async (now) => {
  const t = await table();
  return new DynamoDbLongTermMemory(t.doc, t.tableName, { now });
});
sessionMemoryContract('AgentCore Memory (SDK → local endpoint)', async () => {
  return new AgentCoreSessionMemory(await agentCore(), MEMORY_ID);
});
longTermMemoryContract('AgentCore Memory (SDK → local endpoint)', async (now) => {
  return new AgentCoreLongTermMemory(await agentCore(), MEMORY_ID, { now });
});

describe('the DynamoDB memory items', () => {
  it('carry a TTL: turns a year from now by default, facts at their own expiry', async () => {
    const t = await table();
    const now = new Date('2026-02-01T00:00:00.000Z');
    const sessions = new DynamoDbSessionMemory(t.doc, t.tableName, { now: () => now, ttlDays: 30 });
    const event = await sessions.append({
      actorId: 'uttl',
      sessionId: 'ttl-session',
      role: 'USER',
      text: 'hello',
      at: '2026-02-01T00:00:00Z',
      clientToken: 'ttl-1',
    });
    const item = await t.doc.send(
      new GetCommand({
        TableName: t.tableName,
        Key: { pk: sessionMemoryKeys.events('uttl', 'ttl-session'), sk: event.eventId },
      }),
    );
    expect(item.Item).toMatchObject({ itemType: 'MEMEVT', expiresAt: now.getTime() / 1000 + 30 * 86_400 });
    const token = await t.doc.send(
      new GetCommand({
        TableName: t.tableName,
        Key: sessionMemoryKeys.token('uttl', 'ttl-session', 'ttl-1'),
      }),
    );
    expect(token.Item).toMatchObject({ itemType: 'MEMTOK', eventId: event.eventId });

    const facts = new DynamoDbLongTermMemory(t.doc, t.tableName, { now: () => now });
    await facts.put('ttl.user', [
      {
        factId: 'f-ttl',
        category: 'preference',
        text: 'likes short answers',
        source: { sessionId: 'ttl-session', eventId: event.eventId },
        createdAt: '2026-02-01T00:00:00Z',
        updatedAt: '2026-02-01T00:00:00Z',
        expiresAt: '2026-05-02T00:00:00Z',
      },
    ]);
    const fact = await t.doc.send(
      new GetCommand({ TableName: t.tableName, Key: { pk: factKeys.pk('ttl.user'), sk: 'f-ttl' } }),
    );
    expect(fact.Item).toMatchObject({
      pk: `MEMFACT#${factNamespace('ttl.user')}`,
      itemType: 'MEMFACT',
      factExpiresAt: '2026-05-02T00:00:00.000Z',
      expiresAt: Date.parse('2026-05-02T00:00:00Z') / 1000,
    });
  });
});

describe('the local AgentCore Memory endpoint', () => {
  let client: BedrockAgentCoreClient;
  beforeAll(async () => {
    client = await agentCore();
  });

  const event = (overrides: Record<string, unknown> = {}) =>
    new CreateEventCommand({
      memoryId: MEMORY_ID,
      actorId: 'uendpoint',
      sessionId: 'endpoint-session',
      eventTimestamp: new Date('2026-01-05T09:00:00Z'),
      payload: [{ conversational: { content: { text: 'hi' }, role: 'USER' } }],
      ...overrides,
    });

  async function rejection(
    promise: Promise<unknown>,
  ): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
    return promise.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: Error) => e,
    );
  }

  it('answers an unknown memory with ResourceNotFoundException through the SDK', async () => {
    const error = await rejection(client.send(event({ memoryId: 'other_memory-0000000000' })));
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toContain('other_memory-0000000000');
    expect(error.$metadata?.httpStatusCode).toBe(404);
    const sessions = new AgentCoreSessionMemory(client, 'other_memory-0000000000');
    await expect(sessions.list('uendpoint', 'endpoint-session')).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it.each([
    ['actorId', { actorId: 'has space' }],
    ['actorId', { actorId: 'a'.repeat(256) }],
    ['sessionId', { sessionId: 'bad.session' }],
    ['sessionId', { sessionId: 's'.repeat(101) }],
    ['payload', { payload: [] }],
    [
      'payload.0.conversational.content.text',
      { payload: [{ conversational: { content: { text: '' }, role: 'USER' } }] },
    ],
    [
      'payload.0.conversational.role',
      { payload: [{ conversational: { content: { text: 'x' }, role: 'BOT' } }] },
    ],
  ])('refuses CreateEvent with a bad %s (ValidationException naming it)', async (field, overrides) => {
    const error = await rejection(client.send(event(overrides)));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain(`'${field}'`);
    expect((error as ValidationException).fieldList?.[0]?.name).toBe(field);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('refuses a bad namespace and a topK out of range in RetrieveMemoryRecords', async () => {
    const retrieve = (namespace: string, topK: number) =>
      client.send(
        new RetrieveMemoryRecordsCommand({
          memoryId: MEMORY_ID,
          namespace,
          searchCriteria: { searchQuery: 'desk', topK },
        }),
      );
    const badNamespace = await rejection(retrieve('/users/bad space/facts', 5));
    expect(badNamespace).toBeInstanceOf(ValidationException);
    expect(badNamespace.message).toContain("'namespace'");
    const badTopK = await rejection(retrieve('/users/x/facts', 101));
    expect(badTopK).toBeInstanceOf(ValidationException);
    expect(badTopK.message).toContain("'searchCriteria.topK'");
  });

  it('returns the first event for a repeated client token and pages ListEvents in timestamp order', async () => {
    const first = await client.send(event({ sessionId: 'paging', clientToken: 'same-token-0000000001' }));
    const again = await client.send(
      event({
        sessionId: 'paging',
        clientToken: 'same-token-0000000001',
        payload: [{ conversational: { content: { text: 'changed' }, role: 'USER' } }],
      }),
    );
    expect(again.event?.eventId).toBe(first.event?.eventId);
    for (const s of [3, 1, 2]) {
      await client.send(
        event({
          sessionId: 'paging',
          eventTimestamp: new Date(Date.UTC(2026, 0, 5, 9, 0, s)),
          payload: [{ conversational: { content: { text: `at ${s}` }, role: 'ASSISTANT' } }],
        }),
      );
    }
    const texts: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await client.send(
        new ListEventsCommand({
          memoryId: MEMORY_ID,
          actorId: 'uendpoint',
          sessionId: 'paging',
          includePayloads: true,
          maxResults: 2,
          nextToken,
        }),
      );
      pages += 1;
      for (const e of out.events ?? []) texts.push(e.payload?.[0]?.conversational?.content?.text ?? '?');
      nextToken = out.nextToken;
    } while (nextToken !== undefined);
    expect(pages).toBe(2);
    expect(texts).toStrictEqual(['hi', 'at 1', 'at 2', 'at 3']);
  });

  it('matches namespaces as a prefix, and the adapter still returns only the principal’s own namespace', async () => {
    const namespace = factNamespace('prefix.owner');
    const facts = new AgentCoreLongTermMemory(client, MEMORY_ID, { now: () => CONTRACT_NOW });
    await facts.put('prefix.owner', [
      {
        factId: 'f-own',
        category: 'responsibility',
        text: 'covers the repo desk',
        source: { sessionId: 'prefix-session', eventId: '0000001767603600000#abcd1234' },
        createdAt: '2026-05-01T00:00:00.000Z',
        updatedAt: '2026-05-01T00:00:00.000Z',
        expiresAt: '2026-12-01T00:00:00.000Z',
      },
    ]);
    // A record under a deeper namespace, written straight to the service, with a fact's metadata.
    const [own] =
      (await client.send(new ListMemoryRecordsCommand({ memoryId: MEMORY_ID, namespace })))
        .memoryRecordSummaries ?? [];
    await client.send(
      new BatchCreateMemoryRecordsCommand({
        memoryId: MEMORY_ID,
        records: [
          {
            requestIdentifier: 'f-planted',
            namespaces: [`${namespace}/planted`],
            content: { text: 'covers the repo desk of someone else' },
            timestamp: new Date('2026-05-02T00:00:00Z'),
            ...(own?.metadata === undefined
              ? {}
              : { metadata: { ...own.metadata, 'settleops.factId': { stringValue: 'f-planted' } } }),
          },
        ],
      }),
    );
    const raw = await client.send(
      new RetrieveMemoryRecordsCommand({
        memoryId: MEMORY_ID,
        namespace,
        searchCriteria: { searchQuery: 'repo desk', topK: 10 },
      }),
    );
    expect(raw.memoryRecordSummaries?.map((r) => r.namespaces?.[0]).sort()).toStrictEqual([
      namespace,
      `${namespace}/planted`,
    ]);
    expect((await facts.retrieve('prefix.owner', 'repo desk', 10)).map((f) => f.factId)).toStrictEqual([
      'f-own',
    ]);
    expect((await facts.list('prefix.owner')).map((f) => f.factId)).toStrictEqual(['f-own']);
    expect(await facts.delete('prefix.owner', ['f-planted'])).toBe(0);
    // The source event id (with `#`, outside the metadata charset) survives the round trip.
    expect((await facts.list('prefix.owner'))[0]?.source.eventId).toBe('0000001767603600000#abcd1234');
  });

  it('deletes one record by id (DeleteMemoryRecord), then answers ResourceNotFoundException', async () => {
    const created = await client.send(
      new BatchCreateMemoryRecordsCommand({
        memoryId: MEMORY_ID,
        records: [
          {
            requestIdentifier: 'one-off',
            namespaces: ['/users/uoneoff/facts'],
            content: { text: 'temporary' },
            timestamp: new Date('2026-05-02T00:00:00Z'),
          },
        ],
      }),
    );
    const memoryRecordId = created.successfulRecords?.[0]?.memoryRecordId ?? '';
    expect(memoryRecordId).toMatch(/^mem-/);
    const out = await client.send(
      new DeleteMemoryRecordCommand({
        memoryId: MEMORY_ID,
        memoryRecordId,
        namespace: '/users/uoneoff/facts',
      }),
    );
    expect(out.memoryRecordId).toBe(memoryRecordId);
    const again = await rejection(
      client.send(new DeleteMemoryRecordCommand({ memoryId: MEMORY_ID, memoryRecordId })),
    );
    expect(again).toBeInstanceOf(ResourceNotFoundException);
  });
});
