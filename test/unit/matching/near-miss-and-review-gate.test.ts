import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import { compareTrades, DEFAULT_MATCHING_POLICY } from '../../../src/settlement/matching/index.ts';
import { bestNearMiss, classifyNearMiss, nearMissKey } from '../../../src/settlement/matching/near-miss.ts';
import { reviewReasons } from '../../../src/settlement/matching/review-gate.ts';
import { aCounterpartyRecordOf, aTrade } from '../../support/trade-factory.ts';

const ours = aTrade();

describe('classifyNearMiss', () => {
  it.each([
    [
      'the same direction as ours',
      { side: 'BUY' as const },
      { kind: 'DIRECTION', ours: 'BUY', theirs: 'BUY' },
    ],
    [
      'another ISIN, same trade and settlement dates',
      { isin: 'US5949181045' },
      { kind: 'SECURITY', ours: 'US0378331005', theirs: 'US5949181045' },
    ],
    [
      'another trade date',
      { tradeDate: '2026-11-23', settlementDate: '2026-11-24' },
      { kind: 'TRADE_DATE', ours: '2026-11-24', theirs: '2026-11-23' },
    ],
  ])('finds a record with %s', (_what, change, expected) => {
    expect(classifyNearMiss(ours, aCounterpartyRecordOf(ours, change))).toStrictEqual(expected);
  });

  it.each([
    ['two key fields wrong', { isin: 'US5949181045', side: 'BUY' as const }],
    ['another currency', { side: 'BUY' as const, currency: 'EUR' }],
    ['another ISIN settling another day', { isin: 'US5949181045', settlementDate: '2026-11-27' }],
    ['nothing wrong on the key (it was in our block)', {}],
  ])('finds nothing in a record with %s', (_what, change) => {
    expect(classifyNearMiss(ours, aCounterpartyRecordOf(ours, change))).toBeUndefined();
  });

  it('prefers a direction miss to a security miss, whatever the order', () => {
    const security = aCounterpartyRecordOf(ours, { tradeId: 'C-1', isin: 'US5949181045' });
    const direction = aCounterpartyRecordOf(ours, { tradeId: 'C-2', side: 'BUY' });
    expect(bestNearMiss(ours, [security, direction])?.record.tradeId).toBe('C-2');
    expect(bestNearMiss(ours, [direction, security])?.record.tradeId).toBe('C-2');
  });

  it('groups by counterparty firm without branch and by quantity as a number', () => {
    expect(nearMissKey({ counterpartyBic: 'DEUTDEFFXXX', quantity: '1000.00' })).toBe(
      nearMissKey({ counterpartyBic: 'DEUTDEFF', quantity: '1000' }),
    );
  });
});

describe('reviewReasons', () => {
  const calendars = new CalendarRegistry();
  const fieldsOf = (a: ReturnType<typeof aTrade>, b: ReturnType<typeof aTrade>) =>
    compareTrades(a, b, DEFAULT_MATCHING_POLICY, calendars).fields;

  it('holds an agreed pair whose date carries a warning, with the warning as the reason', () => {
    const warning = 'settlement date 2026-07-03 is not a business day in US (Independence Day)';
    const booked = aTrade({ tradeDate: '2026-07-02', settlementDate: '2026-07-03' });
    const internal = { ...booked, dateWarnings: [warning] };
    const theirs = { ...aCounterpartyRecordOf(booked), dateWarnings: [warning] };
    expect(reviewReasons(internal, theirs, fieldsOf(internal, theirs))).toStrictEqual([warning]);
  });

  it('leaves a pair whose dates differ to the comparison (a break or a holiday roll, not agreement)', () => {
    const internal = aTrade();
    const theirs = {
      ...aCounterpartyRecordOf(internal, { settlementDate: '2026-11-26' }),
      dateWarnings: ['x'],
    };
    expect(reviewReasons(internal, theirs, fieldsOf(internal, theirs))).toStrictEqual([]);
  });

  it('holds a DVP confirmation without a net amount, but not an FOP one', () => {
    const dvp = aTrade();
    const dvpTheirs = aCounterpartyRecordOf(dvp, { netAmount: undefined });
    const fop = aTrade({ settlementType: 'FOP', netAmount: undefined });
    const fopTheirs = aCounterpartyRecordOf(fop);
    expect([
      reviewReasons(dvp, dvpTheirs, fieldsOf(dvp, dvpTheirs)),
      reviewReasons(fop, fopTheirs, fieldsOf(fop, fopTheirs)),
      reviewReasons(dvp, aCounterpartyRecordOf(dvp), fieldsOf(dvp, aCounterpartyRecordOf(dvp))),
    ]).toStrictEqual([['DVP confirmation without a net amount: the cash leg was not compared'], [], []]);
  });
});
