import { describe, expect, it } from 'vitest';
import {
  generateSettlementDay,
  type Scenario,
  type SettlementDay,
  seedToday,
} from '../../../src/seed/index.ts';
import { CalendarRegistry, marketOfPlaceOfSettlement } from '../../../src/settlement/calendar.ts';
import { Dec, dec, scaleOf } from '../../../src/settlement/decimal.ts';
import { bicInstitution, bicsDifferOnlyInBranch } from '../../../src/settlement/identifiers.ts';
import { TradeInput } from '../../../src/settlement/model.ts';

// A Thursday: T+2 markets settle on Monday, so weekend holiday-roll cases exist.
const THURSDAY = '2026-11-19';
const day = generateSettlementDay({ trades: 2000, seed: 42, date: THURSDAY });
const calendars = new CalendarRegistry();

const COMPARED_FIELDS = [
  'isin',
  'quantity',
  'price',
  'currency',
  'tradeDate',
  'settlementDate',
  'account',
  'desk',
  'counterpartyBic',
  'placeOfSettlement',
  'settlementType',
  'netAmount',
  'note',
] as const;

interface Pair {
  readonly scenario: Scenario;
  readonly ours: TradeInput;
  readonly theirs: TradeInput | undefined;
}

function pairs(d: SettlementDay): Pair[] {
  const internal = new Map(d.internal.map((t) => [t.tradeId, t]));
  const counterparty = new Map(d.counterparty.map((t) => [t.tradeId, t]));
  return d.scenarios.map((s) => ({
    scenario: s.scenario,
    ours: internal.get(s.tradeId) as TradeInput,
    theirs: s.counterpartyTradeId === undefined ? undefined : counterparty.get(s.counterpartyTradeId),
  }));
}

function differingFields(a: TradeInput, b: TradeInput): string[] {
  return COMPARED_FIELDS.filter((f) => a[f] !== b[f]);
}

function basisPoints(a: string, b: string): number {
  return dec(a).minus(dec(b)).abs().div(dec(a)).times(10_000).toNumber();
}

function count(d: SettlementDay, scenario: Scenario): number {
  return d.scenarios.filter((s) => s.scenario === scenario).length;
}

describe('generateSettlementDay', () => {
  it('gives the same day for the same options and another day for another seed', () => {
    const again = generateSettlementDay({ trades: 2000, seed: 42, date: THURSDAY });
    const other = generateSettlementDay({ trades: 2000, seed: 43, date: THURSDAY });

    expect(again).toStrictEqual(day);
    expect(other.internal).not.toStrictEqual(day.internal);
    expect(other.tradeDate).toBe(THURSDAY);
  });

  it('generates the requested number of internal trades, one scenario entry each, with unique ids', () => {
    expect(day.tradeDate).toBe(THURSDAY);
    expect(day.internal).toHaveLength(2000);
    expect(day.scenarios.map((s) => s.tradeId)).toStrictEqual(day.internal.map((t) => t.tradeId));
    expect(day.internal[0]?.tradeId).toBe('T-10000');
    expect(new Set(day.internal.map((t) => t.tradeId)).size).toBe(2000);
    expect(new Set(day.counterparty.map((t) => t.tradeId)).size).toBe(day.counterparty.length);
    for (const t of day.counterparty) {
      expect(t.tradeId).toMatch(new RegExp(`^C-${t.counterpartyBic.slice(0, 4)}-\\d{6}$`));
    }
    expect(day.counterparty).toHaveLength(2000 - count(day, 'MISSING_COUNTERPARTY'));
  });

  it('produces records that all pass TradeInput unchanged', () => {
    for (const trade of [...day.internal, ...day.counterparty]) {
      expect(TradeInput.parse(trade)).toStrictEqual(trade);
    }
    expect(day.internal.every((t) => t.source === 'INTERNAL')).toBe(true);
    expect(day.counterparty.every((t) => t.source === 'COUNTERPARTY')).toBe(true);
  });

  it('holds every scenario at 2,000 trades, mostly CLEAN', () => {
    const present = new Set(day.scenarios.map((s) => s.scenario));

    expect([...present].sort()).toStrictEqual(
      [
        'AMOUNT_BREAK',
        'CLEAN',
        'COUNTERPARTY_BREAK',
        'CURRENCY_BREAK',
        'DUPLICATE_AMBIGUOUS',
        'HOLIDAY_ROLL',
        'MISSING_COUNTERPARTY',
        'PLACE_BREAK',
        'PRICE_BREAK',
        'QUANTITY_BREAK',
        'REVIEW_BIC_BRANCH',
        'REVIEW_NEAR_PRICE',
        'ROUNDING',
        'SETTLEMENT_DATE_BREAK',
        'WITHIN_TOLERANCE',
      ].sort(),
    );
    const clean = count(day, 'CLEAN') / day.internal.length;
    expect(clean).toBeGreaterThanOrEqual(0.8);
    expect(clean).toBeLessThanOrEqual(0.9);
    expect(count(day, 'WITHIN_TOLERANCE') / day.internal.length).toBeCloseTo(0.04, 2);
  });

  it('holds every scenario from 200 trades', () => {
    const small = generateSettlementDay({ trades: 200, seed: 7, date: THURSDAY });

    expect(new Set(small.scenarios.map((s) => s.scenario)).size).toBe(15);
    expect(small.internal).toHaveLength(200);
  });

  it.each([
    ['2027-10-08', 'the last T+2 day', 2],
    ['2027-10-11', 'the first T+1 day', 1],
  ])('settles EU, UK and CH trades of %s (%s) at T+%i, and US trades at T+1', (date, _label, cycle) => {
    const switched = generateSettlementDay({ trades: 300, seed: 3, date });
    const europe = pairs(switched).filter((p) =>
      ['EU', 'GB', 'CH'].includes(marketOfPlaceOfSettlement(p.ours.placeOfSettlement)),
    );
    expect(europe.length).toBeGreaterThan(0);
    for (const { ours } of pairs(switched)) {
      const market = marketOfPlaceOfSettlement(ours.placeOfSettlement);
      const expected = market === 'US' ? 1 : ['EU', 'GB', 'CH'].includes(market) ? cycle : 2;
      expect(ours.settlementDate).toBe(calendars.forMarket(market).addBusinessDays(date, expected));
    }
  });

  it('defaults "today" to the New York market day: at 19:30 New York time the UTC date has turned, the seed day has not', () => {
    expect(seedToday(new Date('2026-12-02T00:30:00.000Z'))).toBe('2026-12-01');
  });

  it('sets settlement dates T+1 (US) and T+2 elsewhere in business days of the market calendar', () => {
    for (const { scenario, ours, theirs } of pairs(day)) {
      const market = marketOfPlaceOfSettlement(ours.placeOfSettlement);
      const calendar = calendars.forMarket(market);
      expect(ours.settlementDate).toBe(calendar.addBusinessDays(ours.tradeDate, market === 'US' ? 1 : 2));
      expect(calendar.isBusinessDay(ours.settlementDate)).toBe(true);
      if (theirs === undefined) continue;
      if (scenario === 'HOLIDAY_ROLL') {
        expect(calendar.isBusinessDay(theirs.settlementDate)).toBe(false);
        expect(calendar.rollForward(theirs.settlementDate)).toBe(ours.settlementDate);
      } else {
        expect(calendar.isBusinessDay(theirs.settlementDate)).toBe(true);
      }
    }
  });

  it('settles across holidays: the day before US Thanksgiving settles on the Friday after', () => {
    const wednesday = generateSettlementDay({ trades: 300, seed: 1, date: '2026-11-25' });
    const us = pairs(wednesday).filter((p) => marketOfPlaceOfSettlement(p.ours.placeOfSettlement) === 'US');

    expect(us.length).toBeGreaterThan(0);
    expect(new Set(us.map((p) => p.ours.settlementDate))).toStrictEqual(new Set(['2026-11-27']));
    const rolled = us.filter((p) => p.scenario === 'HOLIDAY_ROLL');
    expect(rolled.length).toBeGreaterThan(0);
    expect(new Set(rolled.map((p) => p.theirs?.settlementDate))).toStrictEqual(new Set(['2026-11-26']));
  });

  it('falls back to CLEAN for holiday rolls when no non-business day precedes a settlement date', () => {
    const tuesday = generateSettlementDay({ trades: 2000, seed: 42, date: '2026-11-17' });

    expect(count(tuesday, 'HOLIDAY_ROLL')).toBe(0);
    expect(count(tuesday, 'CLEAN')).toBe(count(day, 'CLEAN') + count(day, 'HOLIDAY_ROLL'));
  });

  it('gives the counterparty the opposite side and changes exactly the field its scenario is about', () => {
    const expected: Record<Scenario, readonly string[][]> = {
      CLEAN: [[]],
      WITHIN_TOLERANCE: [['price'], ['netAmount']],
      REVIEW_BIC_BRANCH: [['counterpartyBic']],
      REVIEW_NEAR_PRICE: [['price']],
      PRICE_BREAK: [['price']],
      QUANTITY_BREAK: [['quantity']],
      CURRENCY_BREAK: [['currency']],
      SETTLEMENT_DATE_BREAK: [['settlementDate']],
      PLACE_BREAK: [['placeOfSettlement']],
      COUNTERPARTY_BREAK: [['counterpartyBic']],
      AMOUNT_BREAK: [['netAmount']],
      MISSING_COUNTERPARTY: [],
      ROUNDING: [['price']],
      HOLIDAY_ROLL: [['settlementDate']],
      DUPLICATE_AMBIGUOUS: [[]],
    };
    for (const { scenario, ours, theirs } of pairs(day)) {
      if (theirs === undefined) {
        expect(scenario).toBe('MISSING_COUNTERPARTY');
        continue;
      }
      expect(theirs.side).toBe(ours.side === 'BUY' ? 'SELL' : 'BUY');
      expect(expected[scenario]).toContainEqual(differingFields(ours, theirs));
    }
  });

  it('builds each discrepancy to its tolerance band', () => {
    for (const { scenario, ours, theirs } of pairs(day)) {
      if (theirs === undefined) continue;
      const net = dec(ours.netAmount ?? '0');
      const netDiff = net.minus(dec(theirs.netAmount ?? '0')).abs();
      const priceBp = basisPoints(ours.price, theirs.price);
      switch (scenario) {
        case 'WITHIN_TOLERANCE':
          if (ours.price !== theirs.price) {
            expect(priceBp).toBeLessThan(1);
            expect(scaleOf(ours.price)).toBe(scaleOf(theirs.price));
          } else {
            expect(netDiff.lte(net.gt(100_000) ? 25 : 2)).toBe(true);
          }
          break;
        case 'REVIEW_NEAR_PRICE':
          expect(priceBp).toBeGreaterThan(1);
          expect(priceBp).toBeLessThan(10);
          break;
        case 'PRICE_BREAK':
          expect(priceBp).toBeGreaterThanOrEqual(50);
          break;
        case 'AMOUNT_BREAK':
          expect(netDiff.gte(ours.currency === 'JPY' ? 50_000 : 500)).toBe(true);
          break;
        case 'REVIEW_BIC_BRANCH':
          expect(bicsDifferOnlyInBranch(ours.counterpartyBic, theirs.counterpartyBic)).toBe(true);
          break;
        case 'COUNTERPARTY_BREAK':
          expect(bicInstitution(theirs.counterpartyBic)).not.toBe(bicInstitution(ours.counterpartyBic));
          break;
        case 'ROUNDING': {
          // Over the 1 bp tolerance, explained only by rounding to 2 decimals (half-up, never from an exact half).
          const [long, short] =
            scaleOf(ours.price) > scaleOf(theirs.price)
              ? [ours.price, theirs.price]
              : [theirs.price, ours.price];
          expect([scaleOf(long), scaleOf(short)]).toStrictEqual([4, 2]);
          expect(dec(long).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2)).toBe(short);
          expect(dec(long).toDecimalPlaces(2, Dec.ROUND_HALF_EVEN).toFixed(2)).toBe(short);
          expect(priceBp).toBeGreaterThan(1);
          break;
        }
        default:
          break;
      }
    }
  });

  it('makes duplicate pairs identical but for their ids', () => {
    const duplicates = pairs(day).filter((p) => p.scenario === 'DUPLICATE_AMBIGUOUS');

    expect(duplicates.length % 2).toBe(0);
    for (let k = 0; k < duplicates.length; k += 2) {
      const [a, b] = [duplicates[k], duplicates[k + 1]];
      expect({ ...a?.ours, tradeId: '' }).toStrictEqual({ ...b?.ours, tradeId: '' });
      expect({ ...a?.theirs, tradeId: '' }).toStrictEqual({ ...b?.theirs, tradeId: '' });
      expect(a?.ours.tradeId).not.toBe(b?.ours.tradeId);
      expect(a?.theirs?.tradeId).not.toBe(b?.theirs?.tradeId);
    }
  });

  it('keeps amounts exact: minor units of the currency, quantity × price plus a small commission', () => {
    for (const { scenario, ours, theirs } of pairs(day)) {
      const net = ours.netAmount ?? '';
      expect(scaleOf(net)).toBe(ours.currency === 'JPY' ? 0 : 2);
      // The amount follows the precise price; in ROUNDING our side may quote it rounded.
      const price =
        scenario === 'ROUNDING' && theirs !== undefined && scaleOf(theirs.price) > scaleOf(ours.price)
          ? theirs.price
          : ours.price;
      const principal = dec(ours.quantity).times(dec(price));
      // Commission is at most 3 bp, plus rounding to minor units.
      expect(basisPoints(principal.toFixed(), net)).toBeLessThanOrEqual(3.01);
    }
  });

  it('uses round lots and the currency of the market', () => {
    const currencyOf: Record<string, string> = { US: 'USD', GB: 'GBP', CH: 'CHF', JP: 'JPY', EU: 'EUR' };
    for (const trade of day.internal) {
      expect(dec(trade.quantity).mod(10).isZero()).toBe(true);
      expect(trade.currency).toBe(currencyOf[marketOfPlaceOfSettlement(trade.placeOfSettlement)]);
    }
  });

  describe('options', () => {
    it('defaults the trade date to today, rolled back to a US business day', () => {
      expect(generateSettlementDay({ trades: 1, today: '2026-11-18' }).tradeDate).toBe('2026-11-18');
      expect(generateSettlementDay({ trades: 1, today: '2026-11-22' }).tradeDate).toBe('2026-11-20');
      expect(generateSettlementDay({ trades: 1, today: '2026-11-26' }).tradeDate).toBe('2026-11-25');
    });

    it('generates small and empty days', () => {
      const tiny = generateSettlementDay({ trades: 10, seed: 3, date: THURSDAY });

      expect(tiny.internal).toHaveLength(10);
      expect(generateSettlementDay({ trades: 0, date: THURSDAY })).toStrictEqual({
        tradeDate: THURSDAY,
        internal: [],
        counterparty: [],
        scenarios: [],
      });
    });

    it('refuses bad options and a day no market is open', () => {
      expect(() => generateSettlementDay({ trades: -1 })).toThrow(RangeError);
      expect(() => generateSettlementDay({ seed: 1.5 })).toThrow(RangeError);
      expect(() => generateSettlementDay({ date: '2026-02-30' })).toThrow(/date/);
      expect(() => generateSettlementDay({ date: '2026-11-21' })).toThrow(
        'generateSettlementDay: 2026-11-21 is not a business day in any market',
      );
    });
  });
});
