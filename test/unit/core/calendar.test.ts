import { describe, expect, it } from 'vitest';
import {
  CalendarRegistry,
  KNOWN_MARKETS,
  marketOfPlaceOfSettlement,
  shiftDays,
} from '../../../src/settlement/calendar.ts';

const calendars = new CalendarRegistry();
const us = calendars.forMarket('US');
const gb = calendars.forMarket('GB');
const eu = calendars.forMarket('EU');

describe('US calendar (NYSE and SIFMA closing days)', () => {
  it.each([
    ['Thanksgiving', '2026-11-26', 'Thanksgiving Day'],
    ['Independence Day, a Saturday, on the Friday before', '2026-07-03', 'Independence Day'],
    ['Christmas', '2026-12-25', 'Christmas Day'],
    ["New Year's Day", '2026-01-01', "New Year's Day"],
    ['Good Friday (NYSE closed, though not a federal holiday)', '2026-04-03', 'Good Friday'],
    ['Good Friday 2027', '2027-03-26', 'Good Friday'],
    ['Columbus Day (SIFMA full close, Federal Reserve closed)', '2026-10-12', 'Columbus Day'],
    ['Veterans Day (SIFMA full close)', '2026-11-11', 'Veterans Day'],
    ['Juneteenth, a Saturday, on the Friday before', '2027-06-18', 'Juneteenth'],
    ['Christmas, a Saturday, on the Friday before', '2027-12-24', 'Christmas Day'],
    ["New Year's Day, a Sunday, on the Monday after", '2023-01-02', "New Year's Day"],
  ])('closes on %s (%s)', (_, date, name) => {
    expect(us.isBusinessDay(date)).toBe(false);
    expect(us.holidayName(date)).toBe(name);
  });

  it.each([
    ['the day after Thanksgiving', '2026-11-27'],
    ["31 December when New Year's Day is a Saturday (NYSE rule: no Friday close)", '2027-12-31'],
    ['18 June 2021 (Juneteenth observed federally, a year before the NYSE closed for it)', '2021-06-18'],
    ['an ordinary Tuesday', '2026-11-24'],
  ])('is open on %s', (_, date) => {
    expect(us.isBusinessDay(date)).toBe(true);
    expect(us.holidayName(date)).toBeUndefined();
  });

  it.each([
    ['Saturday', '2026-11-28'],
    ['Sunday', '2026-11-29'],
  ])('closes on a %s', (_, date) => {
    expect(us.isBusinessDay(date)).toBe(false);
    expect(us.holidayName(date)).toBeUndefined();
  });

  it('settles T+1 over Good Friday and up to 31 December 2027', () => {
    expect(us.addBusinessDays('2027-03-25', 1)).toBe('2027-03-29');
    expect(us.addBusinessDays('2027-12-30', 1)).toBe('2027-12-31');
    expect(us.addBusinessDays('2027-12-31', 1)).toBe('2028-01-03');
  });
});

describe('GB calendar (England bank holidays)', () => {
  it.each([
    ['the summer bank holiday', '2026-08-31', 'Summer bank holiday'],
    ['the Boxing Day substitute', '2026-12-28', 'Boxing Day (substitute day)'],
    ['Good Friday', '2026-04-03', 'Good Friday'],
    ['Easter Monday', '2026-04-06', 'Easter Monday'],
  ])('closes on %s', (_, date, name) => {
    expect(gb.isBusinessDay(date)).toBe(false);
    expect(gb.holidayName(date)).toBe(name);
  });

  it('is open on US Thanksgiving', () => {
    expect(gb.isBusinessDay('2026-11-26')).toBe(true);
  });
});

describe('EU calendar (TARGET2 closing days)', () => {
  it.each([
    ['Good Friday', '2026-04-03', 'Good Friday'],
    ['Easter Monday', '2026-04-06', 'Easter Monday'],
    ['Labour Day', '2026-05-01', 'Labour Day'],
    ['Christmas Day', '2026-12-25', 'Christmas Day'],
    ["St Stephen's Day", '2026-12-26', "St Stephen's Day"],
    ["New Year's Day", '2027-01-01', "New Year's Day"],
  ])('closes on %s', (_, date, name) => {
    expect(eu.isBusinessDay(date)).toBe(false);
    expect(eu.holidayName(date)).toBe(name);
  });

  it.each([
    ['Ascension Day', '2026-05-14'],
    ['Whit Monday', '2026-05-25'],
    ['German Unity Day', '2026-10-05'],
    ['the English summer bank holiday', '2026-08-31'],
  ])('is open on %s (not a TARGET2 closing day)', (_, date) => {
    expect(eu.isBusinessDay(date)).toBe(true);
  });

  it('moves Good Friday and Easter Monday with Easter', () => {
    expect([eu.holidayName('2027-03-26'), eu.holidayName('2027-03-29')]).toStrictEqual([
      'Good Friday',
      'Easter Monday',
    ]);
  });
});

describe('rollForward', () => {
  it('keeps a business day', () => {
    expect(us.rollForward('2026-11-25')).toBe('2026-11-25');
  });

  it('rolls a holiday to the next business day', () => {
    expect(us.rollForward('2026-11-26')).toBe('2026-11-27');
  });

  it('rolls across a holiday and the weekend after it', () => {
    expect(us.rollForward('2026-07-03')).toBe('2026-07-06');
    expect(gb.rollForward('2026-12-25')).toBe('2026-12-29');
  });

  it('rolls a Saturday to Monday', () => {
    expect(eu.rollForward('2026-11-28')).toBe('2026-11-30');
  });
});

describe('addBusinessDays', () => {
  it.each([
    ['US', 'over Thanksgiving', '2026-11-25', 1, '2026-11-27'],
    ['US', 'back over Thanksgiving', '2026-11-27', -1, '2026-11-25'],
    ['US', 'over Christmas and a weekend', '2026-12-24', 1, '2026-12-28'],
    ['US', 'back over Christmas and a weekend', '2026-12-28', -1, '2026-12-24'],
    ['US', 'several days over a holiday and a weekend', '2026-11-24', 3, '2026-11-30'],
    ['US', 'into the next year over New Year', '2026-12-31', 1, '2027-01-04'],
    ['EU', 'over Easter', '2026-04-02', 1, '2026-04-07'],
    ['EU', 'back over Easter', '2026-04-07', -1, '2026-04-02'],
    ['EU', 'over Labour Day', '2026-04-30', 1, '2026-05-04'],
    ['GB', 'over the summer bank holiday', '2026-08-28', 1, '2026-09-01'],
    ['GB', 'back over Christmas, Boxing Day and its substitute', '2026-12-29', -1, '2026-12-24'],
    ['GB', 'two days back over the summer bank holiday', '2026-09-01', -2, '2026-08-27'],
  ])('%s: moves %s', (market, _, date, n, expected) => {
    expect(calendars.forMarket(market).addBusinessDays(date, n)).toBe(expected);
  });

  it('counts from a non-business day in both directions', () => {
    expect(us.addBusinessDays('2026-07-04', 1)).toBe('2026-07-06');
    expect(us.addBusinessDays('2026-07-04', -1)).toBe('2026-07-02');
  });

  it('returns the date itself for zero days', () => {
    expect(us.addBusinessDays('2026-11-26', 0)).toBe('2026-11-26');
  });
});

describe('marketOfPlaceOfSettlement', () => {
  it.each([
    ['DTC', 'DTCYUS33', 'US'],
    ['Euroclear Bank', 'MGTCBEBE', 'EU'],
    ['Clearstream Frankfurt', 'DAKVDEFF', 'EU'],
    ['CREST', 'CRSTGB22', 'GB'],
    ['SIX SIS', 'INSECHZZ', 'CH'],
    ['JASDEC', 'JJSDJPJT', 'JP'],
    ['DTC with a branch code', 'DTCYUS33XXX', 'US'],
    ['a euro-area CSD in Italy', 'MOTIITMM', 'EU'],
    ['a CSD outside the known markets', 'CDPLSGSG', 'SG'],
  ])('places %s (%s) in %s', (_, bic, market) => {
    expect(marketOfPlaceOfSettlement(bic)).toBe(market);
  });
});

describe('euro-area places of settlement', () => {
  const EURO_AREA = [
    'AT',
    'BE',
    'CY',
    'DE',
    'EE',
    'ES',
    'FI',
    'FR',
    'GR',
    'HR',
    'IE',
    'IT',
    'LT',
    'LU',
    'LV',
    'MT',
    'NL',
    'PT',
    'SI',
    'SK',
  ];

  it.each(EURO_AREA)('settles a CSD in %s on TARGET2', (country) => {
    expect(marketOfPlaceOfSettlement(`ABCD${country}22XXX`)).toBe('EU');
  });

  it.each([
    ['Euronext Securities Copenhagen', 'VPDKDKKK', 'DK'],
    ['Euroclear Sweden', 'VPCSSESS', 'SE'],
    ['KDPW (Poland)', 'KDPWPLPW', 'PL'],
  ])('keeps %s (outside the euro area) on its own market', (_, bic, market) => {
    expect(marketOfPlaceOfSettlement(bic)).toBe(market);
  });
});

describe('CalendarRegistry', () => {
  it('knows the US, GB, EU, JP and CH markets', () => {
    expect(KNOWN_MARKETS).toStrictEqual(['US', 'GB', 'EU', 'JP', 'CH']);
  });

  it('builds each calendar once', () => {
    expect(calendars.forMarket('US')).toBe(us);
  });

  it('gives a place of settlement the calendar of its market', () => {
    expect(calendars.forPlaceOfSettlement('DAKVDEFF')).toBe(eu);
    expect(calendars.forPlaceOfSettlement('CRSTGB22').market).toBe('GB');
  });

  it('gives the JP and CH markets their national holidays', () => {
    expect(calendars.forMarket('JP').isBusinessDay('2026-05-05')).toBe(false);
    expect(calendars.forMarket('CH').isBusinessDay('2026-05-14')).toBe(false);
    expect(calendars.forPlaceOfSettlement('INSECHZZ').isBusinessDay('2026-08-03')).toBe(true);
  });

  it('gives an unknown market weekends only', () => {
    const sg = calendars.forMarket('SG');
    expect(sg.market).toBe('SG');
    expect(['2026-01-01', '2026-11-26', '2026-12-25'].map((d) => sg.isBusinessDay(d))).toStrictEqual([
      true,
      true,
      true,
    ]);
    expect(['2026-11-28', '2026-11-29'].map((d) => sg.isBusinessDay(d))).toStrictEqual([false, false]);
    expect(sg.addBusinessDays('2026-12-24', 1)).toBe('2026-12-25');
  });
});

describe('shiftDays', () => {
  it('adds calendar days across month and year ends', () => {
    expect([
      shiftDays('2026-01-31', 1),
      shiftDays('2026-12-31', 1),
      shiftDays('2028-03-01', -1),
    ]).toStrictEqual(['2026-02-01', '2027-01-01', '2028-02-29']);
  });
});
