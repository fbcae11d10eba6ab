import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Trade, TradeInput } from '../../src/settlement/model.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { DynamoDbSettlementStore } from '../../src/settlement/store/dynamodb-settlement-store.ts';
import type { DayRecords } from '../../src/settlement/store/settlement-store.ts';
import { tradeIndexKeys } from '../../src/settlement/store/trade-index.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { HIDDEN_TRADE_DATE, type HiddenDay, seedHiddenDay } from '../support/hidden-day.ts';
import { rowsOf } from '../support/settlement.ts';

const refOf = (t: Pick<Trade, 'source' | 'tradeId'>) => `${t.source}#${t.tradeId}`;
const refs = (xs: readonly Trade[]) => xs.map(refOf).sort();

/** The refs filed under one partition of the trade index, read straight from the index. */
async function indexEntries(seeded: HiddenDay, index: 'byBlock' | 'byQueue', pk: string): Promise<string[]> {
  const out = await seeded.table.doc.send(
    new QueryCommand({
      TableName: seeded.table.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': `${index}Pk` },
      ExpressionAttributeValues: { ':pk': pk },
    }),
  );
  return (out.Items ?? []).map((i) => String(i.ref)).sort();
}

function inputOf(t: Trade, change: Partial<TradeInput>): TradeInput {
  return {
    tradeId: t.tradeId,
    source: t.source,
    side: t.side,
    isin: t.isin,
    quantity: t.quantity,
    price: t.price,
    currency: t.currency,
    tradeDate: t.tradeDate,
    settlementDate: t.settlementDate,
    account: t.account,
    desk: t.desk,
    counterpartyBic: t.counterpartyBic,
    placeOfSettlement: t.placeOfSettlement,
    settlementType: t.settlementType,
    ...(t.netAmount === undefined ? {} : { netAmount: t.netAmount }),
    ...change,
  };
}

describe('the trade search index', () => {
  let seeded: HiddenDay;
  let whole: DayRecords;

  beforeAll(async () => {
    seeded = await seedHiddenDay();
    whole = await seeded.table.store.listDay(HIDDEN_TRADE_DATE);
  });

  it('is complete on a table this version created', async () => {
    expect(await seeded.table.store.tradeIndexComplete()).toBe(true);
    expect(await seeded.table.store.backfillTradeIndex()).toBe(0);
  });

  it('files every trade of the day under its ISIN and its firm, and nothing else', async () => {
    const isins = [...new Set(whole.trades.map((t) => t.isin))];
    const firms = [...new Set(whole.trades.map((t) => t.counterpartyBic.slice(0, 8)))];
    let filed = 0;
    for (const isin of isins) {
      const want = refs(whole.trades.filter((t) => t.isin === isin));
      const got = await indexEntries(seeded, 'byBlock', tradeIndexKeys.isin(HIDDEN_TRADE_DATE, isin));
      expect(got).toStrictEqual(want);
      filed += got.length;
    }
    for (const firm of firms) {
      const want = refs(whole.trades.filter((t) => t.counterpartyBic.startsWith(firm)));
      expect(
        await indexEntries(seeded, 'byQueue', tradeIndexKeys.bicFirm(HIDDEN_TRADE_DATE, firm)),
      ).toStrictEqual(want);
    }
    expect(filed).toBe(whole.trades.length);
  });

  it('answers a search by ISIN, by firm, by full BIC and by desk exactly as the day read does', async () => {
    const store = seeded.table.store;
    const sample = whole.trades.filter((_, i) => i % 37 === 0);
    expect(sample.length).toBeGreaterThan(5);
    for (const t of sample) {
      const firm = t.counterpartyBic.slice(0, 8);
      const byIsin = await store.queryDay(HIDDEN_TRADE_DATE, { trades: { isin: t.isin } });
      expect(refs(byIsin.trades)).toStrictEqual(refs(whole.trades.filter((x) => x.isin === t.isin)));
      const byFirm = await store.queryDay(HIDDEN_TRADE_DATE, {
        desk: t.desk,
        trades: { counterpartyBicPrefix: firm, source: 'INTERNAL' },
      });
      expect(refs(byFirm.trades)).toStrictEqual(
        refs(
          whole.trades.filter(
            (x) => x.desk === t.desk && x.source === 'INTERNAL' && x.counterpartyBic.startsWith(firm),
          ),
        ),
      );
      const byBic = await store.queryDay(HIDDEN_TRADE_DATE, {
        trades: { counterpartyBicPrefix: t.counterpartyBic, status: t.status },
      });
      expect(refs(byBic.trades)).toStrictEqual(
        refs(
          whole.trades.filter(
            (x) => x.counterpartyBic.startsWith(t.counterpartyBic) && x.status === t.status,
          ),
        ),
      );
    }
    // Another date has no entries of this one.
    const some = sample[0] as Trade;
    expect((await store.queryDay('2026-11-23', { trades: { isin: some.isin } })).trades).toStrictEqual([]);
  });

  it('gives the headers of the trades a search finds, as the trades themselves have them', async () => {
    const store = seeded.table.store;
    const t = whole.trades[0] as Trade;
    const filters = { counterpartyBicPrefix: t.counterpartyBic.slice(0, 8) };
    const headers = await store.queryDayTradeHeaders(HIDDEN_TRADE_DATE, undefined, filters);
    const full = await store.queryDay(HIDDEN_TRADE_DATE, { trades: filters });
    const header = (x: Trade) => ({
      source: x.source,
      tradeId: x.tradeId,
      tradeDate: x.tradeDate,
      desk: x.desk,
      isin: x.isin,
      counterpartyBic: x.counterpartyBic,
      status: x.status,
    });
    const byRef = (a: { source: string; tradeId: string }, b: { source: string; tradeId: string }) =>
      refOf(a as Trade).localeCompare(refOf(b as Trade));
    expect([...headers].sort(byRef)).toStrictEqual(full.trades.map(header).sort(byRef));
    expect(headers.length).toBeGreaterThan(1);
    const deskOnly = await store.queryDayTradeHeaders(HIDDEN_TRADE_DATE, t.desk, filters);
    expect(deskOnly.every((h) => h.desk === t.desk)).toBe(true);
    expect(deskOnly.length).toBe(headers.filter((h) => h.desk === t.desk).length);
  });

  it('reads unmatched trades from the due lists and exceptions by key, as the day read has them', async () => {
    const store = seeded.table.store;
    for (const source of ['INTERNAL', 'COUNTERPARTY', undefined] as const) {
      const got = await store.queryDay(HIDDEN_TRADE_DATE, {
        trades: { status: 'UNMATCHED', ...(source === undefined ? {} : { source }) },
      });
      const want = whole.trades.filter(
        (t) => t.status === 'UNMATCHED' && (source === undefined || t.source === source),
      );
      expect(refs(got.trades)).toStrictEqual(refs(want));
      if (source === undefined) expect(want.length).toBeGreaterThan(0);
    }
    const all = await store.queryDay(HIDDEN_TRADE_DATE, { exceptions: true });
    expect(all.exceptions.map((e) => e.exceptionId).sort()).toStrictEqual(
      whole.exceptions.map((e) => e.exceptionId).sort(),
    );
    expect(all.trades).toStrictEqual([]);
  });

  it('moves an amended trade to its new ISIN and firm in the same write, leaving no stale entry', async () => {
    const store = seeded.table.store;
    const t = whole.trades.find((x) => x.source === 'INTERNAL' && x.status === 'MATCHED') as Trade;
    const other = whole.trades.find(
      (x) => x.isin !== t.isin && x.counterpartyBic.slice(0, 8) !== t.counterpartyBic.slice(0, 8),
    ) as Trade;
    const before = refs((await store.queryDay(HIDDEN_TRADE_DATE, { trades: { isin: t.isin } })).trades);
    expect(before).toContain(refOf(t));

    const summary = await ingestTrades(
      seeded.deps,
      rowsOf(inputOf(t, { isin: other.isin, counterpartyBic: other.counterpartyBic })),
    );
    expect(summary.amended).toBe(1);

    const oldIsin = await store.queryDay(HIDDEN_TRADE_DATE, { trades: { isin: t.isin } });
    const newIsin = await store.queryDay(HIDDEN_TRADE_DATE, { trades: { isin: other.isin } });
    const oldFirm = await store.queryDay(HIDDEN_TRADE_DATE, {
      trades: { counterpartyBicPrefix: t.counterpartyBic.slice(0, 8) },
    });
    const newFirm = await store.queryDay(HIDDEN_TRADE_DATE, {
      trades: { counterpartyBicPrefix: other.counterpartyBic.slice(0, 8) },
    });
    expect(refs(oldIsin.trades)).toStrictEqual(before.filter((r) => r !== refOf(t)));
    expect(refs(newIsin.trades)).toContain(refOf(t));
    expect(refs(oldFirm.trades)).not.toContain(refOf(t));
    expect(refs(newFirm.trades)).toContain(refOf(t));
    // The index itself holds the trade only under its new keys.
    expect(
      await indexEntries(seeded, 'byBlock', tradeIndexKeys.isin(HIDDEN_TRADE_DATE, t.isin)),
    ).not.toContain(refOf(t));
    expect(
      await indexEntries(seeded, 'byQueue', tradeIndexKeys.bicFirm(HIDDEN_TRADE_DATE, t.counterpartyBic)),
    ).not.toContain(refOf(t));
    expect(
      await indexEntries(seeded, 'byBlock', tradeIndexKeys.isin(HIDDEN_TRADE_DATE, other.isin)),
    ).toContain(refOf(t));
  });
});

describe('a table from before the trade index', () => {
  it('answers searches from the day until backfilled, then from the index, never overwriting a newer entry', async () => {
    const seeded = await seedHiddenDay({ trades: 60, seed: 3 });
    const { doc, tableName } = seeded.table;
    const whole = await seeded.table.store.listDay(HIDDEN_TRADE_DATE);
    // An older table: no completeness marker and no entries for the trades it held.
    const older = whole.trades.filter((_, i) => i % 2 === 0);
    await doc.send(new DeleteCommand({ TableName: tableName, Key: tradeIndexKeys.complete }));
    for (const t of older)
      await doc.send(new DeleteCommand({ TableName: tableName, Key: tradeIndexKeys.item(refOf(t)) }));
    const store = new DynamoDbSettlementStore(doc, tableName);
    expect(await store.tradeIndexComplete()).toBe(false);

    const probe = older[0] as Trade;
    const expected = refs(whole.trades.filter((t) => t.isin === probe.isin));
    expect(
      refs((await store.queryDay(HIDDEN_TRADE_DATE, { trades: { isin: probe.isin } })).trades),
    ).toStrictEqual(expected);

    // An amendment committed before the backfill writes its own, newer entry.
    const amended = older[1] as Trade;
    const target = whole.trades.find((t) => t.isin !== amended.isin) as Trade;
    await ingestTrades({ ...seeded.deps, store }, rowsOf(inputOf(amended, { isin: target.isin })));

    expect(await store.backfillTradeIndex()).toBe(older.length - 1);
    expect(await store.tradeIndexComplete()).toBe(true);
    expect(await new DynamoDbSettlementStore(doc, tableName).tradeIndexComplete()).toBe(true);
    expect(await store.backfillTradeIndex()).toBe(0);

    const after = await store.listDay(HIDDEN_TRADE_DATE);
    for (const isin of new Set(after.trades.map((t) => t.isin))) {
      const got = await store.queryDay(HIDDEN_TRADE_DATE, { trades: { isin } });
      expect(refs(got.trades)).toStrictEqual(refs(after.trades.filter((t) => t.isin === isin)));
    }
    expect(
      await indexEntries(seeded, 'byBlock', tradeIndexKeys.isin(HIDDEN_TRADE_DATE, target.isin)),
    ).toContain(refOf(amended));
  });

  it('marks a new, empty table complete when it creates it', async () => {
    const table = await createTestTable();
    expect(await table.store.tradeIndexComplete()).toBe(true);
    expect(await table.store.backfillTradeIndex()).toBe(0);
  });
});
