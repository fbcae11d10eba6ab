import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import { marketDay, reportDate } from '../../../src/settlement/market-day.ts';
import { loadSlaPolicyConfig } from '../../../src/settlement/policy-files.ts';
import {
  DEFAULT_SETTLEMENT_CYCLES,
  type SettlementDateCheck,
  standardCycle,
} from '../../../src/settlement/settlement-cycle.ts';
import { DEFAULT_SLA_POLICY, SlaPolicy, type SlaPolicyConfig } from '../../../src/settlement/sla-policy.ts';

const calendars = new CalendarRegistry();
const sla = new SlaPolicy(DEFAULT_SLA_POLICY, calendars);

const PLACE = { US: 'DTCYUS33', EU: 'DAKVDEFF', GB: 'CRSTGB22', CH: 'INSECHZZ', JP: 'JJSDJPJT' } as const;

/** A trade's dates and parties, for the settlement-date check. */
function dates(
  market: keyof typeof PLACE,
  tradeDate: string,
  settlementDate: string,
  more: { desk?: string; counterpartyBic?: string; instrumentClass?: 'EQUITY' | 'BOND' } = {},
) {
  return {
    tradeDate,
    settlementDate,
    desk: more.desk ?? 'EQ-US',
    counterpartyBic: more.counterpartyBic ?? 'DEUTDEFF',
    placeOfSettlement: PLACE[market],
    ...(more.instrumentClass === undefined ? {} : { instrumentClass: more.instrumentClass }),
  };
}

function policyWith(overrides: Partial<SlaPolicyConfig>): SlaPolicy {
  return new SlaPolicy({ ...DEFAULT_SLA_POLICY, ...overrides }, calendars);
}

describe('standardCycle', () => {
  it.each([
    ['US', '2024-05-24', 2],
    ['US', '2024-05-27', 2],
    ['US', '2024-05-28', 1],
    ['EU', '2027-10-08', 2],
    ['EU', '2027-10-11', 1],
    ['GB', '2027-10-08', 2],
    ['GB', '2027-10-11', 1],
    ['CH', '2027-10-08', 2],
    ['CH', '2027-10-11', 1],
    ['JP', '2027-10-11', 2],
    ['BR', '2030-01-02', 2],
  ])('gives %s trades of %s a T+%i cycle', (market, tradeDate, days) => {
    expect(standardCycle(DEFAULT_SETTLEMENT_CYCLES, market, 'EQUITY', tradeDate)).toBe(days);
  });

  it('prefers a class-specific rule and, between equal rules, the later one in the table', () => {
    const rules = [
      ...DEFAULT_SETTLEMENT_CYCLES,
      { market: 'EU', instrumentClass: 'BOND' as const, from: '2027-10-11', days: 2 },
      { market: 'JP', days: 3 },
    ];
    expect([
      standardCycle(rules, 'EU', 'BOND', '2027-10-11'),
      standardCycle(rules, 'EU', 'EQUITY', '2027-10-11'),
      standardCycle(rules, 'JP', 'EQUITY', '2027-10-11'),
    ]).toStrictEqual([2, 1, 3]);
  });
});

describe('SlaPolicy.checkSettlementDate', () => {
  it.each([
    // EU and UK around the 11 Oct 2027 switch: Friday 8 Oct at T+2 settles Tuesday 12; Monday 11 at T+1 too.
    ['EU', '2027-10-08', '2027-10-12', 2],
    ['EU', '2027-10-11', '2027-10-12', 1],
    ['GB', '2027-10-08', '2027-10-12', 2],
    ['GB', '2027-10-11', '2027-10-12', 1],
    ['CH', '2027-10-11', '2027-10-12', 1],
    // US around 28 May 2024 (27 May is Memorial Day).
    ['US', '2024-05-24', '2024-05-29', 2],
    ['US', '2024-05-28', '2024-05-29', 1],
  ] as const)('finds nothing wrong with a %s trade of %s settling %s (T+%i)', (market, td, sd, cycle) => {
    expect(sla.checkSettlementDate(dates(market, td, sd))).toStrictEqual<SettlementDateCheck>({
      standardDate: sd,
      standardCycle: cycle,
      warnings: [],
    });
  });

  it('flags an EU trade of 11 Oct 2027 still settling at T+2, and one of 8 Oct settling at T+1', () => {
    expect([
      sla.checkSettlementDate(dates('EU', '2027-10-11', '2027-10-13')).warnings,
      sla.checkSettlementDate(dates('GB', '2027-10-08', '2027-10-11')).warnings,
    ]).toStrictEqual([
      [
        'settlement date 2027-10-13 is off the standard cycle: T+1 for EU equity traded 2027-10-11 gives 2027-10-12',
      ],
      [
        'settlement date 2027-10-11 is off the standard cycle: T+2 for GB equity traded 2027-10-08 gives 2027-10-12',
      ],
    ]);
  });

  it.each([
    // NYSE closed on Friday 3 Jul 2026 (Independence Day observed).
    [
      'US',
      '2026-07-02',
      '2026-07-03',
      '2026-07-06',
      'Independence Day',
      'T+1 for US equity traded 2026-07-02 gives 2026-07-06',
    ],
    // Good Friday 2026 (3 Apr) on TARGET2 and at the NYSE.
    [
      'EU',
      '2026-04-01',
      '2026-04-03',
      '2026-04-07',
      'Good Friday',
      'T+2 for EU equity traded 2026-04-01 gives 2026-04-07',
    ],
    [
      'US',
      '2026-04-02',
      '2026-04-03',
      '2026-04-06',
      'Good Friday',
      'T+1 for US equity traded 2026-04-02 gives 2026-04-06',
    ],
    // 1 May 2026 on TARGET2.
    [
      'EU',
      '2026-04-29',
      '2026-05-01',
      '2026-05-04',
      'Labour Day',
      'T+2 for EU equity traded 2026-04-29 gives 2026-05-04',
    ],
  ] as const)(
    'flags a %s trade of %s settling on the closed day %s',
    (market, td, sd, standard, holiday, cycle) => {
      expect(sla.checkSettlementDate(dates(market, td, sd)).warnings).toStrictEqual([
        `settlement date ${sd} is not a business day in ${market} (${holiday})`,
        `settlement date ${sd} is off the standard cycle: ${cycle}`,
      ]);
      expect(sla.checkSettlementDate(dates(market, td, standard)).warnings).toStrictEqual([]);
    },
  );

  it.each([
    ['T+0', '2026-11-24'],
    ['T+2', '2026-11-27'],
    ['T+10', '2026-12-09'],
  ])('flags a US trade settling %s', (_cycle, sd) => {
    expect(sla.checkSettlementDate(dates('US', '2026-11-24', sd)).warnings).toHaveLength(1);
  });

  it('allows a non-standard cycle configured for a desk or a counterparty, and only that cycle', () => {
    const allowing = policyWith({
      allowedCycles: [
        { desk: 'FI-CREDIT', days: [3] },
        { counterpartyBic: 'BNPAFRPPXXX', market: 'US', days: [0] },
      ],
    });
    expect([
      allowing.checkSettlementDate(dates('US', '2026-11-23', '2026-11-27', { desk: 'FI-CREDIT' })).warnings,
      allowing.checkSettlementDate(dates('US', '2026-11-23', '2026-11-23', { counterpartyBic: 'BNPAFRPP' }))
        .warnings,
      allowing.checkSettlementDate(dates('US', '2026-11-23', '2026-11-30', { desk: 'FI-CREDIT' })).warnings,
      allowing.checkSettlementDate(dates('EU', '2026-11-23', '2026-11-23', { counterpartyBic: 'BNPAFRPP' }))
        .warnings,
    ]).toStrictEqual([
      [],
      [],
      [
        'settlement date 2026-11-30 is off the standard cycle: T+1 for US equity traded 2026-11-23 gives 2026-11-24',
      ],
      [
        'settlement date 2026-11-23 is off the standard cycle: T+2 for EU equity traded 2026-11-23 gives 2026-11-25',
      ],
    ]);
  });
});

describe('SlaPolicy.matchDeadline with the cycle', () => {
  it('counts an EU deadline from the standard date when the trade states a later one without an allowance', () => {
    const trade = dates('EU', '2026-11-23', '2026-12-04');
    const check = sla.checkSettlementDate(trade);
    expect([sla.matchDeadline(trade, 'EU', check), sla.matchDeadline(trade, 'EU')]).toStrictEqual([
      // S-1 18:00 Berlin of the standard 2026-11-25, not of the stated 2026-12-04.
      '2026-11-24T17:00:00.000Z',
      '2026-12-03T17:00:00.000Z',
    ]);
  });
});

describe('loadSlaPolicyConfig: cycles, allowances and desk time zones', () => {
  it('adds file rules after the defaults, so a rule for the same market and date replaces the default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settleops-sla-'));
    const file = join(dir, 'sla.json');
    writeFileSync(
      file,
      JSON.stringify({
        settlementCycles: [{ market: 'EU', from: '2027-10-11', days: 2 }],
        allowedCycles: [{ desk: 'EQ-EU', days: [3] }],
        deskTimeZones: { 'EQ-SG': 'Asia/Singapore' },
      }),
    );
    const loaded = new SlaPolicy(loadSlaPolicyConfig(file), calendars);
    expect([
      loaded.standardCycle('EU', 'EQUITY', '2027-10-11'),
      loaded.standardCycle('GB', 'EQUITY', '2027-10-11'),
      loaded.timeZoneOf('EQ-SG'),
      loaded.timeZoneOf('EQ-US'),
      loaded.checkSettlementDate({ ...dates('EU', '2026-11-23', '2026-11-26'), desk: 'EQ-EU' }).warnings,
    ]).toStrictEqual([2, 1, 'Asia/Singapore', 'America/New_York', []]);
  });

  it('refuses an allowance naming neither a desk nor a counterparty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settleops-sla-'));
    const file = join(dir, 'sla.json');
    writeFileSync(file, JSON.stringify({ allowedCycles: [{ days: [3] }] }));
    expect(() => loadSlaPolicyConfig(file)).toThrow(/allowedCycles\.0: needs a desk or a counterpartyBic/);
  });
});

describe('default dates in the desk time zone', () => {
  // 19:30 in New York on Tuesday 1 Dec 2026 (EST) is 00:30 UTC on Wednesday 2 Dec.
  const evening = new Date('2026-12-02T00:30:00.000Z');

  it('keeps the New York market day at 19:30 New York time, when the UTC date has turned', () => {
    expect([marketDay(evening, 'America/New_York'), evening.toISOString().slice(0, 10)]).toStrictEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
  });

  it("gives a report with no date the desk's market day and states which", () => {
    expect([
      reportDate(undefined, evening, sla),
      reportDate(undefined, evening, sla, 'EQ-US'),
      reportDate(undefined, evening, sla, 'EQ-APAC'),
      reportDate('2026-11-30', evening, sla, 'EQ-US'),
    ]).toStrictEqual([
      { tradeDate: '2026-12-01', basis: 'today in America/New_York (all desks)' },
      { tradeDate: '2026-12-01', basis: 'today in America/New_York (desk EQ-US)' },
      { tradeDate: '2026-12-02', basis: 'today in Asia/Tokyo (desk EQ-APAC)' },
      { tradeDate: '2026-11-30', basis: 'given' },
    ]);
  });
});
