import { Decimal } from 'decimal.js';

/**
 * Money and prices are decimal strings in storage and `Decimal` values in code, never binary floats.
 * A dedicated constructor keeps precision generous and rounding explicit for everything here.
 */
export const Dec = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Dec = Decimal;

/** Plain decimal notation: an optional minus, digits, an optional fraction. No exponent, no grouping. */
export const DECIMAL_STRING = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL_STRING.test(value);
}

/** Parses a validated decimal string. Throws on anything else: callers validate first. */
export function dec(value: string | Dec): Dec {
  if (typeof value !== 'string') return value;
  if (!DECIMAL_STRING.test(value)) throw new TypeError(`not a decimal string: ${JSON.stringify(value)}`);
  return new Dec(value);
}

/** Canonical string form (no exponent, no trailing zeros after the point beyond what the value needs). */
export function decString(value: Dec): string {
  return value.toFixed();
}

/** Number of digits after the decimal point as written (`"10.50"` → 2). */
export function scaleOf(value: string): number {
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}
