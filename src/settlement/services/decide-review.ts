import { classifyBreaks } from '../exceptions.ts';
import type { Decision, Match } from '../model.ts';
import { ChangeSet } from '../store/change-set.ts';
import { MAX_ATTEMPTS, nowIso, type SettlementDeps } from './deps.ts';
import { exceptionsOfTrade, syncExceptions } from './exception-sync.ts';
import { exceptionsAlert, instructionFor } from './match-plan.ts';

export interface ReviewDecisionRequest {
  readonly matchId: string;
  readonly decision: 'APPROVE' | 'REJECT';
  /** The deciding principal's id (authorisation — role and desk — is checked by the caller's identity layer). */
  readonly principalId: string;
  readonly reason?: string;
}

export type ReviewDecisionOutcome =
  | { readonly kind: 'DECIDED'; readonly match: Match }
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
      for (const t of [internal, counterparty]) {
        cs.update(
          'trade',
          t,
          { ...t, status: 'MATCHED', updatedAt: at },
          {
            action: 'MATCHED',
            actor,
            details: { matchId: match.matchId, approvedBy: actor },
            at,
          },
        );
      }
      cs.instruction(instructionFor(match.matchId, internal, at));
    } else {
      // The pair is never proposed again; the internal trade's breaks become exceptions for ops.
      const { matchId: _i, ...internalRest } = internal;
      const { matchId: _c, ...counterpartyRest } = counterparty;
      const nextInternal = cs.update(
        'trade',
        internal,
        {
          ...internalRest,
          status: 'EXCEPTION',
          hasExceptions: true,
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
          rejectedCandidates: [...(counterparty.rejectedCandidates ?? []), match.internalRef],
          updatedAt: at,
        },
        { action: 'REVIEW_REJECTED', actor, details: { matchId: match.matchId }, at },
      );
      const { escalated } = syncExceptions(cs, deps, {
        internal,
        counterpartyRef: match.counterpartyRef,
        drafts: classifyBreaks(match.fields).filter((d) => d.autoResolvedBy === undefined),
        existing: await exceptionsOfTrade(deps.store, internal),
        resolveOthersAs: undefined,
        actor,
        at,
      });
      if (escalated.length > 0) cs.outbox(exceptionsAlert(nextInternal, escalated, at));
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
    if ((await deps.store.commit(cs)).ok) return { kind: 'DECIDED', match: decided };
  }
  return { kind: 'CONFLICT' };
}
