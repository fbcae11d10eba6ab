import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { buildReport, reportDate } from '../../settlement/index.ts';
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
    const now = rt.deps.now();
    const { tradeDate, basis } = reportDate(date, now, rt.deps.sla, values.desk);
    const day = await rt.store.listDay(tradeDate, values.desk);
    const r = buildReport(day, {
      tradeDate,
      now: now.toISOString(),
      dateBasis: basis,
      ...(values.desk === undefined ? {} : { desk: values.desk }),
    });
    print(values.json, r, () =>
      r.trades.internal + r.trades.counterparty === 0
        ? `No trades for trade date ${tradeDate}${values.desk === undefined ? '' : ` on desk ${values.desk}`}.`
        : formatReport(r),
    );
    return 0;
  });
}
