import { mkdir, writeFile } from 'node:fs/promises';
import { principalDirectory } from '../../app/identity.ts';
import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { enrolDemoPrincipals, generateSettlementDay, seedToday, toCsv } from '../../seed/index.ts';
import { ingestTrades } from '../../settlement/index.ts';
import { args, isoDate, positiveInt } from '../args.ts';
import { formatDemoPrincipals } from '../format/users.ts';

/** The audit actor of the demo principals seeding creates. */
const SEED_ACTOR = 'system:seed';

/**
 * `settleops seed`: load a deterministic settlement day and the demo principals (once: a second seed
 * adds nothing), or write the day as two CSV files.
 */
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
    const principals = await enrolDemoPrincipals(
      { directory: principalDirectory(rt), now: rt.deps.now },
      SEED_ACTOR,
    );
    console.log(formatDemoPrincipals(principals));
    return principals.some((p) => p.kind === 'REFUSED') ? 1 : 0;
  });
}
