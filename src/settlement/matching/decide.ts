import type { FieldResult } from '../model.ts';
import type { MatchingPolicy, MatchingThresholds } from './policy.ts';

/** A counterparty record scored against one of our trades. */
export interface ScoredCandidate {
  /** The candidate's trade ref (`COUNTERPARTY#…`). */
  readonly ref: string;
  readonly confidence: number;
  readonly fields: FieldResult[];
}

export type MatchDecision =
  | { readonly kind: 'AUTO_MATCH'; readonly best: ScoredCandidate }
  | { readonly kind: 'REVIEW'; readonly best: ScoredCandidate; readonly ambiguousWith: string[] }
  | { readonly kind: 'EXCEPTION'; readonly best: ScoredCandidate }
  | { readonly kind: 'NO_CANDIDATE' };

export type MatchDecisionKind = MatchDecision['kind'];

/**
 * Chooses the outcome for one trade from its scored candidates. The best is the highest confidence
 * (ties: lowest ref, by code unit). Candidates within `ambiguityMargin` of the best make it ambiguous,
 * and an ambiguous best is never auto-matched: it goes to review (or is an exception below the
 * review threshold). `ambiguousWith` lists the others by confidence, then ref.
 */
export function decide(
  scored: ReadonlyArray<ScoredCandidate>,
  policy: Pick<MatchingPolicy, 'thresholds'>,
): MatchDecision {
  const thresholds = policy.thresholds;
  checkThresholds(thresholds);
  const plausible = scored.filter((c) => c.confidence >= thresholds.candidateFloor);
  if (plausible.length === 0) return { kind: 'NO_CANDIDATE' };
  const ranked = plausible.sort(byRank);
  const best = ranked[0] as ScoredCandidate;
  const ambiguousWith = ranked
    .slice(1)
    .filter((c) => best.confidence - c.confidence <= thresholds.ambiguityMargin)
    .map((c) => c.ref);
  const kind = decisionKind(best.confidence, ambiguousWith.length > 0, thresholds);
  if (kind === 'REVIEW') return { kind, best, ambiguousWith };
  return { kind, best };
}

/** The decision band for a best confidence: the single place the thresholds are applied. */
export function decisionKind(
  confidence: number,
  ambiguous: boolean,
  thresholds: MatchingThresholds,
): 'AUTO_MATCH' | 'REVIEW' | 'EXCEPTION' {
  if (confidence >= thresholds.autoMatch && !ambiguous) return 'AUTO_MATCH';
  if (confidence >= thresholds.review) return 'REVIEW';
  return 'EXCEPTION';
}

/** Higher confidence first, then ref in code-unit order (the deterministic tie order). */
export function byRank(
  a: Pick<ScoredCandidate, 'ref' | 'confidence'>,
  b: Pick<ScoredCandidate, 'ref' | 'confidence'>,
): number {
  if (a.confidence !== b.confidence) return b.confidence - a.confidence;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

function checkThresholds(t: MatchingThresholds): void {
  if (!(t.review < t.autoMatch)) {
    throw new RangeError(
      `review threshold (${t.review}) must be below the auto-match threshold (${t.autoMatch})`,
    );
  }
}
