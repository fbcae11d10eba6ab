import { describe, expect, it } from 'vitest';
import { mergeFacts, newFactId, normaliseFactText } from '../../../src/memory/consolidation/curate.ts';
import type { CandidateFact } from '../../../src/memory/consolidation/index.ts';
import type { FactCategory, MemoryFact } from '../../../src/memory/index.ts';

const NOW = new Date('2026-03-13T10:00:00.000Z');
const OPTIONS = { now: NOW, principalId: 'ops-anna', sessionId: 'session-b' } as const;

function aFact(overrides: Partial<MemoryFact> = {}): MemoryFact {
  return {
    factId: 'f-existing0000000000000000001',
    principalId: 'ops-anna',
    category: 'responsibility',
    text: 'You cover the EUR repo desk on Fridays.',
    source: { sessionId: 'session-a', eventId: 'a-e001' },
    createdAt: '2026-01-10T08:00:00.000Z',
    updatedAt: '2026-01-10T08:00:00.000Z',
    expiresAt: '2026-07-09T08:00:00.000Z',
    ...overrides,
  };
}

function aCandidate(
  text: string,
  category: FactCategory = 'responsibility',
  sourceEventId = 'b-e001',
): CandidateFact {
  return { category, text, sourceEventId };
}

function withoutOwner(fact: MemoryFact): Omit<MemoryFact, 'principalId'> {
  const { principalId: _owner, ...rest } = fact;
  return rest;
}

describe('mergeFacts', () => {
  it('adds a new fact with a deterministic id, its source and the category’s TTL', () => {
    const result = mergeFacts(
      [],
      [aCandidate('You prefer answers in bullet points.', 'preference')],
      OPTIONS,
    );
    const factId = newFactId(
      'ops-anna',
      'session-b',
      'b-e001',
      'preference',
      'you prefer answers in bullet points',
    );
    expect(result).toStrictEqual({
      writes: [
        {
          factId,
          category: 'preference',
          text: 'You prefer answers in bullet points.',
          source: { sessionId: 'session-b', eventId: 'b-e001' },
          createdAt: '2026-03-13T10:00:00.000Z',
          updatedAt: '2026-03-13T10:00:00.000Z',
          expiresAt: '2027-03-13T10:00:00.000Z',
        },
      ],
      deletes: [],
      added: 1,
      updated: 0,
      dropped: 0,
      overflow: 0,
    });
    expect(factId).toMatch(/^f-[a-z2-7]{26}$/);
  });

  it('gives the same ids on a rerun of the same batch (a crash before the session was marked)', () => {
    const batch = [
      aCandidate('You cover the FX desk.'),
      aCandidate('You prefer short answers.', 'preference', 'b-e002'),
    ];
    const first = mergeFacts([], batch, OPTIONS);
    const second = mergeFacts([], batch, { ...OPTIONS, now: new Date('2026-03-13T11:00:00.000Z') });
    expect(second.writes.map((w) => w.factId)).toStrictEqual(first.writes.map((w) => w.factId));
    expect(new Set(first.writes.map((w) => w.factId)).size).toBe(2);
  });

  it('adds nothing when the batch is merged again into what it wrote', () => {
    const batch = [
      aCandidate('You cover the FX desk.'),
      aCandidate('You prefer short answers.', 'preference', 'b-e002'),
    ];
    const first = mergeFacts([], batch, OPTIONS);
    const stored: MemoryFact[] = first.writes.map((w) => ({ ...w, principalId: 'ops-anna' }));
    const again = mergeFacts(stored, batch, OPTIONS);
    expect(again).toMatchObject({ added: 0, updated: 2, dropped: 0, deletes: [] });
    expect(again.writes.map((w) => w.factId)).toStrictEqual(first.writes.map((w) => w.factId));
  });

  it('updates a near duplicate in place: same id, the newer text, a fresh updatedAt and expiresAt', () => {
    const existing = aFact({ text: 'You cover the EUR repo desk on Fridays.' });
    const result = mergeFacts([existing], [aCandidate('On Fridays you cover the EUR repo desk.')], OPTIONS);
    expect(result).toStrictEqual({
      writes: [
        {
          ...withoutOwner(existing),
          text: 'On Fridays you cover the EUR repo desk.',
          source: { sessionId: 'session-b', eventId: 'b-e001' },
          updatedAt: '2026-03-13T10:00:00.000Z',
          expiresAt: '2026-09-09T10:00:00.000Z',
        },
      ],
      deletes: [],
      added: 0,
      updated: 1,
      dropped: 0,
      overflow: 0,
    });
  });

  it('keeps the longer wording when the restatement is contained in it', () => {
    const existing = aFact({ text: 'You cover the EUR repo desk on Fridays and on public holidays.' });
    const result = mergeFacts([existing], [aCandidate('You cover the EUR repo desk on Fridays.')], OPTIONS);
    expect(result.writes).toStrictEqual([
      {
        ...withoutOwner(existing),
        updatedAt: '2026-03-13T10:00:00.000Z',
        expiresAt: '2026-09-09T10:00:00.000Z',
      },
    ]);
  });

  it('takes the longer restatement that contains the old wording', () => {
    const existing = aFact({ text: 'You cover the EUR repo desk.' });
    const result = mergeFacts([existing], [aCandidate('You cover the EUR repo desk on Fridays.')], OPTIONS);
    expect(result.writes.map((w) => [w.factId, w.text])).toStrictEqual([
      [existing.factId, 'You cover the EUR repo desk on Fridays.'],
    ]);
  });

  it('tells different facts apart: another desk, another category', () => {
    const existing = aFact();
    const result = mergeFacts(
      [existing],
      [
        aCandidate('You cover the USD repo desk on Fridays.'),
        aCandidate('You cover the EUR repo desk on Fridays.', 'preference', 'b-e002'),
      ],
      OPTIONS,
    );
    expect(result).toMatchObject({ added: 2, updated: 0 });
    expect(result.writes.map((w) => w.factId)).not.toContain(existing.factId);
  });

  it('collapses duplicates within one batch', () => {
    const result = mergeFacts(
      [],
      [
        aCandidate('You prefer answers in bullet points.', 'preference', 'b-e001'),
        aCandidate('you prefer answers in bullet points', 'preference', 'b-e004'),
        aCandidate('You prefer answers in bullet points, short ones.', 'preference', 'b-e007'),
      ],
      OPTIONS,
    );
    expect(result).toMatchObject({ added: 1, updated: 0 });
    expect(result.writes.map((w) => [w.factId, w.text, w.source.eventId])).toStrictEqual([
      [
        newFactId('ops-anna', 'session-b', 'b-e001', 'preference', 'you prefer answers in bullet points'),
        'You prefer answers in bullet points, short ones.',
        'b-e007',
      ],
    ]);
  });

  it('compacts above maxFacts: the least recently updated go, never one written now', () => {
    const existing = [1, 2, 3, 4].map((n) =>
      aFact({
        factId: `f-old${n}`,
        category: 'counterparty_note',
        text: `Counterparty Bank${'ABCD'[n - 1]} usually confirms late.`,
        updatedAt: `2026-0${n}-01T00:00:00.000Z`,
      }),
    );
    // The oldest fact is restated, so it stays; the next oldest make room.
    const result = mergeFacts(
      existing,
      [
        aCandidate('Counterparty BankA usually confirms late.', 'counterparty_note', 'b-e001'),
        aCandidate('You prefer short answers.', 'preference', 'b-e002'),
        aCandidate('You cover the FX desk.', 'responsibility', 'b-e003'),
      ],
      { ...OPTIONS, maxFacts: 4 },
    );
    expect(result.deletes).toStrictEqual(['f-old2', 'f-old3']);
    expect(result).toMatchObject({ added: 2, updated: 1, dropped: 2, overflow: 0 });
    expect(result.writes.map((w) => w.factId)).toContain('f-old1');
  });

  it('writes no more new facts than maxFacts and counts the rest as overflow', () => {
    const batch = ['FX', 'FI', 'EQ'].map((d, i) =>
      aCandidate(`You cover the ${d} desk.`, 'responsibility', `b-e00${i}`),
    );
    const result = mergeFacts([], batch, { ...OPTIONS, maxFacts: 2 });
    expect(result).toMatchObject({ added: 2, overflow: 1, deletes: [] });
  });

  it('refuses to merge into facts of another principal', () => {
    expect(() => mergeFacts([aFact({ principalId: 'ops-ben' })], [], OPTIONS)).toThrow(/does not belong/);
  });
});

describe('normaliseFactText', () => {
  it('compares on lower-case words only', () => {
    expect(normaliseFactText('  You cover the EUR-repo desk,  on Fridays! ')).toBe(
      'you cover the eur repo desk on fridays',
    );
  });
});
