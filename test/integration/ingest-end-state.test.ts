import { describe, expect, it } from 'vitest';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { matchTrade } from '../../src/settlement/services/match-trade.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

/*
 * Two of our bookings and two records: `C1` is the exact record of `I1`; `C` breaks on the settlement
 * type against `I1` (80) and also on the place of settlement against `I2` (60). Judged from `C`, the
 * best booking is `I1`, which takes `C1` instead; `I2`'s only candidate is then `C`.
 */
const I1 = aTrade({ tradeId: 'T-I1' });
const I2 = aTrade({ tradeId: 'T-I2', placeOfSettlement: 'DAKVDEFF' });
const C1 = aCounterpartyRecordOf(I1, { tradeId: 'C-I1' });
const C = aCounterpartyRecordOf(I1, { tradeId: 'C-X', settlementType: 'FOP' });

async function fresh(): Promise<{ table: TestTable; deps: SettlementDeps }> {
  const table = await createTestTable();
  return { table, deps: settlementDeps(table.store, new TestClock('2026-11-24T18:00:00.000Z')) };
}

async function endState(table: TestTable) {
  const day = await table.store.listDay('2026-11-24');
  return day.trades
    .map((t) => [t.tradeId, t.status, t.needsMatching] as const)
    .sort((a, b) => a[0].localeCompare(b[0]));
}

describe('the end state of an ingest', () => {
  it('leaves no trade undecided that matching would now decide', async () => {
    const { table, deps } = await fresh();
    await ingestTrades(deps, rowsOf(I1, I2));

    await ingestTrades(deps, rowsOf(C, C1));

    const waiting = (await table.store.listDay('2026-11-24')).trades.filter((t) => t.needsMatching);
    const later = await Promise.all(waiting.map((t) => matchTrade(deps, `${t.source}#${t.tradeId}`)));
    expect(later.map((o) => o.kind).filter((k) => k !== 'NO_CANDIDATE')).toStrictEqual([]);
  });

  it('is the same whether the bookings came in an earlier ingest or in the same one', async () => {
    const split = await fresh();
    await ingestTrades(split.deps, rowsOf(I1, I2));
    await ingestTrades(split.deps, rowsOf(C, C1));
    const together = await fresh();
    await ingestTrades(together.deps, rowsOf(I1, I2, C, C1));

    expect(await endState(split.table)).toStrictEqual(await endState(together.table));
    expect(await endState(together.table)).toStrictEqual([
      ['C-I1', 'MATCHED', false],
      ['C-X', 'UNMATCHED', false],
      ['T-I1', 'MATCHED', false],
      ['T-I2', 'EXCEPTION', false],
    ]);
  });
});
