import type { SettlementDay } from '../../src/seed/index.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { createTestTable, type TestTable } from './dynamodb.ts';
import { HIDDEN_ASKED_AT, HIDDEN_INGESTED_AT, HIDDEN_SWEEPS, hiddenCaseDay } from './hidden-case-day.ts';
import { rowsOf, settlementDeps, TestClock } from './settlement.ts';

export { HIDDEN_ASKED_AT, HIDDEN_TODAY, HIDDEN_TRADE_DATE, hiddenCaseDay } from './hidden-case-day.ts';

export interface HiddenDay {
  readonly table: TestTable;
  readonly clock: TestClock;
  readonly deps: SettlementDeps;
  readonly day: SettlementDay;
}

/** A fresh table holding the hidden-case day, matched and swept; the clock left at HIDDEN_ASKED_AT. */
export async function seedHiddenDay(options: { trades?: number; seed?: number } = {}): Promise<HiddenDay> {
  const table = await createTestTable();
  const clock = new TestClock(HIDDEN_INGESTED_AT);
  const deps = settlementDeps(table.store, clock);
  const day = hiddenCaseDay(options.trades, options.seed);
  await ingestTrades(deps, rowsOf(...day.internal, ...day.counterparty));
  for (const at of [...HIDDEN_SWEEPS, HIDDEN_ASKED_AT]) {
    clock.set(at);
    await sweepSla(deps);
  }
  return { table, clock, deps, day };
}
