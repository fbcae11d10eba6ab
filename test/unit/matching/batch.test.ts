import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import { isinCheckDigit } from '../../../src/settlement/identifiers.ts';
import { matchAllPairsBaseline } from '../../../src/settlement/matching/batch.ts';
import {
  type BatchMatch,
  buildMatchingPolicy,
  compareTrades,
  DEFAULT_MATCHING_POLICY,
  decide,
  type MatchBatchResult,
  type MatchDecision,
  matchBatch,
} from '../../../src/settlement/matching/index.ts';
import { tradeRef } from '../../../src/settlement/model.ts';
import {
  aCounterpartyRecordOf,
  aTrade,
  seededRandom,
  type TradeRecord,
} from '../../support/trade-factory.ts';

const calendars = new CalendarRegistry();
const policy = DEFAULT_MATCHING_POLICY;

/** Decisions as plain data (`best.fields` is lazy on batch results). */
function plain(decision: MatchDecision): unknown {
  if (decision.kind === 'NO_CANDIDATE') return decision;
  const best = { ref: decision.best.ref, confidence: decision.best.confidence, fields: decision.best.fields };
  return decision.kind === 'REVIEW'
    ? { kind: decision.kind, best, ambiguousWith: decision.ambiguousWith }
    : { kind: decision.kind, best };
}

function summary(result: MatchBatchResult): Record<string, string> {
  return Object.fromEntries(
    result.results.map((r: BatchMatch) => [
      r.internalRef,
      r.decision.kind === 'NO_CANDIDATE'
        ? 'NO_CANDIDATE'
        : `${r.decision.kind} ${r.decision.best.ref} ${r.decision.best.confidence}${
            r.decision.kind === 'REVIEW' ? ` [${r.decision.ambiguousWith.join(',')}]` : ''
          }`,
    ]),
  );
}

describe('matchBatch', () => {
  it('auto-matches identical pairs and reports what is left on each side', () => {
    const a = aTrade({ tradeId: 'T-1' });
    const b = aTrade({ tradeId: 'T-2', isin: 'US5949181045' });
    const lonely = aTrade({
      tradeId: 'T-3',
      isin: 'DE0007164600',
      currency: 'EUR',
      placeOfSettlement: 'DAKVDEFF',
    });
    const extra = aCounterpartyRecordOf(aTrade({ tradeId: 'T-9', tradeDate: '2026-11-23' }));
    const result = matchBatch(
      [a, b, lonely],
      [extra, aCounterpartyRecordOf(b), aCounterpartyRecordOf(a)],
      policy,
      calendars,
    );

    expect(summary(result)).toStrictEqual({
      'INTERNAL#T-1': 'AUTO_MATCH COUNTERPARTY#C-T-1 100',
      'INTERNAL#T-2': 'AUTO_MATCH COUNTERPARTY#C-T-2 100',
      'INTERNAL#T-3': 'NO_CANDIDATE',
    });
    expect(result.unmatchedCounterparty).toStrictEqual(['COUNTERPARTY#C-T-9']);
    expect(result.stats).toStrictEqual({
      internal: 3,
      counterparty: 3,
      blocks: 2,
      comparisons: 2,
      fallbacks: 0,
      autoMatched: 2,
      review: 0,
      exception: 0,
      noCandidate: 1,
      unmatchedCounterparty: 1,
    });
  });

  it('gives the same decision, with the same field details, as compareTrades + decide', () => {
    const ours = aTrade({ price: '101.30' });
    const theirs = aCounterpartyRecordOf(ours, { price: '101.25' });
    const [result] = matchBatch([ours], [theirs], policy, calendars).results;
    const r = compareTrades(ours, theirs, policy, calendars);
    expect(plain(result?.decision as MatchDecision)).toStrictEqual(
      plain(decide([{ ref: tradeRef(theirs), ...r }], policy)),
    );
    expect(JSON.parse(JSON.stringify(result?.decision))).toStrictEqual({
      kind: 'REVIEW',
      best: { ref: 'COUNTERPARTY#C-T-10042', confidence: r.confidence, fields: r.fields },
      ambiguousWith: [],
    });
  });

  it('treats a record below the candidate floor as no candidate, as decide does', () => {
    const ours = aTrade();
    const unrelated = aCounterpartyRecordOf(ours, { quantity: '5', price: '300.00', netAmount: '1500.00' });
    const r = compareTrades(ours, unrelated, policy, calendars);
    expect(r.confidence).toBeLessThan(policy.thresholds.candidateFloor);
    const result = matchBatch([ours], [unrelated], policy, calendars);
    expect(summary(result)).toStrictEqual({ 'INTERNAL#T-10042': 'NO_CANDIDATE' });
    expect(plain(decide([{ ref: tradeRef(unrelated), ...r }], policy))).toStrictEqual({
      kind: 'NO_CANDIDATE',
    });
  });

  it('never auto-matches one trade to two equally good records', () => {
    const ours = aTrade();
    const twins = [
      aCounterpartyRecordOf(ours, { tradeId: 'C-2' }),
      aCounterpartyRecordOf(ours, { tradeId: 'C-1' }),
    ];
    const result = matchBatch([ours], twins, policy, calendars);
    expect(summary(result)).toStrictEqual({
      'INTERNAL#T-10042': 'REVIEW COUNTERPARTY#C-1 100 [COUNTERPARTY#C-2]',
    });
    expect(result.unmatchedCounterparty).toStrictEqual(['COUNTERPARTY#C-2', 'COUNTERPARTY#C-1']);
  });

  it('never consumes one record for two of our trades: both go to review naming each other', () => {
    const first = aTrade({ tradeId: 'T-1' });
    const second = aTrade({ tradeId: 'T-2' });
    const result = matchBatch(
      [first, second],
      [aCounterpartyRecordOf(first, { tradeId: 'C-1' })],
      policy,
      calendars,
    );
    expect(summary(result)).toStrictEqual({
      'INTERNAL#T-1': 'REVIEW COUNTERPARTY#C-1 100 [INTERNAL#T-2]',
      'INTERNAL#T-2': 'REVIEW COUNTERPARTY#C-1 100 [INTERNAL#T-1]',
    });
  });

  it('gives the record to the better of our trades and leaves the other without a candidate', () => {
    const exact = aTrade({ tradeId: 'T-1' });
    const close = aTrade({ tradeId: 'T-2', price: '101.26' });
    const result = matchBatch(
      [close, exact],
      [aCounterpartyRecordOf(exact, { tradeId: 'C-1' })],
      policy,
      calendars,
    );
    expect(summary(result)).toStrictEqual({
      'INTERNAL#T-2': 'NO_CANDIDATE',
      'INTERNAL#T-1': 'AUTO_MATCH COUNTERPARTY#C-1 100',
    });
  });

  it('pairs crosswise blocks one to one, whatever the input order', () => {
    const a = aTrade({ tradeId: 'T-1', quantity: '100', netAmount: '10125.00' });
    const b = aTrade({ tradeId: 'T-2', quantity: '200', netAmount: '20250.00' });
    const ca = aCounterpartyRecordOf(a, { tradeId: 'C-1', price: '101.26', netAmount: '10126.00' });
    const cb = aCounterpartyRecordOf(b, { tradeId: 'C-2' });
    const expected = {
      'INTERNAL#T-1': 'AUTO_MATCH COUNTERPARTY#C-1 98',
      'INTERNAL#T-2': 'AUTO_MATCH COUNTERPARTY#C-2 100',
    };
    expect(summary(matchBatch([a, b], [ca, cb], policy, calendars))).toStrictEqual(expected);
    expect(summary(matchBatch([b, a], [cb, ca], policy, calendars))).toStrictEqual(expected);
  });

  it('treats candidates within the ambiguity margin as equally good', () => {
    const ours = aTrade();
    const records = [
      aCounterpartyRecordOf(ours, { tradeId: 'C-1' }),
      aCounterpartyRecordOf(ours, { tradeId: 'C-2', price: '101.26' }),
    ];
    const lenient = buildMatchingPolicy({ thresholds: { ambiguityMargin: 1 } });
    expect(summary(matchBatch([ours], records, lenient, calendars))).toStrictEqual({
      'INTERNAL#T-10042': 'REVIEW COUNTERPARTY#C-1 100 [COUNTERPARTY#C-2]',
    });
    expect(summary(matchBatch([ours], records, policy, calendars))).toStrictEqual({
      'INTERNAL#T-10042': 'AUTO_MATCH COUNTERPARTY#C-1 100',
    });
  });

  it('serialises results as plain data', () => {
    const ours = aTrade();
    const [result] = matchBatch([ours], [aCounterpartyRecordOf(ours)], policy, calendars).results;
    const r = compareTrades(ours, aCounterpartyRecordOf(ours), policy, calendars);
    expect(JSON.parse(JSON.stringify(result))).toStrictEqual({
      internalRef: 'INTERNAL#T-10042',
      decision: {
        kind: 'AUTO_MATCH',
        best: { ref: 'COUNTERPARTY#C-T-10042', confidence: 100, fields: r.fields },
      },
    });
  });

  it('refuses a record on the wrong side', () => {
    expect(() => matchBatch([aCounterpartyRecordOf(aTrade())], [], policy, calendars)).toThrow(
      'internal[0].source is COUNTERPARTY, expected INTERNAL',
    );
  });

  describe('on a generated book', () => {
    const { internal, counterparty } = generateBook(seededRandom(7), 600);

    it('decides as the all-pairs baseline does (blocking loses no candidate)', () => {
      const blocked = matchBatch(internal, counterparty, policy, calendars);
      const naive = matchAllPairsBaseline(internal, counterparty, policy, calendars);
      expect(summary(blocked)).toStrictEqual(summary(naive));
      expect(blocked.unmatchedCounterparty).toStrictEqual(naive.unmatchedCounterparty);
      expect(blocked.stats.comparisons).toBe(naive.stats.comparisons);
      expect(blocked.stats.autoMatched).toBeGreaterThan(300);
      expect(blocked.stats.review).toBeGreaterThan(20);
      expect(blocked.stats.exception).toBeGreaterThan(20);
    });

    it('does not depend on input order', () => {
      const random = seededRandom(11);
      const shuffled = (xs: readonly TradeRecord[]) =>
        xs
          .map((x) => ({ x, k: random() }))
          .sort((p, q) => p.k - q.k)
          .map((p) => p.x);
      const first = matchBatch(internal, counterparty, policy, calendars);
      const second = matchBatch(shuffled(internal), shuffled(counterparty), policy, calendars);
      expect(summary(second)).toStrictEqual(summary(first));
      expect([...second.unmatchedCounterparty].sort()).toStrictEqual([...first.unmatchedCounterparty].sort());
    });

    it('decides a trade alone in its block exactly as decide over compareTrades', () => {
      const result = matchBatch(internal, counterparty, policy, calendars);
      const byKey = new Map<string, TradeRecord[]>();
      for (const t of internal)
        byKey.set(`${t.isin}|${t.tradeDate}|${t.side}`, [
          ...(byKey.get(`${t.isin}|${t.tradeDate}|${t.side}`) ?? []),
          t,
        ]);
      let checked = 0;
      internal.forEach((t, i) => {
        if (byKey.get(`${t.isin}|${t.tradeDate}|${t.side}`)?.length !== 1) return;
        const candidates = counterparty.filter(
          (c) => c.isin === t.isin && c.tradeDate === t.tradeDate && c.side !== t.side,
        );
        const expected = decide(
          candidates.map((c) => ({ ref: tradeRef(c), ...compareTrades(t, c, policy, calendars) })),
          policy,
        );
        expect(plain(result.results[i]?.decision as MatchDecision)).toStrictEqual(plain(expected));
        checked++;
      });
      expect(checked).toBeGreaterThan(50);
    });
  });
});

/**
 * A small book: most trades have an identical counterparty record, some have breaks, near misses or
 * tolerance differences, some have none, some blocks hold several trades.
 */
function generateBook(
  random: () => number,
  n: number,
): { internal: TradeRecord[]; counterparty: TradeRecord[] } {
  const isins = Array.from({ length: Math.ceil(n / 6) }, (_, i) => {
    const body = `US${String(100000000 + i * 7919).padStart(9, '0')}`;
    return `${body}${isinCheckDigit(body)}`;
  });
  const dates = [
    ['2026-11-24', '2026-11-25'],
    ['2026-11-25', '2026-11-26'],
  ] as const;
  const internal: TradeRecord[] = [];
  const counterparty: TradeRecord[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  for (let i = 0; i < n; i++) {
    const [tradeDate, settlementDate] = pick(dates);
    const quantity = String(100 * (1 + Math.floor(random() * 50)));
    const cents = 10000 + Math.floor(random() * 40) * 25;
    const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const netAmount = `${(BigInt(quantity) * BigInt(cents)) / 100n}.${String((BigInt(quantity) * BigInt(cents)) % 100n).padStart(2, '0')}`;
    const ours = aTrade({
      tradeId: `T-${i}`,
      isin: pick(isins),
      side: random() < 0.5 ? 'BUY' : 'SELL',
      tradeDate,
      settlementDate,
      quantity,
      price,
      netAmount,
      placeOfSettlement: 'DTCYUS33',
    });
    internal.push(ours);
    const roll = random();
    if (roll < 0.05) continue;
    const breaks: Partial<TradeRecord>[] = [
      {},
      {},
      {},
      {},
      {},
      { price: `${price}1` },
      { netAmount: undefined },
      { counterpartyBic: 'DEUTDEFF500' },
      { quantity: String(Number(quantity) + 1) },
      { settlementDate: settlementDate === '2026-11-26' ? '2026-11-27' : '2026-11-30' },
      { settlementType: 'FOP' },
    ];
    counterparty.push(aCounterpartyRecordOf(ours, { tradeId: `C-${i}`, ...pick(breaks) }));
  }
  return { internal, counterparty };
}
