import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDbTraceStore,
  TRACE_TTL_SECONDS,
  traceKeys,
} from '../../../src/agents/traces/dynamodb-trace-store.ts';
import type { Trace } from '../../../src/agents/traces/trace.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

const NOW = new Date('2026-06-01T12:00:00.000Z');

function aTrace(overrides: Partial<Trace> = {}): Trace {
  return {
    traceId: 'tr-1',
    sessionId: 'so-session-1',
    principalId: 'alice',
    question: 'why is T-10042 not matched?',
    startedAt: '2026-06-01T12:00:00.000Z',
    finishedAt: '2026-06-01T12:00:01.250Z',
    steps: [
      {
        kind: 'model',
        at: '2026-06-01T12:00:00.010Z',
        latencyMs: 2.5,
        iteration: 1,
        modelId: 'offline-planner',
        tier: 'fast',
        stopReason: 'tool_use',
        tokens: { inputTokens: 1200, outputTokens: 40, cacheRead: 0, cacheWrite: 0 },
        estimated: true,
      },
      {
        kind: 'tool',
        at: '2026-06-01T12:00:00.020Z',
        latencyMs: 14,
        iteration: 1,
        name: 'explain_match',
        auditLevel: 'full',
        arguments: { tradeId: 'T-10042' },
        outcome: 'ok',
        resultSize: 812,
      },
      { kind: 'limit', at: '2026-06-01T12:00:01.000Z', latencyMs: 0, limit: 'max_iterations', detail: '6' },
    ],
    totals: { inputTokens: 1200, outputTokens: 40, cacheRead: 0, cacheWrite: 0 },
    estimatedCostUsd: 0,
    answeredBy: 'offline-planner',
    stoppedBy: 'max_iterations',
    ...overrides,
  };
}

describe('DynamoDbTraceStore on DynamoDB Local', () => {
  let table: TestTable;
  let store: DynamoDbTraceStore;

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoDbTraceStore(table.doc, table.tableName, () => NOW);
  });
  afterAll(() => table?.client.destroy());

  it('writes a trace and reads it back by id', async () => {
    const trace = aTrace();
    await store.put(trace);
    expect(await store.get('tr-1')).toStrictEqual(trace);
  });

  it('keeps it under TRACE#<id> with a 30-day TTL in expiresAt', async () => {
    const item = (
      await table.doc.send(new GetCommand({ TableName: table.tableName, Key: traceKeys.trace('tr-1') }))
    ).Item;
    expect(item?.pk).toBe('TRACE#tr-1');
    expect(item?.sk).toBe('#');
    expect(item?.itemType).toBe('TRACE');
    expect(item?.expiresAt).toBe(Math.floor(NOW.getTime() / 1000) + TRACE_TTL_SECONDS);
    expect(TRACE_TTL_SECONDS).toBe(30 * 24 * 3600);
  });

  it('returns nothing for an unknown id', async () => {
    expect(await store.get('tr-unknown')).toBeUndefined();
  });

  it('adds each trace once to the session and daily usage, even when a write is retried', async () => {
    await store.put(
      aTrace({
        traceId: 'tr-2',
        sessionId: 'so-session-2',
        estimatedCostUsd: 0.0123,
        totals: { inputTokens: 100, outputTokens: 10, cacheRead: 5, cacheWrite: 1 },
      }),
    );
    await store.put(
      aTrace({
        traceId: 'tr-3',
        sessionId: 'so-session-2',
        estimatedCostUsd: 0.0001,
        totals: { inputTokens: 1, outputTokens: 2, cacheRead: 3, cacheWrite: 4 },
      }),
    );
    // A retry of an already-written trace changes nothing.
    await store.put(
      aTrace({
        traceId: 'tr-3',
        sessionId: 'so-session-2',
        estimatedCostUsd: 0.0001,
        totals: { inputTokens: 1, outputTokens: 2, cacheRead: 3, cacheWrite: 4 },
      }),
    );
    expect(await store.usage({ kind: 'session', sessionId: 'so-session-2' })).toStrictEqual({
      invocations: 2,
      inputTokens: 101,
      outputTokens: 12,
      cacheRead: 8,
      cacheWrite: 5,
      estimatedCostUsd: 0.0124,
    });
    expect(
      (await store.usage({ kind: 'principal-day', principalId: 'alice', day: '2026-06-01' })).invocations,
    ).toBe(3);
    expect((await store.usage({ kind: 'session', sessionId: 'so-nobody' })).invocations).toBe(0);
  });
});
