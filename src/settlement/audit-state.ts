import { canonicalJson } from './audit-chain.ts';
import { type AuditRecord, type Match, type SettlementException, type Trade, TradeFields } from './model.ts';
import type { AuditedEntity } from './store/settlement-store.ts';

/*
 * When an entity's stored fields no longer hash to the state its latest audit record sealed, say
 * which fields, where the trail allows: a trade's fields are replayed from its INGESTED and AMENDED
 * records, a match's status and decider from its decisions. The hash decides; this only explains.
 */

export interface StateDifference {
  readonly field: string;
  readonly stored: unknown;
  readonly audited: unknown;
}

/** Fields whose stored value differs from what the audit trail (up to record `seq`) says. */
export function stateDifferences(
  entity: AuditedEntity,
  trail: readonly AuditRecord[],
  seq: number,
): StateDifference[] {
  const upTo = trail.filter((r) => r.seq <= seq);
  switch (entity.entityKind) {
    case 'trade':
      return tradeDifferences(entity.entity, upTo);
    case 'match':
      return matchDifferences(entity.entity, upTo);
    case 'exception':
      return exceptionDifferences(entity.entity, upTo);
  }
}

const TRADE_FIELDS = Object.keys(TradeFields.shape);

function tradeDifferences(trade: Trade, trail: readonly AuditRecord[]): StateDifference[] {
  let fields: Record<string, unknown> | undefined;
  let lastChangedBy: string | undefined;
  for (const r of trail) {
    if (r.action === 'INGESTED') {
      fields = { ...r.details };
      lastChangedBy = r.actor;
    } else if (r.action === 'AMENDED' && fields !== undefined) {
      const changed = Array.isArray(r.details.changed) ? r.details.changed.map(String) : [];
      for (const k of changed) fields[k] = r.details[k];
      lastChangedBy = r.actor;
    }
  }
  if (fields === undefined) return [];
  const audited: Record<string, unknown> = { ...fields, lastChangedBy };
  return differ(trade, audited, [...TRADE_FIELDS, 'lastChangedBy']);
}

const STATUS_AFTER: Readonly<Record<string, Match['status']>> = {
  AUTO_MATCHED: 'AUTO_MATCHED',
  REVIEW_REQUESTED: 'PENDING_REVIEW',
  APPROVED: 'APPROVED',
  REJECTED: 'REJECTED',
  SUPERSEDED: 'SUPERSEDED',
};

function matchDifferences(match: Match, trail: readonly AuditRecord[]): StateDifference[] {
  const audited: Record<string, unknown> = {};
  for (const r of trail) {
    const status = STATUS_AFTER[r.action];
    if (status !== undefined) audited.status = status;
    if (r.seq === 1) {
      audited.confidence = r.details.confidence;
      audited.internalRef = r.details.internal;
      audited.counterpartyRef = r.details.counterparty;
    }
    if (r.action === 'APPROVED' || r.action === 'REJECTED') {
      audited['decision.by'] = r.actor;
      audited['decision.at'] = r.at;
      audited['decision.reason'] = r.details.reason;
    }
  }
  const stored: Record<string, unknown> = {
    ...match,
    'decision.by': match.decision?.by,
    'decision.at': match.decision?.at,
    'decision.reason': match.decision?.reason,
  };
  return differ(stored, audited, Object.keys(audited));
}

function exceptionDifferences(e: SettlementException, trail: readonly AuditRecord[]): StateDifference[] {
  const audited: Record<string, unknown> = {};
  for (const r of trail) {
    if (r.action === 'SLA_BREACHED' || r.action === 'SLA_WARNING') audited.priority = r.details.priority;
  }
  return differ(e, audited, Object.keys(audited));
}

function differ(
  stored: object,
  audited: Record<string, unknown>,
  fields: readonly string[],
): StateDifference[] {
  const s = stored as Record<string, unknown>;
  return fields
    .filter((f) => canonicalJson(s[f] ?? null) !== canonicalJson(audited[f] ?? null))
    .map((field) => ({ field, stored: s[field], audited: audited[field] }));
}

/** `price is "99.00" (the audit trail says "101.25")`, one per difference. */
export function describeDifferences(differences: readonly StateDifference[]): string {
  return differences
    .map(
      (d) =>
        `${d.field} is ${JSON.stringify(d.stored ?? null)} (the audit trail says ${JSON.stringify(d.audited ?? null)})`,
    )
    .join(', ');
}
