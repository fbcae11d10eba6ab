import { describe, expect, it } from 'vitest';
import {
  catalogForReview,
  inputJsonSchema,
  TOOL_CATALOG,
  toolByName,
  toolSpecs,
} from '../../../../src/agents/tools/catalog.ts';
import { isDefinedTool } from '../../../../src/agents/tools/define-tool.ts';

describe('the tool catalog', () => {
  it('holds the business-level tools, each once', () => {
    expect(TOOL_CATALOG.map((t) => t.name)).toStrictEqual([
      'resolve_entities',
      'get_trade_status',
      'find_trades',
      'list_open_exceptions',
      'explain_exception',
      'explain_match',
      'list_pending_reviews',
      'get_sla_status',
      'settlement_report',
      'get_audit_trail',
      'propose_resolution',
      'rerun_matching',
    ]);
  });

  it('holds only tools built by defineTool, so every result passes the reference redaction', () => {
    expect(TOOL_CATALOG.filter((t) => !isDefinedTool(t)).map((t) => t.name)).toStrictEqual([]);
    expect(isDefinedTool({ ...TOOL_CATALOG[0] })).toBe(false);
  });

  it('finds a tool by name and nothing for an unknown name', () => {
    expect(toolByName('get_trade_status')?.name).toBe('get_trade_status');
    expect(toolByName('query_table')).toBeUndefined();
  });

  it('generates an object JSON Schema without $schema for every tool', () => {
    for (const spec of toolSpecs(TOOL_CATALOG)) {
      expect(spec.inputSchema.json.$schema).toBeUndefined();
      expect(spec.inputSchema.json.type).toBe('object');
      expect(spec.description.length).toBeGreaterThan(40);
    }
  });

  it('describes get_trade_status input exactly', () => {
    const tool = toolByName('get_trade_status');
    if (tool === undefined) throw new Error('missing');
    expect(inputJsonSchema(tool)).toStrictEqual({
      type: 'object',
      properties: {
        tradeId: {
          type: 'string',
          minLength: 1,
          maxLength: 64,
          pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$',
          description: 'A trade id: ours (e.g. T-10042) or a counterparty record (e.g. C-GSCM-000123).',
        },
      },
      required: ['tradeId'],
      additionalProperties: false,
    });
  });

  it('leaves defaulted fields optional in the schema the model sees', () => {
    const tool = toolByName('find_trades');
    if (tool === undefined) throw new Error('missing');
    const schema = inputJsonSchema(tool);
    expect(schema.required ?? []).toStrictEqual([]);
    expect(Object.keys(schema.properties as object)).toStrictEqual([
      'isin',
      'counterpartyBic',
      'status',
      'source',
      'tradeDate',
      'lastBusinessDays',
      'desk',
      'limit',
    ]);
  });

  it('prints governance metadata for a security review', () => {
    const rows = catalogForReview();
    expect(
      rows.map(({ name, risk, requiredRole, sessionCallCap, auditLevel }) => ({
        name,
        risk,
        requiredRole,
        sessionCallCap,
        auditLevel,
      })),
    ).toStrictEqual([
      {
        name: 'resolve_entities',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 60,
        auditLevel: 'full',
      },
      {
        name: 'get_trade_status',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 30,
        auditLevel: 'full',
      },
      { name: 'find_trades', risk: 'read', requiredRole: 'viewer', sessionCallCap: 20, auditLevel: 'full' },
      {
        name: 'list_open_exceptions',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 20,
        auditLevel: 'full',
      },
      {
        name: 'explain_exception',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 30,
        auditLevel: 'full',
      },
      { name: 'explain_match', risk: 'read', requiredRole: 'viewer', sessionCallCap: 30, auditLevel: 'full' },
      {
        name: 'list_pending_reviews',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 20,
        auditLevel: 'full',
      },
      {
        name: 'get_sla_status',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 10,
        auditLevel: 'full',
      },
      {
        name: 'settlement_report',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 10,
        auditLevel: 'full',
      },
      {
        name: 'get_audit_trail',
        risk: 'read',
        requiredRole: 'viewer',
        sessionCallCap: 20,
        auditLevel: 'full',
      },
      {
        name: 'propose_resolution',
        risk: 'write',
        requiredRole: 'viewer',
        sessionCallCap: 5,
        auditLevel: 'full',
      },
      {
        name: 'rerun_matching',
        risk: 'write',
        requiredRole: 'approver',
        sessionCallCap: 5,
        auditLevel: 'full',
      },
    ]);
    expect(JSON.parse(JSON.stringify(rows))).toStrictEqual(rows);
  });
});
