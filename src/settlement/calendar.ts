import Holidays from 'date-holidays';

/**
 * Business-day calendars per settlement market. Holiday rules come from `date-holidays` (maintained,
 * rule-based, no network); the TARGET2 calendar is built from its published closing days with the
 * same rule engine. Dates are ISO `YYYY-MM-DD` strings throughout: settlement dates have no time zone.
 */
export interface BusinessCalendar {
  readonly market: string;
  /** A weekday that is not a settlement holiday of this market. */
  isBusinessDay(date: string): boolean;
  /** The holiday's name, if `date` is one. */
  holidayName(date: string): string | undefined;
  /** `date` itself when it is a business day, otherwise the next one. */
  rollForward(date: string): string;
  /** Moves by `n` business days (negative goes back); `date` itself need not be a business day. */
  addBusinessDays(date: string, n: number): string;
}

/** Where a calendar's holidays come from. */
type HolidaySource =
  | { country: string; state?: string }
  | { rules: ReadonlyArray<[rule: string, name: string]> };

/** TARGET2 closing days (ECB): New Year, Good Friday, Easter Monday, 1 May, 25 and 26 December. */
const TARGET2_RULES: ReadonlyArray<[string, string]> = [
  ['01-01', "New Year's Day"],
  ['easter -2', 'Good Friday'],
  ['easter 1', 'Easter Monday'],
  ['05-01', 'Labour Day'],
  ['12-25', 'Christmas Day'],
  ['12-26', "St Stephen's Day"],
];

/**
 * US equities settle on NYSE/SIFMA business days: a day is closed when the NYSE is (which adds Good
 * Friday to the federal holidays, and moves a Saturday holiday to the Friday before — except New
 * Year's Day, whose Saturday leaves 31 December open) or when SIFMA recommends a full close of the
 * bond market (Columbus Day and Veterans Day, when the Federal Reserve is closed too). Juneteenth
 * from 2022, the NYSE's first.
 */
const US_RULES: ReadonlyArray<[string, string]> = [
  ['01-01 and if sunday then next monday', "New Year's Day"],
  ['3rd monday in January', 'Martin Luther King Jr. Day'],
  ['3rd monday in February', "Washington's Birthday"],
  ['easter -2', 'Good Friday'],
  ['monday before 06-01', 'Memorial Day'],
  ['06-19 and if sunday then next monday if saturday then previous friday since 2022', 'Juneteenth'],
  ['07-04 and if sunday then next monday if saturday then previous friday', 'Independence Day'],
  ['1st monday in September', 'Labor Day'],
  ['2nd monday in October', 'Columbus Day'],
  ['11-11 and if sunday then next monday', 'Veterans Day'],
  ['4th thursday in November', 'Thanksgiving Day'],
  ['12-25 and if sunday then next monday if saturday then previous friday', 'Christmas Day'],
];

/**
 * Market → calendar. US on NYSE/SIFMA business days (`US_RULES`); GB on England's bank holidays; EU
 * on TARGET2 days; JP and CH on their national holidays.
 */
const SOURCES: Record<string, HolidaySource> = {
  US: { rules: US_RULES },
  GB: { country: 'GB', state: 'ENG' },
  EU: { rules: TARGET2_RULES },
  JP: { country: 'JP' },
  CH: { country: 'CH' },
};

export const KNOWN_MARKETS = Object.keys(SOURCES);

const EURO_SETTLEMENT_COUNTRIES = new Set([
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
]);

/** The market a place of settlement (a CSD's BIC) belongs to: its country, with euro-area CSDs on TARGET2. */
export function marketOfPlaceOfSettlement(bic: string): string {
  const country = bic.slice(4, 6);
  if (EURO_SETTLEMENT_COUNTRIES.has(country)) return 'EU';
  return country;
}

const HOLIDAY_TYPES = new Set(['public', 'bank']);

class RuleCalendar implements BusinessCalendar {
  readonly #holidays: Holidays;
  readonly #byYear = new Map<number, Map<string, string>>();

  constructor(
    readonly market: string,
    source: HolidaySource | undefined,
  ) {
    if (source === undefined) {
      this.#holidays = new Holidays();
    } else if ('rules' in source) {
      this.#holidays = new Holidays();
      for (const [rule, name] of source.rules) this.#holidays.setHoliday(rule, { name, type: 'public' });
    } else {
      this.#holidays =
        source.state === undefined
          ? new Holidays(source.country)
          : new Holidays(source.country, source.state);
    }
  }

  holidayName(date: string): string | undefined {
    return this.#yearHolidays(Number(date.slice(0, 4))).get(date);
  }

  isBusinessDay(date: string): boolean {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6 && this.holidayName(date) === undefined;
  }

  rollForward(date: string): string {
    let d = date;
    while (!this.isBusinessDay(d)) d = shiftDays(d, 1);
    return d;
  }

  addBusinessDays(date: string, n: number): string {
    let d = date;
    const step = n < 0 ? -1 : 1;
    for (let left = Math.abs(n); left > 0; ) {
      d = shiftDays(d, step);
      if (this.isBusinessDay(d)) left--;
    }
    return d;
  }

  #yearHolidays(year: number): Map<string, string> {
    let found = this.#byYear.get(year);
    if (found === undefined) {
      found = new Map();
      for (const h of this.#holidays.getHolidays(year)) {
        if (HOLIDAY_TYPES.has(h.type)) found.set(h.date.slice(0, 10), h.name);
      }
      this.#byYear.set(year, found);
    }
    return found;
  }
}

/** Adds calendar days to an ISO date. */
export function shiftDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Calendars by market, built once each. A market with no holiday source gets weekends only. */
export class CalendarRegistry {
  readonly #calendars = new Map<string, BusinessCalendar>();

  forMarket(market: string): BusinessCalendar {
    let cal = this.#calendars.get(market);
    if (cal === undefined) {
      cal = new RuleCalendar(market, SOURCES[market]);
      this.#calendars.set(market, cal);
    }
    return cal;
  }

  forPlaceOfSettlement(bic: string): BusinessCalendar {
    return this.forMarket(marketOfPlaceOfSettlement(bic));
  }
}
