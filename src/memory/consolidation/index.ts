export { type CandidateFact, type FactExtraction, type FactExtractor, userTurns } from './candidate.ts';
export {
  type ConsolidationDeps,
  type ConsolidationLog,
  type ConsolidationSummary,
  consolidateIdleSessions,
  DEFAULT_IDLE_MINUTES,
  forgetFacts,
  type Refusal,
  type RememberOutcome,
  rememberNow,
} from './consolidate.ts';
export {
  DEFAULT_MAX_FACTS,
  type MergeOptions,
  type MergeResult,
  mergeFacts,
  NEAR_DUPLICATE_SIMILARITY,
  newFactId,
  normaliseFactText,
} from './curate.ts';
export type { FactModel } from './fact-model.ts';
export {
  FACT_EXTRACTION_SYSTEM_PROMPT,
  MAX_FACTS_PER_REPLY,
  ModelFactExtractor,
  parseExtractionReply,
} from './model-extractor.ts';
export { RuleFactExtractor, type StatedFact, statedFacts } from './rule-extractor.ts';
export { type ScreenReason, type ScreenResult, screenFact } from './screen.ts';
