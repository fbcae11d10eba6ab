import { DateTime } from 'luxon';

/** Ops desks read deadlines in New York time; the store keeps UTC. */
export const NEW_YORK = 'America/New_York';

/** An instant as tools report it: the UTC value and its New York wall-clock reading. */
export interface Instant {
  readonly utc: string;
  /** `2026-11-24 21:00 EST` */
  readonly newYork: string;
}

export function instant(iso: string): Instant {
  const ny = DateTime.fromISO(iso, { zone: 'utc' }).setZone(NEW_YORK);
  return { utc: iso, newYork: ny.toFormat('yyyy-LL-dd HH:mm ZZZZ') };
}

/**
 * "Today" for a US settlement desk: the New York date. At 20:00 in New York the UTC date is already
 * tomorrow, and the trade date the desk works on is still today's.
 */
export function newYorkDate(now: Date): string {
  return DateTime.fromJSDate(now).setZone(NEW_YORK).toISODate() ?? now.toISOString().slice(0, 10);
}

/** Whole minutes from `from` to `to` (negative when `to` is earlier). */
export function minutesBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to) - Date.parse(from)) / 60_000);
}
