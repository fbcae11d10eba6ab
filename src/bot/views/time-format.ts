import { ViewInputError } from './view-input-error.ts';

/*
 * Instants shown in a desk's time zone. Builders never read the clock: every instant, `now` included,
 * is passed in. A bad instant or zone is refused with the field named, never shown as "Invalid Date".
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      });
    } catch (cause) {
      throw new ViewInputError(`timeZone: ${JSON.stringify(timeZone)} is not an IANA time zone`, { cause });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Milliseconds of an ISO instant, or a `ViewInputError` naming `field`. */
export function instantMs(iso: string, field: string): number {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms))
    throw new ViewInputError(`${field}: ${JSON.stringify(iso.slice(0, 40))} is not an ISO 8601 instant`);
  return ms;
}

interface WallClock {
  readonly weekday: string;
  readonly day: string;
  readonly month: string;
  readonly year: string;
  readonly time: string;
  readonly zone: string;
}

function wallClock(iso: string, timeZone: string, field: string): WallClock {
  const parts = formatter(timeZone).formatToParts(instantMs(iso, field));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: part('weekday'),
    day: part('day'),
    month: part('month'),
    year: part('year'),
    time: `${part('hour')}:${part('minute')}`,
    zone: part('timeZoneName'),
  };
}

/** `14:05 (EST)`: the wall-clock time and the zone's abbreviation. */
export function clockTime(iso: string, timeZone: string, field = 'time'): string {
  const w = wallClock(iso, timeZone, field);
  return `${w.time} (${w.zone})`;
}

/** `Tue 24 Nov 2026 21:00 EST`. */
export function dateTime(iso: string, timeZone: string, field = 'time'): string {
  const w = wallClock(iso, timeZone, field);
  return `${w.weekday} ${w.day} ${w.month} ${w.year} ${w.time} ${w.zone}`;
}

/** `24 Nov 2026`: the calendar date in the zone. */
export function calendarDate(iso: string, timeZone: string, field = 'date'): string {
  const w = wallClock(iso, timeZone, field);
  return `${w.day} ${w.month} ${w.year}`;
}

/** `25 min`, `2 h 5 min`, `3 d 4 h`: a non-negative span in whole minutes. */
export function span(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return hours % 24 === 0 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** `due in 25 min` before the deadline, `breached 12 min ago` at or after it. */
export function deadlineDistance(deadline: string, now: string): string {
  const diff = instantMs(deadline, 'slaDeadline') - instantMs(now, 'now');
  const minutes = Math.floor(Math.abs(diff) / 60_000);
  return diff > 0 ? `due in ${span(minutes)}` : `breached ${span(minutes)} ago`;
}
