import { beforeEach, describe, expect, it } from 'vitest';
import { buildReport, type SettlementReport } from '../../src/settlement/report.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { snapshotReport } from '../../src/settlement/services/report-snapshots.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

const DATE = '2026-11-24';
let table: TestTable;
let clock: TestClock;
let deps: SettlementDeps;
let builds: number;

const report = () =>
  snapshotReport(table.store, {
    tradeDate: DATE,
    scope: '*',
    now: clock.now(),
    build: async (): Promise<SettlementReport> => {
      builds++;
      return buildReport(await table.store.listDay(DATE), {
        tradeDate: DATE,
        now: clock.now().toISOString(),
      });
    },
  });

beforeEach(async () => {
  table = await createTestTable();
  clock = new TestClock('2026-11-24T20:00:00.000Z');
  deps = settlementDeps(table.store, clock);
  builds = 0;
  const t = aTrade({ tradeId: 'T-1' });
  await ingestTrades(deps, rowsOf(t, aCounterpartyRecordOf(t)));
});

describe('report snapshots', () => {
  it('serves a report younger than a minute as stored, stating when it was built', async () => {
    const first = await report();
    await ingestTrades(deps, rowsOf(aTrade({ tradeId: 'T-2' })));
    clock.advanceMinutes(1);

    const second = await report();

    expect(builds).toBe(1);
    expect(second).toStrictEqual(first);
    expect(second.generatedAt).toBe('2026-11-24T20:00:00.000Z');
    expect(second.trades.internal).toBe(1);
  });

  it('rebuilds a report older than a minute from the day records', async () => {
    await report();
    await ingestTrades(deps, rowsOf(aTrade({ tradeId: 'T-2' })));
    clock.advanceMinutes(2);

    const fresh = await report();

    expect(builds).toBe(2);
    expect(fresh.trades.internal).toBe(2);
    expect(fresh.generatedAt).toBe('2026-11-24T20:02:00.000Z');
  });
});
