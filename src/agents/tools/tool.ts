import type { z } from 'zod';
import type { Principal, Role } from '../../identity/index.ts';
import type { SettlementDeps } from '../../settlement/index.ts';

/** A record an answer relied on, so the asker (and the audit) can see the sources. */
export interface RecordRef {
  readonly kind: 'trade' | 'match' | 'exception' | 'report' | 'audit' | 'review';
  readonly id: string;
}

export type ToolOutcome =
  | { readonly ok: true; readonly data: unknown; readonly records: readonly RecordRef[] }
  | {
      readonly ok: false;
      /**
       * NOT_FOUND_OR_NOT_PERMITTED is deliberately one code: a principal must not learn that a trade
       * of another desk exists.
       */
      readonly code: 'NOT_FOUND_OR_NOT_PERMITTED' | 'INVALID_INPUT' | 'FORBIDDEN' | 'LIMIT' | 'FAILED';
      readonly message: string;
    };

export interface ToolContext {
  readonly principal: Principal;
  readonly settlement: SettlementDeps;
  readonly sessionId: string;
  readonly traceId: string;
}

/**
 * A tool the agents may call, with the governance metadata a security review needs. Every tool
 * enforces the principal's entitlements itself; the loop also checks `requiredRole` first.
 */
export interface AgentTool<I = unknown> {
  /** Business-level name (`get_trade_status`, never `query_table`). */
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<I>;
  readonly risk: 'read' | 'write';
  readonly requiredRole: Role;
  /** Calls allowed per session; over it the call is refused and the turn ends. */
  readonly sessionCallCap: number;
  /** `full`: arguments go into the trace and audit; `metadata`: only names and sizes. */
  readonly auditLevel: 'full' | 'metadata';
  run(input: I, ctx: ToolContext): Promise<ToolOutcome>;
}
