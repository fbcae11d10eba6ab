import { marketOfPlaceOfSettlement } from '../calendar.ts';
import { Dec } from '../decimal.ts';
import { ALL_EXCEPTION_KEYS, type ExceptionDraft, exceptionIdFor } from '../exceptions.ts';
import { notionalOf } from '../instrument.ts';
import { type OutboxRecord, type SettlementException, type Trade, tradeRef } from '../model.ts';
import type { ChangeSet } from '../store/change-set.ts';
import type { SettlementStore } from '../store/settlement-store.ts';
import { type SettlementDeps, SYSTEM } from './deps.ts';

export function isOpen(e: SettlementException): boolean {
  return e.status === 'OPEN' || e.status === 'ESCALATED';
}

/** Every exception recorded for an internal trade (at most one per field, plus CMIS): one BatchGetItem. */
export async function exceptionsOfTrade(
  store: SettlementStore,
  trade: Trade,
): Promise<SettlementException[]> {
  if (!trade.hasExceptions) return [];
  return store.getExceptions(exceptionIdsOf(`${trade.source}#${trade.tradeId}`));
}

/** The ids an internal trade's exceptions can have. */
export function exceptionIdsOf(tradeRef: string): string[] {
  return ALL_EXCEPTION_KEYS.map((k) => exceptionIdFor(tradeRef, k));
}

export interface SyncOptions {
  readonly internal: Trade;
  readonly counterpartyRef: string | undefined;
  readonly drafts: readonly ExceptionDraft[];
  readonly existing: readonly SettlementException[];
  /** Open exceptions not in `drafts` are resolved this way (`matched`, `amended`, …); undefined leaves them. */
  readonly resolveOthersAs: string | undefined;
  readonly actor: string;
  readonly at: string;
}

export interface SyncResult {
  /** Exceptions newly escalated: each is owed an alert. */
  readonly escalated: string[];
  /** The new versions of every exception written. */
  readonly written: SettlementException[];
}

/**
 * Brings a trade's exceptions in line with what the latest comparison found: creates new ones,
 * updates changed ones, reopens closed ones that broke again, resolves the ones that no longer apply.
 */
export function syncExceptions(cs: ChangeSet, deps: Pick<SettlementDeps, 'sla'>, o: SyncOptions): SyncResult {
  const byId = new Map(o.existing.map((e) => [e.exceptionId, e]));
  const wanted = new Set<string>();
  const escalated: string[] = [];
  const written: SettlementException[] = [];
  for (const draft of o.drafts) {
    const id = exceptionIdFor(tradeRef(o.internal), draft.key);
    wanted.add(id);
    const current = byId.get(id);
    const fresh = exceptionFromDraft(deps, draft, o.internal, o.counterpartyRef, o.at);
    if (current === undefined) {
      written.push(
        cs.create('exception', fresh, {
          action: fresh.status === 'AUTO_RESOLVED' ? 'EXCEPTION_AUTO_RESOLVED' : 'EXCEPTION_RAISED',
          actor: fresh.status === 'AUTO_RESOLVED' ? SYSTEM.autoResolver : o.actor,
          details: {
            type: fresh.type,
            reasonCode: fresh.reasonCode,
            ours: draft.ours,
            theirs: draft.theirs,
            ...ruleOf(draft),
          },
          at: o.at,
        }),
      );
      if (fresh.status === 'ESCALATED') escalated.push(id);
      continue;
    }
    const sameFacts =
      current.ours === draft.ours &&
      current.theirs === draft.theirs &&
      current.counterpartyRef === o.counterpartyRef &&
      current.status === fresh.status;
    if (sameFacts) continue;
    // Keep when it was first raised and the SLA marks already sent; take the new facts.
    const { resolution: _dropped, ...rest } = current;
    const next = {
      ...rest,
      ...pickFacts(fresh),
      ...(fresh.resolution === undefined ? {} : { resolution: fresh.resolution }),
    };
    written.push(
      cs.update('exception', current, next, {
        action: isOpen(current) ? 'EXCEPTION_UPDATED' : 'EXCEPTION_REOPENED',
        actor: o.actor,
        details: { ours: draft.ours, theirs: draft.theirs, status: next.status, ...ruleOf(draft) },
        at: o.at,
      }),
    );
    if (next.status === 'ESCALATED' && !isOpen(current)) escalated.push(id);
    if (isOpen(current) && !isOpen(next)) cs.outbox(resolvedAlert(current, o.at));
  }
  if (o.resolveOthersAs !== undefined) {
    for (const e of o.existing) {
      if (wanted.has(e.exceptionId) || !isOpen(e)) continue;
      written.push(
        cs.update(
          'exception',
          e,
          { ...e, status: 'RESOLVED', resolution: { by: o.actor, at: o.at, how: o.resolveOthersAs } },
          { action: 'EXCEPTION_RESOLVED', actor: o.actor, details: { how: o.resolveOthersAs }, at: o.at },
        ),
      );
      cs.outbox(resolvedAlert(e, o.at));
    }
  }
  return { escalated, written };
}

/**
 * Owed when an open exception closes (resolved, auto-resolved): its alerts in Slack are updated to
 * show it. One per exception version, so a retried transaction writes the same record.
 */
function resolvedAlert(before: SettlementException, at: string): OutboxRecord {
  return {
    outboxId: `OB|EXCRES|${before.exceptionId}|v${before.version + 1}`,
    kind: 'EXCEPTION_RESOLVED',
    entityId: before.exceptionId,
    desk: before.desk,
    payload: { exceptionId: before.exceptionId, tradeRef: before.tradeRef },
    createdAt: at,
    status: 'PENDING',
  };
}

function ruleOf(draft: ExceptionDraft): { rule?: string } {
  return draft.autoResolvedBy === undefined ? {} : { rule: draft.autoResolvedBy };
}

function pickFacts(e: Omit<SettlementException, 'version' | 'auditHash'>) {
  return {
    type: e.type,
    reasonCode: e.reasonCode,
    details: e.details,
    ours: e.ours,
    theirs: e.theirs,
    status: e.status,
    ...(e.counterpartyRef === undefined ? {} : { counterpartyRef: e.counterpartyRef }),
  };
}

/** A new exception: SLA deadline from the trade's matching deadline, warning point and priority from policy. */
export function exceptionFromDraft(
  deps: Pick<SettlementDeps, 'sla'>,
  draft: ExceptionDraft,
  internal: Trade,
  counterpartyRef: string | undefined,
  at: string,
): Omit<SettlementException, 'version' | 'auditHash'> {
  const notional = notionalOf(internal);
  const deadline = internal.matchDeadline;
  const autoResolved = draft.autoResolvedBy !== undefined;
  // Raised at or after its deadline (a CMIS at the cut-off, a break confirmed late): it is born
  // breached, so the alert raising it is the breach alert and the sweeper sends no second one.
  const bornBreached = !autoResolved && Date.parse(at) >= Date.parse(deadline);
  return {
    exceptionId: exceptionIdFor(tradeRef(internal), draft.key),
    tradeRef: tradeRef(internal),
    ...(counterpartyRef === undefined ? {} : { counterpartyRef }),
    type: draft.type,
    reasonCode: draft.reasonCode,
    details: draft.details,
    ours: draft.ours,
    theirs: draft.theirs,
    priority: bornBreached ? 'P1' : deps.sla.priority(notional.toFixed(), internal.currency, at, deadline),
    notional: notional.toDecimalPlaces(2, Dec.ROUND_HALF_EVEN).toFixed(),
    currency: internal.currency,
    market: marketOfPlaceOfSettlement(internal.placeOfSettlement),
    slaDeadline: deadline,
    slaWarnAt: deps.sla.warnAt(at, deadline),
    status: autoResolved ? 'AUTO_RESOLVED' : 'ESCALATED',
    ...(bornBreached ? { breachedAt: at } : {}),
    ...(autoResolved
      ? { resolution: { by: SYSTEM.autoResolver, at, how: draft.autoResolvedBy ?? 'rule' } }
      : {}),
    desk: internal.desk,
    tradeDate: internal.tradeDate,
    createdAt: at,
  };
}
