import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import {
  type FactWrite,
  type LongTermMemory,
  type MemoryFact,
  MemoryInputError,
} from '../../src/memory/index.ts';

/** The instant every adapter under contract is told it is. */
export const CONTRACT_NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(CONTRACT_NOW.getTime() + offsetDays * DAY).toISOString();
const SESSION = 'settleops-T1-alice-C1-1767262800_000100-0000000000';

/** A fresh principal-id prefix per test, so one store serves a whole file. */
const base = () => `p${randomUUID().slice(0, 8)}`;

let seq = 0;
function fact(text: string, overrides: Partial<FactWrite> = {}): FactWrite {
  seq += 1;
  return {
    factId: `f-${String(seq).padStart(26, '0')}`,
    category: 'responsibility',
    text,
    source: { sessionId: SESSION, eventId: `2026-05-20T09:00:00.000Z#${seq}` },
    createdAt: iso(-30 + seq / 1000),
    updatedAt: iso(-30 + seq / 1000),
    expiresAt: iso(90),
    ...overrides,
  };
}

const asStored = (principalId: string, f: FactWrite): MemoryFact => ({ ...f, principalId });

async function refused(promise: Promise<unknown>, field: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MemoryInputError);
  expect((error as MemoryInputError).field).toBe(field);
  expect((error as Error).message).toContain(field);
}

/** The behaviour every LongTermMemory adapter shares; `make` gets the clock it must use. */
export function longTermMemoryContract(name: string, make: (now: Clock) => Promise<LongTermMemory>): void {
  describe(`LongTermMemory contract: ${name}`, () => {
    let memory: LongTermMemory;
    beforeAll(async () => {
      memory = await make(() => CONTRACT_NOW);
    });

    it('lists the principal’s facts oldest first, every field as written', async () => {
      const p = `${base()}-alice`;
      const older = fact('covers the EUR repo desk on Fridays', { category: 'responsibility' });
      const newer = fact('prefers reports as CSV attachments', { category: 'preference' });
      await memory.put(p, [newer, older]);
      expect(await memory.list(p)).toStrictEqual([asStored(p, older), asStored(p, newer)]);
    });

    it('replaces a fact written again under its factId', async () => {
      const p = `${base()}-alice`;
      const first = fact('covers the EUR repo desk on Fridays');
      const other = fact('prefers reports as CSV attachments');
      await memory.put(p, [first, other]);
      const restated = {
        ...first,
        category: 'standing_instruction' as const,
        text: 'covers the GBP repo desk on Fridays',
        updatedAt: iso(-1),
      };
      await memory.put(p, [restated]);
      const listed = await memory.list(p);
      expect(listed).toHaveLength(2);
      expect(listed.find((f) => f.factId === first.factId)).toStrictEqual(asStored(p, restated));
      expect((await memory.retrieve(p, 'GBP repo', 5)).map((f) => f.text)).toStrictEqual([restated.text]);
      expect(await memory.retrieve(p, 'EUR', 5)).toStrictEqual([]);
    });

    it('retrieves the relevant fact first, at most topK, nothing unrelated', async () => {
      const p = `${base()}-alice`;
      const desk = fact('covers the EUR repo desk on Fridays');
      const csv = fact('prefers settlement reports as CSV attachments', { category: 'preference' });
      const cpty = fact('counterparty DEUTDEFF often confirms late on Fridays', {
        category: 'counterparty_note',
      });
      const alerts = fact('wants SLA breach alerts only for the equities desk', { category: 'preference' });
      await memory.put(p, [desk, csv, cpty, alerts]);
      const deskHits = await memory.retrieve(p, 'Which desk do I cover on Fridays?', 10);
      expect(deskHits[0]?.factId).toBe(desk.factId);
      const csvHits = await memory.retrieve(p, 'what format for my reports', 10);
      expect(csvHits[0]?.factId).toBe(csv.factId);
      expect(await memory.retrieve(p, 'Fridays', 1)).toHaveLength(1);
      expect(await memory.retrieve(p, 'bananas and kiwis', 10)).toStrictEqual([]);
      // An empty query gives the newest facts.
      expect((await memory.retrieve(p, '', 2)).map((f) => f.factId)).toStrictEqual([
        alerts.factId,
        cpty.factId,
      ]);
    });

    it('never returns an expired fact', async () => {
      const p = `${base()}-alice`;
      const live = fact('covers the EUR repo desk on Fridays');
      const expired = fact('covers the USD repo desk on Fridays', { expiresAt: iso(-1) });
      await memory.put(p, [live, expired]);
      expect((await memory.list(p)).map((f) => f.factId)).toStrictEqual([live.factId]);
      expect((await memory.retrieve(p, 'USD repo desk', 10)).map((f) => f.factId)).toStrictEqual([
        live.factId,
      ]);
      expect((await memory.retrieve(p, '', 10)).map((f) => f.factId)).toStrictEqual([live.factId]);
    });

    it('deletes the named facts, counting those that existed; deleting again counts none', async () => {
      const p = `${base()}-alice`;
      const a = fact('covers the EUR repo desk on Fridays');
      const b = fact('prefers reports as CSV attachments');
      await memory.put(p, [a, b]);
      expect(await memory.delete(p, [a.factId, 'f-never-written'])).toBe(1);
      expect(await memory.delete(p, [a.factId])).toBe(0);
      expect(await memory.delete(p, [])).toBe(0);
      expect((await memory.list(p)).map((f) => f.factId)).toStrictEqual([b.factId]);
      expect(await memory.retrieve(p, 'EUR repo desk Fridays', 10)).toStrictEqual([]);
    });

    it('keeps principals apart: lists, retrieval and deletes never reach another’s facts', async () => {
      const b0 = base();
      // Ids that are prefixes of each other, and ids that differ only in `.`, `_` or `@`.
      const principals = [`${b0}-al`, `${b0}-alice`, `${b0}.ops@bank`, `${b0}_ops@bank`, `${b0}.ops_bank`];
      const shared = fact('placeholder').factId;
      for (const [i, p] of principals.entries()) {
        await memory.put(p, [fact(`secret word zebra${i} for this principal`, { factId: shared })]);
      }
      for (const [i, p] of principals.entries()) {
        expect((await memory.list(p)).map((f) => [f.principalId, f.text])).toStrictEqual([
          [p, `secret word zebra${i} for this principal`],
        ]);
        const hits = await memory.retrieve(p, 'secret word zebra0 zebra1 zebra2 zebra3 zebra4', 100);
        expect(hits.map((f) => f.text)).toStrictEqual([`secret word zebra${i} for this principal`]);
      }
      expect(await memory.delete(principals[0] as string, [shared])).toBe(1);
      for (const p of principals.slice(1)) expect(await memory.list(p)).toHaveLength(1);
      expect(await memory.list(`${b0}-a`)).toStrictEqual([]);
    });

    it('refuses bad input with an error naming the field, and writes nothing', async () => {
      const p = `${base()}-alice`;
      const ok = fact('covers the EUR repo desk on Fridays');
      await refused(memory.put('Alice', [ok]), 'principalId');
      await refused(memory.put('', [ok]), 'principalId');
      await refused(memory.put('has space', [ok]), 'principalId');
      await refused(memory.put(p, [ok, fact('')]), 'facts[1].text');
      await refused(memory.put(p, [ok, fact('x'.repeat(501))]), 'facts[1].text');
      await refused(
        memory.put(p, [ok, fact('t', { category: 'gossip' as 'preference' })]),
        'facts[1].category',
      );
      await refused(memory.put(p, [ok, fact('t', { factId: 'has space' })]), 'facts[1].factId');
      await refused(memory.put(p, [ok, fact('t', { factId: ok.factId })]), 'facts[1].factId');
      await refused(memory.put(p, [ok, fact('t', { expiresAt: 'next year' })]), 'facts[1].expiresAt');
      await refused(memory.put(p, [ok, fact('t', { createdAt: '' })]), 'facts[1].createdAt');
      await refused(
        memory.put(p, [ok, fact('t', { source: { sessionId: 'bad session', eventId: 'e' } })]),
        'facts[1].source.sessionId',
      );
      await refused(
        memory.put(p, [ok, fact('t', { source: { sessionId: SESSION, eventId: '' } })]),
        'facts[1].source.eventId',
      );
      expect(await memory.list(p)).toStrictEqual([]);
      await refused(memory.list('Alice'), 'principalId');
      await refused(memory.retrieve(p, 'desk', 0), 'topK');
      await refused(memory.retrieve(p, 'desk', 101), 'topK');
      await refused(memory.retrieve(p, 'x'.repeat(10_001), 5), 'query');
      await refused(memory.retrieve('Alice', 'desk', 5), 'principalId');
      await memory.put(p, [ok]);
      await refused(memory.delete(p, [ok.factId, 'bad id']), 'factIds[1]');
      await refused(memory.delete('ALICE', [ok.factId]), 'principalId');
      expect(await memory.list(p)).toStrictEqual([asStored(p, ok)]);
    });
  });
}
