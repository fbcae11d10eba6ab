import { beforeAll, describe, expect, it } from 'vitest';
import { OfflinePlanner } from '../../src/agents/model/offline-planner.ts';
import { instant } from '../../src/agents/tools/time.ts';
import { buildReport } from '../../src/settlement/report.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import {
  MAX_REFRESH_DATES,
  refreshReportSnapshots,
} from '../../src/settlement/services/refresh-report-snapshots.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { createTestTable } from '../support/dynamodb.ts';
import {
  ask,
  QUESTIONS_AT,
  SEEDED_DATE,
  type SeededDay,
  seedDay,
  toolContext,
} from '../support/offline-driver.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aTrade } from '../support/trade-factory.ts';

let seeded: SeededDay;

beforeAll(async () => {
  seeded = await seedDay({ trades: 120, seed: 11 });
});

describe('refreshing the day report snapshots on the sweep schedule', () => {
  it('rebuilds the dates that matter from one read of each day, exactly as a question builds them', async () => {
    const { store } = seeded.table;
    seeded.clock.set(QUESTIONS_AT);
    const swept = await sweepSla(seeded.deps);
    expect(swept.tradeDates).toStrictEqual([SEEDED_DATE]);

    // 21:30 in New York on the 24th, already the 25th in London and Tokyo: today in each zone, the
    // weekday before each, and the date with open work.
    const r = await refreshReportSnapshots(seeded.deps, { tradeDates: swept.tradeDates });
    expect(r).toStrictEqual({
      refreshed: ['2026-11-25', '2026-11-24', '2026-11-23'],
      fresh: [],
      skipped: [],
    });

    const day = await store.listDay(SEEDED_DATE, undefined, { instructions: false });
    expect(await store.getReportSnapshot(SEEDED_DATE, '*')).toStrictEqual(
      buildReport(day, { tradeDate: SEEDED_DATE, now: QUESTIONS_AT }),
    );
    const desks = [...new Set(day.trades.map((t) => t.desk))].sort();
    expect(desks.length).toBeGreaterThan(1);
    for (const desk of desks)
      expect(await store.getReportSnapshot(SEEDED_DATE, desk)).toStrictEqual(
        buildReport(await store.listDay(SEEDED_DATE, desk), {
          tradeDate: SEEDED_DATE,
          now: QUESTIONS_AT,
          desk,
        }),
      );
    // An empty day has its (empty) all-desks report too: "today's report" is one GetItem as well.
    expect((await store.getReportSnapshot('2026-11-25', '*'))?.trades).toStrictEqual({
      internal: 0,
      counterparty: 0,
    });
  });

  it('keeps a snapshot younger than 45 s, which questions are answered from "as of" its time, and rebuilds it after', async () => {
    const { store } = seeded.table;
    seeded.clock.set(QUESTIONS_AT);
    await refreshReportSnapshots(seeded.deps, { tradeDates: [SEEDED_DATE] });
    const before = (await store.getReportSnapshot(SEEDED_DATE, '*'))?.trades.internal ?? 0;

    // A booking arrives after the refresh.
    seeded.clock.advanceMinutes(0.25);
    await ingestTrades(seeded.deps, rowsOf(aTrade({ tradeId: 'LATE-1', tradeDate: SEEDED_DATE })));
    seeded.clock.advanceMinutes(0.25);
    const kept = await refreshReportSnapshots(seeded.deps, { tradeDates: [SEEDED_DATE] });
    expect(kept.refreshed).toStrictEqual([]);
    expect(kept.fresh).toContain(SEEDED_DATE);

    // The question finds the snapshot (30 s old): the figures of its read, and says as of when.
    const turn = await ask(new OfflinePlanner(), 'settlement report for 24 Nov', toolContext(seeded.deps));
    const asOf = instant(QUESTIONS_AT);
    expect(turn.answer).toContain(`as of ${asOf.newYork.slice(11)} (${asOf.utc.slice(11, 16)} UTC)`);
    expect(turn.answer).toMatch(new RegExp(`\\b${before} internal`));

    // 46 s after the read: rebuilt, with the late booking, stamped with the new read.
    seeded.clock.advanceMinutes(16 / 60);
    const again = await refreshReportSnapshots(seeded.deps, { tradeDates: [SEEDED_DATE] });
    expect(again.refreshed).toContain(SEEDED_DATE);
    const rebuilt = await store.getReportSnapshot(SEEDED_DATE, '*');
    expect(rebuilt?.trades.internal).toBe(before + 1);
    expect(rebuilt?.generatedAt).toBe(seeded.clock.now().toISOString());
    expect((await store.getReportSnapshot(SEEDED_DATE, 'EQ-US'))?.generatedAt).toBe(rebuilt?.generatedAt);
  });

  it(`refreshes at most ${MAX_REFRESH_DATES} dates, the newest, and refuses an age limit of a minute or more`, async () => {
    const table = await createTestTable();
    const deps = settlementDeps(table.store, new TestClock('2026-11-25T15:00:00.000Z'));
    const open = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-09'];
    const r = await refreshReportSnapshots(deps, { tradeDates: open });
    expect(r.refreshed).toStrictEqual([
      '2026-11-26',
      '2026-11-25',
      '2026-11-24',
      '2026-11-09',
      '2026-11-06',
      '2026-11-05',
    ]);
    expect(r.skipped).toStrictEqual(['2026-11-04', '2026-11-03', '2026-11-02']);
    await expect(refreshReportSnapshots(deps, { olderThanMs: 60_000 })).rejects.toThrow(/olderThanMs/);
    expect(await table.store.getReportSnapshot('2026-11-02', '*')).toBeUndefined();
  });
});
