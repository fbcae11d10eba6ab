import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { createJsonLogger } from '../../logger.ts';
import { args, positiveInt } from '../args.ts';
import { runDemoDay } from '../demo-day.ts';

/**
 * `settleops start`: with Slack credentials, the Slack bot with its notifier, SLA sweeper and memory
 * consolidation (`--demo` ingests a generated day first); without, the embedded stack playing a
 * settlement day.
 */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    trades: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    once: { type: 'boolean' },
    demo: { type: 'boolean' },
  });
  const trades = positiveInt(values.trades, 'trades', 2000);
  const seed = positiveInt(values.seed, 'seed', 42);
  if (config.slack !== undefined) {
    const { runBotProcess } = await import('../../app/bot-process.ts');
    return runBotProcess(config, config.slack, createJsonLogger({ level: config.logLevel }), {
      ...(values.demo === true ? { demo: { trades, seed } } : {}),
    });
  }
  if (values.demo === true) {
    throw new UsageError(
      'start --demo plays a day into the store the Slack bot uses; without Slack, `start` plays it already',
    );
  }
  return runDemoDay(config, {
    trades,
    seed,
    speed: positiveInt(values.speed, 'speed', 120),
    once: values.once === true,
  });
}
