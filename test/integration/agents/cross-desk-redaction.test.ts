import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OfflinePlanner } from '../../../src/agents/model/offline-planner.ts';
import { TOOL_CATALOG } from '../../../src/agents/tools/catalog.ts';
import { defineTool } from '../../../src/agents/tools/define-tool.ts';
import { stringsOf, WITHHELD } from '../../../src/agents/tools/reference-redactor.ts';
import type { AgentTool, ToolOutcome } from '../../../src/agents/tools/tool.ts';
import type { Principal } from '../../../src/identity/index.ts';
import type { SettlementDeps } from '../../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../../src/settlement/services/sweep-sla.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { ask, toolContext } from '../../support/offline-driver.ts';
import { rowsOf, settlementDeps, TestClock } from '../../support/settlement.ts';
import { inputPools, inputsFor } from '../../support/tool-walk.ts';
import { aCounterpartyRecordOf, aTrade, type TradeRecord } from '../../support/trade-factory.ts';

/*
 * Issue 9, item 7: a viewer of desk B (EQ-US) must never receive an identifier of desk A (EQ-EU),
 * even when desk-B records are matched, reviewed or broken against desk-A records. The property
 * walks every tool of the catalog with inputs drawn from the day, so a new tool is covered as soon
 * as it is in the catalog.
 */

const DATE = '2026-11-24';
const DESK_A = 'EQ-EU';
const DESK_B = 'EQ-US';
const VIEWER_B: Principal = {
  principalId: 'us-approver',
  roles: ['approver'],
  desks: [DESK_B],
  accounts: [],
};

/** A desk-A booking or record: its own account and, unless shared on purpose, its own firm. */
function onA(t: TradeRecord, overrides: Partial<TradeRecord> = {}): TradeRecord {
  return aTrade({ ...t, desk: DESK_A, account: `EU-ACC-${t.tradeId}`, ...overrides });
}

/** The day: cross-desk auto match, break, review and ambiguity, plus same-desk controls. */
function crossDeskDay(): TradeRecord[] {
  const b1 = aTrade({ tradeId: 'T-2001', isin: 'US5949181045', desk: DESK_B, account: 'US-ACC-0001' });
  const b2 = aTrade({ tradeId: 'T-2002', isin: 'US88160R1014', desk: DESK_B, account: 'US-ACC-0002' });
  const b3 = aTrade({ tradeId: 'T-2003', isin: 'US0231351067', desk: DESK_B, account: 'US-ACC-0003' });
  const b4 = aTrade({ tradeId: 'T-2004', isin: 'US02079K3059', desk: DESK_B, account: 'US-ACC-0004' });
  const b5 = aTrade({ tradeId: 'T-2005', isin: 'US30303M1027', desk: DESK_B, account: 'US-ACC-0005' });
  const a1 = onA(aTrade({ tradeId: 'T-1001', isin: 'US0378331005' }));
  const a6 = onA(aTrade({ tradeId: 'T-1006', isin: 'US67066G1040', counterpartyBic: 'BNPAFRPP' }));
  return [
    // Desk A's booking matched by a desk-B counterparty record (the reported break).
    a1,
    aCounterpartyRecordOf(a1, { tradeId: 'C-BBBB-000001', desk: DESK_B, account: 'US-ACC-0101' }),
    // Desk B's booking breaking against a desk-A record (price far out): an exception naming it.
    b2,
    onA(aCounterpartyRecordOf(b2, { tradeId: 'C-AAAA-000002', price: '140.00', netAmount: '140000.00' })),
    // Desk B's booking waiting for review against a desk-A record (small price difference).
    b3,
    onA(aCounterpartyRecordOf(b3, { tradeId: 'C-AAAA-000003', price: '101.30', netAmount: '101300.00' })),
    // Desk B's booking with two equally good records, one of each desk (ambiguous rival on desk A).
    b4,
    aCounterpartyRecordOf(b4, { tradeId: 'C-BBBB-000004' }),
    onA(aCounterpartyRecordOf(b4, { tradeId: 'C-AAAA-000004' })),
    // Same-desk controls: desk B's own match stays fully visible; desk A's stays out of sight.
    b5,
    aCounterpartyRecordOf(b5, { tradeId: 'C-BBBB-000005', account: 'US-ACC-0105' }),
    b1,
    a6,
    onA(aCounterpartyRecordOf(a6, { tradeId: 'C-AAAA-000006' })),
  ];
}

let deps: SettlementDeps;
let trades: TradeRecord[];
let pools: Record<string, readonly unknown[]>;

beforeAll(async () => {
  const table = await createTestTable();
  const clock = new TestClock('2026-11-24T20:00:00.000Z');
  deps = settlementDeps(table.store, clock);
  trades = crossDeskDay();
  await ingestTrades(deps, rowsOf(...trades));
  clock.set('2026-11-25T02:30:00.000Z');
  await sweepSla(deps);
  const days = [await table.store.listDay(DATE, DESK_A), await table.store.listDay(DATE, DESK_B)];
  pools = inputPools(days, { tradeDate: DATE, desks: [DESK_B, DESK_A] });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Desk A's identifiers: trade ids (and so every match and exception id naming them), accounts, its own BIC. */
function deskAIdentifiers(): string[] {
  const a = trades.filter((t) => t.desk === DESK_A);
  const bBics = new Set(trades.filter((t) => t.desk === DESK_B).map((t) => t.counterpartyBic));
  return [
    ...a.map((t) => t.tradeId),
    ...a.map((t) => t.account),
    ...a.map((t) => t.counterpartyBic).filter((bic) => !bBics.has(bic)),
  ];
}

/** The desk-A identifiers in a result that the asker did not supply in the input. */
function leaks(outcome: ToolOutcome, input: unknown): string[] {
  const text = JSON.stringify(outcome);
  const known = stringsOf(input);
  return deskAIdentifiers().filter(
    (id) => !known.has(id) && new RegExp(`(?<![A-Za-z0-9_-])${escapeRe(id)}(?![A-Za-z0-9_-])`).test(text),
  );
}

describe('tool results for a viewer of desk B over a day with cross-desk matches', () => {
  it('name no identifier of desk A, for every tool of the catalog and every input drawn from the day', async () => {
    const found: string[] = [];
    const okPerTool = new Map<string, number>();
    for (const tool of TOOL_CATALOG) {
      for (const input of inputsFor(tool, pools)) {
        const outcome = await tool.run(input, toolContext(deps, VIEWER_B));
        if (outcome.ok) okPerTool.set(tool.name, (okPerTool.get(tool.name) ?? 0) + 1);
        for (const id of leaks(outcome, input)) found.push(`${tool.name} ${JSON.stringify(input)} → ${id}`);
      }
    }
    expect(found).toStrictEqual([]);
    // Every tool answered something, so the property was not met by refusing everything.
    expect(TOOL_CATALOG.filter((t) => (okPerTool.get(t.name) ?? 0) === 0).map((t) => t.name)).toStrictEqual(
      [],
    );
  });

  it('gives no match id for a desk-B record matched with a desk-A booking', async () => {
    const outcome = await tool('get_trade_status').run(
      { tradeId: 'C-BBBB-000001' },
      toolContext(deps, VIEWER_B),
    );
    expect(outcome.ok).toBe(true);
    const record = outcome.ok
      ? (outcome.data as { records: { matchId: unknown; match: unknown }[] }).records[0]
      : undefined;
    expect({ matchId: record?.matchId, match: record?.match }).toStrictEqual({ matchId: null, match: null });
    expect(outcome.ok && outcome.records).toStrictEqual([
      { kind: 'trade', id: 'COUNTERPARTY#C-BBBB-000001' },
    ]);
  });

  it('keeps the match id and partner of a match wholly on desk B', async () => {
    const outcome = await tool('get_trade_status').run({ tradeId: 'T-2005' }, toolContext(deps, VIEWER_B));
    const record = outcome.ok
      ? (outcome.data as { records: { matchId: string | null; counterpart: { tradeId: string } | null }[] })
          .records[0]
      : undefined;
    expect(record?.matchId).toMatch(/^M\|INTERNAL#T-2005@\d+\|COUNTERPARTY#C-BBBB-000005@\d+$/);
    expect(record?.counterpart?.tradeId).toBe('C-BBBB-000005');
  });

  it('withholds the desk-A counterparty record behind a desk-B exception', async () => {
    const outcome = await tool('list_open_exceptions').run({ desk: DESK_B }, toolContext(deps, VIEWER_B));
    const rows = outcome.ok
      ? (outcome.data as { exceptions: { tradeId: string; counterpartyTradeId: string | null }[] }).exceptions
      : [];
    const b2 = rows.filter((r) => r.tradeId === 'T-2002');
    expect(b2.length).toBeGreaterThan(0);
    expect(b2.map((r) => r.counterpartyTradeId)).toStrictEqual(b2.map(() => null));
  });

  it('still echoes a desk-A id the asker supplied, exactly as for a missing one', async () => {
    expect(
      await tool('get_trade_status').run({ tradeId: 'T-1001' }, toolContext(deps, VIEWER_B)),
    ).toStrictEqual({
      ok: false,
      code: 'NOT_FOUND_OR_NOT_PERMITTED',
      message: 'No trade T-1001 that you are permitted to see.',
    });
  });
});

describe('a failing tool', () => {
  it('withholds a desk-A id quoted in its error', async () => {
    const failing = defineTool({
      name: 'failing_tool',
      description: 'Fails quoting a record.',
      input: z.object({}).strict(),
      risk: 'read',
      requiredRole: 'viewer',
      sessionCallCap: 1,
      auditLevel: 'full',
      async execute() {
        throw new Error('malformed item INTERNAL#T-1001 (match of C-BBBB-000001)');
      },
    });
    expect(await failing.run({}, toolContext(deps, VIEWER_B))).toStrictEqual({
      ok: false,
      code: 'FAILED',
      message: `failing_tool failed: malformed item ${WITHHELD} (match of C-BBBB-000001)`,
    });
  });
});

describe('the offline planner answering a viewer of desk B', () => {
  it.each([
    'status of C-BBBB-000001',
    'status of T-2003',
    'why is T-2003 not matched?',
    'why is T-2004 not matched?',
    'pending approvals',
    'open exceptions on EQ-US',
  ])('answers %s without a desk-A id or a null', async (question) => {
    const turn = await ask(new OfflinePlanner(), question, toolContext(deps, VIEWER_B));
    const leaked = deskAIdentifiers().filter((id) =>
      new RegExp(`(?<![A-Za-z0-9_-])${escapeRe(id)}(?![A-Za-z0-9_-])`).test(turn.answer),
    );
    expect({ leaked, nulls: /\bnull\b/.test(turn.answer) }).toStrictEqual({ leaked: [], nulls: false });
    // At least one tool beyond resolve_entities answered (the answer is about data, not a refusal).
    const succeeded = turn.result.messages.flatMap((m) =>
      m.content.flatMap((b) =>
        'toolResult' in b && b.toolResult.status === 'success' ? [b.toolResult] : [],
      ),
    );
    expect(succeeded.length).toBeGreaterThan(1);
  });
});

function tool(name: string): AgentTool {
  const found = TOOL_CATALOG.find((t) => t.name === name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found;
}
