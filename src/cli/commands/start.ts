import type { Config } from '../../config.ts';
import { args, positiveInt } from '../args.ts';
import { runDemoDay } from '../demo-day.ts';

/** `settleops start`: the embedded stack playing a settlement day. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    trades: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    once: { type: 'boolean' },
  });
  return runDemoDay(config, {
    trades: positiveInt(values.trades, 'trades', 2000),
    seed: positiveInt(values.seed, 'seed', 42),
    speed: positiveInt(values.speed, 'speed', 120),
    once: values.once === true,
  });
}
