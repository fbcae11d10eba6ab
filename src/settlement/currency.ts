import { scaleOf } from './decimal.ts';

/**
 * ISO 4217 minor units: the number of decimals an amount in a currency may carry. Currencies not
 * listed have 2. Written out (not taken from ICU, whose CLDR data gives some currencies' cash digits,
 * e.g. 0 for IDR and HUF, where ISO 4217 says 2). Source: ISO 4217 list one (SIX, the maintenance agency).
 */
const MINOR_UNITS_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** ISO 4217 minor units of a currency (JPY 0, USD 2, BHD 3). */
export function minorUnits(currency: string): number {
  return MINOR_UNITS_EXCEPTIONS[currency] ?? 2;
}

/**
 * Why an amount cannot be an amount of `currency` (more decimals than its minor units), or undefined.
 * Decimals count as written: `100.00` in JPY is refused, `100` accepted.
 */
export function minorUnitsProblem(amount: string, currency: string): string | undefined {
  const allowed = minorUnits(currency);
  const scale = scaleOf(amount);
  if (scale <= allowed) return undefined;
  return `has ${scale} decimal place${scale === 1 ? '' : 's'}; ${currency} allows ${allowed} (ISO 4217 minor units)`;
}
