import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import type { Priority } from '../../../src/settlement/model.ts';
import {
  DEFAULT_SLA_POLICY,
  SlaPolicy,
  SlaPolicyConfig,
  type SlaPolicyConfig as SlaPolicyConfigType,
} from '../../../src/settlement/sla-policy.ts';

const calendars = new CalendarRegistry();
const sla = new SlaPolicy(DEFAULT_SLA_POLICY, calendars);

const HOUR = 3_600_000;
const NOW = '2026-11-24T12:00:00.000Z';
/** The deadline `ms` after NOW. */
const inMs = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

describe('DEFAULT_SLA_POLICY', () => {
  it('is a valid policy configuration', () => {
    expect(SlaPolicyConfig.parse(DEFAULT_SLA_POLICY)).toStrictEqual(DEFAULT_SLA_POLICY);
  });
});

describe('matchDeadline', () => {
  it('sets the US deadline at 21:00 New York time on trade date, in EST', () => {
    expect(sla.matchDeadline({ tradeDate: '2026-11-24', settlementDate: '2026-11-25' }, 'US')).toBe(
      '2026-11-25T02:00:00.000Z',
    );
  });

  it('sets the US deadline at 21:00 New York time on trade date, in EDT', () => {
    expect(sla.matchDeadline({ tradeDate: '2026-07-14', settlementDate: '2026-07-15' }, 'US')).toBe(
      '2026-07-15T01:00:00.000Z',
    );
  });

  it('follows the US switch from EDT to EST on the first Sunday of November', () => {
    expect([
      sla.matchDeadline({ tradeDate: '2026-10-30', settlementDate: '2026-11-02' }, 'US'),
      sla.matchDeadline({ tradeDate: '2026-11-02', settlementDate: '2026-11-03' }, 'US'),
    ]).toStrictEqual(['2026-10-31T01:00:00.000Z', '2026-11-03T02:00:00.000Z']);
  });

  it('ignores the settlement date for the US', () => {
    expect(sla.matchDeadline({ tradeDate: '2026-11-24', settlementDate: '2026-12-01' }, 'US')).toBe(
      '2026-11-25T02:00:00.000Z',
    );
  });

  it.each([
    [
      'EU: 18:00 Berlin (CEST) on S-1, back over Easter Monday and Good Friday',
      'EU',
      '2026-04-01',
      '2026-04-07',
      '2026-04-02T16:00:00.000Z',
    ],
    ['EU: 18:00 Berlin (CET) on S-1', 'EU', '2026-11-24', '2026-11-26', '2026-11-25T17:00:00.000Z'],
    [
      'GB: 18:00 London (BST) on S-1, back over the summer bank holiday',
      'GB',
      '2026-08-27',
      '2026-09-01',
      '2026-08-28T17:00:00.000Z',
    ],
    [
      'GB: 18:00 London (GMT) on S-1, back over Christmas and Boxing Day substitute',
      'GB',
      '2026-12-22',
      '2026-12-29',
      '2026-12-24T18:00:00.000Z',
    ],
    [
      'CH: 18:00 Zurich on S-1, back over Ascension Day',
      'CH',
      '2026-05-12',
      '2026-05-15',
      '2026-05-13T16:00:00.000Z',
    ],
    [
      'JP: 17:00 Tokyo on S-1, back over Golden Week and a weekend',
      'JP',
      '2026-04-30',
      '2026-05-07',
      '2026-05-01T08:00:00.000Z',
    ],
    [
      'an unknown market: 17:00 UTC on S-1, weekends only',
      'SG',
      '2026-12-22',
      '2026-12-28',
      '2026-12-25T17:00:00.000Z',
    ],
  ])('sets %s', (_, market, tradeDate, settlementDate, expected) => {
    expect(sla.matchDeadline({ tradeDate, settlementDate }, market)).toBe(expected);
  });

  it('gives the same answers asked again and in any order (deadlines are remembered per market and day)', () => {
    const asks: Array<[{ tradeDate: string; settlementDate: string }, string]> = [
      [{ tradeDate: '2026-11-24', settlementDate: '2026-11-25' }, 'US'],
      [{ tradeDate: '2026-11-24', settlementDate: '2026-11-25' }, 'SG'],
      [{ tradeDate: '2026-11-24', settlementDate: '2026-11-26' }, 'SG'],
    ];
    const fresh = asks.map(([trade, market]) =>
      new SlaPolicy(DEFAULT_SLA_POLICY, calendars).matchDeadline(trade, market),
    );
    const again = [...asks, ...asks].reverse().map(([trade, market]) => sla.matchDeadline(trade, market));

    expect(new Set(fresh).size).toBe(3);
    expect(again).toStrictEqual([...fresh, ...fresh].reverse());
  });

  it('uses the fallback rule for a market without a rule of its own', () => {
    expect(sla.ruleFor('SG')).toStrictEqual(DEFAULT_SLA_POLICY.fallback);
    expect(sla.ruleFor('US')).toStrictEqual(DEFAULT_SLA_POLICY.markets.US);
  });

  it('throws naming the market when the rule has an unknown time zone', () => {
    const broken: SlaPolicyConfigType = {
      ...DEFAULT_SLA_POLICY,
      markets: {
        XX: { timeZone: 'Mars/Olympus_Mons', anchor: 'TRADE_DATE', offsetBusinessDays: 0, cutoff: '12:00' },
      },
    };
    expect(() =>
      new SlaPolicy(broken, calendars).matchDeadline(
        { tradeDate: '2026-11-24', settlementDate: '2026-11-25' },
        'XX',
      ),
    ).toThrow(/^SLA rule for XX: /);
  });
});

describe('warnAt', () => {
  it('warns 80 % of the way from creation to the deadline', () => {
    expect(sla.warnAt('2026-11-24T12:00:00.000Z', '2026-11-25T02:00:00.000Z')).toBe(
      '2026-11-24T23:12:00.000Z',
    );
  });

  it('rounds down to the millisecond', () => {
    expect(sla.warnAt('2026-11-24T12:00:00.000Z', '2026-11-24T12:00:01.001Z')).toBe(
      '2026-11-24T12:00:00.800Z',
    );
  });

  it('warns at once when the deadline has already passed', () => {
    expect(sla.warnAt('2026-11-25T03:00:00.000Z', '2026-11-25T02:00:00.000Z')).toBe(
      '2026-11-25T03:00:00.000Z',
    );
  });

  it('warns at once when created exactly at the deadline', () => {
    expect(sla.warnAt('2026-11-25T02:00:00.000Z', '2026-11-25T02:00:00.000Z')).toBe(
      '2026-11-25T02:00:00.000Z',
    );
  });

  it('uses the configured ratio', () => {
    const half = new SlaPolicy({ ...DEFAULT_SLA_POLICY, warnRatio: 0.5 }, calendars);
    expect(half.warnAt('2026-11-24T12:00:00.000Z', '2026-11-24T14:00:00.000Z')).toBe(
      '2026-11-24T13:00:00.000Z',
    );
  });
});

describe('priority', () => {
  const far = inMs(24 * HOUR);
  const soon = inMs(8 * HOUR);
  const urgent = inMs(2 * HOUR);

  it.each<[string, string, string, Priority]>([
    ['high notional, urgent', '10000000', urgent, 'P1'],
    ['high notional, soon', '10000000', soon, 'P1'],
    ['high notional, far', '10000000', far, 'P2'],
    ['medium notional, urgent', '1000000', urgent, 'P1'],
    ['medium notional, soon', '1000000', soon, 'P2'],
    ['medium notional, far', '1000000', far, 'P3'],
    ['low notional, urgent', '999999.99', urgent, 'P2'],
    ['low notional, soon', '999999.99', soon, 'P3'],
    ['low notional, far', '999999.99', far, 'P4'],
  ])('gives %s %s', (_, notional, deadline, expected) => {
    expect(sla.priority(notional, 'USD', NOW, deadline)).toBe(expected);
  });

  it('treats a notional exactly at the high threshold as high and just under it as medium', () => {
    expect([
      sla.priority('10000000', 'USD', NOW, far),
      sla.priority('10000000.00', 'USD', NOW, far),
      sla.priority('9999999.99', 'USD', NOW, far),
    ]).toStrictEqual(['P2', 'P2', 'P3']);
  });

  it('treats a notional exactly at the medium threshold as medium and just under it as low', () => {
    expect([
      sla.priority('1000000', 'USD', NOW, far),
      sla.priority('999999.99', 'USD', NOW, far),
    ]).toStrictEqual(['P3', 'P4']);
  });

  it('uses the JPY bands for yen notionals', () => {
    expect([
      sla.priority('1000000000', 'JPY', NOW, far),
      sla.priority('999999999', 'JPY', NOW, far),
      sla.priority('100000000', 'JPY', NOW, far),
      sla.priority('99999999', 'JPY', NOW, far),
      sla.priority('10000000', 'JPY', NOW, far),
    ]).toStrictEqual(['P2', 'P3', 'P3', 'P4', 'P4']);
  });

  it('uses the default bands for a currency without its own', () => {
    expect([
      sla.priority('10000000', 'EUR', NOW, far),
      sla.priority('1000000', 'CHF', NOW, far),
    ]).toStrictEqual(['P2', 'P3']);
  });

  it('treats exactly the urgent hours as urgent and a millisecond more as soon', () => {
    expect([
      sla.priority('1', 'USD', NOW, inMs(2 * HOUR)),
      sla.priority('1', 'USD', NOW, inMs(2 * HOUR + 1)),
    ]).toStrictEqual(['P2', 'P3']);
  });

  it('treats exactly the soon hours as soon and a millisecond more as far', () => {
    expect([
      sla.priority('1', 'USD', NOW, inMs(8 * HOUR)),
      sla.priority('1', 'USD', NOW, inMs(8 * HOUR + 1)),
    ]).toStrictEqual(['P3', 'P4']);
  });

  it('treats a passed deadline as urgent', () => {
    expect(sla.priority('1', 'USD', NOW, inMs(-HOUR))).toBe('P2');
  });

  it('scores size 0 for a currency with no bands when there is no default either', () => {
    const policy = new SlaPolicy(
      { ...DEFAULT_SLA_POLICY, notionalBands: { JPY: { high: '1000000000', medium: '100000000' } } },
      calendars,
    );
    expect(policy.priority('50000000', 'USD', NOW, far)).toBe('P4');
  });
});
