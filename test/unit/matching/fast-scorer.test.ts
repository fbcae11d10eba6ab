import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import { FastScorer } from '../../../src/settlement/matching/fast-scorer.ts';
import {
  buildMatchingPolicy,
  type ComparableTrade,
  compareTrades,
  DEFAULT_MATCHING_POLICY,
  MATCH_FIELDS,
  type MatchingPolicy,
} from '../../../src/settlement/matching/index.ts';
import { seededRandom } from '../../support/trade-factory.ts';

const calendars = new CalendarRegistry();

type Random = () => number;

function int(random: Random, below: number): number {
  return Math.floor(random() * below);
}

function pick<T>(random: Random, xs: readonly T[]): T {
  return xs[int(random, xs.length)] as T;
}

function bigBelow(random: Random, digits: number): bigint {
  let v = 0n;
  for (let i = 0; i < digits; i++) v = v * 10n + BigInt(int(random, 10));
  return v;
}

/** `mantissa / 10^scale` written with exactly `scale` places. */
function written(mantissa: bigint, scale: number): string {
  const digits = mantissa.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** A pair of positive values, often placed right at, just inside or just outside a tolerance edge. */
function valuePair(random: Random, kind: 'price' | 'amount' | 'quantity'): [string, string] {
  const scale = kind === 'amount' ? pick(random, [2, 2, 2, 0, 1, 3]) : pick(random, [0, 1, 2, 3, 4, 6]);
  const nudge = BigInt(pick(random, [-1, 0, 0, 1]));
  let m: bigint;
  let other: bigint;
  let otherScale = scale;
  // (case 3 returns early)
  const unit = 10n ** BigInt(scale);
  switch (int(random, 9)) {
    case 0: // equal, perhaps written differently
      m = 1n + bigBelow(random, 6 + scale);
      other = m;
      if (random() < 0.5) {
        otherScale = scale + 2;
        other = m * 100n;
      }
      break;
    case 1: {
      // 1 bp and 10 bp edges, base = the larger value: d·10000 = max (or ·1000 for 10×)
      const per = pick(random, [10000n, 1000n]);
      const d = 1n + bigBelow(random, 3);
      if (random() < 0.5) {
        m = per * d + nudge;
        other = m - d;
      } else {
        m = (per - 1n) * d + nudge;
        other = m + d;
      }
      break;
    }
    case 2: {
      // T2S tier edge: magnitude around 100000, differences around 2, 20, 25 and 250
      m = 100000n * unit + BigInt(pick(random, [-1, 0, 1])) * (scale === 0 ? 1n : 1n);
      const band = pick(random, [2n, 20n, 25n, 250n, 5n, 50n]) * unit + nudge;
      other = random() < 0.5 ? m - band : m + band;
      break;
    }
    case 3: {
      // rounding: one side written with k more places, around the half of the other's last place
      const k = 1 + int(random, 2);
      const coarse = 1n + bigBelow(random, 2 + scale);
      const half = 10n ** BigInt(k) / 2n;
      const precise =
        coarse * 10n ** BigInt(k) + pick(random, [half, half - 1n, half + 1n, -half, 1n - half, 0n]);
      const pair: [string, string] = [
        written(precise > 0n ? precise : 1n, scale + k),
        written(coarse, scale),
      ];
      return random() < 0.5 ? pair : [pair[1], pair[0]];
    }
    case 4: // a small difference in the last place
      m = 1n + bigBelow(random, 4 + scale);
      other = m + BigInt(pick(random, [1, -1, 2, 5]));
      break;
    case 5: // now and then far beyond 15 digits: the fast path must hand over to the reference
      m = random() < 0.3 ? 10n ** 17n + bigBelow(random, 17) : 1n + bigBelow(random, 3 + scale);
      other = m + BigInt(int(random, 3));
      break;
    case 6: // percent-capped edges around 5.00 for 0.1 %
      m = 5000n * unit + nudge;
      other = m + 5n * unit + nudge;
      break;
    default:
      m = 1n + bigBelow(random, 6 + scale);
      other = 1n + bigBelow(random, 6 + scale);
  }
  if (m <= 0n) m = 1n;
  if (other <= 0n) other = 1n;
  if (kind === 'quantity' && random() < 0.7) return [written(m, scale), written(m, scale)];
  return [written(m, scale), written(other, otherScale)];
}

const DATES = [
  '2026-11-25',
  '2026-11-26',
  '2026-11-27',
  '2026-11-28',
  '2026-11-30',
  '2026-12-24',
  '2026-12-25',
  '2026-12-28',
];
const PLACES = ['DTCYUS33', 'DTCYUS33XXX', 'DAKVDEFF', 'CEDELULL', 'CRSTGB22'];
const BICS = ['DEUTDEFF', 'DEUTDEFFXXX', 'DEUTDEFF500', 'BNPAFRPP', 'BNPAFRPPXXX'];
const CURRENCIES = ['USD', 'USD', 'EUR', 'JPY'];

function tradePair(random: Random): [ComparableTrade, ComparableTrade] {
  const [q1, q2] = valuePair(random, 'quantity');
  const [p1, p2] = valuePair(random, 'price');
  const [n1, n2] = valuePair(random, 'amount');
  const currency = pick(random, CURRENCIES);
  const date = pick(random, DATES);
  const place = pick(random, PLACES);
  const bic = pick(random, BICS);
  const ours: ComparableTrade = {
    quantity: q1,
    price: p1,
    currency,
    settlementDate: date,
    counterpartyBic: bic,
    placeOfSettlement: place,
    settlementType: 'DVP',
    ...(random() < 0.1 ? {} : { netAmount: n1 }),
  };
  const theirs: ComparableTrade = {
    quantity: q2,
    price: p2,
    currency: random() < 0.9 ? currency : pick(random, CURRENCIES),
    settlementDate: random() < 0.6 ? date : pick(random, DATES),
    counterpartyBic: random() < 0.6 ? bic : pick(random, BICS),
    placeOfSettlement: random() < 0.8 ? place : pick(random, PLACES),
    settlementType: random() < 0.9 ? 'DVP' : 'FOP',
    ...(random() < 0.1 ? {} : { netAmount: n2 }),
  };
  return [ours, theirs];
}

const ALTERNATIVE = buildMatchingPolicy({
  tolerances: {
    quantity: { default: { kind: 'percent', percent: '0.5' } },
    price: {
      default: { kind: 'percentCapped', percent: '0.1', cap: '5.00' },
      currencies: { EUR: { kind: 'absolute', tiers: [{ upTo: '100', amount: '0.05' }, { amount: '0.5' }] } },
    },
    netAmount: { currencies: { JPY: { kind: 'percent', percent: '0.0001' } } },
  },
  nearMiss: { multiplier: 3 },
  rules: { rounding: { minScale: 0 } },
});

/** Only `field` costs anything, a different power of two per outcome: the score names its outcome. */
function fingerprint(base: MatchingPolicy, field: (typeof MATCH_FIELDS)[number]): MatchingPolicy {
  const zero = { WITHIN: 0, RULE: 0, PARTIAL: 0, MISMATCH: 0, NOT_COMPARED: 0 };
  return buildMatchingPolicy({
    tolerances: base.tolerances,
    nearMiss: base.nearMiss,
    rules: base.rules,
    penalties: {
      ...Object.fromEntries(MATCH_FIELDS.map((f) => [f, zero])),
      [field]: { WITHIN: 1, RULE: 2, PARTIAL: 4, MISMATCH: 8, NOT_COMPARED: 16 },
    },
  });
}

describe('FastScorer', () => {
  const pairs = Array.from({ length: 3000 }, (_, i, random = seededRandom(1234 + i)) => tradePair(random));

  const policies: Array<[string, MatchingPolicy]> = [
    ['the default policy', DEFAULT_MATCHING_POLICY],
    ['an alternative policy', ALTERNATIVE],
    ...MATCH_FIELDS.map((f): [string, MatchingPolicy] => [
      `a ${f} fingerprint (default)`,
      fingerprint(DEFAULT_MATCHING_POLICY, f),
    ]),
    ...MATCH_FIELDS.map((f): [string, MatchingPolicy] => [
      `a ${f} fingerprint (alternative)`,
      fingerprint(ALTERNATIVE, f),
    ]),
  ];

  it.each(policies)('scores %s exactly as compareTrades on generated near-boundary pairs', (_, policy) => {
    const scorer = new FastScorer(policy, calendars);
    const mismatches: unknown[] = [];
    for (const [ours, theirs] of pairs) {
      const fast = scorer.score(scorer.prepare([ours]), 0, scorer.prepare([theirs]), 0);
      const reference = compareTrades(ours, theirs, policy, calendars).confidence;
      if (fast !== reference) mismatches.push({ ours, theirs, fast, reference });
    }
    expect(mismatches.slice(0, 3)).toStrictEqual([]);
    // Some pairs are beyond the fast path's exact range and some are not.
    expect(scorer.fallbacks).toBeGreaterThan(0);
    expect(scorer.fallbacks).toBeLessThan(pairs.length / 4);
  });

  it('covers every outcome of every field in the generated pairs', () => {
    const seen = new Set<string>();
    for (const [ours, theirs] of pairs) {
      for (const policy of [DEFAULT_MATCHING_POLICY, ALTERNATIVE]) {
        for (const f of compareTrades(ours, theirs, policy, calendars).fields)
          seen.add(`${f.field}:${f.outcome}`);
      }
    }
    expect([...seen].sort()).toStrictEqual(
      [
        'counterpartyBic:EXACT',
        'counterpartyBic:MISMATCH',
        'counterpartyBic:PARTIAL',
        'currency:EXACT',
        'currency:MISMATCH',
        'netAmount:EXACT',
        'netAmount:MISMATCH',
        'netAmount:NOT_COMPARED',
        'netAmount:PARTIAL',
        'netAmount:RULE',
        'netAmount:WITHIN',
        'placeOfSettlement:EXACT',
        'placeOfSettlement:MISMATCH',
        'price:EXACT',
        'price:MISMATCH',
        'price:PARTIAL',
        'price:RULE',
        'price:WITHIN',
        'quantity:EXACT',
        'quantity:MISMATCH',
        'quantity:PARTIAL',
        'quantity:WITHIN',
        'settlementDate:EXACT',
        'settlementDate:MISMATCH',
        'settlementDate:RULE',
        'settlementType:EXACT',
        'settlementType:MISMATCH',
      ].sort(),
    );
  });
});
