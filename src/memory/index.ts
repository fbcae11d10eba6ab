export { memoryActorId } from './actor-id.ts';
// Explicit long-term memory consolidation (src/memory/consolidation).
export {
  type CandidateFact,
  type ConsolidationDeps,
  type ConsolidationLog,
  type ConsolidationSummary,
  consolidateIdleSessions,
  DEFAULT_IDLE_MINUTES,
  DEFAULT_MAX_FACTS,
  type FactExtraction,
  type FactExtractor,
  type FactModel,
  forgetFacts,
  ModelFactExtractor,
  mergeFacts,
  type Refusal,
  type RememberOutcome,
  RuleFactExtractor,
  rememberNow,
  type ScreenReason,
  type ScreenResult,
  screenFact,
} from './consolidation/index.ts';
export { FACT_TTL_DAYS, FactCategory, MAX_FACT_LENGTH, type MemoryFact } from './facts.ts';
export { type FactWrite, factNamespace, type LongTermMemory } from './long-term-memory.ts';
export type { NewSessionEvent, SessionEvent, SessionMemory, TurnRole } from './session-memory.ts';
