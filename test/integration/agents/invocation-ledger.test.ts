import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createInvocationGuard,
  DynamoDbInvocationLedger,
  type InvocationKey,
  invocationKeys,
  requestFingerprint,
} from '../../../src/agents/runtime/index.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

let table: TestTable;
const SESSION = 'so-ledger-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const key = (): InvocationKey => ({ sessionId: SESSION, requestId: randomUUID() });
const fingerprint = requestFingerprint({ question: 'rerun matching for T-10042' });
const answer = {
  answer: 'Matching re-run for T-10042.',
  records: [{ kind: 'trade' as const, id: 'INTERNAL#T-10042' }],
  traceId: 'tr-1',
  answeredBy: 'offline-planner',
};

/** A clock that moves only when told (and when a guard sleeps on it). */
function steppingClock(start = Date.now()) {
  let at = start;
  return {
    now: () => new Date(at),
    advance: (ms: number) => {
      at += ms;
    },
  };
}

beforeAll(async () => {
  table = await createTestTable();
});

describe('the invocation ledger in the settlement table', () => {
  it('lets exactly one of concurrent claims win; the others read the claim', async () => {
    const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName);
    const k = key();
    const claims = await Promise.all(
      Array.from({ length: 5 }, () =>
        ledger.claim({ key: k, principalId: 'alice', fingerprint, leaseMs: 60_000 }),
      ),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    const taken = claims.find((c) => !c.claimed);
    expect(taken).toMatchObject({
      claimed: false,
      record: { key: k, principalId: 'alice', fingerprint, state: 'RUNNING' },
    });
    const item = await table.doc.send(
      new GetCommand({ TableName: table.tableName, Key: invocationKeys.invocation(k) }),
    );
    expect(item.Item).toMatchObject({
      pk: `INVOCATION#${SESSION}#${k.requestId}`,
      sk: '#',
      itemType: 'INVOCATION',
      expiresAt: expect.any(Number),
    });
  });

  it('keeps how it ended, changed only by its claimant and only once', async () => {
    const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName);
    const k = key();
    await ledger.claim({ key: k, principalId: 'alice', fingerprint, leaseMs: 60_000 });
    await expect(ledger.finish(k, 'mallory', { ok: true, response: answer })).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    await ledger.finish(k, 'alice', { ok: true, response: answer });
    await expect(ledger.finish(k, 'alice', { ok: false, message: 'x' })).rejects.toBeInstanceOf(
      ConditionalCheckFailedException,
    );
    expect(await ledger.get(k)).toMatchObject({ state: 'DONE', outcome: { ok: true, response: answer } });
  });

  it('forgets an invocation past its expiry, before TTL removes it', async () => {
    const clock = steppingClock();
    const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName, clock.now);
    const k = key();
    await ledger.claim({ key: k, principalId: 'alice', fingerprint, leaseMs: 60_000 });
    clock.advance(25 * 3600_000);
    expect(await ledger.get(k)).toBeUndefined();
    expect(await ledger.claim({ key: k, principalId: 'alice', fingerprint, leaseMs: 60_000 })).toStrictEqual({
      claimed: true,
    });
  });

  it('refuses a bad key, writing nothing', async () => {
    const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName);
    await expect(
      ledger.claim({
        key: { sessionId: SESSION, requestId: 'R-1' },
        principalId: 'alice',
        fingerprint,
        leaseMs: 1,
      }),
    ).rejects.toThrow('requestId: is not a lowercase UUID');
  });
});

describe('the invocation guard', () => {
  it('refuses a repeat by another principal or with another question, telling it nothing', async () => {
    const guard = createInvocationGuard({ ledger: new DynamoDbInvocationLedger(table.doc, table.tableName) });
    const k = key();
    const first = await guard.admit({ key: k, principalId: 'alice', fingerprint });
    expect(first.kind).toBe('run');
    if (first.kind === 'run') await first.settle({ ok: true, response: answer });
    expect(await guard.admit({ key: k, principalId: 'mallory', fingerprint })).toStrictEqual({
      kind: 'refuse',
      reason: 'request_id_conflict',
    });
    expect(
      await guard.admit({
        key: k,
        principalId: 'alice',
        fingerprint: requestFingerprint({ question: 'other' }),
      }),
    ).toStrictEqual({ kind: 'refuse', reason: 'request_id_conflict' });
    expect(await guard.admit({ key: k, principalId: 'alice', fingerprint })).toStrictEqual({
      kind: 'replay',
      outcome: { ok: true, response: answer },
    });
  });

  it('waits on a claim another runtime runs, reading the ledger until it ends', async () => {
    const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName);
    const k = key();
    await ledger.claim({ key: k, principalId: 'alice', fingerprint, leaseMs: 60_000 });
    const clock = steppingClock();
    let reads = 0;
    const guard = createInvocationGuard({
      ledger,
      now: clock.now,
      // The other runtime finishes while this one waits for its second read.
      sleep: async (ms) => {
        clock.advance(ms);
        if (++reads === 2) await ledger.finish(k, 'alice', { ok: false, message: 'internal error' });
      },
    });
    expect(await guard.admit({ key: k, principalId: 'alice', fingerprint })).toStrictEqual({
      kind: 'replay',
      outcome: { ok: false, message: 'internal error' },
    });
    expect(reads).toBe(2);
  });

  it('refuses a repeat still running after the wait, and one whose runtime died (lease over)', async () => {
    const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName);
    const clock = steppingClock();
    const guard = createInvocationGuard({
      ledger,
      now: clock.now,
      repeatWaitMs: 10_000,
      leaseMs: 60_000,
      sleep: async (ms) => clock.advance(ms),
    });
    const running = key();
    await ledger.claim({ key: running, principalId: 'alice', fingerprint, leaseMs: 60_000 });
    expect(await guard.admit({ key: running, principalId: 'alice', fingerprint })).toStrictEqual({
      kind: 'refuse',
      reason: 'already_running',
    });
    const died = key();
    await ledger.claim({ key: died, principalId: 'alice', fingerprint, leaseMs: 5_000 });
    clock.advance(6_000);
    expect(await guard.admit({ key: died, principalId: 'alice', fingerprint })).toStrictEqual({
      kind: 'refuse',
      reason: 'abandoned',
    });
  });
});
