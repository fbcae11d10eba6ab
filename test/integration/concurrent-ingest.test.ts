import { describe, expect, it } from 'vitest';
import { generateSettlementDay } from '../../src/seed/index.ts';
import { verifyAllAudit } from '../../src/settlement/services/audit-verify.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';

describe('two ingests racing over the same day', () => {
  it('pairs every trade at most once, loses none and keeps every audit chain intact', async () => {
    const table = await createTestTable();
    const deps = settlementDeps(table.store, new TestClock('2026-11-24T18:00:00.000Z'));
    const day = generateSettlementDay({ trades: 300, seed: 5, date: '2026-11-24' });
    const all = [...day.internal, ...day.counterparty];

    // Bookings and confirmations arrive at once, and a third ingest re-delivers everything meanwhile.
    const results = await Promise.all([
      ingestTrades(deps, rowsOf(...day.internal)),
      ingestTrades(deps, rowsOf(...day.counterparty)),
      ingestTrades(deps, rowsOf(...all)),
    ]);

    const ingested = results.reduce((n, r) => n + r.ingested, 0);
    expect(ingested).toBe(all.length);
    expect(results.reduce((n, r) => n + r.conflicts, 0)).toBe(0);
    const stored = await table.store.listDay('2026-11-24');
    expect(stored.trades).toHaveLength(all.length);
    expect(stored.trades.filter((t) => t.needsMatching && t.status !== 'UNMATCHED')).toStrictEqual([]);

    // Every standing match holds two trades that point back at it, and no trade is in two of them.
    const standing = stored.matches.filter(
      (m) => m.status === 'AUTO_MATCHED' || m.status === 'PENDING_REVIEW',
    );
    const paired = standing.flatMap((m) => [m.internalRef, m.counterpartyRef]);
    expect(new Set(paired).size).toBe(paired.length);
    const byRef = new Map(stored.trades.map((t) => [`${t.source}#${t.tradeId}`, t]));
    for (const m of standing) {
      expect(byRef.get(m.internalRef)?.matchId).toBe(m.matchId);
      expect(byRef.get(m.counterpartyRef)?.matchId).toBe(m.matchId);
    }
    expect(stored.instructions.map((i) => i.matchId).sort()).toStrictEqual(
      standing
        .filter((m) => m.status === 'AUTO_MATCHED')
        .map((m) => m.matchId)
        .sort(),
    );
    expect((await verifyAllAudit(table.store)).failures).toStrictEqual([]);

    // Most of the clean pairs still match automatically however the races went.
    expect(standing.filter((m) => m.status === 'AUTO_MATCHED').length).toBeGreaterThan(
      day.internal.length * 0.8,
    );
  });
});
