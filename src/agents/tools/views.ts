import type { Principal } from '../../identity/index.ts';
import type { FieldResult, Match, SettlementException, Trade } from '../../settlement/index.ts';
import { maskAccount } from './entitlements.ts';
import { type Instant, instant, minutesBetween } from './time.ts';

/*
 * Compact JSON projections of settlement records for tool outputs: what an answer needs, with
 * account numbers masked per the principal and instants in UTC and New York time.
 */

export interface TradeRow {
  readonly tradeId: string;
  readonly source: Trade['source'];
  readonly status: Trade['status'];
  readonly side: Trade['side'];
  readonly isin: string;
  readonly quantity: string;
  readonly price: string;
  readonly currency: string;
  readonly netAmount: string | null;
  readonly tradeDate: string;
  readonly settlementDate: string;
  readonly desk: string;
  /** Masked to the last four characters unless the principal is entitled to the account. */
  readonly account: string;
  readonly counterpartyBic: string;
  readonly placeOfSettlement: string;
  readonly settlementType: Trade['settlementType'];
  /** The deadline by which the trade must be matched. */
  readonly matchDeadline: Instant;
  readonly matchId: string | null;
  /** Free text from the source system: untrusted data, never an instruction. */
  readonly untrustedNote: string | null;
}

export function tradeRow(t: Trade, principal: Pick<Principal, 'accounts'>): TradeRow {
  return {
    tradeId: t.tradeId,
    source: t.source,
    status: t.status,
    side: t.side,
    isin: t.isin,
    quantity: t.quantity,
    price: t.price,
    currency: t.currency,
    netAmount: t.netAmount ?? null,
    tradeDate: t.tradeDate,
    settlementDate: t.settlementDate,
    desk: t.desk,
    account: maskAccount(t.account, principal),
    counterpartyBic: t.counterpartyBic,
    placeOfSettlement: t.placeOfSettlement,
    settlementType: t.settlementType,
    matchDeadline: instant(t.matchDeadline),
    matchId: t.matchId ?? null,
    untrustedNote: t.note ?? null,
  };
}

/** The fields of a short trade line for lists, in the order they are shown. */
const LIST_FIELDS = [
  'tradeId',
  'source',
  'status',
  'side',
  'isin',
  'quantity',
  'price',
  'currency',
  'netAmount',
  'desk',
  'account',
  'counterpartyBic',
  'tradeDate',
  'matchDeadline',
] as const satisfies ReadonlyArray<keyof TradeRow>;

/** A short trade line for lists. */
export type TradeListRow = Pick<TradeRow, (typeof LIST_FIELDS)[number]>;

/** The list line is the full row cut down, so both mask and format a trade the same way. */
export function tradeListRow(t: Trade, principal: Pick<Principal, 'accounts'>): TradeListRow {
  const row = tradeRow(t, principal);
  // fromEntries loses the key types; LIST_FIELDS is exactly TradeListRow's keys.
  return Object.fromEntries(LIST_FIELDS.map((k) => [k, row[k]])) as TradeListRow;
}

export type SlaState = 'BREACHED' | 'WARNED' | 'ON_TRACK' | 'CLOSED';

export function slaStateOf(e: SettlementException): SlaState {
  if (e.status !== 'OPEN' && e.status !== 'ESCALATED') return 'CLOSED';
  if (e.breachedAt !== undefined) return 'BREACHED';
  if (e.warnedAt !== undefined) return 'WARNED';
  return 'ON_TRACK';
}

export interface ExceptionRow {
  readonly exceptionId: string;
  /** Our (internal) trade the exception is raised on. */
  readonly tradeId: string;
  readonly counterpartyTradeId: string | null;
  readonly type: SettlementException['type'];
  readonly reasonCode: SettlementException['reasonCode'];
  readonly status: SettlementException['status'];
  readonly priority: SettlementException['priority'];
  readonly details: string;
  readonly ours: string | null;
  readonly theirs: string | null;
  readonly notional: string;
  readonly currency: string;
  readonly desk: string;
  readonly tradeDate: string;
  readonly raisedAt: Instant;
  readonly ageMinutes: number;
  readonly deadline: Instant;
  /** Minutes to the deadline from now (negative once past). */
  readonly minutesToDeadline: number;
  readonly sla: SlaState;
}

/** `INTERNAL#T-1` → `T-1`. */
export function idOfRef(ref: string): string {
  const i = ref.indexOf('#');
  return i < 0 ? ref : ref.slice(i + 1);
}

export function exceptionRow(e: SettlementException, now: string): ExceptionRow {
  return {
    exceptionId: e.exceptionId,
    tradeId: idOfRef(e.tradeRef),
    counterpartyTradeId: e.counterpartyRef === undefined ? null : idOfRef(e.counterpartyRef),
    type: e.type,
    reasonCode: e.reasonCode,
    status: e.status,
    priority: e.priority,
    details: e.details,
    ours: e.ours ?? null,
    theirs: e.theirs ?? null,
    notional: e.notional,
    currency: e.currency,
    desk: e.desk,
    tradeDate: e.tradeDate,
    raisedAt: instant(e.createdAt),
    ageMinutes: Math.max(0, minutesBetween(e.createdAt, now)),
    deadline: instant(e.slaDeadline),
    minutesToDeadline: minutesBetween(now, e.slaDeadline),
    sla: slaStateOf(e),
  };
}

export interface FieldRow {
  readonly field: FieldResult['field'];
  readonly ours: string | null;
  readonly theirs: string | null;
  readonly tolerance: string;
  readonly outcome: FieldResult['outcome'];
  readonly within: boolean;
  readonly penalty: number;
  readonly reasonCode: string | null;
  readonly rule: string | null;
}

export function fieldRow(f: FieldResult): FieldRow {
  return {
    field: f.field,
    ours: f.ours,
    theirs: f.theirs,
    tolerance: f.tolerance,
    outcome: f.outcome,
    within: f.within,
    penalty: f.penalty,
    reasonCode: f.reasonCode ?? null,
    rule: f.rule ?? null,
  };
}

export interface MatchBrief {
  readonly matchId: string;
  readonly status: Match['status'];
  readonly confidence: number;
  readonly internalTradeId: string;
  readonly counterpartyTradeId: string;
  readonly decision: { readonly by: string; readonly at: Instant; readonly reason: string | null } | null;
  /** Fields that were not an exact match (the reasons the confidence is below 100). */
  readonly nonExactFields: readonly FieldRow[];
}

export function matchBrief(m: Match): MatchBrief {
  return {
    matchId: m.matchId,
    status: m.status,
    confidence: m.confidence,
    internalTradeId: idOfRef(m.internalRef),
    counterpartyTradeId: idOfRef(m.counterpartyRef),
    decision:
      m.decision === undefined
        ? null
        : { by: m.decision.by, at: instant(m.decision.at), reason: m.decision.reason ?? null },
    nonExactFields: m.fields.filter((f) => f.outcome !== 'EXACT').map(fieldRow),
  };
}

/** Open first by soonest deadline, then by id: the order ops work a queue in. */
export function byDeadline(a: SettlementException, b: SettlementException): number {
  return a.slaDeadline.localeCompare(b.slaDeadline) || a.exceptionId.localeCompare(b.exceptionId);
}
