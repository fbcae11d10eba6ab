import { DateTime } from 'luxon';
import { marketDay } from '../market-day.ts';
import { buildReport } from '../report.ts';
import type { SlaPolicy } from '../sla-policy.ts';
import type { SettlementDeps } from './deps.ts';
import { ALL_DESKS, REPORT_MAX_AGE_MS, snapshotDeskReports } from './report-snapshots.ts';

/**
 * A snapshot older than this is rebuilt by a refresh. Run every few seconds (the bot process runs it
 * every 10 s), a refresh keeps every snapshot it covers under `REPORT_MAX_AGE_MS` (a minute), so a
 * report question is one GetItem instead of a read of the whole day.
 */
export const REFRESH_OLDER_THAN_MS = 45_000;

/** At most this many trade dates per refresh, the newest first: each rebuild reads a whole day. */
export const MAX_REFRESH_DATES = 6;

export interface ReportRefresh {
  /** Trade dates whose snapshots (all desks and each desk) were rebuilt, newest first. */
  readonly refreshed: readonly string[];
  /** Trade dates whose snapshots were young enough to keep. */
  readonly fresh: readonly string[];
  /** Trade dates that mattered but were over `MAX_REFRESH_DATES` (the oldest), left for the next asker. */
  readonly skipped: readonly string[];
}

/**
 * The trade dates whose reports people ask for, newest first: today and the previous business day
 * (Monday to Friday) in every desk time zone of the SLA policy, and `open` (the dates with open work,
 * as the SLA sweep met them). Dates after the latest "today" are left out. Pure.
 */
export function reportDatesThatMatter(
  now: Date,
  sla: Pick<SlaPolicy, 'timeZones'>,
  open: readonly string[] = [],
): string[] {
  const todays = sla.timeZones().map((zone) => marketDay(now, zone));
  const latest = [...todays].sort().at(-1) ?? '';
  const dates = new Set([...todays, ...todays.map(previousWeekday), ...open]);
  return [...dates].filter((d) => d <= latest).sort((a, b) => b.localeCompare(a));
}

/**
 * Keeps the day report snapshots of the dates that matter (`reportDatesThatMatter`) younger than a
 * minute, for the sweep schedule to run (the bot process, `settleops sweep`, the sweeper Lambda).
 * A date whose all-desks snapshot is older than `olderThanMs` (or missing) is rebuilt from one read of
 * the day: the all-desks report and every desk's (`snapshotDeskReports`), each built exactly as a
 * question would build it and stamped with the instant of the read (`generatedAt`: answers say "as
 * of" it). The all-desks snapshot is written last, so its age vouches for the desks'. Dates are
 * rebuilt one after another, not at once: a refresh must not crowd out the questions it serves.
 */
export async function refreshReportSnapshots(
  deps: Pick<SettlementDeps, 'store' | 'sla' | 'now'>,
  options: {
    /** Dates with open work (`SweepResult.tradeDates`), refreshed besides today's and the day before's. */
    readonly tradeDates?: readonly string[];
    readonly olderThanMs?: number;
  } = {},
): Promise<ReportRefresh> {
  const olderThan = options.olderThanMs ?? REFRESH_OLDER_THAN_MS;
  if (!(olderThan >= 0 && olderThan < REPORT_MAX_AGE_MS))
    throw new RangeError(`olderThanMs must be at least 0 and under ${REPORT_MAX_AGE_MS} (got ${olderThan})`);
  const dates = reportDatesThatMatter(deps.now(), deps.sla, options.tradeDates);
  const refreshed: string[] = [];
  const fresh: string[] = [];
  for (const tradeDate of dates.slice(0, MAX_REFRESH_DATES)) {
    const now = deps.now();
    const stored = await deps.store.getReportSnapshot(tradeDate, ALL_DESKS);
    const age = stored === undefined ? Number.NaN : now.getTime() - Date.parse(stored.generatedAt);
    if (age >= 0 && age <= olderThan) {
      fresh.push(tradeDate);
      continue;
    }
    const at = now.toISOString();
    const day = await deps.store.listDay(tradeDate, undefined, { instructions: false });
    await snapshotDeskReports(deps.store, day, { tradeDate, now: at });
    await deps.store.putReportSnapshot(tradeDate, ALL_DESKS, buildReport(day, { tradeDate, now: at }));
    refreshed.push(tradeDate);
  }
  return { refreshed, fresh, skipped: dates.slice(MAX_REFRESH_DATES) };
}

function previousWeekday(date: string): string {
  let d = DateTime.fromISO(date, { zone: 'UTC' }).minus({ days: 1 });
  while (d.weekday > 5) d = d.minus({ days: 1 });
  return d.toISODate() as string;
}
