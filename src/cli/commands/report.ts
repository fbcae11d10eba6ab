import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { dayReport } from '../../settlement/index.ts';
import { args, isoDate, print } from '../args.ts';
import { formatReport } from '../format/report.ts';

/** `settleops report`: the day's settlement picture. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    date: { type: 'string' },
    desk: { type: 'string' },
    json: { type: 'boolean' },
  });
  const date = isoDate(values.date, 'date');
  return withSettlement(config, async (rt) => {
    const r = await dayReport(rt.deps, { date, desk: values.desk });
    const { tradeDate } = r;
    print(values.json, r, () =>
      r.trades.internal + r.trades.counterparty === 0
        ? `No trades for trade date ${tradeDate}${values.desk === undefined ? '' : ` on desk ${values.desk}`}.`
        : formatReport(r),
    );
    return 0;
  });
}
