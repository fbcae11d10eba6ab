import { beforeAll, describe, expect, it } from 'vitest';
import type { SettlementReportData } from '../../../src/agents/tools/report-tools.ts';
import type { ToolOutcome } from '../../../src/agents/tools/tool.ts';
import { LOCAL_ADMIN, type Principal } from '../../../src/identity/index.ts';
import { buildReport } from '../../../src/settlement/report.ts';
import { HIDDEN_TRADE_DATE, type HiddenDay, seedHiddenDay } from '../../support/hidden-day.ts';
import { runTool, toolContext } from '../../support/offline-driver.ts';

const UK_VIEWER: Principal = { principalId: 'uk-viewer', roles: ['viewer'], desks: ['EQ-UK'], accounts: [] };

let seeded: HiddenDay;

const reportOf = (out: ToolOutcome) => (out.ok ? (out.data as SettlementReportData).report : undefined);

beforeAll(async () => {
  seeded = await seedHiddenDay();
});

describe("the all-desks report's one read of the day", () => {
  it('stores each desk report exactly as a desk build makes it, and serves desk questions from them', async () => {
    const { store } = seeded.table;
    const now = seeded.clock.now().toISOString();
    // A viewer of one desk asking for the whole day leaves no snapshot of any single desk.
    await runTool('settlement_report', { tradeDate: HIDDEN_TRADE_DATE }, toolContext(seeded.deps, UK_VIEWER));
    expect(await store.getReportSnapshot(HIDDEN_TRADE_DATE, 'EQ-US')).toBeUndefined();

    const whole = reportOf(
      await runTool(
        'settlement_report',
        { tradeDate: HIDDEN_TRADE_DATE },
        toolContext(seeded.deps, LOCAL_ADMIN),
      ),
    );
    expect(whole?.desk).toBeNull();
    const desks = [...new Set((await store.listDay(HIDDEN_TRADE_DATE)).trades.map((t) => t.desk))].sort();
    expect(desks.length).toBeGreaterThan(2);
    for (const desk of desks) {
      const direct = buildReport(await store.listDay(HIDDEN_TRADE_DATE, desk), {
        tradeDate: HIDDEN_TRADE_DATE,
        now,
        desk,
      });
      expect(await store.getReportSnapshot(HIDDEN_TRADE_DATE, desk)).toStrictEqual(direct);
      const asked = reportOf(
        await runTool(
          'settlement_report',
          { tradeDate: HIDDEN_TRADE_DATE, desk },
          toolContext(seeded.deps, LOCAL_ADMIN),
        ),
      );
      expect(asked).toStrictEqual(direct);
    }
    // The desk figures add up to the whole day's.
    const sum = (f: (r: NonNullable<typeof whole>) => number) =>
      Promise.all(desks.map((d) => store.getReportSnapshot(HIDDEN_TRADE_DATE, d))).then((rs) =>
        rs.reduce((n, r) => n + (r === undefined ? 0 : f(r)), 0),
      );
    expect(await sum((r) => r.trades.internal)).toBe(whole?.trades.internal);
    expect(await sum((r) => r.exceptions.open)).toBe(whole?.exceptions.open);
  });
});
