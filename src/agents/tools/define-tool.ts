import { z } from 'zod';
import { hasRole } from '../../identity/index.ts';
import { IsoDate } from '../../settlement/index.ts';
import { redactReferences, WITHHELD } from './reference-redactor.ts';
import type { AgentTool, RecordRef, ToolContext, ToolOutcome } from './tool.ts';

/** The tools built by `defineTool`: only these are known to pass the reference redaction. */
const DEFINED = new WeakSet<object>();

/** True when `tool` was built by `defineTool` (so its results pass the reference redaction). */
export function isDefinedTool(tool: object): boolean {
  return DEFINED.has(tool);
}

/**
 * The one redaction step of every result: references to records of desks the asker may not see are
 * withheld from the data, the records list and error messages alike.
 */
async function redactOutcome(outcome: ToolOutcome, input: unknown, ctx: ToolContext): Promise<ToolOutcome> {
  const options = { principal: ctx.principal, store: ctx.settlement.store, input };
  if (!outcome.ok) {
    const { value } = await redactReferences(outcome.message, options);
    return { ...outcome, message: String(value) };
  }
  const { value } = await redactReferences({ data: outcome.data, records: outcome.records }, options);
  // The same shape as given: the redaction only turns strings into strings or null.
  const redacted = value as {
    data: unknown;
    records: ReadonlyArray<{ kind: RecordRef['kind']; id: string | null }>;
  };
  const records = redacted.records.flatMap((r) =>
    r.id === null || r.id.includes(WITHHELD) ? [] : [{ kind: r.kind, id: r.id }],
  );
  return { ok: true, data: redacted.data, records };
}

/** A tool's governance metadata (as `AgentTool`) and its body. */
export interface ToolDefinition<I> extends Omit<AgentTool<I>, 'run'> {
  /** Called with validated input, after the role check. */
  execute(input: I, ctx: ToolContext): Promise<ToolOutcome>;
}

/**
 * Builds an `AgentTool` that is safe to call directly: it checks the role, validates the input with
 * its zod schema (the loop validates too), passes every result through the reference redaction
 * (`redactReferences`: nothing of a desk the asker may not see) and turns an unexpected failure —
 * the redaction's own read included, so it fails closed — into a `FAILED` outcome rather than an
 * exception, so a tool never crashes the turn.
 */
export function defineTool<I>(def: ToolDefinition<I>): AgentTool<I> {
  const tool: AgentTool<I> = {
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
        return await redactOutcome(await def.execute(parsed.data, ctx), parsed.data, ctx);
      } catch (err) {
        const failed: ToolOutcome = {
          ok: false,
          code: 'FAILED',
          message: `${def.name} failed: ${err instanceof Error ? err.message : String(err)}`,
        };
        // An error's text may quote a record (a malformed item): it passes the redaction too, or goes.
        try {
          return await redactOutcome(failed, parsed.data, ctx);
        } catch {
          return { ok: false, code: 'FAILED', message: `${def.name} failed.` };
        }
      }
    },
  };
  DEFINED.add(tool);
  return tool;
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
