import { beforeAll, describe, expect, it } from 'vitest';
import type { DayRecords } from '../../src/settlement/store/settlement-store.ts';
import { HIDDEN_TRADE_DATE, type HiddenDay, seedHiddenDay } from './../support/hidden-day.ts';

let seeded: HiddenDay;
let whole: DayRecords;

beforeAll(async () => {
  seeded = await seedHiddenDay();
  whole = await seeded.table.store.listDay(HIDDEN_TRADE_DATE);
});

const ids = (xs: ReadonlyArray<{ tradeId: string; source: string }>) =>
  xs.map((t) => `${t.source}#${t.tradeId}`).sort();

describe('a filtered day query', () => {
  it('returns exactly the trades of the day that pass the filters', async () => {
    const some = whole.trades.find((t) => t.source === 'INTERNAL');
    if (some === undefined) throw new Error('empty day');
    const got = await seeded.table.store.queryDay(HIDDEN_TRADE_DATE, {
      trades: { isin: some.isin, counterpartyBicPrefix: some.counterpartyBic.slice(0, 8) },
    });
    const want = whole.trades.filter(
      (t) => t.isin === some.isin && t.counterpartyBic.startsWith(some.counterpartyBic.slice(0, 8)),
    );
    expect(ids(got.trades)).toStrictEqual(ids(want));
    expect(got.trades.length).toBeGreaterThan(0);
    expect(got.exceptions).toStrictEqual([]);
  });

  it('narrows to one desk and one status, and reads exceptions alongside', async () => {
    const got = await seeded.table.store.queryDay(HIDDEN_TRADE_DATE, {
      desk: 'EQ-UK',
      trades: { source: 'INTERNAL', status: 'UNMATCHED' },
      exceptions: true,
    });
    expect(ids(got.trades)).toStrictEqual(
      ids(
        whole.trades.filter((t) => t.desk === 'EQ-UK' && t.source === 'INTERNAL' && t.status === 'UNMATCHED'),
      ),
    );
    expect(got.exceptions.map((e) => e.exceptionId).sort()).toStrictEqual(
      whole.exceptions
        .filter((e) => e.desk === 'EQ-UK')
        .map((e) => e.exceptionId)
        .sort(),
    );
    expect(got.exceptions.length).toBeGreaterThan(0);
  });

  it('returns nothing when it asks for nothing', async () => {
    expect(await seeded.table.store.queryDay(HIDDEN_TRADE_DATE, {})).toStrictEqual({
      trades: [],
      matches: [],
      exceptions: [],
      instructions: [],
    });
  });

  it('knows whether a desk has anything on a day', async () => {
    expect(await seeded.table.store.hasDeskDay(HIDDEN_TRADE_DATE, 'EQ-UK')).toBe(true);
    expect(await seeded.table.store.hasDeskDay(HIDDEN_TRADE_DATE, 'EQ-EU')).toBe(false);
    expect(await seeded.table.store.hasDeskDay('2026-11-25', 'EQ-UK')).toBe(false);
  });
});
