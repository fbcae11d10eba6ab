import { isDecimalString } from '../decimal.ts';

/**
 * Exact decimal arithmetic for the matching engine's reference path: a decimal string becomes an
 * integer mantissa and its written scale (`"10.50"` → 1050n, 2), so every tolerance comparison is
 * an integer comparison with no rounding anywhere.
 */
export interface Scaled {
  readonly mantissa: bigint;
  /** Digits after the point as written (`"10.50"` → 2). */
  readonly scale: number;
}

export function parseScaled(value: string): Scaled {
  if (!isDecimalString(value)) throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  const point = value.indexOf('.');
  if (point < 0) return { mantissa: BigInt(value), scale: 0 };
  return {
    mantissa: BigInt(value.slice(0, point) + value.slice(point + 1)),
    scale: value.length - point - 1,
  };
}

const POWERS: bigint[] = [1n];

export function pow10(n: number): bigint {
  if (n < 0 || !Number.isInteger(n)) throw new RangeError(`pow10 of ${n}`);
  for (let i = POWERS.length; i <= n; i++) POWERS.push((POWERS[i - 1] ?? 1n) * 10n);
  return POWERS[n] ?? 1n;
}

/** The mantissa of `x` rescaled to `scale` (which must be ≥ x.scale). */
export function atScale(x: Scaled, scale: number): bigint {
  return x.mantissa * pow10(scale - x.scale);
}

export function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** `Math.max` for bigints (which `Math.max` refuses). */
export function maxBig(a: bigint, b: bigint): bigint {
  return a >= b ? a : b;
}

/**
 * True when `value`, rounded to `scale` decimal places half-up or half-even, equals `target`
 * (written at exactly `scale` places). Half-up rounds ties away from zero.
 */
export function roundsTo(value: Scaled, scale: number, target: Scaled): boolean {
  if (value.scale <= scale || target.scale !== scale) return false;
  const divisor = pow10(value.scale - scale);
  const negative = value.mantissa < 0n;
  const magnitude = absBig(value.mantissa);
  const quotient = magnitude / divisor;
  const twiceRemainder = (magnitude % divisor) * 2n;
  const halfUp = twiceRemainder >= divisor ? quotient + 1n : quotient;
  const halfEven =
    twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)
      ? quotient + 1n
      : quotient;
  const sign = negative ? -1n : 1n;
  return sign * halfUp === target.mantissa || sign * halfEven === target.mantissa;
}
