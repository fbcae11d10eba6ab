import type { Config, SlackConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { consolidateIdleSessions } from '../memory/index.ts';
import { generateSettlementDay } from '../seed/index.ts';
import { ingestTrades, refreshReportSnapshots, sweepSla } from '../settlement/index.ts';
import { startBot } from './bot.ts';
import { openSettlement } from './settlement.ts';

const NOTIFY_EVERY_MS = 2000;
const CONSOLIDATE_EVERY_MS = 60_000;
/** Report snapshots older than 45 s are rebuilt on this beat, so a question finds one under a minute old. */
const REFRESH_REPORTS_EVERY_MS = 10_000;

/**
 * `settleops start` with Slack credentials: the bot (HTTP or Socket Mode), the outbox notifier, the
 * SLA sweeper (keeping the day report snapshots warm) and memory consolidation on their schedules,
 * against the configured store, until SIGINT/SIGTERM. With `demo`, a generated day is ingested first
 * (otherwise nothing is played).
 */
export async function runBotProcess(
  config: Config,
  slack: SlackConfig,
  logger: Logger,
  options: { readonly demo?: { readonly trades: number; readonly seed: number } } = {},
): Promise<number> {
  const rt = await openSettlement(config, { log: (m) => logger.info(m), share: true });
  try {
    const bot = await startBot(config, slack, rt, { logger });
    let stopping = false;
    const stop = () => {
      stopping = true;
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      if (options.demo !== undefined) {
        const day = generateSettlementDay({ trades: options.demo.trades, seed: options.demo.seed });
        const rows = [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 2, input }));
        const summary = await ingestTrades(rt.deps, rows);
        logger.info('demo day ingested', {
          trades: rows.length,
          ingested: summary.ingested,
          unchanged: summary.unchanged,
        });
      }
      let nextSweep = 0;
      let nextRefresh = 0;
      // The dates with open work the last sweep met: their reports are kept warm besides today's.
      let openDates: readonly string[] = [];
      let nextConsolidation = Date.now() + CONSOLIDATE_EVERY_MS;
      while (!stopping) {
        const now = Date.now();
        try {
          if (now >= nextSweep) {
            openDates = (await sweepSla(rt.deps)).tradeDates;
            nextSweep = now + config.sweepIntervalSeconds * 1000;
          }
          if (now >= nextRefresh) {
            nextRefresh = now + REFRESH_REPORTS_EVERY_MS;
            // A failed refresh only leaves the next question to build its report: alerts go on.
            await refreshReportSnapshots(rt.deps, { tradeDates: openDates }).catch((error: unknown) =>
              logger.error('report snapshot refresh failed', { error }),
            );
          }
          await bot.notifier.runOnce();
          if (now >= nextConsolidation) {
            await consolidateIdleSessions(bot.consolidation, {});
            nextConsolidation = now + CONSOLIDATE_EVERY_MS;
          }
        } catch (error) {
          // One failed pass (Slack or DynamoDB briefly away) is retried on the next; nothing is lost.
          logger.error('background pass failed', { error });
        }
        for (let waited = 0; waited < NOTIFY_EVERY_MS && !stopping; waited += 250) {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      logger.info('stopping');
      return 0;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await bot.stop();
    }
  } finally {
    await rt.close();
  }
}
