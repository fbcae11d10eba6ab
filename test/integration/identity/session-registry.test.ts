import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AgentCoreDeliveredTokenVerifier,
  DynamoDbSessionRegistry,
  InvalidPrincipalIdError,
  InvalidSessionIdError,
  SESSION_TTL_SECONDS,
  type SessionRecord,
  sessionKeys,
} from '../../../src/identity/index.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

const T0 = '2026-11-24T12:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const ORIGIN = { teamId: 'T1', channelId: 'C1', threadTs: '1718000000.000100' };

let seq = 0;
/** A fresh, valid session id (33–100 characters). */
const newSession = () => `so-test-${String(++seq).padStart(4, '0')}-${'x'.repeat(30)}`;

let table: TestTable;
let clock: Date;
let registry: DynamoDbSessionRegistry;

beforeEach(async () => {
  table = await createTestTable();
  clock = new Date(T0);
  registry = new DynamoDbSessionRegistry(table.doc, table.tableName, () => clock);
});

const aSession = (
  sessionId: string,
  principalId: string,
  over: Partial<SessionRecord> = {},
): SessionRecord => ({
  sessionId,
  principalId,
  createdAt: T0,
  lastActiveAt: T0,
  turns: 0,
  consolidatedTurns: 0,
  ...over,
});

async function rawItem(sessionId: string): Promise<Record<string, unknown> | undefined> {
  const out = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: sessionKeys.session(sessionId), ConsistentRead: true }),
  );
  return out.Item;
}

describe('the DynamoDB session registry', () => {
  it('creates the session for its first claimant, with its origin, expiring 30 days after', async () => {
    const id = newSession();

    const claim = await registry.claim({ sessionId: id, principalId: 'Alice', origin: ORIGIN, at: T0 });

    const session = aSession(id, 'alice', { origin: ORIGIN });
    expect(claim).toStrictEqual({ ok: true, session });
    expect(await registry.get(id)).toStrictEqual(session);
    expect(await rawItem(id)).toStrictEqual({
      pk: `SESSION#${id}`,
      sk: '#',
      itemType: 'SESSION',
      ...session,
      expiresAt: Date.parse(T0) / 1000 + SESSION_TTL_SECONDS,
    });
  });

  it('gives a session to exactly one of 20 principals claiming it at once', async () => {
    const id = newSession();
    const principals = Array.from({ length: 20 }, (_, i) => `user-${i}`);

    const claims = await Promise.all(
      principals.map((principalId) => registry.claim({ sessionId: id, principalId, at: T0 })),
    );

    const won = claims.filter((c) => c.ok);
    expect(won).toHaveLength(1);
    expect(claims.filter((c) => !c.ok)).toStrictEqual(
      Array.from({ length: 19 }, () => ({ ok: false, reason: 'OWNED_BY_ANOTHER' })),
    );
    const owner = won[0]?.ok === true ? won[0].session.principalId : undefined;
    expect((await registry.get(id))?.principalId).toBe(owner);
  });

  it('confirms a claim by the owner with the stored record, turns and all, and changes nothing', async () => {
    const id = newSession();
    await registry.claim({ sessionId: id, principalId: 'alice', origin: ORIGIN, at: T0 });
    await registry.recordTurn(id, 'alice', at(1));
    const before = await rawItem(id);

    const again = await registry.claim({ sessionId: id, principalId: 'ALICE', at: at(5) });

    expect(again).toStrictEqual({
      ok: true,
      session: aSession(id, 'alice', { origin: ORIGIN, lastActiveAt: at(1), turns: 1 }),
    });
    expect(await rawItem(id)).toStrictEqual(before);
  });

  it('counts turns only of the owner; another principal’s touch changes nothing', async () => {
    const id = newSession();
    await registry.claim({ sessionId: id, principalId: 'alice', at: T0 });
    await registry.recordTurn(id, 'alice', at(1));
    const before = await rawItem(id);

    await registry.recordTurn(id, 'mallory', at(2));
    await registry.recordTurn(newSession(), 'alice', at(2));

    expect(await rawItem(id)).toStrictEqual(before);
    expect(before).toMatchObject({
      turns: 1,
      lastActiveAt: at(1),
      byDuePk: 'SESSION_IDLE',
      byDueSk: `${at(1)}#${id}`,
      expiresAt: Date.parse(at(1)) / 1000 + SESSION_TTL_SECONDS,
    });
  });

  it('lists sessions with unconsolidated turns idle since an instant, oldest first, per principal, up to a limit', async () => {
    const [a1, a2, b1, quiet, recent] = [
      newSession(),
      newSession(),
      newSession(),
      newSession(),
      newSession(),
    ];
    for (const [id, who] of [
      [a1, 'alice'],
      [a2, 'alice'],
      [b1, 'bob'],
      [quiet, 'alice'],
      [recent, 'alice'],
    ] as const)
      await registry.claim({ sessionId: id, principalId: who, at: T0 });
    await registry.recordTurn(a2, 'alice', at(2));
    await registry.recordTurn(a1, 'alice', at(3));
    await registry.recordTurn(b1, 'bob', at(1));
    await registry.recordTurn(recent, 'alice', at(30));

    const idle = await registry.idle(at(10));

    expect(idle).toStrictEqual([
      aSession(b1, 'bob', { lastActiveAt: at(1), turns: 1 }),
      aSession(a2, 'alice', { lastActiveAt: at(2), turns: 1 }),
      aSession(a1, 'alice', { lastActiveAt: at(3), turns: 1 }),
    ]);
    expect((await registry.idle(at(10), { principalId: 'Alice' })).map((s) => s.sessionId)).toStrictEqual([
      a2,
      a1,
    ]);
    expect((await registry.idle(at(10), { limit: 2 })).map((s) => s.sessionId)).toStrictEqual([b1, a2]);
    expect((await registry.idle(at(3))).map((s) => s.sessionId)).toStrictEqual([b1, a2, a1]);
  });

  it('marks turns consolidated, never backwards, and leaves the idle list only when caught up', async () => {
    const id = newSession();
    await registry.claim({ sessionId: id, principalId: 'alice', at: T0 });
    for (const minute of [1, 2, 3]) await registry.recordTurn(id, 'alice', at(minute));

    await registry.markConsolidated(id, 2);
    expect((await registry.get(id))?.consolidatedTurns).toBe(2);
    expect((await registry.idle(at(10))).map((s) => s.sessionId)).toStrictEqual([id]);

    await registry.markConsolidated(id, 1);
    expect((await registry.get(id))?.consolidatedTurns).toBe(2);

    await registry.markConsolidated(id, 3);
    expect(await registry.get(id)).toStrictEqual(
      aSession(id, 'alice', { lastActiveAt: at(3), turns: 3, consolidatedTurns: 3 }),
    );
    expect(await registry.idle(at(10))).toStrictEqual([]);
    expect(await rawItem(id)).not.toHaveProperty('byDuePk');

    await registry.recordTurn(id, 'alice', at(4));
    expect((await registry.idle(at(10))).map((s) => s.sessionId)).toStrictEqual([id]);

    await expect(registry.markConsolidated(id, 9)).rejects.toThrow(
      /^throughTurns: 9 is more than the 4 turns/,
    );
    expect((await registry.get(id))?.consolidatedTurns).toBe(3);
  });

  it('treats a session past its expiry as gone, even before TTL removes it', async () => {
    const id = newSession();
    await registry.claim({ sessionId: id, principalId: 'alice', at: T0 });
    clock = new Date(Date.parse(T0) + (SESSION_TTL_SECONDS + 1) * 1000);

    expect(await registry.get(id)).toBeUndefined();
    const claim = await registry.claim({ sessionId: id, principalId: 'bob', at: clock.toISOString() });
    expect(claim.ok && claim.session.principalId).toBe('bob');
  });

  it('refuses a bad session id, principal id or instant, and writes nothing', async () => {
    const good = newSession();
    const cases = [
      () => registry.claim({ sessionId: 'short', principalId: 'alice', at: T0 }),
      () => registry.claim({ sessionId: `-${good}`, principalId: 'alice', at: T0 }),
      () => registry.claim({ sessionId: `${good}${'y'.repeat(80)}`, principalId: 'alice', at: T0 }),
      () => registry.claim({ sessionId: `${good}#x`, principalId: 'alice', at: T0 }),
      () => registry.recordTurn('short', 'alice', T0),
      () => registry.get('short'),
      () => registry.markConsolidated('short', 1),
    ];
    for (const attempt of cases) await expect(attempt()).rejects.toThrow(InvalidSessionIdError);
    await expect(registry.claim({ sessionId: good, principalId: 'al ice', at: T0 })).rejects.toThrow(
      InvalidPrincipalIdError,
    );
    await expect(registry.claim({ sessionId: good, principalId: 'alice', at: 'yesterday' })).rejects.toThrow(
      /^at: /,
    );
    await expect(registry.markConsolidated(good, -1)).rejects.toThrow(/^throughTurns: /);

    expect(await rawItem(good)).toBeUndefined();
  });
});

describe('AgentCoreDeliveredTokenVerifier', () => {
  const audience = 'arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/settleops-abc';

  it('takes the principal from the registered owner of the session once a sane token is present', async () => {
    const id = newSession();
    await registry.claim({ sessionId: id, principalId: 'alice', at: T0 });
    const verifier = new AgentCoreDeliveredTokenVerifier(registry);

    expect(await verifier.verify('AQIDAHh0b2tlbi1mcm9tLWF3cw==', { audience, sessionId: id })).toStrictEqual({
      ok: true,
      principalId: 'alice',
    });
  });

  it.each([
    ['no token', undefined, 'missing', 401],
    ['an empty token', '', 'missing', 401],
    ['a token with spaces', 'abc def', 'malformed', 401],
    ['a 9 KB token', 'a'.repeat(9 * 1024), 'malformed', 401],
  ] as const)('refuses %s', async (_n, token, reason, status) => {
    const id = newSession();
    await registry.claim({ sessionId: id, principalId: 'alice', at: T0 });

    expect(
      await new AgentCoreDeliveredTokenVerifier(registry).verify(token, { audience, sessionId: id }),
    ).toStrictEqual({
      ok: false,
      status,
      reason,
      message: expect.any(String),
    });
  });

  it('refuses a session the trusted caller never claimed', async () => {
    const verifier = new AgentCoreDeliveredTokenVerifier(registry);
    const refusal = { ok: false, status: 403, reason: 'wrong_session', message: expect.any(String) };

    expect(await verifier.verify('token', { audience, sessionId: newSession() })).toStrictEqual(refusal);
    expect(await verifier.verify('token', { audience, sessionId: 'not-a-session' })).toStrictEqual(refusal);
  });
});
