import type { Config, SlackConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { consolidateIdleSessions } from '../memory/index.ts';
import { generateSettlementDay } from '../seed/index.ts';
import { ingestTrades, sweepSla } from '../settlement/index.ts';
import { startBot } from './bot.ts';
import { openSettlement } from './settlement.ts';

const NOTIFY_EVERY_MS = 2000;
const CONSOLIDATE_EVERY_MS = 60_000;

/**
 * `settleops start` with Slack credentials: the bot (HTTP or Socket Mode), the outbox notifier, the
 * SLA sweeper and memory consolidation on their schedules, against the configured store, until
 * SIGINT/SIGTERM. With `demo`, a generated day is ingested first (otherwise nothing is played).
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
      let nextConsolidation = Date.now() + CONSOLIDATE_EVERY_MS;
      while (!stopping) {
        const now = Date.now();
        try {
          if (now >= nextSweep) {
            await sweepSla(rt.deps);
            nextSweep = now + config.sweepIntervalSeconds * 1000;
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
