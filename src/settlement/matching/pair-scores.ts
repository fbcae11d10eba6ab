import type { CalendarRegistry } from '../calendar.ts';
import type { FieldResult } from '../model.ts';
import { compareTrades, type TradeRecord } from './compare.ts';
import type { ScoredCandidate } from './decide.ts';
import { FastScorer } from './fast-scorer.ts';
import type { MatchingPolicy } from './policy.ts';

/**
 * The confidence of `trade` against each of `others` (all on the other side), as `compareTrades`
 * gives it, computed the fast way (fast-scorer.ts: integers, no field objects). Matching one trade
 * weighs every candidate of its block but keeps the field details of one pair at most: building
 * them for every pair was half the CPU of matching an ingested day.
 */
export function confidencesAgainst(
  trade: TradeRecord,
  others: readonly TradeRecord[],
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): number[] {
  if (others.length === 0) return [];
  const scorer = new FastScorer(policy, calendars);
  const one = scorer.prepare([trade]);
  const many = scorer.prepare(others);
  return trade.source === 'INTERNAL'
    ? others.map((_, j) => scorer.score(one, 0, many, j))
    : others.map((_, j) => scorer.score(many, j, one, 0));
}

/**
 * A scored candidate whose field details are computed with `compareTrades` on first read, and
 * checked against the confidence it was scored with: a difference is a defect in the fast path, and
 * the plan that reads them fails (writing nothing) rather than record a decision the details
 * contradict.
 */
export function lazilyScored(
  ref: string,
  confidence: number,
  internal: TradeRecord,
  counterparty: TradeRecord,
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): ScoredCandidate {
  let fields: FieldResult[] | undefined;
  return {
    ref,
    confidence,
    get fields(): FieldResult[] {
      if (fields === undefined) {
        const full = compareTrades(internal, counterparty, policy, calendars);
        if (full.confidence !== confidence)
          throw new Error(
            `internal error: ${ref} scored ${confidence} on the fast path and ${full.confidence} in full`,
          );
        fields = full.fields;
      }
      return fields;
    },
  };
}
