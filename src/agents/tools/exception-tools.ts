import { z } from 'zod';
import { mayViewDesk, type Principal } from '../../identity/index.ts';
import type { Page, SettlementDeps } from '../../settlement/index.ts';
import {
  compareTrades,
  decisionKind,
  ExceptionType,
  isOpen,
  ReasonCode,
  type SettlementException,
  type Trade,
  tradeRef,
} from '../../settlement/index.ts';
import { defineTool, fields } from './define-tool.ts';
import { describeScope, deskScope, notFoundOrNotPermitted } from './entitlements.ts';
import { type Instant, instant, minutesBetween } from './time.ts';
import type { RecordRef } from './tool.ts';
import { type ExceptionRow, exceptionRow, type FieldRow, fieldRow, type SlaState } from './views.ts';

const ListOpenExceptionsInput = z
  .object({
    type: ExceptionType.optional().describe(
      'PRICE, QUANTITY, CURRENCY, SETTLEMENT_DATE, NO_COUNTERPARTY_INSTRUCTION (missing confirmation), PLACE_OF_SETTLEMENT, COUNTERPARTY or AMOUNT.',
    ),
    reasonCode: ReasonCode.optional().describe(
      'ISO 20022 / MT548 reason code: DDEA, DQUA, NCRR, DDAT, CMIS, DEPT, IEXE, ICAG, DMON, FRAP, DELN, DSEC, DTRD.',
    ),
    desk: fields.desk.optional(),
    tradeDate: fields.tradeDate
      .optional()
      .describe('Only exceptions of this trade date (YYYY-MM-DD). Default: every date.'),
    minAgeMinutes: z
      .number()
      .int()
      .min(0)
      .max(100_000)
      .optional()
      .describe('Only exceptions raised at least this many minutes ago.'),
    slaState: z
      .enum(['BREACHED', 'WARNED', 'ON_TRACK'])
      .optional()
      .describe('Only exceptions in this SLA state.'),
    limit: fields.limit(50, 20),
  })
  .strict();

export interface OpenExceptionsData {
  readonly desks: string | readonly string[];
  readonly filters: Readonly<Record<string, string | number>>;
  /** Open (OPEN or ESCALATED) exceptions matching the filters; the list holds at most `limit`. */
  readonly total: number;
  readonly byType: Readonly<Partial<Record<SettlementException['type'], number>>>;
  readonly bySla: Readonly<Partial<Record<SlaState, number>>>;
  /** Soonest deadline first. */
  readonly exceptions: readonly ExceptionRow[];
  /** True when more open exceptions exist than were read (the queue was not read to its end). */
  readonly truncated: boolean;
}

/** Pages read from each status queue at most: a bound on one question's cost. */
const MAX_QUEUE_PAGES = 20;

async function readQueue(
  deps: SettlementDeps,
  status: 'OPEN' | 'ESCALATED',
): Promise<{ items: SettlementException[]; truncated: boolean }> {
  const items: SettlementException[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_QUEUE_PAGES; page++) {
    const res: Page<SettlementException> = await deps.store.listExceptionsByStatus(
      status,
      cursor === undefined ? { limit: 100 } : { limit: 100, cursor },
    );
    items.push(...res.items);
    cursor = res.cursor;
    if (cursor === undefined) return { items, truncated: false };
  }
  return { items, truncated: true };
}

export const listOpenExceptions = defineTool({
  name: 'list_open_exceptions',
  description:
    'Open settlement exceptions (breaks) the asker may see, soonest SLA deadline first, filtered by ' +
    'type, reason code, desk, trade date, minimum age and SLA state. Returns the total, counts by ' +
    'type and SLA state, and up to `limit` exceptions with deadlines in UTC and New York time.',
  input: ListOpenExceptionsInput,
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 20,
  auditLevel: 'full',
  async execute(input, ctx) {
    const now = ctx.settlement.now().toISOString();
    let candidates: SettlementException[];
    let truncated = false;
    const scope = deskScope(ctx.principal, input.desk);
    if (scope.kind === 'desks' && scope.desks.length === 0) {
      candidates = [];
    } else {
      // The status queues are sorted by deadline: two indexed reads, never a scan.
      // A trade date filters what the queues hold: open items are few, a whole day is not.
      const [open, escalated] = await Promise.all([
        readQueue(ctx.settlement, 'OPEN'),
        readQueue(ctx.settlement, 'ESCALATED'),
      ]);
      truncated = open.truncated || escalated.truncated;
      candidates = [...open.items, ...escalated.items].filter(
        (e) => input.tradeDate === undefined || e.tradeDate === input.tradeDate,
      );
    }
    const hits = candidates
      .filter(
        (e) =>
          isOpen(e) &&
          mayViewDesk(ctx.principal, e.desk) &&
          (input.desk === undefined || e.desk === input.desk) &&
          (input.type === undefined || e.type === input.type) &&
          (input.reasonCode === undefined || e.reasonCode === input.reasonCode) &&
          (input.minAgeMinutes === undefined || minutesBetween(e.createdAt, now) >= input.minAgeMinutes),
      )
      .map((e) => exceptionRow(e, now))
      .filter((r) => input.slaState === undefined || r.sla === input.slaState);
    const rows = hits.sort(
      (a, b) => a.deadline.utc.localeCompare(b.deadline.utc) || a.exceptionId.localeCompare(b.exceptionId),
    );
    const byType: Partial<Record<SettlementException['type'], number>> = {};
    const bySla: Partial<Record<SlaState, number>> = {};
    for (const r of rows) {
      byType[r.type] = (byType[r.type] ?? 0) + 1;
      bySla[r.sla] = (bySla[r.sla] ?? 0) + 1;
    }
    const shown = rows.slice(0, input.limit);
    const filters: Record<string, string | number> = {};
    for (const key of ['type', 'reasonCode', 'desk', 'tradeDate', 'minAgeMinutes', 'slaState'] as const) {
      const v = input[key];
      if (v !== undefined) filters[key] = v;
    }
    const data: OpenExceptionsData = {
      desks: describeScope(scope),
      filters,
      total: rows.length,
      byType,
      bySla,
      exceptions: shown,
      truncated,
    };
    return { ok: true, data, records: shown.map((r) => ({ kind: 'exception', id: r.exceptionId })) };
  },
});

/** What ops can do about each kind of break; the proposal names match `propose_resolution`. */
export const RESOLUTION_HINTS: Readonly<Record<SettlementException['type'], readonly string[]>> = {
  PRICE: [
    'Check the execution price with the desk; if ours is right, REQUEST_COUNTERPARTY_AMENDMENT.',
    'If our booking is wrong, AMEND_OUR_BOOKING (re-matching then runs on the new version).',
  ],
  QUANTITY: [
    'Confirm the executed quantity (partial fills, allocations) and amend whichever side is wrong.',
    'REQUEST_COUNTERPARTY_AMENDMENT or AMEND_OUR_BOOKING.',
  ],
  CURRENCY: ['A currency break is never within tolerance: one side booked the wrong currency; amend it.'],
  SETTLEMENT_DATE: [
    'Check the settlement cycle and market holidays; amend the side with the wrong date.',
    'ESCALATE_TO_DESK if the counterparty insists on a non-standard date.',
  ],
  NO_COUNTERPARTY_INSTRUCTION: [
    'Chase the counterparty for its confirmation/instruction (REQUEST_COUNTERPARTY_AMENDMENT).',
    'ESCALATE_TO_DESK if it is close to the deadline.',
  ],
  PLACE_OF_SETTLEMENT: [
    'Agree the CSD / place of settlement with the counterparty and amend the wrong side.',
  ],
  COUNTERPARTY: [
    'The record comes from another firm than we booked: check the booking (AMEND_OUR_BOOKING) or the allocation.',
  ],
  AMOUNT: [
    'Compare commission and fees; if the difference is only rounding, ACCEPT_WITHIN_TOLERANCE needs an approver.',
    'Otherwise REQUEST_COUNTERPARTY_AMENDMENT or AMEND_OUR_BOOKING.',
  ],
  SETTLEMENT_TYPE: [
    'One side instructed delivery versus payment, the other free of payment: agree which and amend that side.',
  ],
  DIRECTION: [
    'The counterparty record has the same direction as ours (both buy or both sell): one side has the direction wrong; amend it.',
  ],
  SECURITY: [
    'The counterparty record names another ISIN for the same trade: check the security with the desk and amend the wrong side.',
  ],
  TRADE_DATE: [
    'The counterparty record carries another trade date: check the execution date and amend the wrong side.',
  ],
};

export interface ExplainExceptionData {
  readonly exception: ExceptionRow;
  readonly comparison: {
    /** The field behind this exception; null for a missing counterparty record. */
    readonly field: FieldRow | null;
    /** Every field that was not an exact match, from a fresh comparison with the counterparty record. */
    readonly otherBreaks: readonly FieldRow[];
    readonly confidence: number | null;
    readonly decision: 'AUTO_MATCH' | 'REVIEW' | 'EXCEPTION' | null;
    readonly thresholds: { readonly autoMatch: number; readonly review: number };
  } | null;
  readonly sla: {
    readonly state: SlaState;
    readonly deadline: Instant;
    readonly warnAt: Instant;
    readonly minutesToDeadline: number;
    readonly warnedAt: Instant | null;
    readonly breachedAt: Instant | null;
  };
  readonly resolution: { readonly how: string; readonly by: string; readonly at: Instant } | null;
  readonly couldResolveIt: readonly string[];
}

/** `X|INTERNAL#T-1|price` → `price`. */
function fieldKeyOf(exceptionId: string): string {
  return exceptionId.slice(exceptionId.lastIndexOf('|') + 1);
}

export const explainException = defineTool({
  name: 'explain_exception',
  description:
    'Explains one exception by id (X|INTERNAL#T-…|field): the field comparison behind it (ours, ' +
    'theirs, tolerance), the SLA status and deadline, and what could resolve it.',
  input: z
    .object({
      exceptionId: z.string().trim().min(3).max(200).describe('Exception id, e.g. X|INTERNAL#T-10042|price.'),
    })
    .strict(),
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 30,
  auditLevel: 'full',
  async execute({ exceptionId }, ctx) {
    const { store } = ctx.settlement;
    const e = await store.getException(exceptionId);
    if (e === undefined || !mayViewDesk(ctx.principal, e.desk))
      return notFoundOrNotPermitted('exception', exceptionId);
    const now = ctx.settlement.now().toISOString();
    const records: RecordRef[] = [
      { kind: 'exception', id: e.exceptionId },
      { kind: 'trade', id: e.tradeRef },
    ];
    const [internal, counterparty] = await store
      .getTrades(e.counterpartyRef === undefined ? [e.tradeRef] : [e.tradeRef, e.counterpartyRef])
      .then((ts) => [ts.find((t) => t.source === 'INTERNAL'), ts.find((t) => t.source === 'COUNTERPARTY')]);
    const comparison = compare(
      internal,
      counterparty,
      ctx.principal,
      ctx.settlement,
      fieldKeyOf(e.exceptionId),
    );
    if (counterparty !== undefined && comparison !== null)
      records.push({ kind: 'trade', id: tradeRef(counterparty) });
    const data: ExplainExceptionData = {
      exception: exceptionRow(e, now),
      comparison,
      sla: {
        state: exceptionRow(e, now).sla,
        deadline: instant(e.slaDeadline),
        warnAt: instant(e.slaWarnAt),
        minutesToDeadline: minutesBetween(now, e.slaDeadline),
        warnedAt: e.warnedAt === undefined ? null : instant(e.warnedAt),
        breachedAt: e.breachedAt === undefined ? null : instant(e.breachedAt),
      },
      resolution:
        e.resolution === undefined
          ? null
          : { how: e.resolution.how, by: e.resolution.by, at: instant(e.resolution.at) },
      couldResolveIt: isOpen(e) ? RESOLUTION_HINTS[e.type] : [],
    };
    return { ok: true, data, records };
  },
});

function compare(
  internal: Trade | undefined,
  counterparty: Trade | undefined,
  principal: Principal,
  deps: SettlementDeps,
  key: string,
): ExplainExceptionData['comparison'] {
  const thresholds = {
    autoMatch: deps.matching.thresholds.autoMatch,
    review: deps.matching.thresholds.review,
  };
  if (internal === undefined || counterparty === undefined || !mayViewDesk(principal, counterparty.desk)) {
    return key === 'CMIS' || internal === undefined
      ? null
      : { field: null, otherBreaks: [], confidence: null, decision: null, thresholds };
  }
  const c = compareTrades(internal, counterparty, deps.matching, deps.calendars);
  const field = c.fields.find((f) => f.field === key);
  return {
    field: field === undefined ? null : fieldRow(field),
    otherBreaks: c.fields.filter((f) => f.outcome !== 'EXACT' && f.field !== key).map(fieldRow),
    confidence: c.confidence,
    decision: decisionKind(c.confidence, false, deps.matching.thresholds),
    thresholds,
  };
}
