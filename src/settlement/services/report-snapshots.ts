import { buildReport, type SettlementReport } from '../report.ts';
import type { DayRecords, SettlementStore } from '../store/settlement-store.ts';

/** How old a stored report may be before it is rebuilt from the day's records. */
export const REPORT_MAX_AGE_MS = 60_000;

/** The scope of a report over every desk. */
export const ALL_DESKS = '*';

/**
 * The day's report through a snapshot: a report built less than `maxAgeMs` ago for the same trade
 * date and scope is served as stored (one GetItem); otherwise it is rebuilt from the day's records
 * (a Query over everything of the date, the expensive part) and stored for the next asker. The
 * report carries `generatedAt`, so answers say how current they are.
 */
export async function snapshotReport(
  store: SettlementStore,
  options: {
    readonly tradeDate: string;
    /** `*`, a desk, or a sorted, comma-joined desk list: what the figures cover. */
    readonly scope: string;
    readonly now: Date;
    readonly maxAgeMs?: number;
    readonly build: () => Promise<SettlementReport>;
  },
): Promise<SettlementReport> {
  const maxAge = options.maxAgeMs ?? REPORT_MAX_AGE_MS;
  const stored = await store.getReportSnapshot(options.tradeDate, options.scope);
  const age =
    stored === undefined ? Number.POSITIVE_INFINITY : options.now.getTime() - Date.parse(stored.generatedAt);
  if (stored !== undefined && age >= 0 && age <= maxAge) return stored;
  const fresh = await options.build();
  await store.putReportSnapshot(options.tradeDate, options.scope, fresh);
  return fresh;
}

/**
 * Every desk's report of a trade date, built from the whole day already read for the all-desks
 * report and stored as that desk's snapshot: one read of the day serves every scope of it for the
 * next minute. Nothing is stored when the day holds records that could not be read (their desk is
 * unknown, so no desk's report could name them). Returns the desks stored.
 */
export async function snapshotDeskReports(
  store: SettlementStore,
  day: DayRecords,
  options: { readonly tradeDate: string; readonly now: string },
): Promise<string[]> {
  if (day.unreadable !== undefined && day.unreadable.length > 0) return [];
  const desks = [...new Set([...day.trades, ...day.matches, ...day.exceptions].map((r) => r.desk))].sort();
  await Promise.all(
    desks.map((desk) =>
      store.putReportSnapshot(
        options.tradeDate,
        desk,
        buildReport(deskPart(day, desk), { tradeDate: options.tradeDate, now: options.now, desk }),
      ),
    ),
  );
  return desks;
}

function deskPart(day: DayRecords, desk: string): DayRecords {
  return {
    trades: day.trades.filter((t) => t.desk === desk),
    matches: day.matches.filter((m) => m.desk === desk),
    exceptions: day.exceptions.filter((e) => e.desk === desk),
    instructions: day.instructions.filter((i) => i.desk === desk),
  };
}
