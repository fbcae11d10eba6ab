import { z } from 'zod';
import type { AgentTool, ToolContext, ToolOutcome } from '../../../../src/agents/tools/tool.ts';
import type { Principal } from '../../../../src/identity/index.ts';
import type { SettlementDeps } from '../../../../src/settlement/services/deps.ts';

/** Small stand-ins for catalog tools: the loop only sees the `AgentTool` interface. */

export interface TradeFixture {
  readonly tradeId: string;
  readonly desk: string;
  readonly account: string;
  readonly status: string;
  readonly note?: string;
}

export const TRADES: readonly TradeFixture[] = [
  { tradeId: 'T-10042', desk: 'EQ-US', account: 'EQUS-GROWTH-01', status: 'UNMATCHED' },
  { tradeId: 'T-10043', desk: 'EQ-EU', account: 'EQEU-CORE-01', status: 'MATCHED' },
];

export function principal(overrides: Partial<Principal> = {}): Principal {
  return { principalId: 'u-ops-1', roles: ['viewer'], desks: ['EQ-US'], accounts: [], ...overrides };
}

export function toolContext(
  p: Principal = principal(),
  sessionId = 'session-0123456789-0123456789-0123',
): ToolContext {
  // The test tools never touch the settlement store.
  return { principal: p, settlement: {} as SettlementDeps, sessionId, traceId: 'trace-1' };
}

export function tradeStatusTool(
  trades: readonly TradeFixture[] = TRADES,
  overrides: Partial<AgentTool<{ tradeId: string }>> = {},
): AgentTool<{ tradeId: string }> {
  return {
    name: 'get_trade_status',
    description: 'Status of one trade by id (T-nnnnn).',
    input: z.object({ tradeId: z.string().regex(/^T-\d{3,}$/, 'must look like T-10042') }).strict(),
    risk: 'read',
    requiredRole: 'viewer',
    sessionCallCap: 10,
    auditLevel: 'full',
    async run({ tradeId }, ctx): Promise<ToolOutcome> {
      const trade = trades.find((t) => t.tradeId === tradeId);
      if (trade === undefined || (ctx.principal.desks !== '*' && !ctx.principal.desks.includes(trade.desk))) {
        return {
          ok: false,
          code: 'NOT_FOUND_OR_NOT_PERMITTED',
          message: `Trade ${tradeId} not found or not permitted.`,
        };
      }
      return { ok: true, data: trade, records: [{ kind: 'trade', id: trade.tradeId }] };
    },
    ...overrides,
  };
}

export function openExceptionsTool(overrides: Partial<AgentTool<{ desk?: string | undefined }>> = {}) {
  const tool: AgentTool<{ desk?: string | undefined }> = {
    name: 'list_open_exceptions',
    description: 'Open exceptions, optionally for one desk.',
    input: z.object({ desk: z.string().min(1).optional() }).strict(),
    risk: 'read',
    requiredRole: 'viewer',
    sessionCallCap: 5,
    auditLevel: 'metadata',
    async run(): Promise<ToolOutcome> {
      return {
        ok: true,
        data: {
          exceptions: [{ exceptionId: 'X-1', tradeId: 'T-10042', type: 'PRICE_MISMATCH', code: 'DDEA' }],
        },
        records: [{ kind: 'exception', id: 'X-1' }],
      };
    },
    ...overrides,
  };
  return tool;
}

export function approveTool(): AgentTool<{ reviewId: string }> {
  return {
    name: 'propose_resolution',
    description: 'Propose a resolution (needs approver).',
    input: z.object({ reviewId: z.string() }),
    risk: 'write',
    requiredRole: 'approver',
    sessionCallCap: 3,
    auditLevel: 'full',
    async run({ reviewId }): Promise<ToolOutcome> {
      return { ok: true, data: { proposed: reviewId }, records: [{ kind: 'review', id: reviewId }] };
    },
  };
}
