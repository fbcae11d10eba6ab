import { beforeEach, describe, expect, it } from 'vitest';
import type { TradeInput } from '../../src/settlement/model.ts';
import { buildReport } from '../../src/settlement/report.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { amendTrade, ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { matchMany } from '../../src/settlement/services/match-trade.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { viewTrade } from '../../src/settlement/services/trade-view.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let clock: TestClock;
let deps: SettlementDeps;

beforeEach(async () => {
  table = await createTestTable();
  clock = new TestClock('2026-07-02T14:00:00.000Z');
  deps = settlementDeps(table.store, clock);
});

async function stored(ref: string) {
  const trade = await table.store.getTrade(ref);
  if (trade === undefined) throw new Error(`no ${ref}`);
  return trade;
}

async function matchOf(tradeId: string) {
  const trade = await stored(`INTERNAL#${tradeId}`);
  return trade.matchId === undefined ? undefined : table.store.getMatch(trade.matchId);
}

async function ingestPair(ours: TradeInput, theirs: TradeInput = aCounterpartyRecordOf(ours)) {
  return ingestTrades(deps, rowsOf(ours, theirs));
}

const EU_PLACE = { placeOfSettlement: 'DAKVDEFF', currency: 'EUR', isin: 'DE0007164600', desk: 'EQ-EU' };

describe('settlement-date checks at ingest and matching', () => {
  it('keeps the warnings on both trades and sends an agreed pair on a closed day (3 Jul 2026, NYSE) to review, stating why', async () => {
    const ours = aTrade({ tradeDate: '2026-07-02', settlementDate: '2026-07-03' });
    const summary = await ingestPair(ours);
    const warnings = [
      'settlement date 2026-07-03 is not a business day in US (Independence Day)',
      'settlement date 2026-07-03 is off the standard cycle: T+1 for US equity traded 2026-07-02 gives 2026-07-06',
    ];
    const match = await matchOf('T-10042');
    expect([
      summary.matching.AUTO_MATCHED,
      summary.matching.PENDING_REVIEW,
      (await stored('INTERNAL#T-10042')).dateWarnings,
      (await stored('COUNTERPARTY#C-T-10042')).dateWarnings,
      match?.status,
      match?.confidence,
      match?.reviewReasons,
    ]).toStrictEqual([0, 1, warnings, warnings, 'PENDING_REVIEW', 100, warnings]);
    const alert = (await table.store.listPendingOutbox({ limit: 10 })).items.find(
      (o) => o.kind === 'REVIEW_REQUESTED',
    );
    expect(alert?.payload.reviewReasons).toStrictEqual(warnings);
    const audit = await table.store.listAudit('INTERNAL#T-10042');
    expect(audit[0]?.details.dateWarnings).toStrictEqual(warnings);
  });

  it.each([
    ['Good Friday on TARGET2', { ...EU_PLACE, tradeDate: '2026-04-01', settlementDate: '2026-04-03' }],
    ['1 May on TARGET2', { ...EU_PLACE, tradeDate: '2026-04-29', settlementDate: '2026-05-01' }],
    [
      'EU at T+2 on 11 Oct 2027, the first T+1 day',
      { ...EU_PLACE, tradeDate: '2027-10-11', settlementDate: '2027-10-13' },
    ],
    [
      'UK at T+2 on 11 Oct 2027',
      {
        ...EU_PLACE,
        placeOfSettlement: 'CRSTGB22',
        currency: 'GBP',
        isin: 'GB0002634946',
        tradeDate: '2027-10-11',
        settlementDate: '2027-10-13',
      },
    ],
    ['US at T+0', { tradeDate: '2026-11-24', settlementDate: '2026-11-24' }],
    ['US at T+10', { tradeDate: '2026-11-24', settlementDate: '2026-12-09' }],
  ])('sends an agreed pair off-cycle or on a closed day to review: %s', async (_case, fields) => {
    await ingestPair(aTrade(fields));
    const match = await matchOf('T-10042');
    expect([match?.status, (match?.reviewReasons ?? []).length > 0]).toStrictEqual(['PENDING_REVIEW', true]);
  });

  it.each([
    [
      'EU at T+2 on 8 Oct 2027, the last T+2 day',
      { ...EU_PLACE, tradeDate: '2027-10-08', settlementDate: '2027-10-12' },
    ],
    ['EU at T+1 on 11 Oct 2027', { ...EU_PLACE, tradeDate: '2027-10-11', settlementDate: '2027-10-12' }],
    [
      'US at T+1 on 2 Jul 2026, over the closed 3 Jul',
      { tradeDate: '2026-07-02', settlementDate: '2026-07-06' },
    ],
  ])('auto-matches an agreed pair on the standard cycle: %s', async (_case, fields) => {
    await ingestPair(aTrade(fields));
    const match = await matchOf('T-10042');
    expect([
      match?.status,
      match?.reviewReasons,
      (await stored('INTERNAL#T-10042')).dateWarnings,
    ]).toStrictEqual(['AUTO_MATCHED', undefined, undefined]);
  });

  it('does not auto-match a DVP confirmation without a net amount on the other fields alone', async () => {
    const ours = aTrade();
    await ingestPair(ours, aCounterpartyRecordOf(ours, { netAmount: undefined }));
    const match = await matchOf('T-10042');
    expect([match?.status, match?.reviewReasons]).toStrictEqual([
      'PENDING_REVIEW',
      ['DVP confirmation without a net amount: the cash leg was not compared'],
    ]);
  });
});

describe('instructions after a holiday roll', () => {
  it('instructs the rolled date (Thanksgiving 26 Nov 2026 → 27 Nov) and audits both dates on the match', async () => {
    clock.set('2026-11-25T14:00:00.000Z');
    const ours = aTrade({ tradeDate: '2026-11-25', settlementDate: '2026-11-26' });
    await ingestPair(ours, aCounterpartyRecordOf(ours, { settlementDate: '2026-11-27' }));
    const match = await matchOf('T-10042');
    if (match === undefined) throw new Error('no match');
    const instruction = await table.store.getInstruction(`SI|${match.matchId}`);
    const audit = await table.store.listAudit(match.matchId);
    expect([
      match.status,
      instruction?.settlementDate,
      instruction?.rolledFrom,
      audit[0]?.details.instruction,
    ]).toStrictEqual([
      'AUTO_MATCHED',
      '2026-11-27',
      '2026-11-26',
      { settlementDate: '2026-11-27', rolledFrom: '2026-11-26' },
    ]);
  });

  it('instructs the date as booked when it is a business day, with no rolledFrom', async () => {
    await ingestPair(aTrade({ tradeDate: '2026-07-02', settlementDate: '2026-07-06' }));
    const match = await matchOf('T-10042');
    const instruction = await table.store.getInstruction(`SI|${match?.matchId}`);
    expect([instruction?.settlementDate, instruction?.rolledFrom]).toStrictEqual(['2026-07-06', undefined]);
  });
});

describe('reason codes for a trade without a counterpart in its block', () => {
  // Trade date 2026-11-24 (US): deadline 21:00 New York = 2026-11-25T02:00Z.
  const PAST_DEADLINE = '2026-11-25T02:00:00.000Z';

  async function sweptException(theirs: TradeInput | undefined) {
    clock.set('2026-11-24T15:00:00.000Z');
    const ours = aTrade();
    await ingestTrades(deps, rowsOf(...(theirs === undefined ? [ours] : [ours, theirs])));
    clock.set(PAST_DEADLINE);
    const swept = await sweepSla(deps);
    const [view] = await viewTrade(table.store, 'T-10042');
    const e = view?.exceptions[0];
    return { swept, e: e && [e.type, e.reasonCode, e.counterpartyRef, e.ours, e.theirs] };
  }

  it.each([
    [
      'the same direction',
      { side: 'BUY' as const },
      ['DIRECTION', 'DELN', 'COUNTERPARTY#C-T-10042', 'BUY', 'BUY'],
    ],
    [
      'another ISIN',
      { isin: 'US5949181045' },
      ['SECURITY', 'DSEC', 'COUNTERPARTY#C-T-10042', 'US0378331005', 'US5949181045'],
    ],
    [
      'another trade date',
      { tradeDate: '2026-11-23', settlementDate: '2026-11-24' },
      ['TRADE_DATE', 'DTRD', 'COUNTERPARTY#C-T-10042', '2026-11-24', '2026-11-23'],
    ],
  ])('raises the near miss when their record has %s, not CMIS', async (_case, change, expected) => {
    const { swept, e } = await sweptException(aCounterpartyRecordOf(aTrade(), change));
    expect([e, swept.missingCounterparty, swept.nearMisses]).toStrictEqual([expected, 1, 1]);
  });

  it('raises CMIS only when no record of that counterparty and quantity exists at all', async () => {
    const unrelated = aCounterpartyRecordOf(aTrade(), {
      quantity: '999',
      netAmount: '101148.75',
      isin: 'US5949181045',
    });
    const { swept, e } = await sweptException(unrelated);
    expect([e, swept.nearMisses]).toStrictEqual([
      ['NO_COUNTERPARTY_INSTRUCTION', 'CMIS', undefined, null, null],
      0,
    ]);
  });

  it('reports unmatched counterparty records past their deadline as orphans, by age', async () => {
    const { swept } = await sweptException(aCounterpartyRecordOf(aTrade(), { side: 'BUY' }));
    expect(swept.orphans).toStrictEqual({
      count: 1,
      byAge: { under1h: 0, from1hTo4h: 0, over4h: 1 },
      oldest: [
        {
          ref: 'COUNTERPARTY#C-T-10042',
          counterpartyBic: 'DEUTDEFF',
          receivedAt: '2026-11-24T15:00:00.000Z',
        },
      ],
    });
  });

  it('raises FRAP for DVP against FOP', async () => {
    const ours = aTrade();
    await ingestPair(ours, aCounterpartyRecordOf(ours, { settlementType: 'FOP', netAmount: undefined }));
    const [view] = await viewTrade(table.store, 'T-10042');
    expect(view?.exceptions.map((e) => [e.type, e.reasonCode])).toStrictEqual([['SETTLEMENT_TYPE', 'FRAP']]);
  });
});

describe('instrument class and STP', () => {
  it('prices a bond exception on face × price / 100', async () => {
    clock.set('2026-11-24T15:00:00.000Z');
    const bond = aTrade({
      isin: 'US91282CJZ59',
      instrumentClass: 'BOND',
      quantity: '1000000',
      price: '99.50',
      netAmount: '995000.00',
      placeOfSettlement: 'FRNYUS33',
    });
    await ingestPair(bond, aCounterpartyRecordOf(bond, { quantity: '900000', netAmount: '895500.00' }));
    const [view] = await viewTrade(table.store, 'T-10042');
    // 995,000 is under the 1,000,000 medium band: P4 with ~11 h left (99.5 million would be P2).
    expect(view?.exceptions.map((e) => [e.reasonCode, e.notional, e.priority]).sort()).toStrictEqual([
      ['DMON', '995000', 'P4'],
      ['DQUA', '995000', 'P4'],
    ]);
  });

  it('counts a trade repaired by an amendment and then matched as matched, not STP', async () => {
    clock.set('2026-11-24T15:00:00.000Z');
    const ours = aTrade({ quantity: '900', netAmount: '91125.00' });
    const clean = aTrade({ tradeId: 'T-2', isin: 'US5949181045' });
    await ingestTrades(
      deps,
      rowsOf(ours, aCounterpartyRecordOf(aTrade()), clean, aCounterpartyRecordOf(clean)),
    );
    const amended = await amendTrade(deps, aTrade(), 'principal:ops-anna');
    await matchMany(deps, amended.rematch);
    const report = buildReport(await table.store.listDay('2026-11-24'), {
      tradeDate: '2026-11-24',
      now: clock.now().toISOString(),
    });
    expect([
      (await stored('INTERNAL#T-10042')).repairedBy,
      report.matching.autoMatched,
      report.matchRate,
      report.stpRate,
    ]).toStrictEqual(['principal:ops-anna', 2, '100.0', '50.0']);
  });
});
