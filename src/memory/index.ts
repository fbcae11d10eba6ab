export { memoryActorId } from './actor-id.ts';
export { FACT_RECORD_FORMAT, factMetadata, factOfRecord, factRecordInput } from './agentcore-fact-record.ts';
export {
  AgentCoreLongTermMemory,
  type AgentCoreLongTermMemoryOptions,
  MemoryRecordWriteError,
} from './agentcore-long-term-memory.ts';
export { AgentCoreSessionMemory, scopedClientToken } from './agentcore-session-memory.ts';
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
export { DynamoDbLongTermMemory, factKeys } from './dynamodb-long-term-memory.ts';
export {
  DEFAULT_EVENT_TTL_DAYS,
  DynamoDbSessionMemory,
  type DynamoDbSessionMemoryOptions,
  sessionMemoryKeys,
} from './dynamodb-session-memory.ts';
export { isLive, newestFirst, oldestFirst } from './fact-order.ts';
export { FACT_TTL_DAYS, FactCategory, MAX_FACT_LENGTH, type MemoryFact } from './facts.ts';
export { rankByRelevance, type Scored, tokenise } from './lexical-relevance.ts';
export { type FactWrite, factNamespace, type LongTermMemory } from './long-term-memory.ts';
export {
  ACTOR_ID_PATTERN,
  checkActorId,
  checkFactIds,
  checkFactWrites,
  checkNewSessionEvent,
  checkPrincipalId,
  checkQuery,
  checkSessionId,
  checkTopK,
  FACT_ID_PATTERN,
  MAX_ACTOR_ID_LENGTH,
  MAX_MEMORY_SESSION_ID_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_TOP_K,
  MAX_TURN_TEXT_LENGTH,
  MEMORY_SESSION_ID_PATTERN,
} from './memory-input.ts';
export { MemoryInputError } from './memory-input-error.ts';
export type { NewSessionEvent, SessionEvent, SessionMemory, TurnRole } from './session-memory.ts';
