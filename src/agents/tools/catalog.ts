import { z } from 'zod';
import type { Role } from '../../identity/index.ts';
import type { ToolSpec } from '../model/types.ts';
import { getAuditTrail } from './audit-tools.ts';
import { explainException, listOpenExceptions } from './exception-tools.ts';
import { explainMatch, listPendingReviews, rerunMatching } from './match-tools.ts';
import { proposeResolution } from './propose-resolution.ts';
import { getSlaStatus, settlementReport } from './report-tools.ts';
import { resolveEntities } from './resolve-entities.ts';
import type { AgentTool } from './tool.ts';
import { findTrades, getTradeStatus } from './trade-tools.ts';

/** Every tool the agents may be given, in the order they are printed for review. */
export const TOOL_CATALOG: readonly AgentTool[] = [
  resolveEntities,
  getTradeStatus,
  findTrades,
  listOpenExceptions,
  explainException,
  explainMatch,
  listPendingReviews,
  getSlaStatus,
  settlementReport,
  getAuditTrail,
  proposeResolution,
  rerunMatching,
];

export function toolByName(name: string): AgentTool | undefined {
  return TOOL_CATALOG.find((t) => t.name === name);
}

/**
 * The JSON Schema the model sees for a tool's input: what a caller may send (`io: 'input'`, so
 * defaulted fields are optional), without the `$schema` key Converse does not want.
 */
export function inputJsonSchema(tool: Pick<AgentTool, 'input'>): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(tool.input, {
    io: 'input',
    unrepresentable: 'any',
  });
  return schema;
}

/** Converse tool specs for the given tools. */
export function toolSpecs(tools: readonly AgentTool[]): ToolSpec[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: { json: inputJsonSchema(t) },
  }));
}

/** One row of `settleops tools`: the governance metadata a security review reads. */
export interface ToolReviewRow {
  readonly name: string;
  readonly description: string;
  readonly risk: 'read' | 'write';
  readonly requiredRole: Role;
  readonly sessionCallCap: number;
  readonly auditLevel: 'full' | 'metadata';
  readonly inputSchema: Record<string, unknown>;
}

export function catalogForReview(tools: readonly AgentTool[] = TOOL_CATALOG): ToolReviewRow[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    risk: t.risk,
    requiredRole: t.requiredRole,
    sessionCallCap: t.sessionCallCap,
    auditLevel: t.auditLevel,
    inputSchema: inputJsonSchema(t),
  }));
}
