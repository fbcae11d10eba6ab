import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import {
  compareTrades,
  confidencesAgainst,
  DEFAULT_MATCHING_POLICY,
  lazilyScored,
} from '../../../src/settlement/matching/index.ts';
import { aCounterpartyRecordOf, aTrade, type TradeRecord } from '../../support/trade-factory.ts';

const calendars = new CalendarRegistry();
const policy = DEFAULT_MATCHING_POLICY;

const ours = aTrade({ tradeId: 'T-1', quantity: '1000', price: '101.25', netAmount: '101250.00' });
// Records spanning every outcome: exact, within tolerance, near miss, breaks, rounding, branch BIC,
// holiday roll, a missing amount, values beyond the fast path's exact range.
const variants: Partial<TradeRecord>[] = [
  {},
  { price: '101.2501' },
  { price: '101.31' },
  { price: '103.00' },
  { price: '101.3' },
  { quantity: '1001' },
  { netAmount: '101251.50' },
  { netAmount: '101290.00' },
  { netAmount: undefined },
  { counterpartyBic: 'DEUTDEFF500' },
  { counterpartyBic: 'BNPAFRPP' },
  { currency: 'EUR' },
  { settlementType: 'FOP' },
  { placeOfSettlement: 'DAKVDEFF' },
  { settlementDate: '2026-11-26' },
  { quantity: '123456789012345678', netAmount: '12499999999999999999.99' },
];
const records = variants.map((v, i) => aCounterpartyRecordOf(ours, { tradeId: `C-${i}`, ...v }));

describe('confidencesAgainst', () => {
  it('gives the confidence compareTrades gives, from our side and from the record side', () => {
    const fromOurs = confidencesAgainst(ours, records, policy, calendars);
    const expected = records.map((r) => compareTrades(ours, r, policy, calendars).confidence);
    expect(fromOurs).toStrictEqual(expected);
    expect(new Set(expected).size).toBeGreaterThanOrEqual(6);

    const twins = [
      ours,
      aTrade({ tradeId: 'T-2', price: '101.30' }),
      aTrade({ tradeId: 'T-3', quantity: '5' }),
    ];
    for (const record of records) {
      expect(confidencesAgainst(record, twins, policy, calendars)).toStrictEqual(
        twins.map((t) => compareTrades(t, record, policy, calendars).confidence),
      );
    }
  });

  it('is empty for no candidates', () => {
    expect(confidencesAgainst(ours, [], policy, calendars)).toStrictEqual([]);
  });
});

describe('lazilyScored', () => {
  it('builds the field details once, on first read', () => {
    const record = records[2] as TradeRecord;
    const full = compareTrades(ours, record, policy, calendars);
    const scored = lazilyScored('COUNTERPARTY#C-2', full.confidence, ours, record, policy, calendars);
    expect(scored.fields).toStrictEqual(full.fields);
    expect(scored.fields).toBe(scored.fields);
  });

  it('fails, writing nothing, when the confidence it was scored with is not the full one', () => {
    const scored = lazilyScored('COUNTERPARTY#C-3', 100, ours, records[3] as TradeRecord, policy, calendars);
    expect(() => scored.fields).toThrow(
      /internal error: COUNTERPARTY#C-3 scored 100 on the fast path and \d+ in full/,
    );
  });
});
