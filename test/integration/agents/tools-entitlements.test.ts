import { beforeAll, describe, expect, it } from 'vitest';
import type { SettlementReportData } from '../../../src/agents/tools/report-tools.ts';
import type { ToolOutcome } from '../../../src/agents/tools/tool.ts';
import type { FindTradesData } from '../../../src/agents/tools/trade-tools.ts';
import type { Principal } from '../../../src/identity/index.ts';
import { buildReport } from '../../../src/settlement/report.ts';
import { runTool, SEEDED_DATE, type SeededDay, seedDay, toolContext } from '../../support/offline-driver.ts';

// Desk A is EQ-EU (the asker's), desk B is EQ-US (never to be seen).
const VIEWER_A: Principal = { principalId: 'eu-viewer', roles: ['viewer'], desks: ['EQ-EU'], accounts: [] };
const APPROVER_A: Principal = {
  principalId: 'eu-approver',
  roles: ['approver'],
  desks: ['EQ-EU'],
  accounts: [],
};

let seeded: SeededDay;
/** What must never appear in desk A's outputs: desk B's ids, accounts and amounts. */
let forbidden: RegExp[];
let deskB: { internalId: string; counterpartyId: string; isin: string; matchId: string; exceptionId: string };
const outputs: ToolOutcome[] = [];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function asA(name: string, input: unknown, principal: Principal = VIEWER_A): Promise<ToolOutcome> {
  const out = await runTool(name, input, toolContext(seeded.deps, principal));
  outputs.push(out);
  return out;
}

beforeAll(async () => {
  seeded = await seedDay();
  const { store } = seeded.table;
  const day = await store.listDay(SEEDED_DATE, 'EQ-US');
  const b = day.trades;
  forbidden = [
    ...b.map((t) => new RegExp(`\\b${escapeRe(t.tradeId)}\\b`)),
    ...b.map((t) => new RegExp(escapeRe(t.account))),
    ...b.flatMap((t) => (t.netAmount === undefined ? [] : [new RegExp(`"${escapeRe(t.netAmount)}"`)])),
  ];
  const matched = day.matches.find((m) => m.status === 'AUTO_MATCHED');
  const exception = day.exceptions.find((e) => e.status === 'ESCALATED' || e.status === 'OPEN');
  const internal = b.find((t) => t.source === 'INTERNAL' && t.matchId !== undefined);
  const cp = b.find((t) => t.source === 'COUNTERPARTY');
  if (matched === undefined || exception === undefined || internal === undefined || cp === undefined)
    throw new Error('the seeded day lacks desk-B records');
  deskB = {
    internalId: internal.tradeId,
    counterpartyId: cp.tradeId,
    isin: internal.isin,
    matchId: matched.matchId,
    exceptionId: exception.exceptionId,
  };
});

describe('a viewer of desk A asking about desk B', () => {
  it('gets the same "not found or not permitted" for a desk-B trade as for a missing one', async () => {
    for (const id of [deskB.internalId, deskB.counterpartyId]) {
      expect(await asA('get_trade_status', { tradeId: id })).toStrictEqual({
        ok: false,
        code: 'NOT_FOUND_OR_NOT_PERMITTED',
        message: `No trade ${id} that you are permitted to see.`,
      });
    }
    expect(await asA('get_trade_status', { tradeId: 'T-99999' })).toStrictEqual({
      ok: false,
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
      message: 'No trade T-99999 that you are permitted to see.',
    });
  });

  it('finds nothing of desk B by ISIN, and only desk-A trades by a shared counterparty or status', async () => {
    const byIsin = await asA('find_trades', { isin: deskB.isin, tradeDate: SEEDED_DATE });
    expect(byIsin.ok && (byIsin.data as { total: number }).total).toBe(0);
    const byDesk = await asA('find_trades', { desk: 'EQ-US', tradeDate: SEEDED_DATE });
    expect(byDesk.ok && (byDesk.data as { total: number }).total).toBe(0);
    for (const input of [{ counterpartyBic: 'GSCMUS33' }, { status: 'MATCHED' }, { status: 'EXCEPTION' }]) {
      const out = await asA('find_trades', { ...input, limit: 50 });
      expect(out.ok).toBe(true);
      if (out.ok) {
        const trades = (out.data as { trades: Array<{ desk: string }> }).trades;
        expect(trades.every((t) => t.desk === 'EQ-EU')).toBe(true);
      }
    }
  });

  it('finds nothing of desk B over several business days either, not even in a count', async () => {
    const byIsin = await asA('find_trades', { isin: deskB.isin, lastBusinessDays: 4 });
    expect(byIsin.ok).toBe(true);
    if (byIsin.ok) {
      const data = byIsin.data as FindTradesData;
      expect(data.total).toBe(0);
      expect(data.days?.map((d) => [d.tradeDate, d.total])).toStrictEqual([
        [SEEDED_DATE, 0],
        ['2026-11-23', 0],
        ['2026-11-20', 0],
        ['2026-11-19', 0],
      ]);
    }
    const viaDeskB = await asA('find_trades', {
      counterpartyBic: 'GSCMUS33',
      desk: 'EQ-US',
      lastBusinessDays: 4,
    });
    expect(viaDeskB.ok && (viaDeskB.data as FindTradesData).total).toBe(0);
    const shared = await asA('find_trades', { counterpartyBic: 'GSCMUS33', lastBusinessDays: 4, limit: 50 });
    const mine = (await seeded.table.store.listDay(SEEDED_DATE, 'EQ-EU')).trades.filter((t) =>
      t.counterpartyBic.startsWith('GSCMUS33'),
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(shared.ok).toBe(true);
    if (shared.ok) {
      const data = shared.data as FindTradesData;
      expect(data.total).toBe(mine.length);
      expect(data.days?.find((d) => d.tradeDate === SEEDED_DATE)?.total).toBe(mine.length);
      expect(data.trades.every((t) => t.desk === 'EQ-EU')).toBe(true);
    }
  });

  it('gets reports covering desk A only, and nothing for a desk-B report', async () => {
    const mine = await asA('settlement_report', {});
    const expected = buildReport(await seeded.table.store.listDay(SEEDED_DATE, 'EQ-EU'), {
      tradeDate: SEEDED_DATE,
      now: seeded.clock.now().toISOString(),
    });
    expect(mine).toStrictEqual({
      ok: true,
      data: { desks: ['EQ-EU'], report: expected },
      records: [{ kind: 'report', id: SEEDED_DATE }],
    });
    const theirs = await asA('settlement_report', { desk: 'EQ-US' });
    expect(theirs.ok).toBe(true);
    if (theirs.ok) {
      const data = theirs.data as SettlementReportData;
      expect(data.desks).toStrictEqual([]);
      expect(data.report.trades).toStrictEqual({ internal: 0, counterparty: 0 });
      expect(data.report.exceptions.open).toBe(0);
    }
    await asA('get_sla_status', {});
    await asA('get_sla_status', { desk: 'EQ-US' });
  });

  it('gets no audit trail, match or exception of desk B', async () => {
    expect(await asA('get_audit_trail', { tradeId: deskB.internalId })).toMatchObject({
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
    });
    for (const entityId of [`INTERNAL#${deskB.internalId}`, deskB.matchId, deskB.exceptionId]) {
      expect(await asA('get_audit_trail', { entityId })).toStrictEqual({
        ok: false,
        code: 'NOT_FOUND_OR_NOT_PERMITTED',
        message: `No audit trail ${entityId} that you are permitted to see.`,
      });
    }
    expect(await asA('explain_match', { matchId: deskB.matchId })).toMatchObject({
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
    });
    expect(await asA('explain_match', { tradeId: deskB.internalId })).toMatchObject({
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
    });
    expect(await asA('explain_exception', { exceptionId: deskB.exceptionId })).toStrictEqual({
      ok: false,
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
      message: `No exception ${deskB.exceptionId} that you are permitted to see.`,
    });
    expect(
      await asA('propose_resolution', {
        exceptionId: deskB.exceptionId,
        proposal: 'ESCALATE_TO_DESK',
        note: 'please look',
      }),
    ).toMatchObject({ code: 'NOT_FOUND_OR_NOT_PERMITTED' });
    expect(await asA('rerun_matching', { tradeId: deskB.internalId }, APPROVER_A)).toMatchObject({
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
    });
  });

  it('lists only desk-A exceptions and reviews', async () => {
    const all = await asA('list_open_exceptions', { limit: 50 });
    expect(all.ok).toBe(true);
    if (all.ok) {
      const rows = (all.data as { exceptions: Array<{ desk: string }>; total: number }).exceptions;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.desk === 'EQ-EU')).toBe(true);
    }
    const b = await asA('list_open_exceptions', { desk: 'EQ-US' });
    expect(b.ok && (b.data as { total: number }).total).toBe(0);
    await asA('list_open_exceptions', { tradeDate: SEEDED_DATE, limit: 50 });
    await asA('list_open_exceptions', { reasonCode: 'CMIS', limit: 50 });
    await asA('list_pending_reviews', { limit: 50 });
    await asA('list_pending_reviews', { desk: 'EQ-US' });
  });

  it('never sees a desk-B trade id, account or amount in any output, nor desk-A accounts unmasked', async () => {
    expect(outputs.length).toBeGreaterThan(20);
    // Refusals echo only the id the asker typed (asserted above); everything returned is checked.
    const text = JSON.stringify(outputs.filter((o) => o.ok));
    const leaks = forbidden.filter((re) => re.test(text)).map(String);
    expect(leaks).toStrictEqual([]);
    const accountsA = new Set(
      (await seeded.table.store.listDay(SEEDED_DATE, 'EQ-EU')).trades.map((t) => t.account),
    );
    expect([...accountsA].filter((a) => text.includes(a))).toStrictEqual([]);
  });
});
