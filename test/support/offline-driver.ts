import { TOOL_CATALOG } from '../../src/agents/tools/catalog.ts';
import type { AgentTool, ToolContext, ToolOutcome } from '../../src/agents/tools/tool.ts';
import { LOCAL_ADMIN, type Principal } from '../../src/identity/index.ts';
import { generateSettlementDay, type SettlementDay } from '../../src/seed/index.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { createTestTable, type TestTable } from './dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from './settlement.ts';

/*
 * Test support for the tools and the offline planner: a seeded settlement day on DynamoDB Local, a
 * tool context, and `ask`, which puts a question through the product's turn loop.
 */

export const SEEDED_DATE = '2026-11-24';
/** Bookings and confirmations arrive at 15:00 New York (20:00 UTC) on the trade date. */
export const INGESTED_AT = '2026-11-24T20:00:00.000Z';
/** 20:00 New York: US breaks are past their SLA warning point (80 % of the window to 21:00 ET). */
export const WARNING_SWEEP_AT = '2026-11-25T01:00:00.000Z';
/**
 * 21:30 New York, still 2026-11-24 there though 2026-11-25 in UTC: US breaks are breached and US
 * trades without a confirmation carry CMIS. "Today" must be the New York date.
 */
export const QUESTIONS_AT = '2026-11-25T02:30:00.000Z';

export interface SeededDay {
  readonly table: TestTable;
  readonly clock: TestClock;
  readonly deps: SettlementDeps;
  readonly day: SettlementDay;
}

/** A fresh table holding one generated day, matched and swept twice; the clock left at QUESTIONS_AT. */
export async function seedDay(options: { trades?: number; seed?: number } = {}): Promise<SeededDay> {
  const table = await createTestTable();
  const clock = new TestClock(INGESTED_AT);
  const deps = settlementDeps(table.store, clock);
  const day = generateSettlementDay({
    trades: options.trades ?? 300,
    seed: options.seed ?? 7,
    date: SEEDED_DATE,
  });
  await ingestTrades(deps, rowsOf(...day.internal, ...day.counterparty));
  clock.set(WARNING_SWEEP_AT);
  await sweepSla(deps);
  clock.set(QUESTIONS_AT);
  await sweepSla(deps);
  return { table, clock, deps, day };
}

export function toolContext(deps: SettlementDeps, principal: Principal = LOCAL_ADMIN): ToolContext {
  return {
    principal,
    settlement: deps,
    sessionId: 'test-session-0000000000000000000000000',
    traceId: 'trace-test',
  };
}

/** Runs a catalog tool by name as the loop would: unknown names and invalid input are tool errors. */
export async function runTool(name: string, input: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const tool: AgentTool | undefined = TOOL_CATALOG.find((t) => t.name === name);
  if (tool === undefined) return { ok: false, code: 'INVALID_INPUT', message: `no tool named ${name}` };
  return tool.run(input, ctx);
}

export { type AskedTurn, ask } from './ask-turn.ts';
