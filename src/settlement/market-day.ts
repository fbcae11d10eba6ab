import { DateTime } from 'luxon';
import type { SlaPolicy } from './sla-policy.ts';

/** The calendar date at an instant in a time zone (`2026-12-01` at 19:30 New York time, 00:30 UTC the 2nd). */
export function marketDay(now: Date, timeZone: string): string {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`unknown time zone ${timeZone}`);
  return local.toISODate() as string;
}

/** A report's trade date and how it was chosen. */
export interface ReportDate {
  readonly tradeDate: string;
  /** `given`, or `today in America/New_York (desk EQ-US)`: stated on the report. */
  readonly basis: string;
}

/**
 * The trade date a report covers: the one given, else "today" as the desk's market day in its own
 * time zone (the default time zone when no desk is named). A New York desk's report at 19:30 New York
 * time is still today's, not tomorrow's UTC date.
 */
export function reportDate(
  given: string | undefined,
  now: Date,
  sla: Pick<SlaPolicy, 'timeZoneOf'>,
  desk?: string,
): ReportDate {
  if (given !== undefined) return { tradeDate: given, basis: 'given' };
  const zone = sla.timeZoneOf(desk);
  const scope = desk === undefined ? 'all desks' : `desk ${desk}`;
  return { tradeDate: marketDay(now, zone), basis: `today in ${zone} (${scope})` };
}
