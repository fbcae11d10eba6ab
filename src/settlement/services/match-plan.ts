import { classifyBreaks, exceptionIdFor } from '../exceptions.ts';
import { confidencesAgainst, decide, lazilyScored, type MatchDecision } from '../matching/index.ts';
import { reviewReasons } from '../matching/review-gate.ts';
import type { FieldResult, Match, OutboxRecord, SettlementException, Trade } from '../model.ts';
import { ChangeSet } from '../store/change-set.ts';
import { isCandidate } from '../store/items.ts';
import { type SettlementDeps, SYSTEM } from './deps.ts';
import { syncExceptions } from './exception-sync.ts';
import { instructionAudit, instructionFor, issueInstruction } from './instruction-lifecycle.ts';

export { instructionAudit, instructionFor } from './instruction-lifecycle.ts';

export type MatchOutcome =
  | { readonly kind: 'NOT_FOUND'; readonly ref: string }
  /** Already matched or waiting for a reviewer: nothing to do. */
  | { readonly kind: 'NOT_OPEN'; readonly ref: string; readonly status: Trade['status'] }
  /** Matching already ran on this version of the trade. */
  | { readonly kind: 'UP_TO_DATE'; readonly ref: string }
  | {
      readonly kind: 'AUTO_MATCHED';
      readonly ref: string;
      readonly matchId: string;
      readonly confidence: number;
    }
  | {
      readonly kind: 'PENDING_REVIEW';
      readonly ref: string;
      readonly matchId: string;
      readonly confidence: number;
    }
  | {
      readonly kind: 'EXCEPTION';
      readonly ref: string;
      readonly exceptionIds: readonly string[];
      readonly confidence: number;
    }
  | { readonly kind: 'NO_CANDIDATE'; readonly ref: string }
  /** Lost the race MAX_ATTEMPTS times in a row (heavy contention); safe to run again. */
  | { readonly kind: 'CONFLICT'; readonly ref: string };

export type MatchOutcomeKind = MatchOutcome['kind'];

/**
 * What matching one trade decides and writes, computed from what was read (the trade, its
 * candidates, the internal trade's exceptions) without I/O, so the same plan serves a single
 * trade and a batch of trades committed together.
 */
export interface MatchPlan {
  readonly changes: ChangeSet;
  readonly outcome: MatchOutcome;
  /** The new versions of the trades the plan writes. */
  readonly trades: readonly Trade[];
  /** The new versions of the exceptions the plan writes. */
  readonly exceptions: readonly SettlementException[];
  /**
   * A counterparty record that only breaks against an internal trade: the break is judged from that
   * internal trade's side (where all its candidates are weighed), so match this ref next with force.
   */
  readonly judgeFrom?: string;
}

export function tradeRefOf(t: Pick<Trade, 'source' | 'tradeId'>): string {
  return `${t.source}#${t.tradeId}`;
}

/** Match id: the pair and the versions compared, so a re-run never creates a second match for them. */
export function matchIdFor(internal: Trade, counterparty: Trade): string {
  return `M|${tradeRefOf(internal)}@${internal.version}|${tradeRefOf(counterparty)}@${counterparty.version}`;
}

export function isRejectedPair(a: Trade, b: Trade): boolean {
  return (
    (a.rejectedCandidates ?? []).includes(tradeRefOf(b)) ||
    (b.rejectedCandidates ?? []).includes(tradeRefOf(a))
  );
}

/**
 * The other open trades of `trade`'s own block that are as good for `chosen` as `trade` is (within the
 * ambiguity margin), by confidence then ref. Two bookings equally good for one record (a duplicate
 * booking, or a record sent twice) are never settled by auto-matching whichever arrived first: the
 * pair goes to review naming the rival — the one-to-one rule of `matchBatch`, in any arrival order.
 */
function rivalsFor(
  deps: Pick<SettlementDeps, 'matching' | 'calendars'>,
  trade: Trade,
  chosen: Trade,
  confidence: number,
  peers: readonly Trade[],
): string[] {
  const ref = tradeRefOf(trade);
  const margin = deps.matching.thresholds.ambiguityMargin;
  const open = peers.filter(
    (peer) => tradeRefOf(peer) !== ref && isCandidate(peer) && !isRejectedPair(peer, chosen),
  );
  const scores = confidencesAgainst(chosen, open, deps.matching, deps.calendars);
  const rivals: Array<{ ref: string; confidence: number }> = [];
  open.forEach((peer, i) => {
    const c = scores[i] as number;
    if (confidence - c <= margin) rivals.push({ ref: tradeRefOf(peer), confidence: c });
  });
  rivals.sort((a, b) => b.confidence - a.confidence || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  return rivals.map((r) => r.ref);
}

function orient(a: Trade, b: Trade): [internal: Trade, counterparty: Trade] {
  return a.source === 'INTERNAL' ? [a, b] : [b, a];
}

/**
 * Level 2 and the decision for one trade against the candidates of its level-1 block.
 * `peers` are the open trades of the trade's own block (it may be among them): an auto-match stands
 * only if none of them is as good for the chosen candidate (`rivalsFor`).
 * `exceptionsOf` returns the recorded exceptions of an internal trade (empty if it has none).
 */
export function planMatch(
  deps: Pick<SettlementDeps, 'matching' | 'calendars' | 'sla'>,
  trade: Trade,
  candidates: readonly Trade[],
  peers: readonly Trade[],
  exceptionsOf: (internalRef: string) => readonly SettlementException[],
  at: string,
): MatchPlan {
  const ref = tradeRefOf(trade);
  const open = candidates.filter((c) => !isRejectedPair(trade, c));
  const byRef = new Map(open.map((c) => [tradeRefOf(c), c]));
  // Every candidate is weighed; field details are built for the one a decision keeps.
  const confidences = confidencesAgainst(trade, open, deps.matching, deps.calendars);
  const scored = open.map((c, i) => {
    const [internal, counterparty] = orient(trade, c);
    return lazilyScored(
      tradeRefOf(c),
      confidences[i] as number,
      internal,
      counterparty,
      deps.matching,
      deps.calendars,
    );
  });
  const first = decide(scored, deps.matching);
  const other = first.kind === 'NO_CANDIDATE' ? undefined : byRef.get(first.best.ref);
  const rivals =
    first.kind === 'AUTO_MATCH' && other !== undefined
      ? rivalsFor(deps, trade, other, first.best.confidence, peers)
      : [];
  // A pair agreeing on a closed or off-cycle date, or a DVP pair missing its cash leg, is reviewed.
  const gated =
    first.kind === 'AUTO_MATCH' && other !== undefined && rivals.length === 0
      ? reviewReasons(...orient(trade, other), first.best.fields)
      : [];
  const decision: MatchDecision =
    first.kind === 'AUTO_MATCH' && (rivals.length > 0 || gated.length > 0)
      ? { kind: 'REVIEW', best: first.best, ambiguousWith: rivals }
      : first;

  // Nothing is written when there is no counterpart: the trade keeps `needsMatching` and waits
  // in its block, where a counterpart arriving later finds it.
  const nothing = { changes: new ChangeSet(), trades: [], exceptions: [] };
  if (decision.kind === 'NO_CANDIDATE' || other === undefined)
    return { ...nothing, outcome: { kind: 'NO_CANDIDATE', ref } };
  if (decision.kind === 'EXCEPTION' && trade.source === 'COUNTERPARTY') {
    return { ...nothing, outcome: { kind: 'NO_CANDIDATE', ref }, judgeFrom: decision.best.ref };
  }

  const [internal, counterparty] = orient(trade, other);
  const internalRef = tradeRefOf(internal);
  const existing = exceptionsOf(internalRef);
  const best = decision.best;
  const drafts = classifyBreaks(best.fields);
  const cs = new ChangeSet();

  if (decision.kind === 'EXCEPTION') {
    const synced = syncExceptions(cs, deps, {
      internal,
      counterpartyRef: tradeRefOf(counterparty),
      drafts,
      existing,
      resolveOthersAs: 'superseded by a new comparison',
      actor: SYSTEM.matcher,
      at,
    });
    const nextInternal = cs.update(
      'trade',
      internal,
      { ...internal, status: 'EXCEPTION', needsMatching: false, hasExceptions: true, updatedAt: at },
      {
        action: 'MATCHING_RAN',
        actor: SYSTEM.matcher,
        details: {
          result: 'exception',
          counterparty: tradeRefOf(counterparty),
          confidence: best.confidence,
          breaks: breakSummary(best.fields),
        },
        at,
      },
    );
    const trades = [nextInternal];
    if (counterparty.needsMatching) {
      trades.push(
        cs.update(
          'trade',
          counterparty,
          { ...counterparty, needsMatching: false, updatedAt: at },
          {
            action: 'MATCHING_RAN',
            actor: SYSTEM.matcher,
            details: {
              result: 'exception on internal trade',
              internal: internalRef,
              confidence: best.confidence,
            },
            at,
          },
        ),
      );
    }
    if (synced.escalated.length > 0) cs.outbox(exceptionsAlert(nextInternal, synced.escalated, at));
    return {
      changes: cs,
      trades,
      exceptions: synced.written,
      outcome: {
        kind: 'EXCEPTION',
        ref,
        confidence: best.confidence,
        exceptionIds: drafts.map((d) => exceptionIdFor(internalRef, d.key)),
      },
    };
  }

  const review = decision.kind === 'REVIEW';
  const matchId = matchIdFor(internal, counterparty);
  const match: Omit<Match, 'version' | 'auditHash'> = {
    matchId,
    internalRef,
    counterpartyRef: tradeRefOf(counterparty),
    internalVersion: internal.version,
    counterpartyVersion: counterparty.version,
    confidence: best.confidence,
    fields: best.fields,
    status: review ? 'PENDING_REVIEW' : 'AUTO_MATCHED',
    ...(review && decision.ambiguousWith.length > 0 ? { ambiguousWith: [...decision.ambiguousWith] } : {}),
    ...(gated.length > 0 ? { reviewReasons: gated } : {}),
    desk: internal.desk,
    tradeDate: internal.tradeDate,
    createdAt: at,
  };
  const instruction = review ? undefined : instructionFor(matchId, internal, at, deps.calendars);
  cs.create('match', match, {
    action: review ? 'REVIEW_REQUESTED' : 'AUTO_MATCHED',
    actor: SYSTEM.matcher,
    details: {
      confidence: best.confidence,
      internal: match.internalRef,
      counterparty: match.counterpartyRef,
      ...(gated.length > 0 ? { reviewReasons: gated } : {}),
      ...instructionAudit(instruction),
    },
    at,
  });
  // Rule-explained differences are recorded as auto-resolved exceptions; anything open from an
  // earlier comparison no longer applies.
  const ruled = drafts.filter((d) => d.autoResolvedBy !== undefined);
  const synced = syncExceptions(cs, deps, {
    internal,
    counterpartyRef: tradeRefOf(counterparty),
    drafts: ruled,
    existing,
    resolveOthersAs: review ? 'superseded by a review' : 'matched',
    actor: SYSTEM.matcher,
    at,
  });
  const status = review ? 'PENDING_REVIEW' : 'MATCHED';
  const instructionId =
    instruction === undefined ? undefined : issueInstruction(cs, instruction, internal, SYSTEM.matcher, at);
  const trades = [internal, counterparty].map((t) =>
    cs.update(
      'trade',
      t,
      {
        ...t,
        status,
        matchId,
        needsMatching: false,
        ...(t === internal && ruled.length > 0 ? { hasExceptions: true } : {}),
        ...(t === internal && instructionId !== undefined ? { instructionId } : {}),
        updatedAt: at,
      },
      {
        action: review ? 'REVIEW_REQUESTED' : 'MATCHED',
        actor: SYSTEM.matcher,
        details: { matchId, confidence: best.confidence },
        at,
      },
    ),
  );
  if (review) cs.outbox(reviewAlert(match, internal, counterparty, at));
  return {
    changes: cs,
    trades,
    exceptions: synced.written,
    outcome: { kind: review ? 'PENDING_REVIEW' : 'AUTO_MATCHED', ref, matchId, confidence: best.confidence },
  };
}

function breakSummary(fields: readonly FieldResult[]): string[] {
  return fields
    .filter((f) => f.outcome === 'MISMATCH' || f.outcome === 'PARTIAL')
    .map((f) => `${f.field}:${f.reasonCode ?? ''}`);
}

export function reviewAlert(
  match: Omit<Match, 'version' | 'auditHash'>,
  internal: Trade,
  counterparty: Trade,
  at: string,
): OutboxRecord {
  return {
    outboxId: `OB|REVIEW|${match.matchId}`,
    kind: 'REVIEW_REQUESTED',
    entityId: match.matchId,
    desk: internal.desk,
    payload: {
      matchId: match.matchId,
      confidence: match.confidence,
      internal: tradeRefOf(internal),
      counterparty: tradeRefOf(counterparty),
      isin: internal.isin,
      differences: match.fields.filter((f) => f.outcome !== 'EXACT' && f.outcome !== 'NOT_COMPARED'),
      ambiguousWith: match.ambiguousWith ?? [],
      reviewReasons: match.reviewReasons ?? [],
    },
    createdAt: at,
    status: 'PENDING',
  };
}

export function exceptionsAlert(internal: Trade, exceptionIds: readonly string[], at: string): OutboxRecord {
  return {
    outboxId: `OB|EXC|${tradeRefOf(internal)}|v${internal.version}`,
    kind: 'EXCEPTIONS_RAISED',
    entityId: tradeRefOf(internal),
    desk: internal.desk,
    payload: { tradeRef: tradeRefOf(internal), exceptionIds: [...exceptionIds] },
    createdAt: at,
    status: 'PENDING',
  };
}
