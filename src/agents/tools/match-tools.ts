import { z } from 'zod';
import { mayViewDesk } from '../../identity/index.ts';
import type { FieldResult, Match, Trade } from '../../settlement/index.ts';
import {
  compareTrades,
  decisionKind,
  exceptionsOfTrade,
  type MatchingThresholds,
  matchTrade,
  tradeRef,
  tradeRefsOf,
} from '../../settlement/index.ts';
import { defineTool, fields } from './define-tool.ts';
import { notFoundOrNotPermitted } from './entitlements.ts';
import { type Instant, instant, minutesBetween } from './time.ts';
import type { RecordRef, ToolContext } from './tool.ts';
import { type FieldRow, fieldRow, idOfRef } from './views.ts';

export interface DecisionRule {
  readonly autoMatch: number;
  readonly review: number;
  readonly candidateFloor: number;
  readonly ambiguityMargin: number;
  readonly text: string;
}

export function decisionRule(t: MatchingThresholds): DecisionRule {
  return {
    autoMatch: t.autoMatch,
    review: t.review,
    candidateFloor: t.candidateFloor,
    ambiguityMargin: t.ambiguityMargin,
    text:
      `confidence = 100 − the sum of the field penalties; ≥ ${t.autoMatch} and unambiguous: auto-match; ` +
      `${t.review} to ${t.autoMatch - 1} (or ambiguous): human review; below ${t.review}: exception ` +
      `(below ${t.candidateFloor} the record is not considered a candidate at all).`,
  };
}

export interface ExplainMatchData {
  readonly tradeId: string | null;
  readonly tradeStatus: Trade['status'] | null;
  readonly matchId: string | null;
  /** The stored match's status, or NOT_MATCHED when explained from a fresh comparison or not comparable. */
  readonly status: Match['status'] | 'NOT_MATCHED';
  readonly internalTradeId: string | null;
  readonly counterpartyTradeId: string | null;
  readonly confidence: number | null;
  /** Where the field results come from. */
  readonly basis:
    | 'stored match'
    | 'fresh comparison with the counterparty record behind the exceptions'
    | 'none';
  readonly fields: readonly FieldRow[];
  readonly decision: 'AUTO_MATCH' | 'REVIEW' | 'EXCEPTION' | null;
  /** The other equally good candidates the asker may see (why the match waits for a human). */
  readonly ambiguousWith: readonly AmbiguousCandidate[];
  /** Equally good candidates on desks the asker may not see: counted, never named. */
  readonly ambiguousOutsideYourDesks: number;
  readonly decided: { readonly by: string; readonly at: Instant; readonly reason: string | null } | null;
  readonly decisionRule: DecisionRule;
  /** Set when nothing could be compared (e.g. no counterparty record yet). */
  readonly note: string | null;
}

const ExplainMatchInput = z
  .object({
    tradeId: fields.tradeId.optional(),
    matchId: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .optional()
      .describe('Match id, e.g. M|INTERNAL#T-10042@2|COUNTERPARTY#C-GSCM-000123@1.'),
  })
  .strict()
  .refine((i) => (i.tradeId === undefined) !== (i.matchId === undefined), {
    message: 'give exactly one of tradeId or matchId',
  });

export interface AmbiguousCandidate {
  readonly tradeId: string;
  /**
   * `our booking`: another of our trades as good for the same record (a possible duplicate booking);
   * `counterparty record`: another record as good for our trade.
   */
  readonly kind: 'our booking' | 'counterparty record';
}

/** The match's equally good rivals, split into those the asker may see and a count of the rest. */
async function rivalsOf(
  ctx: ToolContext,
  m: Match,
): Promise<Pick<ExplainMatchData, 'ambiguousWith' | 'ambiguousOutsideYourDesks'>> {
  const refs = m.ambiguousWith ?? [];
  if (refs.length === 0) return { ambiguousWith: [], ambiguousOutsideYourDesks: 0 };
  const found = new Map(
    (await ctx.settlement.store.getTrades(refs)).map((t) => [`${t.source}#${t.tradeId}`, t]),
  );
  const visible: AmbiguousCandidate[] = [];
  for (const ref of refs) {
    const t = found.get(ref);
    if (t === undefined || !mayViewDesk(ctx.principal, t.desk)) continue;
    visible.push({
      tradeId: t.tradeId,
      kind: t.source === 'INTERNAL' ? 'our booking' : 'counterparty record',
    });
  }
  return { ambiguousWith: visible, ambiguousOutsideYourDesks: refs.length - visible.length };
}

async function fromMatch(
  ctx: ToolContext,
  m: Match,
  t: MatchingThresholds,
  trade: Trade | undefined,
): Promise<ExplainMatchData> {
  return {
    tradeId: trade?.tradeId ?? idOfRef(m.internalRef),
    tradeStatus: trade?.status ?? null,
    matchId: m.matchId,
    status: m.status,
    internalTradeId: idOfRef(m.internalRef),
    counterpartyTradeId: idOfRef(m.counterpartyRef),
    confidence: m.confidence,
    basis: 'stored match',
    fields: m.fields.map(fieldRow),
    decision: decisionKind(m.confidence, (m.ambiguousWith ?? []).length > 0, t),
    ...(await rivalsOf(ctx, m)),
    decided:
      m.decision === undefined
        ? null
        : { by: m.decision.by, at: instant(m.decision.at), reason: m.decision.reason ?? null },
    decisionRule: decisionRule(t),
    note: null,
  };
}

async function visibleTrade(ctx: ToolContext, tradeId: string): Promise<Trade | undefined> {
  const found = await ctx.settlement.store.getTrades([...tradeRefsOf(tradeId)]);
  const visible = found.filter((t) => mayViewDesk(ctx.principal, t.desk));
  return visible.find((t) => t.source === 'INTERNAL') ?? visible[0];
}

export const explainMatch = defineTool({
  name: 'explain_match',
  description:
    'Explains a match or a break field by field for a trade id or a match id: ours, theirs, ' +
    'tolerance, outcome, reason code and penalty per field, the confidence and the decision rule ' +
    '(auto-match / review / exception thresholds). For an unmatched trade with exceptions it compares ' +
    'afresh with the counterparty record behind them.',
  input: ExplainMatchInput,
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 30,
  auditLevel: 'full',
  async execute(input, ctx) {
    const { store, matching, calendars } = ctx.settlement;
    const t = matching.thresholds;
    if (input.matchId !== undefined) {
      const m = await store.getMatch(input.matchId);
      if (m === undefined || !mayViewDesk(ctx.principal, m.desk))
        return notFoundOrNotPermitted('match', input.matchId);
      const data = await fromMatch(ctx, m, t, undefined);
      return { ok: true, data, records: [{ kind: 'match', id: m.matchId }] };
    }
    const tradeId = input.tradeId ?? '';
    const trade = await visibleTrade(ctx, tradeId);
    if (trade === undefined) return notFoundOrNotPermitted('trade', tradeId);
    const ref = `${trade.source}#${trade.tradeId}`;
    const records: RecordRef[] = [{ kind: 'trade', id: ref }];
    const stored = trade.matchId === undefined ? undefined : await store.getMatch(trade.matchId);
    if (stored !== undefined && mayViewDesk(ctx.principal, stored.desk)) {
      records.push({ kind: 'match', id: stored.matchId });
      return { ok: true, data: await fromMatch(ctx, stored, t, trade), records };
    }
    const empty: ExplainMatchData = {
      tradeId: trade.tradeId,
      tradeStatus: trade.status,
      matchId: null,
      status: 'NOT_MATCHED',
      internalTradeId: trade.source === 'INTERNAL' ? trade.tradeId : null,
      counterpartyTradeId: trade.source === 'COUNTERPARTY' ? trade.tradeId : null,
      confidence: null,
      basis: 'none',
      fields: [],
      decision: null,
      ambiguousWith: [],
      ambiguousOutsideYourDesks: 0,
      decided: null,
      decisionRule: decisionRule(t),
      note: 'No counterparty record has been paired with this trade, so there is nothing to compare field by field.',
    };
    if (trade.source !== 'INTERNAL') return { ok: true, data: empty, records };
    const exceptions = await exceptionsOfTrade(store, trade);
    const cpRef = exceptions.find((e) => e.counterpartyRef !== undefined)?.counterpartyRef;
    const cp = cpRef === undefined ? undefined : await store.getTrade(cpRef);
    if (cp === undefined || !mayViewDesk(ctx.principal, cp.desk)) return { ok: true, data: empty, records };
    const c = compareTrades(trade, cp, matching, calendars);
    records.push({ kind: 'trade', id: tradeRef(cp) });
    for (const e of exceptions) records.push({ kind: 'exception', id: e.exceptionId });
    const data: ExplainMatchData = {
      ...empty,
      counterpartyTradeId: cp.tradeId,
      confidence: c.confidence,
      basis: 'fresh comparison with the counterparty record behind the exceptions',
      fields: c.fields.map(fieldRow),
      decision: decisionKind(c.confidence, false, t),
      note: null,
    };
    return { ok: true, data, records };
  },
});

export interface PendingReviewRow {
  readonly matchId: string;
  readonly internalTradeId: string;
  readonly counterpartyTradeId: string;
  readonly confidence: number;
  readonly desk: string;
  readonly tradeDate: string;
  readonly waitingSince: Instant;
  readonly waitingMinutes: number;
  readonly ambiguous: boolean;
  readonly nonExactFields: readonly Pick<FieldResult, 'field' | 'outcome' | 'ours' | 'theirs'>[];
}

export interface PendingReviewsData {
  readonly total: number;
  readonly reviews: readonly PendingReviewRow[];
  readonly truncated: boolean;
  /** How a review is decided: never by the agent. */
  readonly howToDecide: string;
}

const MAX_REVIEW_PAGES = 10;

export const listPendingReviews = defineTool({
  name: 'list_pending_reviews',
  description:
    'Matches waiting for a human decision (confidence between the review and auto-match thresholds, ' +
    'or ambiguous), oldest first, optionally for one desk. Approve/Reject is done by an approver on ' +
    'the Slack review message, not by this assistant.',
  input: z.object({ desk: fields.desk.optional(), limit: fields.limit(50, 20) }).strict(),
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 20,
  auditLevel: 'full',
  async execute(input, ctx) {
    const now = ctx.settlement.now().toISOString();
    const all: Match[] = [];
    let cursor: string | undefined;
    let truncated = true;
    for (let page = 0; page < MAX_REVIEW_PAGES; page++) {
      const res = await ctx.settlement.store.listPendingReviews(
        cursor === undefined ? { limit: 100 } : { limit: 100, cursor },
      );
      all.push(...res.items);
      cursor = res.cursor;
      if (cursor === undefined) {
        truncated = false;
        break;
      }
    }
    const hits = all.filter(
      (m) =>
        m.status === 'PENDING_REVIEW' &&
        mayViewDesk(ctx.principal, m.desk) &&
        (input.desk === undefined || m.desk === input.desk),
    );
    const shown = hits.slice(0, input.limit);
    const data: PendingReviewsData = {
      total: hits.length,
      truncated,
      reviews: shown.map((m) => ({
        matchId: m.matchId,
        internalTradeId: idOfRef(m.internalRef),
        counterpartyTradeId: idOfRef(m.counterpartyRef),
        confidence: m.confidence,
        desk: m.desk,
        tradeDate: m.tradeDate,
        waitingSince: instant(m.createdAt),
        waitingMinutes: Math.max(0, minutesBetween(m.createdAt, now)),
        ambiguous: (m.ambiguousWith ?? []).length > 0,
        nonExactFields: m.fields
          .filter((f) => f.outcome !== 'EXACT')
          .map((f) => ({ field: f.field, outcome: f.outcome, ours: f.ours, theirs: f.theirs })),
      })),
      howToDecide:
        'An approver decides each one with Approve/Reject on its Slack review message (four eyes).',
    };
    return { ok: true, data, records: shown.map((m) => ({ kind: 'review', id: m.matchId })) };
  },
});

export interface RerunMatchingData {
  readonly tradeId: string;
  readonly outcome: string;
  readonly matchId: string | null;
  readonly confidence: number | null;
  readonly exceptionIds: readonly string[];
  readonly explanation: string;
}

export const rerunMatching = defineTool({
  name: 'rerun_matching',
  description:
    'Re-runs the deterministic matching service for one trade (approver role). The matching ' +
    'service, not the assistant, decides: auto-match, review, exception or no candidate. Use after ' +
    'a counterparty has re-sent a record or a booking was corrected.',
  input: z.object({ tradeId: fields.tradeId }).strict(),
  risk: 'write',
  requiredRole: 'approver',
  sessionCallCap: 5,
  auditLevel: 'full',
  async execute({ tradeId }, ctx) {
    const trade = await visibleTrade(ctx, tradeId);
    if (trade === undefined) return notFoundOrNotPermitted('trade', tradeId);
    const ref = `${trade.source}#${trade.tradeId}`;
    const outcome = await matchTrade(ctx.settlement, ref, { force: true });
    const records: RecordRef[] = [{ kind: 'trade', id: ref }];
    let data: RerunMatchingData;
    const base = { tradeId: trade.tradeId, outcome: outcome.kind };
    switch (outcome.kind) {
      case 'AUTO_MATCHED':
      case 'PENDING_REVIEW':
        records.push({ kind: 'match', id: outcome.matchId });
        data = {
          ...base,
          matchId: outcome.matchId,
          confidence: outcome.confidence,
          exceptionIds: [],
          explanation:
            outcome.kind === 'AUTO_MATCHED'
              ? `Matched automatically with confidence ${outcome.confidence}.`
              : `Paired with confidence ${outcome.confidence}; waiting for an approver's decision.`,
        };
        break;
      case 'EXCEPTION':
        for (const id of outcome.exceptionIds) records.push({ kind: 'exception', id });
        data = {
          ...base,
          matchId: null,
          confidence: outcome.confidence,
          exceptionIds: outcome.exceptionIds,
          explanation: `Still breaks (confidence ${outcome.confidence}); exceptions: ${outcome.exceptionIds.join(', ')}.`,
        };
        break;
      case 'NOT_OPEN':
        data = {
          ...base,
          matchId: trade.matchId ?? null,
          confidence: null,
          exceptionIds: [],
          explanation: `Nothing to do: the trade is ${outcome.status}.`,
        };
        break;
      case 'NO_CANDIDATE':
        data = {
          ...base,
          matchId: null,
          confidence: null,
          exceptionIds: [],
          explanation: 'No counterparty record to pair with yet.',
        };
        break;
      default:
        data = {
          ...base,
          matchId: null,
          confidence: null,
          exceptionIds: [],
          explanation:
            outcome.kind === 'CONFLICT'
              ? 'Other changes to this trade kept winning the race; it is safe to run again.'
              : `Outcome ${outcome.kind}.`,
        };
    }
    return { ok: true, data, records };
  },
});
