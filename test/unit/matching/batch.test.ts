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

/** `xs` in a random order drawn from `random`. */
function shuffled(xs: readonly TradeRecord[], random: () => number): TradeRecord[] {
  return xs
    .map((x) => ({ x, k: random() }))
    .sort((p, q) => p.k - q.k)
    .map((p) => p.x);
}

function summary(result: MatchBatchResult): Record<string, string> {
  return Object.fromEntries(
    Array.from(result.results, (r: BatchMatch) => [
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

  it('reads results by index and in order, each a view built on read, and refuses an index beyond them', () => {
    const a = aTrade({ tradeId: 'T-1' });
    const b = aTrade({ tradeId: 'T-2', isin: 'US5949181045' });
    const { results } = matchBatch([a, b], [aCounterpartyRecordOf(b)], policy, calendars);
    expect(results.length).toBe(2);
    expect([...results].map((r) => [r.internalRef, r.decision.kind])).toStrictEqual([
      ['INTERNAL#T-1', 'NO_CANDIDATE'],
      ['INTERNAL#T-2', 'AUTO_MATCH'],
    ]);
    const view = results.at(1);
    expect(view.decision).toBe(view.decision);
    expect(JSON.parse(JSON.stringify(results))).toStrictEqual(JSON.parse(JSON.stringify([...results])));
    for (const bad of [2, -1, 0.5, Number.NaN])
      expect(() => results.at(bad)).toThrow(`no result ${bad}: the batch has 2 internal trades`);
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
      const first = matchBatch(internal, counterparty, policy, calendars);
      const second = matchBatch(
        shuffled(internal, random),
        shuffled(counterparty, random),
        policy,
        calendars,
      );
      expect(summary(second)).toStrictEqual(summary(first));
      expect([...second.unmatchedCounterparty].sort()).toStrictEqual([...first.unmatchedCounterparty].sort());
    });

    it('finds blocks by exact key whatever the strings: not ISINs, beyond Latin-1, over many trade dates', () => {
      // Keys the packed ISIN table cannot hold go through its Map (other lengths, NUL, beyond U+00FF),
      // and 400 trade dates make the slot table sparse. The all-pairs baseline compares the strings
      // themselves.
      const odd = ['US037833100', 'US037833100\u0000', 'ÄÖÜäöüßéèêëà', 'X'];
      const day = (k: number) => new Date(Date.UTC(2025, 0, 1) + k * 86_400_000).toISOString().slice(0, 10);
      // Both sides of a pair get the same key: records are `C-<our id>` (or `X-…` extras).
      const rekey = (t: TradeRecord): TradeRecord => {
        const n = Number(t.tradeId.replace(/\D/g, ''));
        return {
          ...t,
          isin: n % 4 === 0 ? (odd[n % odd.length] as string) : t.isin,
          tradeDate: n % 3 === 0 ? day(n % 400) : t.tradeDate,
        };
      };
      // A record whose key differs from our ISIN only above the low byte of one character
      // (U+0135 is 0x35, '5') is no candidate of ours.
      const real = aTrade({ tradeId: 'REAL', isin: 'US0378331005', tradeDate: '2026-11-24' });
      const impostor = { ...aCounterpartyRecordOf(real), isin: 'US037833100\u0135' };
      const ours = [...internal.map(rekey), real];
      const theirs = [...counterparty.map(rekey), impostor];
      const blocked = matchBatch(ours, theirs, policy, calendars);
      const naive = matchAllPairsBaseline(ours, theirs, policy, calendars);
      expect(new Set(ours.map((t) => t.tradeDate)).size).toBeGreaterThan(100);
      expect(ours.filter((t) => odd.includes(t.isin)).length).toBeGreaterThan(100);
      expect(summary(blocked)).toStrictEqual(summary(naive));
      expect(blocked.unmatchedCounterparty).toStrictEqual(naive.unmatchedCounterparty);
      expect(summary(blocked)['INTERNAL#REAL']).toBe('NO_CANDIDATE');
      expect(blocked.unmatchedCounterparty).toContain('COUNTERPARTY#C-REAL');
      expect(blocked.stats.comparisons).toBe(naive.stats.comparisons);
      expect(blocked.stats.autoMatched).toBeGreaterThan(300);
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
        expect(plain(result.results.at(i).decision)).toStrictEqual(plain(expected));
        checked++;
      });
      expect(checked).toBeGreaterThan(50);
    });
  });
});

describe('matchBatch on a book of many blocks, beyond one chunk of our trades', () => {
  // 70,000 trades of ours: the matcher scores them 65,536 at a time (in block order within a chunk),
  // so many blocks have trades in both chunks; some of them are twins 65,536 apart in the input.
  const n = 70_000;
  const chunk = 65_536;
  const { internal, counterparty, twins } = bigBook(seededRandom(3), n, chunk);
  const whole = matchBatch(internal, counterparty, policy, calendars);
  const decisions = summary(whole);

  it('decides every block as it would alone: the same as one batch per group of ISINs', () => {
    // Blocks never span ISINs, so splitting the book by ISIN must not change a single decision.
    const groups = new Map<string, { internal: TradeRecord[]; counterparty: TradeRecord[] }>();
    const groupOf = (t: TradeRecord) => {
      const key = String(Number(t.isin.slice(2, 11)) % 9);
      let g = groups.get(key);
      if (g === undefined) {
        g = { internal: [], counterparty: [] };
        groups.set(key, g);
      }
      return g;
    };
    for (const t of internal) groupOf(t).internal.push(t);
    for (const t of counterparty) groupOf(t).counterparty.push(t);
    const expected: Record<string, string> = {};
    const unmatched: string[] = [];
    for (const g of groups.values()) {
      const part = matchBatch(g.internal, g.counterparty, policy, calendars);
      Object.assign(expected, summary(part));
      unmatched.push(...part.unmatchedCounterparty);
    }
    expect(groups.size).toBe(9);
    expect(decisions).toStrictEqual(expected);
    expect([...whole.unmatchedCounterparty].sort()).toStrictEqual(unmatched.sort());
    expect(whole.stats.autoMatched).toBeGreaterThan(n * 0.8);
    expect(whole.stats.review).toBeGreaterThan(500);
    expect(whole.stats.exception).toBeGreaterThan(500);
    expect(whole.stats.noCandidate).toBeGreaterThan(500);
  });

  it('counts the blocks holding both sides and compares every pair in them', () => {
    const key = (t: TradeRecord, side: string) => `${t.isin}|${t.tradeDate}|${side}`;
    const theirs = new Map<string, number>();
    for (const t of counterparty) theirs.set(key(t, t.side), (theirs.get(key(t, t.side)) ?? 0) + 1);
    const ours = new Map<string, number>();
    for (const t of internal) {
      const k = key(t, t.side === 'BUY' ? 'SELL' : 'BUY');
      if (theirs.has(k)) ours.set(k, (ours.get(k) ?? 0) + 1);
    }
    let pairs = 0;
    for (const [k, count] of ours) pairs += count * (theirs.get(k) as number);
    expect(whole.stats.blocks).toBe(ours.size);
    expect(whole.stats.comparisons).toBe(pairs);
    expect(ours.size).toBeGreaterThan(10_000);
  });

  it('keeps ties across chunks: twin bookings far apart both go to review, naming each other', () => {
    expect(twins.length).toBeGreaterThan(100);
    for (const [first, second] of twins) {
      const a = tradeRef(internal[first] as TradeRecord);
      const b = tradeRef(internal[second] as TradeRecord);
      expect(decisions[a]).toMatch(new RegExp(`^REVIEW \\S+ 100 \\[(.*,)?${b}(,.*)?\\]$`));
      expect(decisions[b]).toMatch(new RegExp(`^REVIEW \\S+ 100 \\[(.*,)?${a}(,.*)?\\]$`));
    }
  });

  it('does not depend on input order', () => {
    const random = seededRandom(5);
    const again = matchBatch(shuffled(internal, random), shuffled(counterparty, random), policy, calendars);
    expect(summary(again)).toStrictEqual(decisions);
    expect([...again.unmatchedCounterparty].sort()).toStrictEqual([...whole.unmatchedCounterparty].sort());
  });
});

/**
 * A large book built without `aTrade` (whose schema check would dominate): about ten trades of ours
 * per ISIN over three trade dates, so blocks of one or a few trades a side; breaks, missing records,
 * duplicate records, and `twins`: a trade of ours booked again `chunk` places later, with one
 * counterparty record for the two.
 */
function bigBook(
  random: () => number,
  n: number,
  chunk: number,
): { internal: TradeRecord[]; counterparty: TradeRecord[]; twins: Array<[number, number]> } {
  const isins = Array.from({ length: Math.ceil(n / 10) }, (_, i) => {
    const body = `US${String(i).padStart(9, '0')}`;
    return `${body}${isinCheckDigit(body)}`;
  });
  const dates = [
    ['2026-11-23', '2026-11-24'],
    ['2026-11-24', '2026-11-25'],
    ['2026-11-25', '2026-11-26'],
  ] as const;
  const bics = ['DEUTDEFF', 'BNPAFRPP', 'CHASUS33'];
  const int = (below: number) => Math.floor(random() * below);
  const internal: TradeRecord[] = [];
  const counterparty: TradeRecord[] = [];
  const twins: Array<[number, number]> = [];
  /** Trades of ours with exactly one record, identical to them. */
  const exact = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (i >= chunk && random() < 0.2) {
      internal.push({ ...(internal[i - chunk] as TradeRecord), tradeId: `T-${i}` });
      if (exact.has(i - chunk)) twins.push([i - chunk, i]);
      continue;
    }
    const [tradeDate, settlementDate] = dates[int(dates.length)] as (typeof dates)[number];
    const quantity = 100 * (1 + int(200));
    const cents = 1_000 + int(40_000);
    const ours: TradeRecord = {
      tradeId: `T-${i}`,
      source: 'INTERNAL',
      side: random() < 0.5 ? 'BUY' : 'SELL',
      isin: isins[int(isins.length)] as string,
      quantity: String(quantity),
      price: (cents / 100).toFixed(2),
      currency: 'USD',
      tradeDate,
      settlementDate,
      account: 'ACC-1',
      desk: 'EQ-US',
      counterpartyBic: bics[int(bics.length)] as string,
      placeOfSettlement: 'DTCYUS33',
      settlementType: 'DVP',
      netAmount: ((quantity * cents) / 100).toFixed(2),
    };
    internal.push(ours);
    const roll = random();
    if (roll < 0.03) continue;
    const theirs: TradeRecord = {
      ...ours,
      tradeId: `C-${i}`,
      source: 'COUNTERPARTY',
      side: ours.side === 'BUY' ? 'SELL' : 'BUY',
    };
    if (roll > 0.9) {
      const breaks: Array<Partial<TradeRecord>> = [
        { price: ((cents + 1) / 100).toFixed(2) },
        { quantity: String(quantity + 1) },
        { netAmount: undefined },
        { counterpartyBic: 'DEUTDEFF500' },
        { settlementType: 'FOP' },
      ];
      Object.assign(theirs, breaks[int(breaks.length)]);
      if (theirs.netAmount === undefined) delete theirs.netAmount;
    }
    counterparty.push(theirs);
    if (random() < 0.01) counterparty.push({ ...theirs, tradeId: `D-${i}` });
    else if (roll <= 0.9) exact.add(i);
  }
  // The counterparty feed arrives in its own order.
  for (let i = counterparty.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [counterparty[i], counterparty[j]] = [counterparty[j] as TradeRecord, counterparty[i] as TradeRecord];
  }
  return { internal, counterparty, twins };
}

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
