import { NEW_YORK } from './time.ts';

/**
 * The time zone a desk works in, for "today" in its questions ("today's report" on a London desk is
 * the London date). By the region part of the desk name; New York when it names none.
 */
const REGION_ZONES: ReadonlyArray<readonly [RegExp, string]> = [
  [/-(?:UK|GB|LDN|LON|EU|EMEA|EUR)$/, 'Europe/London'],
  [/-(?:APAC|ASIA|JP|TKY|HK|SG)$/, 'Asia/Tokyo'],
  [/-(?:US|NY|AMER|NA)$/, NEW_YORK],
];

export function deskTimeZone(desk: string): string {
  return REGION_ZONES.find(([re]) => re.test(desk.toUpperCase()))?.[1] ?? NEW_YORK;
}
