import { describe, expect, it } from 'vitest';
import { ALL_SCENARIOS_FROM, generateSettlementDay, SCENARIO_REASON_CODES } from '../../src/seed/index.ts';
import { exceptionsOfTrade } from '../../src/settlement/services/exception-sync.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';

describe('a seeded settlement day', () => {
  it('raises on each break scenario’s trade the reason code the scenario is built for', async () => {
    const table = await createTestTable();
    const clock = new TestClock('2026-11-24T15:00:00.000Z');
    const deps = settlementDeps(table.store, clock);
    const day = generateSettlementDay({ trades: ALL_SCENARIOS_FROM, seed: 7, date: '2026-11-24' });
    await ingestTrades(deps, rowsOf(...day.internal, ...day.counterparty));
    // Past every deadline of the day, so CMIS is raised for the bookings nobody confirmed.
    clock.set('2026-11-30T00:00:00.000Z');
    await sweepSla(deps);

    const breaks = day.scenarios.flatMap((s) => {
      const code = SCENARIO_REASON_CODES[s.scenario];
      return code === undefined ? [] : [{ ...s, code }];
    });
    const raised = await Promise.all(
      breaks.map(async (b) => {
        const trade = await table.store.getTrade(`INTERNAL#${b.tradeId}`);
        if (trade === undefined) throw new Error(`${b.tradeId} was not stored`);
        return (await exceptionsOfTrade(table.store, trade)).map((e) => e.reasonCode);
      }),
    );

    expect(new Set(breaks.map((b) => b.code))).toStrictEqual(new Set(Object.values(SCENARIO_REASON_CODES)));
    expect(breaks.filter((b, i) => !raised[i]?.includes(b.code))).toStrictEqual([]);
  });
});
