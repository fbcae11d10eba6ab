import { describe, expect, it } from 'vitest';
import {
  describeTolerance,
  evaluateTolerance,
  roundingExplains,
  Tolerance,
} from '../../../src/settlement/matching/index.ts';

const oneBp: Tolerance = { kind: 'percent', percent: '0.01' };
const t2s: Tolerance = { kind: 'absolute', tiers: [{ upTo: '100000', amount: '2.00' }, { amount: '25.00' }] };
const capped: Tolerance = { kind: 'percentCapped', percent: '0.1', cap: '5.00' };

describe('exact', () => {
  it('treats numerically equal values as equal whatever their scale', () => {
    expect(evaluateTolerance({ kind: 'exact' }, '10', '10.00')).toBe('EQUAL');
  });

  it('puts any difference outside, with no near miss', () => {
    expect(evaluateTolerance({ kind: 'exact' }, '10', '10.0001', 10)).toBe('OUTSIDE');
  });
});

describe('percent (base: the larger absolute value)', () => {
  it.each([
    ['9999.01', 'WITHIN', 'just inside'],
    ['9999', 'WITHIN', 'exactly at 1 bp of 10000'],
    ['9998.99', 'NEAR', 'just outside, inside 10×'],
    ['9990', 'NEAR', 'exactly at 10×'],
    ['9989.99', 'OUTSIDE', 'just beyond 10×'],
  ])('rates 10000 vs %s as %s (%s)', (theirs, verdict) => {
    expect(evaluateTolerance(oneBp, '10000', theirs, 10)).toBe(verdict);
  });

  it('is symmetric', () => {
    expect(evaluateTolerance(oneBp, '9999', '10000', 10)).toBe('WITHIN');
    expect(evaluateTolerance(oneBp, '9998.99', '10000', 10)).toBe('NEAR');
  });

  it('uses the larger value as the base: 1 bp of 10001 allows 1.0001', () => {
    expect(evaluateTolerance(oneBp, '10001', '9999.9999', 1)).toBe('WITHIN');
    expect(evaluateTolerance(oneBp, '10001', '9999.9998', 1)).toBe('OUTSIDE');
  });

  it('never reports a near miss when the multiplier is 1', () => {
    expect(evaluateTolerance(oneBp, '10000', '9998.99', 1)).toBe('OUTSIDE');
  });
});

describe('absolute, tiered by magnitude', () => {
  it.each([
    ['100000.00', '99998.01', 'WITHIN', 'lower tier, just inside'],
    ['100000.00', '99998.00', 'WITHIN', 'magnitude exactly 100000: lower tier, exactly at 2.00'],
    ['100000.00', '99997.99', 'NEAR', 'lower tier, just outside'],
    ['100000.00', '99980.00', 'NEAR', 'lower tier, exactly at 10 × 2.00'],
    ['100000.00', '99979.99', 'OUTSIDE', 'lower tier, beyond 10×'],
    ['100000.01', '99975.01', 'WITHIN', 'magnitude just above 100000: upper tier, exactly at 25.00'],
    ['100000.01', '99975.02', 'WITHIN', 'upper tier, just inside'],
    ['100000.01', '99975.00', 'NEAR', 'upper tier, just outside'],
    ['100000.01', '99750.01', 'NEAR', 'upper tier, exactly at 10 × 25.00'],
    ['100000.01', '99750.00', 'OUTSIDE', 'upper tier, beyond 10×'],
  ])('rates %s vs %s as %s (%s)', (ours, theirs, verdict) => {
    expect(evaluateTolerance(t2s, ours, theirs, 10)).toBe(verdict);
    expect(evaluateTolerance(t2s, theirs, ours, 10)).toBe(verdict);
  });

  it('applies a single band at every magnitude', () => {
    const band: Tolerance = { kind: 'absolute', tiers: [{ amount: '0.5' }] };
    expect(evaluateTolerance(band, '1', '1.5')).toBe('WITHIN');
    expect(evaluateTolerance(band, '1', '1.51')).toBe('OUTSIDE');
  });
});

describe('percent capped by an absolute maximum', () => {
  it.each([
    ['1000', '1001', 'WITHIN', 'the percent binds (0.1 % of 1001 = 1.001)'],
    ['1000', '1001.01', 'NEAR', 'just over the percent'],
    ['10000', '10005', 'WITHIN', 'the cap binds (0.1 % of 10005 > 5.00): exactly at the cap'],
    ['10000', '10004.99', 'WITHIN', 'just inside the cap'],
    ['10000', '10005.01', 'NEAR', 'just over the cap'],
    ['10000', '10050', 'NEAR', 'exactly at 10 × the cap'],
    ['10000', '10050.01', 'OUTSIDE', 'beyond 10 × the cap'],
  ])('rates %s vs %s as %s (%s)', (ours, theirs, verdict) => {
    expect(evaluateTolerance(capped, ours, theirs, 10)).toBe(verdict);
  });
});

describe('describeTolerance', () => {
  it.each([
    [{ kind: 'exact' } as Tolerance, 'exact'],
    [oneBp, '±1 bp'],
    [{ kind: 'percent', percent: '0.005' } as Tolerance, '±0.5 bp'],
    [{ kind: 'percent', percent: '1.5' } as Tolerance, '±1.5 %'],
    [t2s, '±2.00 EUR (≤ 100000) / ±25.00 EUR above'],
    [{ kind: 'absolute', tiers: [{ amount: '0.01' }] } as Tolerance, '±0.01 EUR'],
    [capped, '±10 bp, at most 5.00 EUR'],
  ])('describes %j as %s', (tolerance, text) => {
    expect(describeTolerance(tolerance, 'EUR')).toBe(text);
  });
});

describe('Tolerance schema', () => {
  function issues(value: unknown): Array<[string, string]> {
    const r = Tolerance.safeParse(value);
    return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
  }

  it('accepts the T2S-style tiers', () => {
    expect(issues(t2s)).toStrictEqual([]);
  });

  it('requires upTo on every tier but the last, and only there', () => {
    expect(issues({ kind: 'absolute', tiers: [{ amount: '2' }, { upTo: '5', amount: '25' }] })).toStrictEqual(
      [
        ['tiers.0.upTo', 'is required on every tier but the last'],
        ['tiers.1.upTo', 'must be absent on the last tier'],
      ],
    );
  });

  it('requires increasing bounds', () => {
    const tiers = [{ upTo: '100', amount: '1' }, { upTo: '100', amount: '2' }, { amount: '3' }];
    expect(issues({ kind: 'absolute', tiers })).toStrictEqual([
      ['tiers.1.upTo', "must be greater than the previous tier's upTo (100)"],
    ]);
  });

  it('refuses negative, non-decimal and unknown settings', () => {
    expect(issues({ kind: 'percent', percent: '-1' })).toStrictEqual([['percent', 'must not be negative']]);
    expect(issues({ kind: 'percentCapped', percent: '1e-2', cap: '5' })[0]?.[0]).toBe('percent');
    expect(issues({ kind: 'exact', percent: '1' })[0]?.[1]).toMatch(/Unrecognized key/);
  });
});

describe('roundingExplains', () => {
  it.each([
    ['10.125', '10.13', 2, true, 'half-up'],
    ['10.125', '10.12', 2, true, 'half-even'],
    ['10.135', '10.14', 2, true, 'half-up and half-even agree'],
    ['10.124', '10.12', 2, true, 'below the half'],
    ['10.126', '10.12', 2, false, 'above the half, rounded down'],
    ['10.13', '10.125', 2, true, 'either side may be the precise one'],
    ['10.12', '10.13', 2, false, 'same scale: nothing to round'],
    ['10.14', '10.1', 2, false, 'the coarse value has fewer places than minScale'],
    ['10.14', '10.1', 1, true, 'allowed with minScale 1'],
  ])('%s vs %s (minScale %i) → %s (%s)', (a, b, minScale, explained) => {
    expect(roundingExplains(a, b, minScale)).toBe(explained);
  });
});
