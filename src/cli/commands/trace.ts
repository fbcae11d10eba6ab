import { withTraces } from '../../app/agent.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { args, print } from '../args.ts';
import { formatTrace } from '../format/trace.ts';

/** `settleops trace ID`: what one agent invocation did. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(argv, { json: { type: 'boolean' } }, 1);
  const id = positionals[0];
  if (id === undefined)
    throw new UsageError('trace needs a trace ID, e.g. `settleops trace tr-…` (printed by ask)');
  return withTraces(config, async (traces) => {
    const t = await traces.get(id);
    if (t === undefined) {
      console.error(`No trace ${id} (traces are kept 30 days).`);
      return 1;
    }
    print(values.json, t, () => formatTrace(t));
    return 0;
  });
}
