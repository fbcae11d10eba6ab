import { minorUnits } from '../currency.ts';
import { Dec } from '../decimal.ts';
import type { Tolerance } from './tolerance.ts';

/**
 * The T2S settlement-amount bands (±EUR 2.00 up to EUR 100,000, ±EUR 25.00 above) converted into other
 * currencies, so a band is never applied in a currency's own units (±2 yen). Approximate euro
 * reference rates (units per EUR, ECB reference rates of late 2025, rounded): the bands are operational
 * tolerances, not prices, and a desk overrides any of them in its matching profile
 * (`tolerances.netAmount.currencies`).
 */
export const EUR_BAND_RATES: Readonly<Record<string, string>> = {
  USD: '1.16',
  GBP: '0.87',
  CHF: '0.93',
  JPY: '175',
  SEK: '11.0',
  NOK: '11.7',
  DKK: '7.46',
  PLN: '4.24',
  CZK: '24.3',
  HUF: '390',
  CAD: '1.62',
  AUD: '1.77',
  NZD: '2.00',
  HKD: '9.00',
  SGD: '1.50',
  CNY: '8.25',
  KRW: '1650',
  INR: '102',
  ZAR: '20.3',
  BHD: '0.437',
  KWD: '0.356',
  OMR: '0.446',
  JOD: '0.823',
  TND: '3.40',
};

/** The EUR bands: ±2.00 up to 100,000, ±25.00 above. */
export const EUR_NET_AMOUNT_BAND: Tolerance = {
  kind: 'absolute',
  tiers: [{ upTo: '100000', amount: '2.00' }, { amount: '25.00' }],
};

/** The EUR bands × `rate`: amounts rounded half-up to the currency's minor units, the threshold to a unit. */
export function convertedBand(currency: string, rate: string): Tolerance {
  const minor = minorUnits(currency);
  const amount = (eur: number) =>
    new Dec(eur).times(rate).toDecimalPlaces(minor, Dec.ROUND_HALF_UP).toFixed(minor);
  return {
    kind: 'absolute',
    tiers: [
      {
        upTo: new Dec(100_000).times(rate).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toFixed(0),
        amount: amount(2),
      },
      { amount: amount(25) },
    ],
  };
}

/** The default per-currency net-amount bands (EUR itself uses the field's default). */
export function defaultNetAmountBands(): Record<string, Tolerance> {
  return Object.fromEntries(
    Object.entries(EUR_BAND_RATES).map(([currency, rate]) => [currency, convertedBand(currency, rate)]),
  );
}
