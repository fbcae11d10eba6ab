import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/cli/format/report.ts';
import type { Match, SettlementException, Trade } from '../../../src/settlement/model.ts';
import { buildReport, percent, type SettlementReport } from '../../../src/settlement/report.ts';
import type { DayRecords } from '../../../src/settlement/store/settlement-store.ts';
import { aMatch, anException, aStoredTrade } from '../../support/settlement-records.ts';

const TRADE_DATE = '2026-11-24';
const NOW = '2026-11-24T20:00:00.000Z';

function day(records: Partial<DayRecords>): DayRecords {
  return { trades: [], matches: [], exceptions: [], instructions: [], ...records };
}

function internal(id: string, status: Trade['status'], more: Parameters<typeof aStoredTrade>[0] = {}): Trade {
  return aStoredTrade({ tradeId: id, source: 'INTERNAL', status, ...more });
}

function counterparty(id: string): Trade {
  return aStoredTrade({ tradeId: id, source: 'COUNTERPARTY', side: 'SELL', status: 'MATCHED' });
}

function matchOf(id: string, status: Match['status']): Match {
  return aMatch({ matchId: id, status });
}

/** An exception of the day, open unless `more` says otherwise. */
function openException(id: string, more: Parameters<typeof anException>[0] = {}): SettlementException {
  return anException({ exceptionId: id, ...more });
}

const EMPTY_REPORT: SettlementReport = {
  tradeDate: TRADE_DATE,
  dateBasis: 'given',
  desk: null,
  generatedAt: NOW,
  trades: { internal: 0, counterparty: 0 },
  matching: { autoMatched: 0, approved: 0, pendingReview: 0, rejected: 0, unmatched: 0, inException: 0 },
  matchRate: '0.0',
  stpRate: '0.0',
  exceptions: {
    open: 0,
    autoResolved: 0,
    resolved: 0,
    openByType: {},
    openByAge: { under1h: 0, from1hTo4h: 0, over4h: 0 },
  },
  sla: { warnings: 0, breaches: 0, nextDeadlines: [] },
  topCounterparties: [],
  orphans: { count: 0, byAge: { under1h: 0, from1hTo4h: 0, over4h: 0 }, oldest: [] },
};

describe('buildReport', () => {
  it('reports a day without trades with 0.0 rates', () => {
    expect(buildReport(day({}), { tradeDate: TRADE_DATE, now: NOW })).toStrictEqual(EMPTY_REPORT);
  });

  it('counts trades by source and internal trades by state', () => {
    const records = day({
      trades: [
        internal('T-1', 'MATCHED', { matchId: 'M-1' }),
        internal('T-2', 'MATCHED', { matchId: 'M-2' }),
        internal('T-3', 'PENDING_REVIEW', { matchId: 'M-3' }),
        internal('T-4', 'EXCEPTION'),
        internal('T-5', 'UNMATCHED'),
        counterparty('C-1'),
        counterparty('C-2'),
      ],
      matches: [
        matchOf('M-1', 'AUTO_MATCHED'),
        matchOf('M-2', 'APPROVED'),
        matchOf('M-3', 'PENDING_REVIEW'),
        matchOf('M-4', 'REJECTED'),
        matchOf('M-5', 'REJECTED'),
      ],
    });
    expect(buildReport(records, { tradeDate: TRADE_DATE, now: NOW })).toStrictEqual<SettlementReport>({
      ...EMPTY_REPORT,
      trades: { internal: 5, counterparty: 2 },
      matching: { autoMatched: 1, approved: 1, pendingReview: 1, rejected: 2, unmatched: 1, inException: 1 },
      matchRate: '40.0',
      stpRate: '20.0',
    });
  });

  it('gives 2 of 3 matched as 66.7 and 1 of 3 straight through as 33.3', () => {
    const records = day({
      trades: [
        internal('T-1', 'MATCHED', { matchId: 'M-1' }),
        internal('T-2', 'MATCHED', { matchId: 'M-2' }),
        internal('T-3', 'UNMATCHED'),
      ],
      matches: [matchOf('M-1', 'AUTO_MATCHED'), matchOf('M-2', 'APPROVED')],
    });
    const report = buildReport(records, { tradeDate: TRADE_DATE, now: NOW });
    expect([report.matchRate, report.stpRate]).toStrictEqual(['66.7', '33.3']);
  });

  it('counts a matched trade whose match is not in the day as approved, not straight through', () => {
    const records = day({ trades: [internal('T-1', 'MATCHED', { matchId: 'M-elsewhere' })] });
    const report = buildReport(records, { tradeDate: TRADE_DATE, now: NOW });
    expect([
      report.matching.autoMatched,
      report.matching.approved,
      report.matchRate,
      report.stpRate,
    ]).toStrictEqual([0, 1, '100.0', '0.0']);
  });

  it('gives 0.0 rates when only counterparty records arrived', () => {
    const report = buildReport(day({ trades: [counterparty('C-1')] }), { tradeDate: TRADE_DATE, now: NOW });
    expect([report.trades, report.matchRate, report.stpRate]).toStrictEqual([
      { internal: 0, counterparty: 1 },
      '0.0',
      '0.0',
    ]);
  });

  it('counts open exceptions by type, and auto-resolved and resolved ones apart', () => {
    const records = day({
      exceptions: [
        openException('X-1', { type: 'PRICE' }),
        openException('X-2', { type: 'PRICE', status: 'ESCALATED' }),
        openException('X-3', { type: 'QUANTITY', reasonCode: 'DQUA' }),
        openException('X-4', {
          type: 'SETTLEMENT_DATE',
          status: 'AUTO_RESOLVED',
          resolution: { by: 'system:auto-resolver', at: NOW, how: 'HOLIDAY_ROLL' },
        }),
        openException('X-5', {
          type: 'CURRENCY',
          status: 'RESOLVED',
          resolution: { by: 'principal:U1', at: NOW, how: 'manual' },
        }),
        openException('X-6', {
          type: 'CURRENCY',
          status: 'RESOLVED',
          resolution: { by: 'principal:U1', at: NOW, how: 'amended' },
        }),
      ],
    });
    const report = buildReport(records, { tradeDate: TRADE_DATE, now: NOW });
    expect(report.exceptions).toStrictEqual<SettlementReport['exceptions']>({
      open: 3,
      autoResolved: 1,
      resolved: 2,
      openByType: { PRICE: 2, QUANTITY: 1 },
      openByAge: { under1h: 0, from1hTo4h: 0, over4h: 3 },
    });
  });

  it('buckets open exceptions by age at the 1 h and 4 h edges', () => {
    const records = day({
      exceptions: [
        openException('X-new', { createdAt: '2026-11-24T20:00:00.000Z' }),
        openException('X-59m', { createdAt: '2026-11-24T19:00:00.001Z' }),
        openException('X-1h', { createdAt: '2026-11-24T19:00:00.000Z' }),
        openException('X-4h', { createdAt: '2026-11-24T16:00:00.000Z' }),
        openException('X-4h+', { createdAt: '2026-11-24T15:59:59.999Z' }),
        openException('X-resolved', {
          createdAt: '2026-11-24T19:30:00.000Z',
          status: 'RESOLVED',
          resolution: { by: 'principal:U1', at: NOW, how: 'manual' },
        }),
      ],
    });
    expect(buildReport(records, { tradeDate: TRADE_DATE, now: NOW }).exceptions.openByAge).toStrictEqual({
      under1h: 2,
      from1hTo4h: 2,
      over4h: 1,
    });
  });

  it('tells SLA warnings from breaches', () => {
    const records = day({
      exceptions: [
        openException('X-quiet'),
        openException('X-warned', { warnedAt: '2026-11-24T23:12:00.000Z' }),
        openException('X-breached', {
          warnedAt: '2026-11-24T23:12:00.000Z',
          breachedAt: '2026-11-25T02:00:00.000Z',
        }),
        openException('X-breached-then-resolved', {
          status: 'RESOLVED',
          warnedAt: '2026-11-24T23:12:00.000Z',
          breachedAt: '2026-11-25T02:00:00.000Z',
          resolution: { by: 'principal:U1', at: '2026-11-25T03:00:00.000Z', how: 'manual' },
        }),
        openException('X-warned-then-resolved', {
          status: 'RESOLVED',
          warnedAt: '2026-11-24T23:12:00.000Z',
          resolution: { by: 'principal:U1', at: '2026-11-24T23:30:00.000Z', how: 'manual' },
        }),
      ],
    });
    const sla = buildReport(records, { tradeDate: TRADE_DATE, now: NOW }).sla;
    expect([sla.warnings, sla.breaches]).toStrictEqual([1, 2]);
  });

  it('lists the five soonest deadlines of open, unbreached exceptions, ties by id', () => {
    const records = day({
      exceptions: [
        openException('X-g', { slaDeadline: '2026-11-25T07:00:00.000Z', priority: 'P4' }),
        openException('X-f', { slaDeadline: '2026-11-25T06:00:00.000Z', priority: 'P4' }),
        openException('X-e', { slaDeadline: '2026-11-25T05:00:00.000Z', priority: 'P3' }),
        openException('X-d', { slaDeadline: '2026-11-25T04:00:00.000Z', priority: 'P3' }),
        openException('X-c', { slaDeadline: '2026-11-25T03:00:00.000Z', priority: 'P2' }),
        openException('X-b', { slaDeadline: '2026-11-25T03:00:00.000Z', priority: 'P1' }),
        openException('X-a', {
          slaDeadline: '2026-11-25T01:00:00.000Z',
          breachedAt: '2026-11-25T01:00:00.000Z',
        }),
        openException('X-0', {
          slaDeadline: '2026-11-25T00:00:00.000Z',
          status: 'RESOLVED',
          resolution: { by: 'principal:U1', at: NOW, how: 'manual' },
        }),
      ],
    });
    expect(buildReport(records, { tradeDate: TRADE_DATE, now: NOW }).sla.nextDeadlines).toStrictEqual([
      { exceptionId: 'X-b', deadline: '2026-11-25T03:00:00.000Z', priority: 'P1' },
      { exceptionId: 'X-c', deadline: '2026-11-25T03:00:00.000Z', priority: 'P2' },
      { exceptionId: 'X-d', deadline: '2026-11-25T04:00:00.000Z', priority: 'P3' },
      { exceptionId: 'X-e', deadline: '2026-11-25T05:00:00.000Z', priority: 'P3' },
      { exceptionId: 'X-f', deadline: '2026-11-25T06:00:00.000Z', priority: 'P4' },
    ]);
  });

  it('ranks counterparties by open breaks, ties by BIC, at most five', () => {
    const bics = ['DEUTDEFF', 'COBADEFF', 'BNPAFRPP', 'BARCGB22', 'CITIUS33', 'HSBCGB2L', 'UBSWCHZH'];
    const trades = bics.map((bic, i) => internal(`T-${i}`, 'EXCEPTION', { counterpartyBic: bic }));
    const breaks: Record<string, number> = {
      DEUTDEFF: 1,
      COBADEFF: 3,
      BNPAFRPP: 2,
      BARCGB22: 2,
      CITIUS33: 1,
      HSBCGB2L: 1,
      UBSWCHZH: 0,
    };
    const exceptions = trades.flatMap((t) =>
      Array.from({ length: breaks[t.counterpartyBic] ?? 0 }, (_, n) =>
        openException(`X-${t.tradeId}-${n}`, { tradeRef: `INTERNAL#${t.tradeId}` }),
      ),
    );
    // Closed breaks and breaks of trades outside the day do not count.
    exceptions.push(
      openException('X-closed', {
        tradeRef: 'INTERNAL#T-6',
        status: 'RESOLVED',
        resolution: { by: 'principal:U1', at: NOW, how: 'manual' },
      }),
      openException('X-elsewhere', { tradeRef: 'INTERNAL#T-unknown' }),
    );
    expect(
      buildReport(day({ trades, exceptions }), { tradeDate: TRADE_DATE, now: NOW }).topCounterparties,
    ).toStrictEqual([
      { bic: 'COBADEFF', openBreaks: 3 },
      { bic: 'BARCGB22', openBreaks: 2 },
      { bic: 'BNPAFRPP', openBreaks: 2 },
      { bic: 'CITIUS33', openBreaks: 1 },
      { bic: 'DEUTDEFF', openBreaks: 1 },
    ]);
  });

  it('names the desk when one is given', () => {
    expect(buildReport(day({}), { tradeDate: TRADE_DATE, desk: 'EQ-US', now: NOW })).toStrictEqual({
      ...EMPTY_REPORT,
      desk: 'EQ-US',
    });
  });
});

describe('buildReport: STP and orphans', () => {
  it('counts a trade repaired by an amendment or by a rejected pairing, then auto-matched, as matched but not STP', () => {
    const records = day({
      trades: [
        internal('T-1', 'MATCHED', { matchId: 'M-1' }),
        internal('T-2', 'MATCHED', { matchId: 'M-2', repairedBy: 'principal:ops-anna' }),
        internal('T-3', 'MATCHED', { matchId: 'M-3', rejectedCandidates: ['COUNTERPARTY#C-9'] }),
        internal('T-4', 'MATCHED', { matchId: 'M-4' }),
        counterparty('C-1'),
        counterparty('C-2'),
      ],
      matches: ['M-1', 'M-2', 'M-3', 'M-4'].map((id) => matchOf(id, 'AUTO_MATCHED')),
    });
    const r = buildReport(records, { tradeDate: TRADE_DATE, now: NOW });
    // T-2 was amended, T-3 had a pairing rejected by a reviewer: matched, not straight-through.
    expect([r.matching.autoMatched, r.matchRate, r.stpRate]).toStrictEqual([4, '100.0', '50.0']);
  });

  it('reports unmatched counterparty records by age, oldest first, and states the date basis', () => {
    const orphan = (id: string, createdAt: string) =>
      aStoredTrade({ tradeId: id, source: 'COUNTERPARTY', side: 'SELL', status: 'UNMATCHED', createdAt });
    const records = day({
      trades: [
        orphan('C-7', '2026-11-24T19:30:00.000Z'),
        orphan('C-8', '2026-11-24T17:00:00.000Z'),
        orphan('C-9', '2026-11-24T12:00:00.000Z'),
        counterparty('C-1'),
      ],
    });
    const r = buildReport(records, {
      tradeDate: TRADE_DATE,
      now: NOW,
      dateBasis: 'today in Asia/Tokyo (desk EQ-APAC)',
    });
    expect([r.dateBasis, r.orphans]).toStrictEqual([
      'today in Asia/Tokyo (desk EQ-APAC)',
      {
        count: 3,
        byAge: { under1h: 1, from1hTo4h: 1, over4h: 1 },
        oldest: [
          { ref: 'COUNTERPARTY#C-9', counterpartyBic: 'DEUTDEFF', receivedAt: '2026-11-24T12:00:00.000Z' },
          { ref: 'COUNTERPARTY#C-8', counterpartyBic: 'DEUTDEFF', receivedAt: '2026-11-24T17:00:00.000Z' },
          { ref: 'COUNTERPARTY#C-7', counterpartyBic: 'DEUTDEFF', receivedAt: '2026-11-24T19:30:00.000Z' },
        ],
      },
    ]);
  });
});

describe('percent', () => {
  it.each([
    [2, 3, '66.7'],
    [1, 3, '33.3'],
    [1, 16, '6.3'],
    [1, 8, '12.5'],
    [1, 2000, '0.1'],
    [1, 2001, '0.0'],
    [5, 5, '100.0'],
    [0, 5, '0.0'],
    [0, 0, '0.0'],
    [3, 0, '0.0'],
  ])('gives %i of %i as %s', (part, whole, expected) => {
    expect(percent(part, whole)).toBe(expected);
  });
});

describe('formatReport', () => {
  const report: SettlementReport = {
    tradeDate: TRADE_DATE,
    dateBasis: 'today in America/New_York (desk EQ-US)',
    desk: 'EQ-US',
    generatedAt: NOW,
    trades: { internal: 40, counterparty: 38 },
    matching: { autoMatched: 30, approved: 4, pendingReview: 2, rejected: 1, unmatched: 3, inException: 1 },
    matchRate: '85.0',
    stpRate: '75.0',
    exceptions: {
      open: 5,
      autoResolved: 6,
      resolved: 7,
      openByType: { QUANTITY: 1, PRICE: 4 },
      openByAge: { under1h: 2, from1hTo4h: 2, over4h: 1 },
    },
    sla: {
      warnings: 2,
      breaches: 1,
      nextDeadlines: [
        { exceptionId: 'X|INTERNAL#T-1|price', deadline: '2026-11-25T02:00:00.000Z', priority: 'P1' },
      ],
    },
    topCounterparties: [
      { bic: 'COBADEFF', openBreaks: 3 },
      { bic: 'DEUTDEFF', openBreaks: 2 },
    ],
    orphans: {
      count: 2,
      byAge: { under1h: 1, from1hTo4h: 0, over4h: 1 },
      oldest: [
        { ref: 'COUNTERPARTY#C-9', counterpartyBic: 'COBADEFF', receivedAt: '2026-11-24T12:00:00.000Z' },
        { ref: 'COUNTERPARTY#C-7', counterpartyBic: 'DEUTDEFF', receivedAt: '2026-11-24T19:30:00.000Z' },
      ],
    },
  };

  it('renders every key number', () => {
    expect(formatReport(report)).toBe(
      [
        'Settlement report — trade date 2026-11-24 (today in America/New_York (desk EQ-US)), desk EQ-US',
        '  Trades: 40 internal, 38 counterparty records',
        '  Matched: 30 automatically, 4 approved by a reviewer',
        '  Waiting: 2 for review, 3 without a counterparty record, 1 in exception',
        '  Match rate 85.0 %, STP rate 75.0 %',
        '  Exceptions: 5 open, 6 auto-resolved, 7 resolved',
        '    open by type: PRICE 4, QUANTITY 1',
        '    open by age: < 1 h 2, 1–4 h 2, > 4 h 1',
        '  SLA: 2 warnings, 1 breaches',
        '    next: X|INTERNAL#T-1|price due Tue 24 Nov 21:00 ET (02:00 UTC) (P1)',
        '  Counterparties with most open breaks: COBADEFF 3, DEUTDEFF 2',
        '  Unmatched counterparty records: 2 (< 1 h 1, 1–4 h 0, > 4 h 1); oldest COUNTERPARTY#C-9, COUNTERPARTY#C-7',
      ].join('\n'),
    );
  });

  it('leaves out the desk, types and counterparties when there are none', () => {
    expect(formatReport(EMPTY_REPORT)).toBe(
      [
        'Settlement report — trade date 2026-11-24 (given)',
        '  Trades: 0 internal, 0 counterparty records',
        '  Matched: 0 automatically, 0 approved by a reviewer',
        '  Waiting: 0 for review, 0 without a counterparty record, 0 in exception',
        '  Match rate 0.0 %, STP rate 0.0 %',
        '  Exceptions: 0 open, 0 auto-resolved, 0 resolved',
        '    open by age: < 1 h 0, 1–4 h 0, > 4 h 0',
        '  SLA: 0 warnings, 0 breaches',
      ].join('\n'),
    );
  });

  it('renders a report built from records', () => {
    const records = day({
      trades: [
        internal('T-1', 'MATCHED', { matchId: 'M-1' }),
        internal('T-2', 'EXCEPTION'),
        counterparty('C-1'),
      ],
      matches: [matchOf('M-1', 'AUTO_MATCHED')],
      exceptions: [openException('X-1', { tradeRef: 'INTERNAL#T-2' })],
    });
    const text = formatReport(buildReport(records, { tradeDate: TRADE_DATE, now: NOW }));
    expect(text).toContain('Match rate 50.0 %, STP rate 50.0 %');
    expect(text).toContain('Exceptions: 1 open, 0 auto-resolved, 0 resolved');
    expect(text).toContain('Counterparties with most open breaks: DEUTDEFF 1');
  });
});
