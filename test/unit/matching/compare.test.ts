import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import {
  buildMatchingPolicy,
  compareTrades,
  DEFAULT_MATCHING_POLICY,
  decide,
  type MatchingPolicy,
} from '../../../src/settlement/matching/index.ts';
import type { FieldResult } from '../../../src/settlement/model.ts';
import { aCounterpartyRecordOf, aTrade, type TradeRecord } from '../../support/trade-factory.ts';

const calendars = new CalendarRegistry();
const policy = DEFAULT_MATCHING_POLICY;
const ours = aTrade();

function compare(theirs: Partial<TradeRecord>, mine: Partial<TradeRecord> = {}, p: MatchingPolicy = policy) {
  const internal = aTrade(mine);
  return compareTrades(internal, aCounterpartyRecordOf(internal, theirs), p, calendars);
}

function field(fields: readonly FieldResult[], name: FieldResult['field']): FieldResult | undefined {
  return fields.find((f) => f.field === name);
}

const exact = (f: FieldResult['field'], value: string, tolerance = 'exact'): FieldResult => ({
  field: f,
  ours: value,
  theirs: value,
  tolerance,
  within: true,
  outcome: 'EXACT',
  penalty: 0,
});

describe('compareTrades', () => {
  it('scores an identical pair 100 with every field exact', () => {
    expect(compareTrades(ours, aCounterpartyRecordOf(ours), policy, calendars)).toStrictEqual({
      confidence: 100,
      fields: [
        exact('quantity', '1000'),
        exact('price', '101.25', '±1 bp'),
        exact('netAmount', '101250.00', '±2.32 USD (≤ 116000) / ±29.00 USD above'),
        exact('currency', 'USD'),
        exact('settlementDate', '2026-11-25'),
        exact('counterpartyBic', 'DEUTDEFF'),
        exact('placeOfSettlement', 'DTCYUS33XXX'),
        exact('settlementType', 'DVP'),
      ],
    });
  });

  it.each([
    ['quantity', { quantity: '1001' }, 'DQUA', 30],
    ['price', { price: '102.00' }, 'DDEA', 20],
    ['netAmount', { netAmount: '101600.00' }, 'DMON', 20],
    ['currency', { currency: 'EUR' }, 'NCRR', 30],
    ['settlementDate', { settlementDate: '2026-11-30' }, 'DDAT', 20],
    ['counterpartyBic', { counterpartyBic: 'BNPAFRPP' }, 'IEXE', 20],
    ['placeOfSettlement', { placeOfSettlement: 'CEDELULL' }, 'DEPT', 20],
    ['settlementType', { settlementType: 'FOP' }, 'FRAP', 20],
  ] as const)('reports a %s break as MISMATCH with its reason code', (name, theirs, reasonCode, penalty) => {
    const result = compare(theirs);
    const f = field(result.fields, name);
    expect(f).toStrictEqual({
      field: name,
      ours: String(ours[name]),
      theirs: String(theirs[name as keyof typeof theirs]),
      tolerance: f?.tolerance,
      within: false,
      outcome: 'MISMATCH',
      penalty,
      reasonCode,
    });
    expect(result.confidence).toBe(100 - penalty);
    expect(result.confidence).toBeLessThan(85);
    expect(result.fields.filter((x) => x.outcome !== 'EXACT')).toHaveLength(1);
  });

  it('costs 1 for a price within ±1 bp', () => {
    const result = compare({ price: '101.26' });
    expect(field(result.fields, 'price')).toStrictEqual({
      field: 'price',
      ours: '101.25',
      theirs: '101.26',
      tolerance: '±1 bp',
      within: true,
      outcome: 'WITHIN',
      penalty: 1,
    });
    expect(result.confidence).toBe(99);
  });

  it('reports a price near miss (outside 1 bp, inside 10 bp) as PARTIAL DDEA', () => {
    const result = compare({ price: '101.30' });
    expect(field(result.fields, 'price')).toStrictEqual({
      field: 'price',
      ours: '101.25',
      theirs: '101.30',
      tolerance: '±1 bp',
      within: false,
      outcome: 'PARTIAL',
      penalty: 7,
      reasonCode: 'DDEA',
    });
    expect(result.confidence).toBe(93);
  });

  it('reports a net amount near miss (outside the USD band of ±2.32, inside 10×) as PARTIAL DMON', () => {
    const result = compare({ netAmount: '101270.00' });
    expect(field(result.fields, 'netAmount')).toMatchObject({
      outcome: 'PARTIAL',
      reasonCode: 'DMON',
      penalty: 7,
    });
  });

  it('treats an 8-character BIC as the same BIC with branch XXX', () => {
    expect(compare({ counterpartyBic: 'DEUTDEFFXXX' }).confidence).toBe(100);
    expect(compare({ placeOfSettlement: 'DTCYUS33' }).confidence).toBe(100);
  });

  it('reports a counterparty firm BIC differing only in branch as PARTIAL IEXE, in the review band', () => {
    const result = compare({ counterpartyBic: 'DEUTDEFF500' });
    expect(field(result.fields, 'counterpartyBic')).toStrictEqual({
      field: 'counterpartyBic',
      ours: 'DEUTDEFF',
      theirs: 'DEUTDEFF500',
      tolerance: 'exact',
      within: false,
      outcome: 'PARTIAL',
      penalty: 7,
      reasonCode: 'IEXE',
    });
    expect(result.confidence).toBe(93);
  });

  it('does not compare a net amount missing on one side, at no cost', () => {
    const result = compare({ netAmount: undefined });
    expect(field(result.fields, 'netAmount')).toStrictEqual({
      field: 'netAmount',
      ours: '101250.00',
      theirs: null,
      tolerance: '±2.32 USD (≤ 116000) / ±29.00 USD above',
      within: true,
      outcome: 'NOT_COMPARED',
      penalty: 0,
    });
    expect(result.confidence).toBe(100);
  });

  describe('rounding rule', () => {
    it('explains 10.125 vs 10.13 (half-up) as RULE, costing 1', () => {
      const result = compare({ price: '10.13' }, { price: '10.125', netAmount: '10125.00' });
      expect(field(result.fields, 'price')).toStrictEqual({
        field: 'price',
        ours: '10.125',
        theirs: '10.13',
        tolerance: '±1 bp',
        within: false,
        outcome: 'RULE',
        penalty: 1,
        reasonCode: 'DDEA',
        rule: 'rounding',
      });
      expect(result.confidence).toBe(99);
    });

    it('explains 10.125 vs 10.12 (half-even) too', () => {
      const result = compare({ price: '10.12' }, { price: '10.125', netAmount: '10125.00' });
      expect(field(result.fields, 'price')).toMatchObject({ outcome: 'RULE', rule: 'rounding' });
    });

    it('explains a net amount rounded to two places, under a currency-specific exact tolerance', () => {
      // BHD has three minor units (ISO 4217), so 101250.125 is a valid amount; USD would refuse it.
      const strict = buildMatchingPolicy({
        tolerances: { netAmount: { currencies: { BHD: { kind: 'exact' } } } },
      });
      const result = compare(
        { netAmount: '101250.13', currency: 'BHD' },
        { netAmount: '101250.125', currency: 'BHD' },
        strict,
      );
      expect(field(result.fields, 'netAmount')).toStrictEqual({
        field: 'netAmount',
        ours: '101250.125',
        theirs: '101250.13',
        tolerance: 'exact',
        within: false,
        outcome: 'RULE',
        penalty: 1,
        reasonCode: 'DMON',
        rule: 'rounding',
      });
    });

    it('does not apply when disabled', () => {
      const off = buildMatchingPolicy({ rules: { rounding: { enabled: false } } });
      const result = compare({ price: '10.13' }, { price: '10.125', netAmount: '10125.00' }, off);
      expect(field(result.fields, 'price')).toMatchObject({ outcome: 'PARTIAL', reasonCode: 'DDEA' });
    });
  });

  describe('holiday-roll rule', () => {
    const thanksgiving = {
      tradeDate: '2026-11-24',
      settlementDate: '2026-11-26',
      placeOfSettlement: 'DTCYUS33',
    };

    it('explains a settlement date on Thanksgiving rolled to the next business day as RULE DDAT', () => {
      const result = compare({ settlementDate: '2026-11-27' }, thanksgiving);
      expect(field(result.fields, 'settlementDate')).toStrictEqual({
        field: 'settlementDate',
        ours: '2026-11-26',
        theirs: '2026-11-27',
        tolerance: 'exact',
        within: false,
        outcome: 'RULE',
        penalty: 1,
        reasonCode: 'DDAT',
        rule: 'holiday-roll',
      });
      expect(result.confidence).toBe(99);
    });

    it('explains it from either side', () => {
      const result = compare(
        { settlementDate: '2026-11-26' },
        { ...thanksgiving, settlementDate: '2026-11-27' },
      );
      expect(field(result.fields, 'settlementDate')).toMatchObject({ outcome: 'RULE', rule: 'holiday-roll' });
    });

    it('does not explain a date beyond the roll', () => {
      const result = compare({ settlementDate: '2026-11-30' }, thanksgiving);
      expect(field(result.fields, 'settlementDate')).toMatchObject({
        outcome: 'MISMATCH',
        reasonCode: 'DDAT',
      });
    });

    it('does not apply when disabled', () => {
      const off = buildMatchingPolicy({ rules: { holidayRoll: { enabled: false } } });
      const result = compare({ settlementDate: '2026-11-27' }, thanksgiving, off);
      expect(field(result.fields, 'settlementDate')).toMatchObject({
        outcome: 'MISMATCH',
        reasonCode: 'DDAT',
      });
    });

    it('uses the calendar of our place of settlement: Thanksgiving is a TARGET2 business day', () => {
      const result = compare(
        { settlementDate: '2026-11-27', placeOfSettlement: 'DAKVDEFF' },
        {
          ...thanksgiving,
          placeOfSettlement: 'DAKVDEFF',
        },
      );
      expect(field(result.fields, 'settlementDate')).toMatchObject({ outcome: 'MISMATCH' });
    });
  });

  describe('decision boundaries through real comparisons', () => {
    // Two differences within tolerance: 100 − 1 − 1.
    const twoWithin = { price: '101.26', netAmount: '101251.00' };
    // BIC branch (7) + price near miss (7) + net amount within (1).
    const fifteen = { counterpartyBic: 'DEUTDEFF500', price: '101.30', netAmount: '101251.00' };
    const onThanksgiving = { settlementDate: '2026-11-26', placeOfSettlement: 'DTCYUS33' };
    const rolled = { settlementDate: '2026-11-27' };

    function decisionOf(theirs: Partial<TradeRecord>, mine: Partial<TradeRecord> = {}) {
      const r = compare(theirs, mine);
      return { confidence: r.confidence, kind: decide([{ ref: 'COUNTERPARTY#C-1', ...r }], policy).kind };
    }

    it('auto-matches at 98', () => {
      expect(decisionOf(twoWithin)).toStrictEqual({ confidence: 98, kind: 'AUTO_MATCH' });
    });

    it('sends 97 to review', () => {
      expect(decisionOf({ ...twoWithin, ...rolled }, onThanksgiving)).toStrictEqual({
        confidence: 97,
        kind: 'REVIEW',
      });
    });

    it('sends 85 to review', () => {
      expect(decisionOf(fifteen)).toStrictEqual({ confidence: 85, kind: 'REVIEW' });
    });

    it('raises an exception at 84', () => {
      expect(decisionOf({ ...fifteen, ...rolled }, onThanksgiving)).toStrictEqual({
        confidence: 84,
        kind: 'EXCEPTION',
      });
    });
  });

  it('picks the tolerance for our trade currency before the default', () => {
    const p = buildMatchingPolicy({
      tolerances: { price: { currencies: { JPY: { kind: 'absolute', tiers: [{ amount: '1' }] } } } },
    });
    const yen = { currency: 'JPY', price: '1500', netAmount: '1500000' };
    const jp = compare({ price: '1501', netAmount: '1500000' }, yen, p);
    expect(field(jp.fields, 'price')).toMatchObject({ outcome: 'WITHIN', tolerance: '±1 JPY' });
    const us = compare({ price: '101.26' }, {}, p);
    expect(field(us.fields, 'price')).toMatchObject({ outcome: 'WITHIN', tolerance: '±1 bp' });
  });

  it('clamps the confidence at 0', () => {
    const result = compare({
      quantity: '5',
      price: '1',
      netAmount: '5',
      currency: 'EUR',
      settlementDate: '2026-12-30',
      counterpartyBic: 'BNPAFRPP',
      placeOfSettlement: 'CEDELULL',
      settlementType: 'FOP',
    });
    expect(result.confidence).toBe(0);
  });
});
