import { z } from 'zod';
import { hasRole } from '../../identity/index.ts';
import { IsoDate } from '../../settlement/index.ts';
import type { AgentTool, ToolContext, ToolOutcome } from './tool.ts';

/** A tool's governance metadata (as `AgentTool`) and its body. */
export interface ToolDefinition<I> extends Omit<AgentTool<I>, 'run'> {
  /** Called with validated input, after the role check. */
  execute(input: I, ctx: ToolContext): Promise<ToolOutcome>;
}

/**
 * Builds an `AgentTool` that is safe to call directly: it checks the role, validates the input with
 * its zod schema (the loop validates too) and turns an unexpected failure into a `FAILED` outcome
 * rather than an exception, so a tool never crashes the turn.
 */
export function defineTool<I>(def: ToolDefinition<I>): AgentTool<I> {
  return {
    name: def.name,
    description: def.description,
    input: def.input,
    risk: def.risk,
    requiredRole: def.requiredRole,
    sessionCallCap: def.sessionCallCap,
    auditLevel: def.auditLevel,
    async run(input: I, ctx: ToolContext): Promise<ToolOutcome> {
      if (!hasRole(ctx.principal, def.requiredRole)) {
        return {
          ok: false,
          code: 'FORBIDDEN',
          message: `${def.name} needs the ${def.requiredRole} role, which you do not hold.`,
        };
      }
      const parsed = def.input.safeParse(input);
      if (!parsed.success) {
        return { ok: false, code: 'INVALID_INPUT', message: z.prettifyError(parsed.error) };
      }
      try {
        return await def.execute(parsed.data, ctx);
      } catch (err) {
        return {
          ok: false,
          code: 'FAILED',
          message: `${def.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    },
  };
}

/** Shared input fields, described for the model. */
export const fields = {
  tradeId: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'is not a trade id')
    .describe('A trade id: ours (e.g. T-10042) or a counterparty record (e.g. C-GSCM-000123).'),
  tradeDate: IsoDate.describe('Trade date, YYYY-MM-DD. Default: today in New York.'),
  desk: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .describe('A trading desk, e.g. EQ-US, EQ-EU, EQ-APAC, FI-RATES, FI-CREDIT.'),
  limit: (max: number, fallback: number) =>
    z.number().int().min(1).max(max).default(fallback).describe(`Most rows to return (1–${max}).`),
} as const;
