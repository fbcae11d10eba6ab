import { memoryActorId } from './actor-id.ts';
import type { FactCategory, MemoryFact } from './facts.ts';

/** A fact to write: created when `factId` is new in the namespace, replaced when it exists. */
export interface FactWrite {
  readonly factId: string;
  readonly category: FactCategory;
  readonly text: string;
  readonly source: MemoryFact['source'];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly expiresAt: string;
}

/**
 * Long-term memory: curated facts under each principal's own namespace (`/users/{principalId}/facts`).
 * Adapters: AgentCore Memory (`BatchCreateMemoryRecords`, `RetrieveMemoryRecords`,
 * `ListMemoryRecords`, `DeleteMemoryRecord`) when `AGENTCORE_MEMORY_ID` is set, DynamoDB otherwise.
 * Every call names the principal; no call returns or touches another principal's facts. Expired
 * facts (past `expiresAt`) are never returned.
 */
export interface LongTermMemory {
  put(principalId: string, facts: readonly FactWrite[]): Promise<void>;
  /** Every live fact of the principal, oldest first. */
  list(principalId: string): Promise<MemoryFact[]>;
  /** The principal's facts most relevant to `query`, best first, at most `topK`. */
  retrieve(principalId: string, query: string, topK: number): Promise<MemoryFact[]>;
  /** Deletes the given facts of the principal; returns how many existed. */
  delete(principalId: string, factIds: readonly string[]): Promise<number>;
}

/** The namespace of a principal's facts: `/users/{memoryActorId(principalId)}/facts`. */
export function factNamespace(principalId: string): string {
  return `/users/${memoryActorId(principalId)}/facts`;
}
