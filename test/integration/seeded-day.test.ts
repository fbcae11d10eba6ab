import { describe, expect, it } from 'vitest';
import { ALL_SCENARIOS_FROM, generateSettlementDay, SCENARIO_REASON_CODES } from '../../src/seed/index.ts';
import { matchBatch } from '../../src/settlement/matching/index.ts';
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

  it('is decided by the store as matchBatch decides it, but for the second of two identical bookings', async () => {
    const table = await createTestTable();
    const deps = settlementDeps(table.store, new TestClock('2026-11-24T15:00:00.000Z'));
    const day = generateSettlementDay({ trades: 600, seed: 11, date: '2026-11-24' });
    await ingestTrades(deps, rowsOf(...day.internal, ...day.counterparty));
    const stored = await table.store.listDay('2026-11-24');
    const matchOf = new Map(stored.matches.map((m) => [m.internalRef, m]));
    const statusOf = new Map(stored.trades.map((t) => [`${t.source}#${t.tradeId}`, t.status]));
    const store = (ref: string) => {
      const m = matchOf.get(ref);
      if (m !== undefined)
        return `${m.status === 'AUTO_MATCHED' ? 'AUTO_MATCH' : 'REVIEW'} ${m.counterpartyRef}`;
      return statusOf.get(ref) === 'EXCEPTION' ? 'EXCEPTION' : 'NO_CANDIDATE';
    };
    const duplicates = new Set(
      day.scenarios.filter((s) => s.scenario === 'DUPLICATE_AMBIGUOUS').map((s) => `INTERNAL#${s.tradeId}`),
    );

    const differ: string[] = [];
    for (const r of matchBatch(day.internal, day.counterparty, deps.matching, deps.calendars).results) {
      const d = r.decision;
      const batch = d.kind === 'AUTO_MATCH' || d.kind === 'REVIEW' ? `${d.kind} ${d.best.ref}` : d.kind;
      if (store(r.internalRef) !== batch) differ.push(r.internalRef);
      if (duplicates.has(r.internalRef)) expect(d.kind).toBe('REVIEW');
    }
    // Of each pair of identical bookings, the store sends one to review and auto-matches the other
    // with the remaining identical record (docs/matching.md).
    expect(duplicates.size).toBeGreaterThanOrEqual(4);
    expect(differ.length).toBe(duplicates.size / 2);
    for (const ref of differ) {
      expect(duplicates.has(ref)).toBe(true);
      expect(store(ref)).toMatch(/^AUTO_MATCH /);
    }
  });
});
