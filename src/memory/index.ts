export { memoryActorId } from './actor-id.ts';
export { FACT_TTL_DAYS, FactCategory, MAX_FACT_LENGTH, type MemoryFact } from './facts.ts';
export { type FactWrite, factNamespace, type LongTermMemory } from './long-term-memory.ts';
export type { NewSessionEvent, SessionEvent, SessionMemory, TurnRole } from './session-memory.ts';
