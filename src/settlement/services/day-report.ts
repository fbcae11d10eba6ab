import { reportDate } from '../market-day.ts';
import { buildReport, type SettlementReport } from '../report.ts';
import type { SettlementDeps } from './deps.ts';

/**
 * The settlement report of a trade date (today in the desk's time zone when none is given), for one
 * desk or all: what `settleops report` prints and `/settle-report` posts.
 */
export async function dayReport(
  deps: Pick<SettlementDeps, 'store' | 'sla' | 'now'>,
  options: { readonly date?: string | undefined; readonly desk?: string | undefined },
): Promise<SettlementReport> {
  const now = deps.now();
  const { tradeDate, basis } = reportDate(options.date, now, deps.sla, options.desk);
  const day = await deps.store.listDay(tradeDate, options.desk);
  return buildReport(day, {
    tradeDate,
    now: now.toISOString(),
    dateBasis: basis,
    ...(options.desk === undefined ? {} : { desk: options.desk }),
  });
}
