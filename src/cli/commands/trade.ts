import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { viewTrade } from '../../settlement/index.ts';
import { args, print } from '../args.ts';
import { formatTradeView } from '../format/trade-view.ts';

/** `settleops trade ID`: one trade with its match, exceptions and audit trail. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(argv, { json: { type: 'boolean' } }, 1);
  const id = positionals[0];
  if (id === undefined) throw new UsageError('trade needs a trade ID, e.g. `settleops trade T-10042`');
  return withSettlement(config, async (rt) => {
    const views = await viewTrade(rt.store, id);
    if (views.length === 0) {
      console.error(`No trade ${id}.`);
      return 1;
    }
    print(values.json, views, () => views.map(formatTradeView).join('\n\n'));
    return 0;
  });
}
