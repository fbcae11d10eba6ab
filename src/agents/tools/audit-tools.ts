import { z } from 'zod';
import { mayViewDesk } from '../../identity/index.ts';
import { tradeRefsOf, verifyEntityAudit } from '../../settlement/index.ts';
import { defineTool, fields } from './define-tool.ts';
import { maskAccountsIn, notFoundOrNotPermitted } from './entitlements.ts';
import { type Instant, instant } from './time.ts';
import type { RecordRef, ToolContext } from './tool.ts';

export interface AuditTrailEntry {
  readonly seq: number;
  readonly at: Instant;
  readonly action: string;
  readonly actor: string;
  /** Account numbers masked as elsewhere. */
  readonly details: unknown;
}

export interface AuditTrail {
  readonly entityId: string;
  readonly entries: readonly AuditTrailEntry[];
  /** The tamper-evident chain checked against the entity's recorded head. */
  readonly verification: { readonly intact: boolean; readonly problems: readonly string[] };
}

export interface AuditTrailData {
  readonly trails: readonly AuditTrail[];
}

const AuditInput = z
  .object({
    tradeId: fields.tradeId.optional(),
    entityId: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .optional()
      .describe('An audited entity: INTERNAL#T-…, COUNTERPARTY#C-…, a match id M|… or an exception id X|….'),
  })
  .strict()
  .refine((i) => (i.tradeId === undefined) !== (i.entityId === undefined), {
    message: 'give exactly one of tradeId or entityId',
  });

/** The desk an entity belongs to, if it exists; undefined when missing. */
async function deskOf(ctx: ToolContext, entityId: string): Promise<string | undefined> {
  const { store } = ctx.settlement;
  if (entityId.startsWith('M|')) return (await store.getMatch(entityId))?.desk;
  if (entityId.startsWith('X|')) return (await store.getException(entityId))?.desk;
  if (entityId.startsWith('INTERNAL#') || entityId.startsWith('COUNTERPARTY#'))
    return (await store.getTrade(entityId))?.desk;
  return undefined;
}

export const getAuditTrail = defineTool({
  name: 'get_audit_trail',
  description:
    'The audit trail of a trade (by trade id) or any audited entity (trade ref, match id, exception ' +
    'id): who did what when, and whether the SHA-256 chain verifies intact.',
  input: AuditInput,
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 20,
  auditLevel: 'full',
  async execute(input, ctx) {
    const entityIds = input.tradeId !== undefined ? [...tradeRefsOf(input.tradeId)] : [input.entityId ?? ''];
    const trails: AuditTrail[] = [];
    const records: RecordRef[] = [];
    for (const entityId of entityIds) {
      const desk = await deskOf(ctx, entityId);
      if (desk === undefined || !mayViewDesk(ctx.principal, desk)) continue;
      const verification = await verifyEntityAudit(
        ctx.settlement.store,
        entityId,
        ctx.settlement.audit ?? {},
      );
      trails.push({
        entityId,
        // The trail verification read, already in sequence.
        entries: (verification?.trail ?? []).map((r) => ({
          seq: r.seq,
          at: instant(r.at),
          action: r.action,
          actor: r.actor,
          details: maskAccountsIn(r.details, ctx.principal),
        })),
        verification: {
          intact: (verification?.problems.length ?? 0) === 0,
          problems: verification?.problems ?? [],
        },
      });
      records.push({ kind: 'audit', id: entityId });
    }
    if (trails.length === 0) {
      return input.tradeId !== undefined
        ? notFoundOrNotPermitted('trade', input.tradeId)
        : notFoundOrNotPermitted('audit trail', input.entityId ?? '');
    }
    const data: AuditTrailData = { trails };
    return { ok: true, data, records };
  },
});
