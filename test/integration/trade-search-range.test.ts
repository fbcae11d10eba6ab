import { PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Trade, TradeInput } from '../../src/settlement/model.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { createDynamoDbClients } from '../../src/settlement/store/dynamodb-client.ts';
import { DynamoDbSettlementStore } from '../../src/settlement/store/dynamodb-settlement-store.ts';
import type { DayQuery, TradeHeader } from '../../src/settlement/store/settlement-store.ts';
import { tradeIndexKeys } from '../../src/settlement/store/trade-index.ts';
import { HIDDEN_TRADE_DATE, type HiddenDay, seedHiddenDay } from '../support/hidden-day.ts';
import { rowsOf } from '../support/settlement.ts';
import { aTrade } from '../support/trade-factory.ts';

/*
 * Searches by ISIN or counterparty firm over several trade dates: one Query on the trade index's
 * undated keys (`FIND#ISIN#<isin>` in byDay, `FIND#BIC#<firm>` in byDue, sorted by trade date),
 * answering exactly as reading the dates one by one does.
 */

const RANGE = { fromDate: '2026-11-20', toDate: '2026-11-25' } as const;
const DATES_IN_RANGE = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25'];

const refOf = (t: Pick<Trade, 'source' | 'tradeId'>) => `${t.source}#${t.tradeId}`;
const newestFirst = (a: TradeHeader, b: TradeHeader) =>
  b.tradeDate.localeCompare(a.tradeDate) || refOf(a).localeCompare(refOf(b));

/** The store on a client of its own that counts the commands it sends (SDK middleware, real calls). */
function countingStore(seeded: HiddenDay): { store: DynamoDbSettlementStore; sent: string[] } {
  const clients = createDynamoDbClients({
    endpoint: seeded.table.endpoint,
    region: 'us-east-1',
    local: true,
  });
  const sent: string[] = [];
  clients.client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return { store: new DynamoDbSettlementStore(clients.doc, seeded.table.tableName), sent };
}

/** What reading every date of the range one by one finds (the day path, no undated keys). */
async function dayByDay(
  seeded: HiddenDay,
  filters: NonNullable<DayQuery['trades']>,
  desks?: readonly string[],
): Promise<TradeHeader[]> {
  const found = await Promise.all(
    DATES_IN_RANGE.flatMap((d) =>
      (desks ?? [undefined]).map((desk) => seeded.table.store.queryDayTradeHeaders(d, desk, filters)),
    ),
  );
  return found.flat().sort(newestFirst);
}

/** Our bookings of `probe`'s ISIN, firm and desk on other dates: in the range, and either side of it. */
function otherDates(probe: Trade): TradeInput[] {
  const on = (tradeId: string, tradeDate: string, settlementDate: string, desk = probe.desk) =>
    aTrade({
      tradeId,
      tradeDate,
      settlementDate,
      isin: probe.isin,
      counterpartyBic: probe.counterpartyBic,
      desk,
      placeOfSettlement: probe.placeOfSettlement,
    });
  return [
    on('RNG1-XT', '2026-11-23', '2026-11-24'),
    on('RNG2-XT', '2026-11-20', '2026-11-23', 'EQ-APAC'),
    on('RNG3-XT', '2026-11-25', '2026-11-26'),
    on('RNG4-XT', '2026-11-19', '2026-11-20'),
    on('RNG5-XT', '2026-11-26', '2026-11-27'),
  ];
}

async function seedOverDays(): Promise<{ seeded: HiddenDay; probe: Trade }> {
  const seeded = await seedHiddenDay({ trades: 60, seed: 5 });
  const day = await seeded.table.store.listDay(HIDDEN_TRADE_DATE);
  const probe = day.trades.find((t) => t.source === 'INTERNAL' && t.desk !== 'EQ-APAC') as Trade;
  expect((await ingestTrades(seeded.deps, rowsOf(...otherDates(probe)))).ingested).toBe(5);
  return { seeded, probe };
}

describe('a search over several trade dates', () => {
  let seeded: HiddenDay;
  let probe: Trade;

  beforeAll(async () => {
    ({ seeded, probe } = await seedOverDays());
  });

  it('files every trade under its ISIN and its firm whatever the date, sorted by trade date', async () => {
    const entries = async (index: 'byDay' | 'byDue', pk: string) => {
      const out = await seeded.table.doc.send(
        new QueryCommand({
          TableName: seeded.table.tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': `${index}Pk` },
          ExpressionAttributeValues: { ':pk': pk },
          ScanIndexForward: false,
        }),
      );
      return (out.Items ?? []).map((i) => String(i[`${index}Sk`]));
    };
    const byIsin = await entries('byDay', tradeIndexKeys.isinUndated(probe.isin));
    expect(byIsin.map((sk) => sk.slice(0, 10))).toStrictEqual(
      [...byIsin].map((sk) => sk.slice(0, 10)).sort((a, b) => b.localeCompare(a)),
    );
    for (const id of ['RNG1-XT', 'RNG2-XT', 'RNG3-XT', 'RNG4-XT', 'RNG5-XT', probe.tradeId])
      expect(byIsin.some((sk) => sk.endsWith(`#INTERNAL#${id}`))).toBe(true);
    const byFirm = await entries('byDue', tradeIndexKeys.bicFirmUndated(probe.counterpartyBic));
    expect(byFirm).toContain(`2026-11-19#INTERNAL#RNG4-XT`);
    expect(byFirm).toContain(`${HIDDEN_TRADE_DATE}#${refOf(probe)}`);
  });

  it('answers with one Query, exactly as reading the dates one by one does, newest date first', async () => {
    const { store, sent } = countingStore(seeded);
    await store.tradeIndexComplete();
    const cases: Array<NonNullable<DayQuery['trades']>> = [
      { isin: probe.isin },
      { counterpartyBicPrefix: probe.counterpartyBic.slice(0, 8) },
      { counterpartyBicPrefix: probe.counterpartyBic, source: 'INTERNAL' },
      { isin: probe.isin, counterpartyBicPrefix: probe.counterpartyBic.slice(0, 8), status: probe.status },
    ];
    for (const filters of cases) {
      sent.length = 0;
      const got = await store.searchTradeHeaders(filters, RANGE);
      expect(got).toStrictEqual(await dayByDay(seeded, filters));
      expect(sent.filter((c) => /Query/.test(c))).toHaveLength(1);
    }
    const mine = await store.searchTradeHeaders({ isin: probe.isin }, RANGE);
    expect(mine.map((t) => t.tradeId)).toContain('RNG1-XT');
    expect(mine.map((t) => t.tradeId)).not.toContain('RNG4-XT');
    expect(mine.map((t) => t.tradeId)).not.toContain('RNG5-XT');
    expect(mine[0]?.tradeDate).toBe('2026-11-25');
  });

  it('narrows to the desks given in the engine, and reads nothing for none', async () => {
    const { store, sent } = countingStore(seeded);
    await store.tradeIndexComplete();
    const filters = { isin: probe.isin };
    const deskOnly = await store.searchTradeHeaders(filters, { ...RANGE, desks: [probe.desk] });
    expect(deskOnly).toStrictEqual(await dayByDay(seeded, filters, [probe.desk]));
    expect(deskOnly.every((t) => t.desk === probe.desk)).toBe(true);
    expect(deskOnly.map((t) => t.tradeId)).not.toContain('RNG2-XT');
    sent.length = 0;
    expect(await store.searchTradeHeaders(filters, { ...RANGE, desks: [] })).toStrictEqual([]);
    expect(sent).toStrictEqual([]);
    await expect(store.searchTradeHeaders({ status: 'MATCHED' }, RANGE)).rejects.toThrow(
      /isin or a counterpartyBicPrefix/,
    );
    await expect(
      store.searchTradeHeaders(filters, { fromDate: '2026-10-01', toDate: '2026-11-25' }),
    ).rejects.toThrow(/at most 31/);
  });

  it('moves an amended trade to its new trade date in the same write', async () => {
    const moved = otherDates(probe)[0] as TradeInput;
    const summary = await ingestTrades(
      seeded.deps,
      rowsOf({ ...moved, tradeDate: '2026-11-21', settlementDate: '2026-11-24' }),
    );
    expect(summary.amended).toBe(1);
    const got = await seeded.table.store.searchTradeHeaders({ isin: probe.isin }, RANGE);
    expect(got.filter((t) => t.tradeId === 'RNG1-XT').map((t) => t.tradeDate)).toStrictEqual(['2026-11-21']);
    expect(got).toStrictEqual(await dayByDay(seeded, { isin: probe.isin }));
  });
});

describe('a table indexed by the version before (dated keys only)', () => {
  it('searches day by day until backfilled, then with one Query; the backfill replaces each old entry once', async () => {
    const { seeded, probe } = await seedOverDays();
    const { doc, tableName } = seeded.table;
    // The version before: entries without undated keys, and a completeness marker without a version.
    const entries = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'itemType = :t',
        ExpressionAttributeValues: { ':t': 'TRADE_INDEX' },
      }),
    );
    const refs = (entries.Items ?? []).map((i) => String(i.ref));
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of refs)
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: tradeIndexKeys.item(ref),
          UpdateExpression: 'REMOVE byDayPk, byDaySk, byDuePk, byDueSk, desk',
        }),
      );
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...tradeIndexKeys.complete, itemType: 'META', completedBy: 'backfill' },
      }),
    );

    const { store, sent } = countingStore(seeded);
    expect(await store.tradeIndexComplete()).toBe(false);
    const filters = { counterpartyBicPrefix: probe.counterpartyBic.slice(0, 8) };
    const expected = await dayByDay(seeded, filters);
    expect(await store.searchTradeHeaders(filters, RANGE)).toStrictEqual(expected);
    // The dated keys still answer a day's search meanwhile.
    expect(await store.queryDayTradeHeaders(HIDDEN_TRADE_DATE, undefined, filters)).toStrictEqual(
      await seeded.table.store.queryDayTradeHeaders(HIDDEN_TRADE_DATE, undefined, filters),
    );

    // An amendment moving a trade before the backfill writes its own, current entry, which the
    // backfill keeps.
    const amended = await ingestTrades(
      { ...seeded.deps, store },
      rowsOf({
        ...(otherDates(probe)[2] as TradeInput),
        tradeDate: '2026-11-24',
        settlementDate: '2026-11-25',
      }),
    );
    expect(amended.amended).toBe(1);
    expect(await store.backfillTradeIndex()).toBe(refs.length - 1);
    expect(await store.tradeIndexComplete()).toBe(true);
    expect(await store.backfillTradeIndex()).toBe(0);

    sent.length = 0;
    expect(await store.searchTradeHeaders(filters, RANGE)).toStrictEqual(await dayByDay(seeded, filters));
    expect(sent.filter((c) => /Query/.test(c))).toHaveLength(1);
  });
});
