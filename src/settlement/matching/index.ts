export {
  type BatchMatch,
  type BatchResults,
  type MatchBatchResult,
  type MatchBatchStats,
  matchBatch,
} from './batch.ts';
export { type BlockKeyFields, blockKey, candidateBlockKey, oppositeSide, otherSource } from './block-key.ts';
export {
  type ComparableTrade,
  type Comparison,
  compareTrades,
  confidenceOf,
  FIELD_REASON_CODES,
  holidayRollExplains,
  MATCH_RULES,
  type MatchRule,
  sameBic,
  type TradeRecord,
} from './compare.ts';
export {
  byRank,
  decide,
  decisionKind,
  type MatchDecision,
  type MatchDecisionKind,
  type ScoredCandidate,
} from './decide.ts';
export { confidencesAgainst, lazilyScored } from './pair-scores.ts';
export {
  buildMatchingPolicy,
  type ConfiguredThresholds,
  DEFAULT_MATCHING_POLICY,
  FieldTolerance,
  MATCH_FIELDS,
  type MatchingPolicy,
  MatchingPolicyError,
  MatchingPolicyOverrides,
  MatchingPolicySchema,
  type MatchingThresholds,
  NUMERIC_FIELDS,
  type NumericField,
  type OutcomePenalties,
  PENALISED_OUTCOMES,
  toleranceFor,
} from './policy.ts';
export {
  AbsoluteTolerance,
  describeTolerance,
  ExactTolerance,
  evaluateTolerance,
  PercentCappedTolerance,
  PercentTolerance,
  roundingExplains,
  Tolerance,
  ToleranceTier,
  type ToleranceVerdict,
} from './tolerance.ts';
