import { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeSessionId } from '../../../src/agents/client/session-id.ts';
import { DynamoDbSessionRegistry } from '../../../src/identity/index.ts';
import { startLocalAgentCoreMemoryEndpoint } from '../../../src/local/index.ts';
import {
  AgentCoreLongTermMemory,
  AgentCoreSessionMemory,
  type ConsolidationDeps,
  consolidateIdleSessions,
  DynamoDbLongTermMemory,
  DynamoDbSessionMemory,
  forgetFacts,
  type LongTermMemory,
  memoryActorId,
  RuleFactExtractor,
  type SessionMemory,
} from '../../../src/memory/index.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';
import { TRANSCRIPTS } from '../../unit/memory/memory-fixture.ts';

/**
 * Consolidation over the fixture transcripts through the real adapters — DynamoDB Local, and AgentCore
 * Memory through the real SDK client and the local endpoint — with the session registry on DynamoDB:
 * the stated facts are kept and nothing else; a second run adds nothing; a forgotten fact is gone from
 * every store and never retrieved again.
 */
const MEMORY_ID = 'settleops_memory-AbCdE12345';
const NOW = new Date('2026-03-13T12:00:00.000Z');
let closeEndpoint: () => Promise<void> = async () => {};
let client: BedrockAgentCoreClient;

beforeAll(async () => {
  const endpoint = await startLocalAgentCoreMemoryEndpoint({ memories: [MEMORY_ID] });
  closeEndpoint = endpoint.close;
  client = new BedrockAgentCoreClient({
    region: 'us-east-1',
    endpoint: endpoint.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  client?.destroy();
  await closeEndpoint();
});

type Stores = { sessions: SessionMemory; facts: LongTermMemory };
const ADAPTERS: ReadonlyArray<readonly [string, (table: TestTable) => Stores]> = [
  [
    'DynamoDB',
    (table) => ({
      sessions: new DynamoDbSessionMemory(table.doc, table.tableName, { now: () => NOW }),
      facts: new DynamoDbLongTermMemory(table.doc, table.tableName, { now: () => NOW }),
    }),
  ],
  [
    'AgentCore Memory',
    () => ({
      sessions: new AgentCoreSessionMemory(client, MEMORY_ID),
      facts: new AgentCoreLongTermMemory(client, MEMORY_ID, { now: () => NOW }),
    }),
  ],
];

describe.each(ADAPTERS)('consolidation over %s', (_name, storesOf) => {
  let deps: ConsolidationDeps;
  const principalOf = (i: number) => `ops-${_name.length}-${i}`;

  beforeAll(async () => {
    const table = await createTestTable();
    const stores = storesOf(table);
    deps = {
      ...stores,
      registry: new DynamoDbSessionRegistry(table.doc, table.tableName, () => NOW),
      extractor: new RuleFactExtractor(),
      now: () => NOW,
    };
    // Each transcript is one principal's session, finished an hour before NOW.
    for (const [i, t] of TRANSCRIPTS.entries()) {
      const principalId = principalOf(i);
      const sessionId = runtimeSessionId('T', principalId, 'C', String(i));
      await deps.registry.claim({ sessionId, principalId, at: '2026-03-13T10:00:00.000Z' });
      for (const [n, turn] of t.turns.entries()) {
        const at = new Date(Date.parse('2026-03-13T10:00:00.000Z') + n * 1000).toISOString();
        await stores.sessions.append({
          actorId: memoryActorId(principalId),
          sessionId,
          role: turn.role,
          text: turn.text,
          at,
          clientToken: `fixture-${i}-${n}`,
        });
        if (turn.role === 'USER') await deps.registry.recordTurn(sessionId, principalId, at);
      }
    }
  });

  it('keeps the stated facts, nothing from chit-chat or trade data, and a second run adds nothing', async () => {
    const first = await consolidateIdleSessions(deps, {});
    expect(first.failed).toBe(0);
    expect(first.sessions).toBe(TRANSCRIPTS.length);
    for (const [i, t] of TRANSCRIPTS.entries()) {
      const facts = await deps.facts.list(principalOf(i));
      expect(facts.map((f) => f.category).sort(), t.name).toStrictEqual(t.kept.map((k) => k.category).sort());
      for (const k of t.kept) {
        const f = facts.find(
          (x) =>
            x.category === k.category && k.words.every((w) => x.text.toLowerCase().includes(w.toLowerCase())),
        );
        expect(f, `${t.name}: ${k.words.join(' / ')}`).toBeDefined();
      }
    }
    const second = await consolidateIdleSessions(deps, { all: true });
    expect(second).toMatchObject({ sessions: 0, added: 0, updated: 0 });
  });

  it('forgets a fact in the store: never listed or retrieved again, and not brought back by a rerun', async () => {
    const i = TRANSCRIPTS.findIndex((t) => t.kept.length > 0);
    const principalId = principalOf(i);
    const [fact] = await deps.facts.list(principalId);
    if (fact === undefined) throw new Error('no fact to forget');
    expect(await forgetFacts(deps.facts, principalId, { factIds: [fact.factId] })).toBe(1);
    expect((await deps.facts.list(principalId)).map((f) => f.factId)).not.toContain(fact.factId);
    const retrieved = await deps.facts.retrieve(principalId, fact.text, 10);
    expect(retrieved.map((f) => f.factId)).not.toContain(fact.factId);
    await consolidateIdleSessions(deps, { all: true });
    expect((await deps.facts.list(principalId)).map((f) => f.factId)).not.toContain(fact.factId);
    // Forget all.
    await forgetFacts(deps.facts, principalId, { all: true });
    expect(await deps.facts.list(principalId)).toStrictEqual([]);
  });
});
