import { mkdir, writeFile } from 'node:fs/promises';
import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { generateSettlementDay, seedToday, toCsv } from '../../seed/index.ts';
import { ingestTrades } from '../../settlement/index.ts';
import { args, isoDate, positiveInt } from '../args.ts';

/** `settleops seed`: load a deterministic settlement day, or write it as two CSV files. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, {
    trades: { type: 'string' },
    seed: { type: 'string' },
    date: { type: 'string' },
    out: { type: 'string' },
  });
  const date = isoDate(values.date, 'date');
  const day = generateSettlementDay({
    trades: positiveInt(values.trades, 'trades', 2000),
    seed: positiveInt(values.seed, 'seed', 42),
    ...(date === undefined ? {} : { date }),
    today: seedToday(new Date()),
  });
  if (values.out !== undefined) {
    await mkdir(values.out, { recursive: true });
    const internalFile = `${values.out}/internal-${day.tradeDate}.csv`;
    const counterpartyFile = `${values.out}/counterparty-${day.tradeDate}.csv`;
    await writeFile(internalFile, toCsv(day.internal));
    await writeFile(counterpartyFile, toCsv(day.counterparty));
    console.log(`wrote ${day.internal.length} internal trades to ${internalFile}`);
    console.log(`wrote ${day.counterparty.length} counterparty records to ${counterpartyFile}`);
    return 0;
  }
  return withSettlement(config, async (rt) => {
    const rows = [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 1, input }));
    const s = await ingestTrades(rt.deps, rows);
    console.log(
      `trade date ${day.tradeDate}: ${s.ingested} records ingested, ${s.unchanged} already there; ` +
        `${s.matching.AUTO_MATCHED} auto-matched, ${s.matching.PENDING_REVIEW} to review, ${s.matching.EXCEPTION} exceptions`,
    );
    return 0;
  });
}
