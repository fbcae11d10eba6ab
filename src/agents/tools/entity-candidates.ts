import { DateTime } from 'luxon';
import { isValidBic, isValidIsin } from '../../settlement/index.ts';

/*
 * Candidate entities in a question, before the store is asked: pure and deterministic. Nothing here
 * decides that something *is* a trade or a desk; `resolve_entities` looks every candidate up.
 */

/** The candidates found in a question, by the kind of look-up each one needs. */
export interface EntityCandidates {
  /** Tokens that may be record ids (trade, exception, match): each is looked up as typed and upper-cased. */
  readonly ids: readonly string[];
  /** Tokens shaped like a desk (`EQ-UK`, `fi-rates`), upper-cased. */
  readonly desks: readonly string[];
  /** Tokens shaped like an account (`EQUS-GROWTH-01`), upper-cased. */
  readonly accounts: readonly string[];
  /** ISINs with a valid check digit, upper-cased. */
  readonly isins: readonly string[];
  /** BICs (8 or 11, valid country code), upper-cased. */
  readonly bics: readonly string[];
  /** Dates as typed, with the date each names (`T-1` also stays an id candidate: a trade may be called that). */
  readonly dates: ReadonlyArray<{ readonly typed: string; readonly date: string }>;
}

const MAX_IDS = 15;
const ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._:/#|@-]*$/;
const DESK_SHAPE = /^[A-Za-z]{2,4}-[A-Za-z]{2,10}$/;
const ACCOUNT_SHAPE = /^[A-Za-z]{2,6}-[A-Za-z]{2,10}-\d{1,4}$/;
/** Numbers with a unit ("2h", "24th", "5pm", "30mins") are quantities, never ids. */
const NOT_IDS = /^\d+(?:\.\d+)?(?:st|nd|rd|th|am|pm|h|hrs?|hours?|m|mins?|minutes?|bps?|k|mm|bn|d|days?)$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Words after which a lower-case 8- or 11-letter token is taken as a BIC (alone, "exchange" is not one). */
const BIC_CONTEXT = new Set(['cpty', 'counterparty', 'bic', 'with', 'vs', 'against', 'from', 'broker', 'by']);
/** Words that a desk or account pattern would otherwise catch. */
const NOT_DESKS = new Set([
  'RE-RUN',
  'RE-MATCH',
  'CUT-OFF',
  'SIGN-OFF',
  'FOLLOW-UP',
  'FIELD-BY',
  'WRITE-OFF',
]);

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

/** The question split into tokens, surrounding punctuation and a possessive `'s` removed. */
export function tokens(question: string): string[] {
  return question
    .split(/[\s,;]+/)
    .map((t) =>
      t
        .replace(/^[^A-Za-z0-9]+/, '')
        .replace(/[^A-Za-z0-9]+$/, '')
        .replace(/['’]s$/i, ''),
    )
    .filter((t) => t !== '');
}

/** `today` in a time zone, as a luxon date at its start. */
export function todayIn(now: Date, timeZone: string): DateTime {
  return DateTime.fromJSDate(now).setZone(timeZone).startOf('day');
}

/** The business day `n` days before `day` (weekends skipped; market holidays are the tools' business). */
function businessDaysBefore(day: DateTime, n: number): DateTime {
  let d = day;
  for (let k = 0; k < n; ) {
    d = d.minus({ days: 1 });
    if (d.weekday <= 5) k++;
  }
  return d;
}

function dayMonth(day: number, month: number, today: DateTime): string | undefined {
  // "24 Nov" is the most recent 24 November: ops ask about the past, not next year.
  let d = DateTime.fromObject({ year: today.year, month, day }, { zone: today.zone });
  if (!d.isValid) return undefined;
  if (d > today.plus({ days: 7 })) d = d.minus({ years: 1 });
  return d.toISODate() ?? undefined;
}

function datesIn(words: readonly string[], today: DateTime): Array<{ typed: string; date: string }> {
  const out: Array<{ typed: string; date: string }> = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const lower = w.toLowerCase();
    const iso = ISO_DATE.exec(w);
    if (iso !== null) {
      const d = DateTime.fromISO(w);
      if (d.isValid) out.push({ typed: w, date: w });
      continue;
    }
    if (lower === 'today' || lower === 'tonight' || lower === 'todays') {
      out.push({ typed: w, date: today.toISODate() ?? '' });
      continue;
    }
    if (lower === 'yesterday' || lower === 'yesterdays' || lower === 'yday' || lower === 'ystd') {
      out.push({ typed: w, date: businessDaysBefore(today, 1).toISODate() ?? '' });
      continue;
    }
    const t = /^t-(\d)$/i.exec(w);
    if (t !== null) {
      out.push({ typed: w, date: businessDaysBefore(today, Number(t[1])).toISODate() ?? '' });
      continue;
    }
    // 24 Nov, 24th nov, 24-nov, Nov 24, nov 24th
    const glued = /^(\d{1,2})(?:st|nd|rd|th)?-?([a-z]{3,4})[a-z]*$/i.exec(w);
    const month = MONTHS[lower.slice(0, lower === 'sept' ? 4 : 3)];
    const next = (words[i + 1] ?? '').toLowerCase();
    const prev = (words[i - 1] ?? '').toLowerCase();
    if (glued !== null) {
      const m = MONTHS[(glued[2] ?? '').toLowerCase()];
      const d = m === undefined ? undefined : dayMonth(Number(glued[1]), m, today);
      if (d !== undefined && !/^\d+$/.test(w)) {
        out.push({ typed: w, date: d });
        continue;
      }
    }
    if (
      /^\d{1,2}(?:st|nd|rd|th)?$/.test(lower) &&
      MONTHS[next.slice(0, 3)] !== undefined &&
      /^[a-z]+$/.test(next)
    ) {
      const d = dayMonth(Number.parseInt(lower, 10), MONTHS[next.slice(0, 3)] ?? 0, today);
      if (d !== undefined) out.push({ typed: `${w} ${words[i + 1]}`, date: d });
      continue;
    }
    if (
      month !== undefined &&
      /^[a-z]+$/.test(lower) &&
      lower.length <= 9 &&
      /^\d{1,2}(?:st|nd|rd|th)?$/.test(next) &&
      !/^\d{1,2}(?:st|nd|rd|th)?$/.test(prev)
    ) {
      const d = dayMonth(Number.parseInt(next, 10), month, today);
      if (d !== undefined) out.push({ typed: `${w} ${words[i + 1]}`, date: d });
    }
  }
  return out.filter((d) => d.date !== '');
}

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/**
 * The candidates in a question. `now` and `timeZone` give "today" for `yesterday`, `T-1` and dates
 * without a year.
 */
export function entityCandidates(question: string, now: Date, timeZone: string): EntityCandidates {
  const words = tokens(question);
  const today = todayIn(now, timeZone);
  const ids: string[] = [];
  const desks: string[] = [];
  const accounts: string[] = [];
  const isins: string[] = [];
  const bics: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const upper = w.toUpperCase();
    if (w.length >= 2 && w.length <= 200 && ID_SHAPE.test(w) && /\d/.test(w) && !ISO_DATE.test(w)) {
      if (!/^\d{1,3}$/.test(w) && !NOT_IDS.test(w) && (w.length >= 4 || w.includes('-'))) ids.push(w);
    } else if (/^[XM]\|/.test(w)) {
      ids.push(w);
    }
    if (DESK_SHAPE.test(w) && !NOT_DESKS.has(upper)) desks.push(upper);
    if (ACCOUNT_SHAPE.test(w)) accounts.push(upper);
    if (upper.length === 12 && isValidIsin(upper)) isins.push(upper);
    if ((upper.length === 8 || upper.length === 11) && isValidBic(upper)) {
      const typedUpper = w === upper;
      const context = BIC_CONTEXT.has((words[i - 1] ?? '').toLowerCase());
      if ((typedUpper && /\d|[A-Z]{8}/.test(w)) || context) bics.push(upper);
    }
  }
  return {
    ids: unique(ids).slice(0, MAX_IDS),
    desks: unique(desks),
    accounts: unique(accounts),
    isins: unique(isins),
    bics: unique(bics),
    dates: datesIn(words, today),
  };
}
