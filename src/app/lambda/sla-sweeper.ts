import { z } from 'zod';
import { loadConfig } from '../../config.ts';
import { dayReport, refreshReportSnapshots, sweepSla } from '../../settlement/index.ts';
import { coldStart, functionLogger, openFunctionSettlement } from '../serverless.ts';

const TaskSchema = z.object({ task: z.enum(['sweep', 'gauges']) });

/**
 * The SLA sweeper as a Lambda function on two EventBridge Scheduler rates: `sweep` (every minute) marks
 * warnings and breaches once each — the same `sweepSla` as `settleops start` — then rebuilds the report
 * snapshots of today, the day before and the dates with open work (as `settleops sweep` does), so
 * `/settle-report` and the agents' reports read a stored one; `gauges` logs today's
 * match rate and open exceptions (the dashboard's metric filters read both lines).
 */
const boot = coldStart(async () => {
  const config = loadConfig();
  const logger = functionLogger(config, 'sla-sweeper');
  return { logger, rt: await openFunctionSettlement(config, logger) };
});

export async function handler(event: unknown): Promise<void> {
  const { task } = TaskSchema.parse(event);
  const { logger, rt } = await boot();
  if (task === 'sweep') {
    const swept = await sweepSla(rt.deps);
    logger.info('sla swept', {
      warned: swept.warned,
      breached: swept.breached,
      missingCounterparty: swept.missingCounterparty,
      skipped: swept.skipped,
    });
    // Every run rebuilds (runs are a minute apart, as long as a snapshot is served).
    const refreshed = await refreshReportSnapshots(rt.deps, { tradeDates: swept.tradeDates, olderThanMs: 0 });
    logger.info('report snapshots refreshed', { ...refreshed });
    return;
  }
  const report = await dayReport(rt.deps, {});
  logger.info('settlement gauges', {
    tradeDate: report.tradeDate,
    matchRate: Number(report.matchRate),
    stpRate: Number(report.stpRate),
    openExceptions: report.exceptions.open,
    slaBreaches: report.sla.breaches,
  });
}
