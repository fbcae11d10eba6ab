import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { type ReportRefresh, refreshReportSnapshots, sweepSla } from '../../settlement/index.ts';
import { args, print } from '../args.ts';
import { describeSweep } from '../format/sweep.ts';

/**
 * `settleops sweep`: one pass of the SLA sweeper, then the day report snapshots of the dates that
 * matter refreshed when older than 45 s (a scheduled sweep keeps report questions off the whole day).
 */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' }, progress: { type: 'boolean' } });
  const onProgress =
    values.progress === true
      ? (committed: number) => process.stderr.write(`swept ${committed}\n`)
      : undefined;
  return withSettlement(config, async (rt) => {
    const r = await sweepSla(rt.deps, onProgress === undefined ? {} : { onProgress });
    const reports = await refreshReportSnapshots(rt.deps, { tradeDates: r.tradeDates });
    print(values.json, { ...r, reports }, () => `${describeSweep(r)}\n${describeRefresh(reports)}`);
    return 0;
  });
}

function describeRefresh(r: ReportRefresh): string {
  const list = (dates: readonly string[]) => (dates.length === 0 ? 'none' : dates.join(', '));
  return `Report snapshots: rebuilt ${list(r.refreshed)}; still fresh ${list(r.fresh)}${r.skipped.length > 0 ? `; left for the next asker ${list(r.skipped)}` : ''}`;
}
