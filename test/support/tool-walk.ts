import { z } from 'zod';
import type { AgentTool } from '../../src/agents/tools/tool.ts';
import { ExceptionType, ReasonCode, TradeStatus } from '../../src/settlement/model.ts';
import type { DayRecords } from '../../src/settlement/store/settlement-store.ts';

/*
 * Walks every tool of the catalog with inputs drawn from a day's records: a property over all tools,
 * so a tool added to the catalog is walked too (and a new input field without test values fails loudly).
 */

/** Test values per input field, drawn from the day's records (at most `per` of each kind). */
export function inputPools(
  days: readonly DayRecords[],
  options: { readonly tradeDate: string; readonly desks: readonly string[]; readonly per?: number },
): Record<string, readonly unknown[]> {
  const per = options.per ?? Number.POSITIVE_INFINITY;
  const take = <T>(xs: readonly T[]): T[] => [...new Set(xs)].slice(0, per);
  const trades = days.flatMap((d) => d.trades);
  const matchIds = take(days.flatMap((d) => d.matches.map((m) => m.matchId)));
  const exceptionIds = take(days.flatMap((d) => d.exceptions.map((e) => e.exceptionId)));
  return {
    tradeId: [...take(trades.map((t) => t.tradeId)), 'T-NONE'],
    matchId: matchIds,
    exceptionId: exceptionIds,
    entityId: [...take(trades.map((t) => `${t.source}#${t.tradeId}`)), ...matchIds, ...exceptionIds],
    desk: options.desks,
    tradeDate: [options.tradeDate],
    lastBusinessDays: [4],
    isin: take(trades.map((t) => t.isin)),
    counterpartyBic: take(trades.map((t) => t.counterpartyBic)),
    status: TradeStatus.options,
    source: ['INTERNAL', 'COUNTERPARTY'],
    type: ExceptionType.options,
    reasonCode: ReasonCode.options,
    minAgeMinutes: [0],
    slaState: ['BREACHED', 'WARNED', 'ON_TRACK'],
    limit: [50],
    proposal: ['ESCALATE_TO_DESK'],
    note: ['Please check with the desk.'],
    // Questions as typed: every trade id, every desk, dates in the forms people use.
    text: [
      ...take(trades.map((t) => `why is ${t.tradeId.toLowerCase()} not matched?`)),
      ...options.desks.map((d) => `open breaks on ${d} yesterday`),
      `report for ${options.tradeDate}`,
      'what happened T-1?',
    ],
  };
}

/** Each input a tool is walked with: required fields filled, then every pooled value of every field in turn. */
export function inputsFor(
  tool: AgentTool,
  pools: Record<string, readonly unknown[]>,
): Record<string, unknown>[] {
  if (!(tool.input instanceof z.ZodObject)) throw new Error(`${tool.name}: input is not an object schema`);
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const base: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const pool = pools[key];
    if (pool === undefined || pool.length === 0) throw new Error(`${tool.name}: no test values for "${key}"`);
    if (!schema.safeParse(undefined).success) base[key] = pool[0];
  }
  const inputs = [base];
  for (const key of Object.keys(shape)) for (const v of pools[key] ?? []) inputs.push({ ...base, [key]: v });
  return inputs;
}
