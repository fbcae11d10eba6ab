import { describe, expect, it } from 'vitest';
import {
  buildMatchingPolicy,
  DEFAULT_MATCHING_POLICY,
  MatchingPolicyError,
  toleranceFor,
} from '../../../src/settlement/matching/index.ts';

function problemsOf(overrides: unknown, configured = {}): readonly string[] {
  try {
    buildMatchingPolicy(overrides, configured);
  } catch (error) {
    if (error instanceof MatchingPolicyError) return error.problems;
    throw error;
  }
  throw new Error('expected a MatchingPolicyError');
}

describe('buildMatchingPolicy', () => {
  it('returns the defaults when nothing is overridden', () => {
    expect(buildMatchingPolicy({})).toStrictEqual(DEFAULT_MATCHING_POLICY);
    expect(buildMatchingPolicy(undefined)).toStrictEqual(DEFAULT_MATCHING_POLICY);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_MATCHING_POLICY.thresholds).toStrictEqual({
      autoMatch: 98,
      review: 85,
      ambiguityMargin: 0,
      candidateFloor: 50,
    });
    expect(DEFAULT_MATCHING_POLICY.tolerances.price.default).toStrictEqual({
      kind: 'percent',
      percent: '0.01',
    });
    expect(DEFAULT_MATCHING_POLICY.penalties.counterpartyBic).toStrictEqual({
      WITHIN: 1,
      RULE: 1,
      PARTIAL: 7,
      MISMATCH: 20,
      NOT_COMPARED: 0,
    });
  });

  it('merges a deep-partial override key by key', () => {
    const policy = buildMatchingPolicy({
      tolerances: { price: { currencies: { JPY: { kind: 'absolute', tiers: [{ amount: '1' }] } } } },
      penalties: { price: { PARTIAL: 10 } },
      thresholds: { ambiguityMargin: 1 },
      rules: { holidayRoll: { enabled: false } },
    });
    expect(policy.tolerances.price).toStrictEqual({
      default: { kind: 'percent', percent: '0.01' },
      currencies: { JPY: { kind: 'absolute', tiers: [{ amount: '1' }] } },
    });
    expect(policy.penalties.price).toStrictEqual({
      WITHIN: 1,
      RULE: 1,
      PARTIAL: 10,
      MISMATCH: 20,
      NOT_COMPARED: 0,
    });
    expect(policy.thresholds).toStrictEqual({
      autoMatch: 98,
      review: 85,
      ambiguityMargin: 1,
      candidateFloor: 50,
    });
    expect(policy.rules).toStrictEqual({
      rounding: { enabled: true, minScale: 2 },
      holidayRoll: { enabled: false },
    });
    expect(policy.nearMiss).toStrictEqual(DEFAULT_MATCHING_POLICY.nearMiss);
  });

  it('lets the configured thresholds win over the file', () => {
    const policy = buildMatchingPolicy(
      { thresholds: { autoMatch: 97, review: 80 } },
      { autoMatchThreshold: 99 },
    );
    expect(policy.thresholds).toStrictEqual({
      autoMatch: 99,
      review: 80,
      ambiguityMargin: 0,
      candidateFloor: 50,
    });
  });

  it('returns a frozen policy', () => {
    expect(Object.isFrozen(buildMatchingPolicy({}).tolerances.netAmount.default)).toBe(true);
  });

  it('prefers a currency-specific tolerance, then the default', () => {
    const policy = buildMatchingPolicy({
      tolerances: { netAmount: { currencies: { JPY: { kind: 'absolute', tiers: [{ amount: '200' }] } } } },
    });
    expect(toleranceFor(policy, 'netAmount', 'JPY')).toStrictEqual({
      kind: 'absolute',
      tiers: [{ amount: '200' }],
    });
    expect(toleranceFor(policy, 'netAmount', 'EUR')).toStrictEqual(
      DEFAULT_MATCHING_POLICY.tolerances.netAmount.default,
    );
    expect(toleranceFor(policy, 'quantity', 'JPY')).toStrictEqual({ kind: 'exact' });
  });

  describe('errors name the bad field', () => {
    it.each([
      [
        'a negative percent',
        { tolerances: { price: { default: { kind: 'percent', percent: '-0.01' } } } },
        ['tolerances.price.default.percent: must not be negative'],
      ],
      [
        'a float-style amount',
        { tolerances: { netAmount: { default: { kind: 'absolute', tiers: [{ amount: '2e0' }] } } } },
        [
          'tolerances.netAmount.default.tiers.0.amount: is not a plain decimal (digits with an optional fraction; no exponent or grouping)',
        ],
      ],
      [
        'tiers out of order',
        {
          tolerances: {
            netAmount: {
              default: {
                kind: 'absolute',
                tiers: [{ upTo: '100', amount: '1' }, { upTo: '50', amount: '2' }, { amount: '3' }],
              },
            },
          },
        },
        ["tolerances.netAmount.default.tiers.1.upTo: must be greater than the previous tier's upTo (100)"],
      ],
      [
        'a misspelt key',
        { tolerances: { price: { defualt: { kind: 'exact' } } } },
        ['tolerances.price.defualt: is not a known setting'],
      ],
      [
        'a field without a tolerance',
        { tolerances: { isin: { default: { kind: 'exact' } } } },
        ['tolerances.isin: is not a known setting'],
      ],
      [
        'a currency that is not ISO 4217',
        { tolerances: { price: { currencies: { eur: { kind: 'exact' } } } } },
        ['tolerances.price.currencies.eur: is not an ISO 4217 currency code'],
      ],
      [
        'a fractional penalty',
        { penalties: { price: { MISMATCH: 1.5 } } },
        ['penalties.price.MISMATCH: must be a whole number'],
      ],
      [
        'a penalty above 100',
        { penalties: { quantity: { WITHIN: 101 } } },
        ['penalties.quantity.WITHIN: must be at most 100'],
      ],
      [
        'review not below auto-match',
        { thresholds: { autoMatch: 90, review: 90 } },
        ['thresholds.review: must be below thresholds.autoMatch'],
      ],
      [
        'a near-miss multiplier of 0',
        { nearMiss: { multiplier: 0 } },
        ['nearMiss.multiplier: must be at least 1'],
      ],
      [
        'an unknown tolerance kind',
        { tolerances: { price: { default: { kind: 'relative' } } } },
        [
          "tolerances.price.default.kind: Invalid discriminator value. Expected 'exact' | 'percent' | 'absolute' | 'percentCapped'",
        ],
      ],
    ])('reports %s', (_, overrides, problems) => {
      expect(problemsOf(overrides)).toStrictEqual(problems);
    });

    it('reports a configured review threshold at or above the file auto-match threshold', () => {
      expect(problemsOf({ thresholds: { autoMatch: 90 } }, { reviewThreshold: 95 })).toStrictEqual([
        'thresholds.review: must be below thresholds.autoMatch',
      ]);
    });

    it('reports a file that is not an object', () => {
      expect(problemsOf([1, 2])).toStrictEqual(['(root): Invalid input: expected object, received array']);
    });

    it('says which policy in the message', () => {
      expect(() => buildMatchingPolicy({ penalties: { price: { MISMATCH: -1 } } })).toThrow(
        'invalid matching policy:\n  - penalties.price.MISMATCH: must be at least 0',
      );
    });
  });
});
