import { classifyBreaks, exceptionIdFor } from '../exceptions.ts';
import { candidateBlockKey, compareTrades, decide, type MatchDecision } from '../matching/index.ts';
import type { FieldResult, Match, OutboxRecord, SettlementInstruction, Trade } from '../model.ts';
import { ChangeSet } from '../store/change-set.ts';
import { isCandidate } from '../store/items.ts';
import { MAX_ATTEMPTS, nowIso, type SettlementDeps, SYSTEM } from './deps.ts';
import { exceptionsOfTrade, syncExceptions } from './exception-sync.ts';

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

export function tradeRefOf(t: Pick<Trade, 'source' | 'tradeId'>): string {
  return `${t.source}#${t.tradeId}`;
}

/** Match id: the pair and the versions compared, so a re-run never creates a second match for them. */
export function matchIdFor(internal: Trade, counterparty: Trade): string {
  return `M|${tradeRefOf(internal)}@${internal.version}|${tradeRefOf(counterparty)}@${counterparty.version}`;
}

/**
 * Level 1 then level 2 for one trade: candidates from its block, each compared field by field,
 * then the deterministic decision (auto-match, review, exception). All the writes of a decision
 * commit in one transaction conditional on the versions read; a lost race re-reads and retries.
 */
export async function matchTrade(
  deps: SettlementDeps,
  ref: string,
  options: { readonly force?: boolean } = {},
): Promise<MatchOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const trade = await deps.store.getTrade(ref);
    if (trade === undefined) return { kind: 'NOT_FOUND', ref };
    if (!isCandidate(trade)) return { kind: 'NOT_OPEN', ref, status: trade.status };
    if (!trade.needsMatching && options.force !== true) return { kind: 'UP_TO_DATE', ref };

    const candidates = (await deps.store.listBlock(candidateBlockKey(trade))).filter(
      (c) => !rejectedPair(trade, c),
    );
    const byRef = new Map(candidates.map((c) => [tradeRefOf(c), c]));
    const scored = candidates.map((c) => {
      const [internal, counterparty] = orient(trade, c);
      const r = compareTrades(internal, counterparty, deps.matching, deps.calendars);
      return { ref: tradeRefOf(c), confidence: r.confidence, fields: r.fields };
    });
    const decision = decide(scored, deps.matching);

    // A counterparty record that only breaks against an internal trade is judged from the internal
    // trade's side, where all its candidates are weighed, so a better pairing is never overwritten.
    if (decision.kind === 'EXCEPTION' && trade.source === 'COUNTERPARTY') {
      const internal = byRef.get(decision.best.ref);
      const done = await settle(deps, trade, { kind: 'NO_CANDIDATE' }, undefined);
      if (!done) continue;
      if (internal !== undefined) {
        const fromInternal = await matchTrade(deps, tradeRefOf(internal), { force: true });
        if (fromInternal.kind !== 'CONFLICT')
          return fromInternal.kind === 'EXCEPTION' ? { ...fromInternal, ref } : fromInternal;
      }
      return { kind: 'NO_CANDIDATE', ref };
    }

    const other = decision.kind === 'NO_CANDIDATE' ? undefined : byRef.get(decision.best.ref);
    const outcome = await settle(deps, trade, decision, other);
    if (outcome !== false) return outcome;
  }
  return { kind: 'CONFLICT', ref };
}

function rejectedPair(a: Trade, b: Trade): boolean {
  return (
    (a.rejectedCandidates ?? []).includes(tradeRefOf(b)) ||
    (b.rejectedCandidates ?? []).includes(tradeRefOf(a))
  );
}

function orient(a: Trade, b: Trade): [internal: Trade, counterparty: Trade] {
  return a.source === 'INTERNAL' ? [a, b] : [b, a];
}

/** Writes one decision. Returns the outcome, or false when a concurrent change won (retry). */
async function settle(
  deps: SettlementDeps,
  trade: Trade,
  decision: MatchDecision,
  other: Trade | undefined,
): Promise<MatchOutcome | false> {
  const at = nowIso(deps);
  const ref = tradeRefOf(trade);
  const cs = new ChangeSet();

  if (decision.kind === 'NO_CANDIDATE' || other === undefined) {
    cs.update(
      'trade',
      trade,
      { ...trade, needsMatching: false, updatedAt: at },
      {
        action: 'MATCHING_RAN',
        actor: SYSTEM.matcher,
        details: { result: 'no counterpart yet' },
        at,
      },
    );
    return (await deps.store.commit(cs)).ok ? { kind: 'NO_CANDIDATE', ref } : false;
  }

  const [internal, counterparty] = orient(trade, other);
  const existing = await exceptionsOfTrade(deps.store, tradeRefOf(internal));
  const best = decision.best;
  const drafts = classifyBreaks(best.fields);
  const matchId = matchIdFor(internal, counterparty);

  if (decision.kind === 'EXCEPTION') {
    const escalated = syncExceptions(cs, deps, {
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
      { ...internal, status: 'EXCEPTION', needsMatching: false, updatedAt: at },
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
    if (counterparty.needsMatching) {
      cs.update(
        'trade',
        counterparty,
        { ...counterparty, needsMatching: false, updatedAt: at },
        {
          action: 'MATCHING_RAN',
          actor: SYSTEM.matcher,
          details: {
            result: 'exception on internal trade',
            internal: tradeRefOf(internal),
            confidence: best.confidence,
          },
          at,
        },
      );
    }
    if (escalated.length > 0) cs.outbox(exceptionsAlert(nextInternal, escalated, at));
    if (!(await deps.store.commit(cs)).ok) return false;
    return {
      kind: 'EXCEPTION',
      ref,
      confidence: best.confidence,
      exceptionIds: drafts.map((d) => exceptionIdFor(tradeRefOf(internal), d.key)),
    };
  }

  const review = decision.kind === 'REVIEW';
  const match: Omit<Match, 'version' | 'auditHash'> = {
    matchId,
    internalRef: tradeRefOf(internal),
    counterpartyRef: tradeRefOf(counterparty),
    internalVersion: internal.version,
    counterpartyVersion: counterparty.version,
    confidence: best.confidence,
    fields: best.fields,
    status: review ? 'PENDING_REVIEW' : 'AUTO_MATCHED',
    ...(review && decision.ambiguousWith.length > 0 ? { ambiguousWith: [...decision.ambiguousWith] } : {}),
    desk: internal.desk,
    tradeDate: internal.tradeDate,
    createdAt: at,
  };
  cs.create('match', match, {
    action: review ? 'REVIEW_REQUESTED' : 'AUTO_MATCHED',
    actor: SYSTEM.matcher,
    details: {
      confidence: best.confidence,
      internal: match.internalRef,
      counterparty: match.counterpartyRef,
    },
    at,
  });
  const status = review ? 'PENDING_REVIEW' : 'MATCHED';
  for (const t of [internal, counterparty]) {
    cs.update(
      'trade',
      t,
      { ...t, status, matchId, needsMatching: false, updatedAt: at },
      {
        action: review ? 'REVIEW_REQUESTED' : 'MATCHED',
        actor: SYSTEM.matcher,
        details: { matchId, confidence: best.confidence },
        at,
      },
    );
  }
  // Rule-explained differences are recorded as auto-resolved exceptions; anything open from an
  // earlier comparison no longer applies.
  syncExceptions(cs, deps, {
    internal,
    counterpartyRef: tradeRefOf(counterparty),
    drafts: drafts.filter((d) => d.autoResolvedBy !== undefined),
    existing,
    resolveOthersAs: review ? 'superseded by a review' : 'matched',
    actor: SYSTEM.matcher,
    at,
  });
  if (review) {
    cs.outbox(reviewAlert(match, internal, counterparty, at));
  } else {
    cs.instruction(instructionFor(matchId, internal, at));
  }
  if (!(await deps.store.commit(cs)).ok) return false;
  return { kind: review ? 'PENDING_REVIEW' : 'AUTO_MATCHED', ref, matchId, confidence: best.confidence };
}

function breakSummary(fields: readonly FieldResult[]): string[] {
  return fields
    .filter((f) => f.outcome === 'MISMATCH' || f.outcome === 'PARTIAL')
    .map((f) => `${f.field}:${f.reasonCode ?? ''}`);
}

/** Our settlement instruction for an affirmed pair (one per match, idempotent by id). */
export function instructionFor(matchId: string, internal: Trade, at: string): SettlementInstruction {
  return {
    instructionId: `SI|${matchId}`,
    matchId,
    tradeRef: tradeRefOf(internal),
    side: internal.side,
    isin: internal.isin,
    quantity: internal.quantity,
    ...(internal.settlementType === 'DVP' && internal.netAmount !== undefined
      ? { settlementAmount: internal.netAmount }
      : {}),
    currency: internal.currency,
    settlementDate: internal.settlementDate,
    settlementType: internal.settlementType,
    placeOfSettlement: internal.placeOfSettlement,
    counterpartyBic: internal.counterpartyBic,
    account: internal.account,
    desk: internal.desk,
    tradeDate: internal.tradeDate,
    createdAt: at,
  };
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
