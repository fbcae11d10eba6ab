import { describe, expect, it } from 'vitest';
import { COUNTERPARTY_BICS, DESKS, SECURITIES } from '../../../src/seed/index.ts';
import { KNOWN_MARKETS, marketOfPlaceOfSettlement } from '../../../src/settlement/calendar.ts';
import { Dec, dec } from '../../../src/settlement/decimal.ts';
import { isValidBic, isValidCurrency, isValidIsin } from '../../../src/settlement/identifiers.ts';

describe('seed reference data', () => {
  it('holds valid, distinct ISINs settling in known markets', () => {
    for (const s of SECURITIES) {
      expect(isValidIsin(s.isin), s.isin).toBe(true);
      expect(isValidBic(s.placeOfSettlement), s.placeOfSettlement).toBe(true);
      expect(isValidCurrency(s.currency)).toBe(true);
      expect(KNOWN_MARKETS).toContain(marketOfPlaceOfSettlement(s.placeOfSettlement));
    }
    expect(new Set(SECURITIES.map((s) => s.isin)).size).toBe(SECURITIES.length);
  });

  it('quotes prices finely enough for a one-tick difference to stay under 1 bp', () => {
    for (const s of SECURITIES) {
      const tick = new Dec(1).div(new Dec(10).pow(s.priceDecimals));
      expect(tick.div(dec(s.priceLow)).times(10_000).lt(1), s.isin).toBe(true);
      expect(dec(s.priceLow).lt(dec(s.priceHigh))).toBe(true);
    }
  });

  it('holds valid counterparty BICs and desks with securities', () => {
    for (const bic of COUNTERPARTY_BICS) expect(isValidBic(bic), bic).toBe(true);
    for (const desk of DESKS) expect(SECURITIES.some((s) => s.desk === desk.id)).toBe(true);
  });
});
