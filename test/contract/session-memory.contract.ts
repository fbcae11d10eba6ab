import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryInputError, type NewSessionEvent, type SessionMemory } from '../../src/memory/index.ts';

/** A fresh actor id per test, so one store serves a whole file. */
const actor = (name: string) => `u${name}-${randomUUID().slice(0, 8)}`;
const SESSION = 'settleops-T1-alice-C1-1767262800_000100-0000000000';

function turn(actorId: string, n: number, overrides: Partial<NewSessionEvent> = {}): NewSessionEvent {
  return {
    actorId,
    sessionId: SESSION,
    role: n % 2 === 0 ? 'USER' : 'ASSISTANT',
    text: `turn ${n}`,
    at: new Date(Date.UTC(2026, 0, 5, 9, 0, n)).toISOString(),
    clientToken: `tok-${n}-${randomUUID()}`,
    ...overrides,
  };
}

async function refused(promise: Promise<unknown>, field: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MemoryInputError);
  expect((error as MemoryInputError).field).toBe(field);
  expect((error as Error).message).toContain(field);
}

/** The behaviour every SessionMemory adapter shares; `make` is called once for the block. */
export function sessionMemoryContract(name: string, make: () => Promise<SessionMemory>): void {
  describe(`SessionMemory contract: ${name}`, () => {
    let memory: SessionMemory;
    beforeAll(async () => {
      memory = await make();
    });

    it('lists the turns oldest first, and with `last` only the most recent ones', async () => {
      const a = actor('order');
      // Appended out of time order: the list follows each turn's instant.
      for (const n of [0, 2, 1, 3, 4]) await memory.append(turn(a, n));
      const all = await memory.list(a, SESSION);
      expect(all.map((e) => e.text)).toStrictEqual(['turn 0', 'turn 1', 'turn 2', 'turn 3', 'turn 4']);
      expect(all.map((e) => e.role)).toStrictEqual(['USER', 'ASSISTANT', 'USER', 'ASSISTANT', 'USER']);
      expect(new Set(all.map((e) => e.eventId)).size).toBe(5);
      expect(all[0]).toMatchObject({ actorId: a, sessionId: SESSION, at: '2026-01-05T09:00:00.000Z' });
      const last2 = await memory.list(a, SESSION, { last: 2 });
      expect(last2.map((e) => e.text)).toStrictEqual(['turn 3', 'turn 4']);
      expect(last2).toStrictEqual(all.slice(3));
      expect(await memory.list(a, SESSION, { last: 50 })).toStrictEqual(all);
    });

    it('returns the stored event from append, with the instant in ISO form', async () => {
      const a = actor('shape');
      const stored = await memory.append(
        turn(a, 0, { at: '2026-01-05T10:00:00+01:00', text: 'status of T-10042?' }),
      );
      expect(stored).toMatchObject({
        actorId: a,
        sessionId: SESSION,
        role: 'USER',
        text: 'status of T-10042?',
        at: '2026-01-05T09:00:00.000Z',
      });
      expect(await memory.list(a, SESSION)).toStrictEqual([stored]);
    });

    it('stores one event for a retried append with the same client token, and returns the first', async () => {
      const a = actor('idem');
      const first = await memory.append(turn(a, 0, { clientToken: 'retry-1', text: 'first' }));
      const again = await memory.append(turn(a, 0, { clientToken: 'retry-1', text: 'second attempt' }));
      expect(again).toStrictEqual(first);
      const concurrent = await Promise.all(
        [1, 2, 3].map(() => memory.append(turn(a, 1, { clientToken: 'retry-2' }))),
      );
      expect(new Set(concurrent.map((e) => e.eventId)).size).toBe(1);
      const all = await memory.list(a, SESSION);
      expect(all.map((e) => e.text)).toStrictEqual(['first', 'turn 1']);
    });

    it('keeps actors apart, even in sessions of the same id and with the same client token', async () => {
      const alice = actor('alice');
      const al = alice.slice(0, 3);
      const bob = actor('bob');
      await memory.append(turn(alice, 0, { text: 'alice secret: pelican', clientToken: 'shared' }));
      const b = await memory.append(turn(bob, 0, { text: 'bob secret: walrus', clientToken: 'shared' }));
      expect(b.text).toBe('bob secret: walrus');
      expect((await memory.list(alice, SESSION)).map((e) => e.text)).toStrictEqual(['alice secret: pelican']);
      expect((await memory.list(bob, SESSION)).map((e) => e.text)).toStrictEqual(['bob secret: walrus']);
      expect(await memory.list(al, SESSION)).toStrictEqual([]);
      expect(await memory.list(`${alice}/x`, SESSION)).toStrictEqual([]);
    });

    it('keeps the sessions of one actor apart', async () => {
      const a = actor('sessions');
      await memory.append(turn(a, 0, { sessionId: 'session-one', text: 'one' }));
      await memory.append(turn(a, 1, { sessionId: 'session-one-more', text: 'two' }));
      expect((await memory.list(a, 'session-one')).map((e) => e.text)).toStrictEqual(['one']);
      expect((await memory.list(a, 'session-one-more')).map((e) => e.text)).toStrictEqual(['two']);
    });

    it('refuses bad input with an error naming the field, and writes nothing', async () => {
      const a = actor('bad');
      await refused(memory.append(turn('', 0)), 'actorId');
      await refused(memory.append(turn('-starts-with-dash', 0)), 'actorId');
      await refused(memory.append(turn('has space', 0)), 'actorId');
      await refused(memory.append(turn('x'.repeat(256), 0)), 'actorId');
      await refused(memory.append(turn(a, 0, { sessionId: 'has.dot' })), 'sessionId');
      await refused(memory.append(turn(a, 0, { sessionId: 's'.repeat(101) })), 'sessionId');
      await refused(memory.append(turn(a, 0, { text: '' })), 'text');
      await refused(memory.append(turn(a, 0, { text: '   ' })), 'text');
      await refused(memory.append(turn(a, 0, { text: 'x'.repeat(100_001) })), 'text');
      await refused(memory.append(turn(a, 0, { role: 'SYSTEM' as 'USER' })), 'role');
      await refused(memory.append(turn(a, 0, { at: 'yesterday' })), 'at');
      await refused(memory.append(turn(a, 0, { at: '2026-01-05T09:00:00' })), 'at');
      await refused(memory.append(turn(a, 0, { clientToken: '' })), 'clientToken');
      await refused(memory.list(a, SESSION, { last: 0 }), 'last');
      await refused(memory.list(a, SESSION, { last: 1.5 }), 'last');
      await refused(memory.list('bad actor', SESSION), 'actorId');
      await refused(memory.list(a, 'bad session'), 'sessionId');
      expect(await memory.list(a, SESSION)).toStrictEqual([]);
      // The longest valid values are accepted.
      const long = await memory.append(turn(a, 0, { sessionId: 's'.repeat(100), text: 'x'.repeat(100_000) }));
      expect(long.text).toHaveLength(100_000);
    });
  });
}
