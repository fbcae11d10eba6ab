import { classifyBreaks } from '../exceptions.ts';
import type { Decision, Match } from '../model.ts';
import { ChangeSet } from '../store/change-set.ts';
import { MAX_ATTEMPTS, nowIso, type SettlementDeps } from './deps.ts';
import { exceptionsOfTrade, syncExceptions } from './exception-sync.ts';
import { endInstruction, issueInstruction } from './instruction-lifecycle.ts';
import { exceptionsAlert } from './match-plan.ts';
import { type MatchTally, matchMany } from './match-trade.ts';

export interface ReviewDecisionRequest {
  readonly matchId: string;
  readonly decision: 'APPROVE' | 'REJECT';
  /** The deciding principal's id (authorisation — role and desk — is checked by the caller's identity layer). */
  readonly principalId: string;
  readonly reason?: string;
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
  /** Four eyes: the decider booked or last amended one of the trades. */
  | { readonly kind: 'SAME_PERSON'; readonly match: Match }
  | { readonly kind: 'CONFLICT' };

/**
 * Approves or rejects a match waiting for review, exactly once. The decision, both trades, the
 * settlement instruction or the exceptions, the audit records and the alert update are one
 * transaction conditional on the match still being PENDING_REVIEW at the version read, so of two
 * concurrent decisions exactly one wins and the other is told who decided.
 */
export async function decideReview(
  deps: SettlementDeps,
  req: ReviewDecisionRequest,
): Promise<ReviewDecisionOutcome> {
  const actor = `principal:${req.principalId}`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const match = await deps.store.getMatch(req.matchId);
    if (match === undefined) return { kind: 'NOT_FOUND' };
    if (match.status !== 'PENDING_REVIEW') return { kind: 'ALREADY_DECIDED', match };
    const [internal, counterparty] = await Promise.all([
      deps.store.getTrade(match.internalRef),
      deps.store.getTrade(match.counterpartyRef),
    ]);
    if (internal === undefined || counterparty === undefined) return { kind: 'CONFLICT' };
    if (internal.lastChangedBy === actor || counterparty.lastChangedBy === actor)
      return { kind: 'SAME_PERSON', match };

    const at = nowIso(deps);
    const decision: Decision = { by: actor, at, ...(req.reason === undefined ? {} : { reason: req.reason }) };
    const approve = req.decision === 'APPROVE';
    const cs = new ChangeSet();
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
        },
        at,
      },
    );
    if (approve) {
      const instructionId = issueInstruction(cs, match.matchId, internal, actor, at);
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
