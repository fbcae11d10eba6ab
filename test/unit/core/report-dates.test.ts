import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import { reportDatesThatMatter } from '../../../src/settlement/services/refresh-report-snapshots.ts';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../../../src/settlement/sla-policy.ts';

const sla = new SlaPolicy(DEFAULT_SLA_POLICY, new CalendarRegistry());

describe('the report dates that matter', () => {
  it("are today and the weekday before in every desk's zone, newest first", () => {
    // Monday 30 Nov 2026, 10:00 UTC: Monday in New York, London and Tokyo; the weekday before is Friday.
    expect(reportDatesThatMatter(new Date('2026-11-30T10:00:00Z'), sla)).toStrictEqual([
      '2026-11-30',
      '2026-11-27',
    ]);
    // Friday 23:30 in New York is Saturday in London and Tokyo: Saturday, Friday and Thursday.
    expect(reportDatesThatMatter(new Date('2026-11-28T04:30:00Z'), sla)).toStrictEqual([
      '2026-11-28',
      '2026-11-27',
      '2026-11-26',
    ]);
  });

  it('add the dates with open work, never a date after the latest today', () => {
    expect(
      reportDatesThatMatter(new Date('2026-11-25T12:00:00Z'), sla, [
        '2026-11-20',
        '2026-11-24',
        '2026-12-01',
      ]),
    ).toStrictEqual(['2026-11-25', '2026-11-24', '2026-11-20']);
  });
});
