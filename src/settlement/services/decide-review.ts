import { actorProblem, normalisePrincipalId } from '../actor.ts';
import { classifyBreaks } from '../exceptions.ts';
import { type Decision, type Match, ReviewReason, type Trade } from '../model.ts';
import { ChangeSet } from '../store/change-set.ts';
import { MAX_ATTEMPTS, nowIso, type SettlementDeps } from './deps.ts';
import { exceptionsOfTrade, syncExceptions } from './exception-sync.ts';
import {
  endInstruction,
  instructionAudit,
  instructionFor,
  issueInstruction,
} from './instruction-lifecycle.ts';
import { exceptionsAlert } from './match-plan.ts';
import { type MatchTally, matchMany } from './match-trade.ts';

export interface ReviewDecisionRequest {
  readonly matchId: string;
  readonly decision: 'APPROVE' | 'REJECT';
  /** The deciding principal's id, canonicalised here; the `ApprovalGate` decides whether they may. */
  readonly principalId: string;
  /** At most 500 characters (`MAX_REVIEW_REASON_LENGTH`), no control characters. */
  readonly reason?: string;
}

/** Why a principal may not decide a match. */
export type ApprovalCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** Not in the directory (or removed), not an approver, not holding the desk, or a maker. */
      readonly reason: 'UNKNOWN_APPROVER' | 'NOT_APPROVER' | 'DESK_NOT_HELD' | 'MAKER';
      readonly message: string;
    };

/**
 * Who may decide a match: the identity layer's answer (the principal directory and the four-eyes rule,
 * `src/identity/approval-gate.ts`). A port, so the settlement core does not depend on identity.
 */
export interface ApprovalGate {
  check(principalId: string, match: Match, trades: readonly Trade[]): Promise<ApprovalCheck>;
}

export type ReviewDecisionOutcome =
  | {
      readonly kind: 'DECIDED';
      readonly match: Match;
      /**
       * After a rejection: what matching both trades again against their other candidates gave, or
       * why that failed (the decision stands either way; see `rematch`).
       */
      readonly rematched?: MatchTally | { readonly failed: string };
    }
  | { readonly kind: 'NOT_FOUND' }
  /** Somebody decided first (or the match was superseded): nothing changed. */
  | { readonly kind: 'ALREADY_DECIDED'; readonly match: Match }
  /** Four eyes: the decider booked or changed an economic field of one of the trades (a maker). */
  | { readonly kind: 'SAME_PERSON'; readonly match: Match; readonly message: string }
  /** The directory does not know the decider (or they were removed): nothing changed. */
  | { readonly kind: 'UNKNOWN_APPROVER'; readonly principalId: string }
  /** Known, but not an approver or not holding the desk: nothing changed. */
  | {
      readonly kind: 'NOT_ENTITLED';
      readonly reason: 'NOT_APPROVER' | 'DESK_NOT_HELD';
      readonly message: string;
    }
  /** The request itself is refused (a principal id or reason out of bounds): nothing read or written. */
  | { readonly kind: 'INVALID'; readonly field: 'principalId' | 'reason'; readonly problem: string }
  | { readonly kind: 'CONFLICT' };

/** Why a review request cannot be taken as it is, or undefined: for boundaries to check before calling. */
export function reviewRequestProblem(
  req: Pick<ReviewDecisionRequest, 'principalId' | 'reason'>,
): { field: 'principalId' | 'reason'; problem: string } | undefined {
  const actor = actorProblem(`principal:${normalisePrincipalId(req.principalId)}`);
  if (actor !== undefined) return { field: 'principalId', problem: actor.replace(/^principal id /, '') };
  if (req.reason !== undefined) {
    const parsed = ReviewReason.safeParse(req.reason);
    if (!parsed.success)
      return { field: 'reason', problem: parsed.error.issues.map((i) => i.message).join('; ') };
  }
  return undefined;
}

/**
 * Approves or rejects a match waiting for review, exactly once. The decision, both trades, the
 * settlement instruction or the exceptions, the audit records and the alert update are one
 * transaction conditional on the match still being PENDING_REVIEW at the version read, so of two
 * concurrent decisions exactly one wins and the other is told who decided.
 */
export async function decideReview(
  deps: SettlementDeps,
  req: ReviewDecisionRequest,
  approvals: ApprovalGate,
): Promise<ReviewDecisionOutcome> {
  // Bounds first: nothing out of bounds may reach the store (a 501-character reason once made every
  // report of its day fail to read).
  const invalid = reviewRequestProblem(req);
  if (invalid !== undefined) return { kind: 'INVALID', ...invalid };
  const principalId = normalisePrincipalId(req.principalId);
  const actor = `principal:${principalId}`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const match = await deps.store.getMatch(req.matchId);
    if (match === undefined) return { kind: 'NOT_FOUND' };
    const [internal, counterparty] = await Promise.all([
      deps.store.getTrade(match.internalRef),
      deps.store.getTrade(match.counterpartyRef),
    ]);
    if (internal === undefined || counterparty === undefined) return { kind: 'CONFLICT' };
    const allowed = await approvals.check(principalId, match, [internal, counterparty]);
    if (!allowed.ok) {
      switch (allowed.reason) {
        case 'UNKNOWN_APPROVER':
          return { kind: 'UNKNOWN_APPROVER', principalId };
        case 'MAKER':
          return { kind: 'SAME_PERSON', match, message: allowed.message };
        default:
          return { kind: 'NOT_ENTITLED', reason: allowed.reason, message: allowed.message };
      }
    }
    if (match.status !== 'PENDING_REVIEW') return { kind: 'ALREADY_DECIDED', match };

    const at = nowIso(deps);
    const decision: Decision = { by: actor, at, ...(req.reason === undefined ? {} : { reason: req.reason }) };
    const approve = req.decision === 'APPROVE';
    const cs = new ChangeSet();
    const instruction = approve ? instructionFor(match.matchId, internal, at, deps.calendars) : undefined;
    const decided = cs.update(
      'match',
      match,
      { ...match, status: approve ? 'APPROVED' : 'REJECTED', decision },
      {
        action: approve ? 'APPROVED' : 'REJECTED',
        actor,
        details: {
          confidence: match.confidence,
          ...(req.reason === undefined ? {} : { reason: req.reason }),
          ...instructionAudit(instruction),
        },
        at,
      },
    );
    if (instruction !== undefined) {
      const instructionId = issueInstruction(cs, instruction, internal, actor, at);
      for (const t of [internal, counterparty]) {
        cs.update(
          'trade',
          t,
          { ...t, status: 'MATCHED', ...(t === internal ? { instructionId } : {}), updatedAt: at },
          {
            action: 'MATCHED',
            actor,
            details: { matchId: match.matchId, approvedBy: actor },
            at,
          },
        );
      }
    } else {
      // The pair is never proposed again. The internal trade's breaks become exceptions for ops; a
      // pair without breaks (held only because another trade was as good) has none, and its
      // internal trade waits, unmatched, for its own record. Both trades are offered again to
      // their other candidates (`rematch`).
      const breaks = classifyBreaks(match.fields).filter((d) => d.autoResolvedBy === undefined);
      // A rejected match leaves no live instruction behind (one under review never has one; a
      // trade naming one from an earlier match would keep a second live one for the same shares).
      const { matchId: _i, instructionId: live, ...internalRest } = internal;
      if (live !== undefined) {
        endInstruction(
          cs,
          { instructionId: live, tradeRef: match.internalRef, desk: internal.desk },
          { at, by: actor, reason: 'MATCH_REJECTED' },
        );
      }
      const { matchId: _c, ...counterpartyRest } = counterparty;
      const nextInternal = cs.update(
        'trade',
        internal,
        {
          ...internalRest,
          ...(breaks.length > 0
            ? { status: 'EXCEPTION', hasExceptions: true, needsMatching: false }
            : { status: 'UNMATCHED', needsMatching: true }),
          rejectedCandidates: [...(internal.rejectedCandidates ?? []), match.counterpartyRef],
          updatedAt: at,
        },
        { action: 'REVIEW_REJECTED', actor, details: { matchId: match.matchId }, at },
      );
      cs.update(
        'trade',
        counterparty,
        {
          ...counterpartyRest,
          status: 'UNMATCHED',
          needsMatching: true,
          rejectedCandidates: [...(counterparty.rejectedCandidates ?? []), match.internalRef],
          updatedAt: at,
        },
        { action: 'REVIEW_REJECTED', actor, details: { matchId: match.matchId }, at },
      );
      if (breaks.length > 0) {
        const { escalated } = syncExceptions(cs, deps, {
          internal,
          counterpartyRef: match.counterpartyRef,
          drafts: breaks,
          existing: await exceptionsOfTrade(deps.store, internal),
          resolveOthersAs: undefined,
          actor,
          at,
        });
        if (escalated.length > 0) cs.outbox(exceptionsAlert(nextInternal, escalated, at));
      }
    }
    cs.outbox({
      outboxId: `OB|DECIDED|${match.matchId}`,
      kind: 'REVIEW_DECIDED',
      entityId: match.matchId,
      desk: match.desk,
      payload: { matchId: match.matchId, status: decided.status, by: actor, at, reason: req.reason ?? null },
      createdAt: at,
      status: 'PENDING',
    });
    if (!(await deps.store.commit(cs)).ok) continue;
    if (approve) return { kind: 'DECIDED', match: decided };
    return { kind: 'DECIDED', match: decided, rematched: await rematch(deps, match) };
  }
  return { kind: 'CONFLICT' };
}

/**
 * After a rejection, the record (and our trade, if it waits unmatched) are matched again against
 * their other candidates — the rejected pair excluded — so that a record held back by an equally good
 * duplicate booking meets the right booking now, not at its deadline as a false CMIS. The decision is
 * already committed: if this fails, both trades keep `needsMatching` and the SLA sweeper matches them
 * before it would raise CMIS.
 */
async function rematch(deps: SettlementDeps, match: Match): Promise<MatchTally | { failed: string }> {
  try {
    return await matchMany(deps, [match.counterpartyRef, match.internalRef], { concurrency: 1 });
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) };
  }
}
