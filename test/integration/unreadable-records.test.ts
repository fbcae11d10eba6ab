import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SettlementReportData } from '../../src/agents/tools/report-tools.ts';
import { formatReport } from '../../src/cli/format/report.ts';
import { buildReport } from '../../src/settlement/report.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { matchItem, tradeItem } from '../../src/settlement/store/items.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { runTool, toolContext } from '../support/offline-driver.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aMatch, aStoredTrade } from '../support/settlement-records.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let deps: SettlementDeps;

beforeEach(async () => {
  table = await createTestTable();
  deps = settlementDeps(table.store, new TestClock('2026-11-24T18:00:00.000Z'));
  const ours = aTrade({ tradeId: 'T-GOOD' });
  await ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours)));
});

/** Writes an item as an older version (or a hand edit) might have: past today's bounds. */
async function putRaw(item: Record<string, unknown>): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.tableName, Item: item }));
}

const LONG_REASON = 'x'.repeat(600);

async function putBadRecords(): Promise<void> {
  await putRaw(
    matchItem({
      ...aMatch({ matchId: 'M|BAD', status: 'PENDING_REVIEW' }),
      decision: { by: 'principal:ops-ben', at: '2026-11-24T17:00:00.000Z', reason: LONG_REASON },
    }),
  );
  await putRaw(tradeItem({ ...aStoredTrade({ tradeId: 'T-HUGE' }), quantity: '9'.repeat(9000) }));
}

describe('a listing that meets an unreadable record', () => {
  it('reports that record by id and what is wrong, and reads the rest of the day', async () => {
    await putBadRecords();

    const day = await table.store.listDay('2026-11-24');

    expect(day.trades.map((t) => t.tradeId).sort()).toStrictEqual(['C-T-GOOD', 'T-GOOD']);
    // In byDay order: the desk's matches sort before its trades.
    expect(day.unreadable).toStrictEqual([
      {
        id: 'M|BAD',
        itemType: 'MATCH',
        problem: 'decision.reason: Too big: expected string to have <=500 characters',
      },
      {
        id: 'INTERNAL#T-HUGE',
        itemType: 'TRADE',
        problem: 'quantity: has 9000 digits before the decimal point, more than 18',
      },
    ]);
  });

  it('builds and prints the report, naming the records it could not count', async () => {
    await putBadRecords();

    const report = buildReport(await table.store.listDay('2026-11-24'), {
      tradeDate: '2026-11-24',
      now: '2026-11-24T18:00:00.000Z',
    });

    expect(report.trades).toStrictEqual({ internal: 1, counterparty: 1 });
    expect(report.unreadable?.map((u) => u.id)).toStrictEqual(['M|BAD', 'INTERNAL#T-HUGE']);
    expect(formatReport(report)).toContain(
      '  Not counted: 2 unreadable records\n    M|BAD: decision.reason: Too big: expected string to have <=500 characters\n    INTERNAL#T-HUGE: quantity:',
    );
  });

  it('keeps the agent report tool answering for every desk', async () => {
    await putBadRecords();

    const out = await runTool('settlement_report', { tradeDate: '2026-11-24' }, toolContext(deps));

    expect(out.ok).toBe(true);
    const data = out.ok ? (out.data as SettlementReportData) : undefined;
    expect(data?.report.trades).toStrictEqual({ internal: 1, counterparty: 1 });
    expect(data?.report.unreadable?.map((u) => u.id)).toStrictEqual(['M|BAD', 'INTERNAL#T-HUGE']);
  });

  it('pages past an unreadable pending review', async () => {
    await putBadRecords();

    const page = await table.store.listPendingReviews({ limit: 10 });

    expect(page.items).toStrictEqual([]);
    expect(page.unreadable?.map((u) => u.id)).toStrictEqual(['M|BAD']);
  });
});
