import { z } from 'zod';
import { dec } from '../decimal.ts';
import { DecimalString } from '../model.ts';
import { absBig, atScale, maxBig, parseScaled, pow10, roundsTo, type Scaled } from './scaled.ts';

/*
 * Tolerance kinds for numeric fields, their schema, the exact evaluator and the human-readable
 * description carried on each field result.
 *
 * The base of a relative tolerance (and the magnitude that picks an absolute tier) is the larger
 * absolute value of the two compared: the comparison is then symmetric, so it does not matter
 * which side is "ours".
 */

const NonNegativeDecimal = DecimalString.refine((v) => !v.startsWith('-'), 'must not be negative');

export const ToleranceTier = z.strictObject({
  /** Inclusive upper bound of the magnitude this tier covers; absent on the last tier. */
  upTo: NonNegativeDecimal.optional(),
  /** Allowed absolute difference, inclusive. */
  amount: NonNegativeDecimal,
});
export type ToleranceTier = z.infer<typeof ToleranceTier>;

export const ExactTolerance = z.strictObject({ kind: z.literal('exact') });
/** ± `percent` % of the larger absolute value of the two (`'0.01'` = 1 bp). */
export const PercentTolerance = z.strictObject({ kind: z.literal('percent'), percent: NonNegativeDecimal });
/** An absolute band, optionally tiered by magnitude (T2S settlement-amount style). */
export const AbsoluteTolerance = z
  .strictObject({
    kind: z.literal('absolute'),
    tiers: z.array(ToleranceTier).min(1, 'needs at least one tier'),
  })
  .superRefine((t, ctx) => {
    t.tiers.forEach((tier, i) => {
      const last = i === t.tiers.length - 1;
      if (last && tier.upTo !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'upTo'],
          message: 'must be absent on the last tier',
        });
      }
      if (!last && tier.upTo === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['tiers', i, 'upTo'],
          message: 'is required on every tier but the last',
        });
      }
      const previous = i > 0 ? t.tiers[i - 1]?.upTo : undefined;
      if (tier.upTo !== undefined && previous !== undefined && isDecimal(previous) && isDecimal(tier.upTo)) {
        if (dec(tier.upTo).lte(dec(previous))) {
          ctx.addIssue({
            code: 'custom',
            path: ['tiers', i, 'upTo'],
            message: `must be greater than the previous tier's upTo (${previous})`,
          });
        }
      }
    });
  });
/** ± `percent` %, but never more than `cap` (an absolute amount). */
export const PercentCappedTolerance = z.strictObject({
  kind: z.literal('percentCapped'),
  percent: NonNegativeDecimal,
  cap: NonNegativeDecimal,
});

export const Tolerance = z.discriminatedUnion('kind', [
  ExactTolerance,
  PercentTolerance,
  AbsoluteTolerance,
  PercentCappedTolerance,
]);
export type Tolerance = z.infer<typeof Tolerance>;

function isDecimal(v: string): boolean {
  return DecimalString.safeParse(v).success;
}

/**
 * EQUAL: numerically equal. WITHIN: different, inside the tolerance (bounds inclusive). NEAR: outside
 * the tolerance but inside `nearMissMultiplier` × the tolerance. OUTSIDE: beyond both.
 */
export type ToleranceVerdict = 'EQUAL' | 'WITHIN' | 'NEAR' | 'OUTSIDE';

/** Compares two decimal strings under a tolerance, exactly (scaled BigInt, no rounding). */
export function evaluateTolerance(
  tolerance: Tolerance,
  ours: string,
  theirs: string,
  nearMissMultiplier = 1,
): ToleranceVerdict {
  const a = parseScaled(ours);
  const b = parseScaled(theirs);
  const scale = Math.max(a.scale, b.scale);
  const av = atScale(a, scale);
  const bv = atScale(b, scale);
  if (av === bv) return 'EQUAL';
  const diff = absBig(av - bv);
  const base = maxBig(absBig(av), absBig(bv));
  if (fits(tolerance, diff, base, scale, 1n)) return 'WITHIN';
  if (nearMissMultiplier > 1 && fits(tolerance, diff, base, scale, BigInt(nearMissMultiplier))) return 'NEAR';
  return 'OUTSIDE';
}

/** `diff` and `base` are integers at `scale`; `k` multiplies the allowance (1, or the near-miss factor). */
function fits(tolerance: Tolerance, diff: bigint, base: bigint, scale: number, k: bigint): boolean {
  switch (tolerance.kind) {
    case 'exact':
      return false;
    case 'percent':
      return percentFits(parseScaled(tolerance.percent), diff, base, k);
    case 'absolute':
      return amountFits(parseScaled(selectTier(tolerance.tiers, base, scale).amount), diff, scale, k);
    case 'percentCapped':
      return (
        percentFits(parseScaled(tolerance.percent), diff, base, k) &&
        amountFits(parseScaled(tolerance.cap), diff, scale, k)
      );
  }
}

/** |a − b| ≤ base × p / 100, as |a − b| · 100 · 10^p.scale ≤ base · p.mantissa (both sides integers). */
function percentFits(percent: Scaled, diff: bigint, base: bigint, k: bigint): boolean {
  return diff * 100n * pow10(percent.scale) <= base * percent.mantissa * k;
}

/** diff / 10^scale ≤ amount · k. */
function amountFits(amount: Scaled, diff: bigint, scale: number, k: bigint): boolean {
  return diff * pow10(amount.scale) <= amount.mantissa * k * pow10(scale);
}

/** The first tier whose `upTo` is at or above the magnitude (`base` at `scale`); the last tier otherwise. */
export function selectTier(tiers: readonly ToleranceTier[], base: bigint, scale: number): ToleranceTier {
  for (const tier of tiers) {
    if (tier.upTo === undefined) return tier;
    const upTo = parseScaled(tier.upTo);
    if (base * pow10(upTo.scale) <= upTo.mantissa * pow10(scale)) return tier;
  }
  const last = tiers[tiers.length - 1];
  if (last === undefined) throw new RangeError('an absolute tolerance needs at least one tier');
  return last;
}

/**
 * True when the two values differ only by rounding: the one written with more decimal places, rounded
 * (half-up or half-even) to the other's number of places, equals it. `minScale` guards against
 * explaining away coarse values (`10` vs `10.4`): the less precise value needs at least that many places.
 */
export function roundingExplains(ours: string, theirs: string, minScale: number): boolean {
  const a = parseScaled(ours);
  const b = parseScaled(theirs);
  if (a.scale === b.scale) return false;
  const [precise, coarse] = a.scale > b.scale ? [a, b] : [b, a];
  if (coarse.scale < minScale) return false;
  return roundsTo(precise, coarse.scale, coarse);
}

/** `exact`, `±1 bp`, `±0.5 %`, `±2.00 EUR (≤ 100000) / ±25.00 EUR above`, `±1 bp, at most 5.00 EUR`. */
export function describeTolerance(tolerance: Tolerance, currency: string): string {
  switch (tolerance.kind) {
    case 'exact':
      return 'exact';
    case 'percent':
      return describePercent(tolerance.percent);
    case 'absolute': {
      const tiers = tolerance.tiers;
      if (tiers.length === 1) return `±${tiers[0]?.amount ?? '0'} ${currency}`;
      return tiers
        .map((t) =>
          t.upTo === undefined ? `±${t.amount} ${currency} above` : `±${t.amount} ${currency} (≤ ${t.upTo})`,
        )
        .join(' / ');
    }
    case 'percentCapped':
      return `${describePercent(tolerance.percent)}, at most ${tolerance.cap} ${currency}`;
  }
}

function describePercent(percent: string): string {
  const p = dec(percent);
  return p.lt(1) ? `±${p.times(100).toFixed()} bp` : `±${p.toFixed()} %`;
}
