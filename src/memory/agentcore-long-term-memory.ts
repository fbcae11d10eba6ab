import {
  BatchCreateMemoryRecordsCommand,
  BatchDeleteMemoryRecordsCommand,
  BatchUpdateMemoryRecordsCommand,
  type BedrockAgentCoreClient,
  ListMemoryRecordsCommand,
  type MemoryRecordOutput,
  type MemoryRecordSummary,
  RetrieveMemoryRecordsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { type Clock, systemClock } from '../clock.ts';
import { factMetadata, factOfRecord, factRecordInput } from './agentcore-fact-record.ts';
import { isLive, newestFirst, oldestFirst } from './fact-order.ts';
import type { MemoryFact } from './facts.ts';
import { type FactWrite, factNamespace, type LongTermMemory } from './long-term-memory.ts';
import {
  checkFactIds,
  checkFactWrites,
  checkPrincipalId,
  checkQuery,
  checkTopK,
  MAX_TOP_K,
} from './memory-input.ts';

export interface AgentCoreLongTermMemoryOptions {
  /** Tags the records with a memory strategy (unset: none). */
  readonly memoryStrategyId?: string;
  readonly now?: Clock;
}

/** AgentCore's batch operations take at most 100 records. */
const BATCH = 100;

/** A batch call that left records behind. */
export class MemoryRecordWriteError extends Error {
  override readonly name = 'MemoryRecordWriteError';
  constructor(
    readonly operation: string,
    readonly failed: readonly MemoryRecordOutput[],
  ) {
    const detail = failed
      .slice(0, 3)
      .map((f) => `${f.requestIdentifier ?? f.memoryRecordId}: ${f.errorMessage ?? f.errorCode ?? 'failed'}`)
      .join('; ');
    super(`${operation} failed for ${failed.length} record(s): ${detail}`);
  }
}

/**
 * Long-term memory over AgentCore Memory records, one record a fact under the principal's namespace
 * `factNamespace(principalId)`. `put` replaces an existing factId with BatchUpdateMemoryRecords (found
 * through ListMemoryRecords) and creates the rest with BatchCreateMemoryRecords (`requestIdentifier` =
 * factId); retrieval is RetrieveMemoryRecords (AgentCore's semantic search). Every record read back is
 * checked again: exactly the principal's namespace, our format marker, the principal's id; anything
 * else is dropped. AgentCore keeps records until deleted, so expiry is enforced here on every read.
 */
export class AgentCoreLongTermMemory implements LongTermMemory {
  readonly #now: Clock;
  readonly #strategyId: string | undefined;

  constructor(
    private readonly client: BedrockAgentCoreClient,
    private readonly memoryId: string,
    options: AgentCoreLongTermMemoryOptions = {},
  ) {
    this.#now = options.now ?? systemClock;
    this.#strategyId = options.memoryStrategyId;
  }

  async put(principalId: string, facts: readonly FactWrite[]): Promise<void> {
    checkPrincipalId(principalId);
    const writes = checkFactWrites(facts);
    if (writes.length === 0) return;
    const namespace = factNamespace(principalId);
    const existing = new Map<string, string>();
    for (const record of await this.#records(namespace)) {
      const fact = factOfRecord(record, principalId, namespace);
      if (fact !== undefined && record.memoryRecordId !== undefined)
        existing.set(fact.factId, record.memoryRecordId);
    }
    const updates = writes.filter((f) => existing.has(f.factId));
    const creates = writes.filter((f) => !existing.has(f.factId));
    for (let i = 0; i < updates.length; i += BATCH) {
      const out = await this.client.send(
        new BatchUpdateMemoryRecordsCommand({
          memoryId: this.memoryId,
          records: updates.slice(i, i + BATCH).map((f) => ({
            memoryRecordId: existing.get(f.factId) as string,
            timestamp: new Date(f.updatedAt),
            content: { text: f.text },
            namespaces: [namespace],
            metadata: factMetadata(principalId, f),
          })),
        }),
      );
      if ((out.failedRecords ?? []).length > 0)
        throw new MemoryRecordWriteError('BatchUpdateMemoryRecords', out.failedRecords ?? []);
    }
    for (let i = 0; i < creates.length; i += BATCH) {
      const out = await this.client.send(
        new BatchCreateMemoryRecordsCommand({
          memoryId: this.memoryId,
          records: creates
            .slice(i, i + BATCH)
            .map((f) => factRecordInput(principalId, namespace, f, this.#strategyId)),
        }),
      );
      if ((out.failedRecords ?? []).length > 0)
        throw new MemoryRecordWriteError('BatchCreateMemoryRecords', out.failedRecords ?? []);
    }
  }

  async list(principalId: string): Promise<MemoryFact[]> {
    checkPrincipalId(principalId);
    return (await this.#facts(principalId)).sort(oldestFirst);
  }

  async retrieve(principalId: string, query: string, topK: number): Promise<MemoryFact[]> {
    checkPrincipalId(principalId);
    const q = checkQuery(query);
    const k = checkTopK(topK);
    // RetrieveMemoryRecords needs a query: the empty one means "the newest facts".
    if (q.trim() === '') return (await this.#facts(principalId)).sort(newestFirst).slice(0, k);
    const namespace = factNamespace(principalId);
    const out = await this.client.send(
      new RetrieveMemoryRecordsCommand({
        memoryId: this.memoryId,
        namespace,
        // Ask for a few more than wanted: expired facts and foreign records are dropped below.
        searchCriteria: { searchQuery: q, topK: Math.min(MAX_TOP_K, k * 2) },
        maxResults: MAX_TOP_K,
      }),
    );
    const now = this.#now();
    return (out.memoryRecordSummaries ?? [])
      .map((r) => factOfRecord(r, principalId, namespace))
      .filter((f): f is MemoryFact => f !== undefined && isLive(f, now))
      .slice(0, k);
  }

  async delete(principalId: string, factIds: readonly string[]): Promise<number> {
    checkPrincipalId(principalId);
    const ids = new Set(checkFactIds(factIds));
    if (ids.size === 0) return 0;
    const namespace = factNamespace(principalId);
    const targets = new Map<string, string>();
    for (const record of await this.#records(namespace)) {
      const fact = factOfRecord(record, principalId, namespace);
      if (fact !== undefined && ids.has(fact.factId) && record.memoryRecordId !== undefined)
        targets.set(record.memoryRecordId, fact.factId);
    }
    const deleted = new Set<string>();
    const recordIds = [...targets.keys()];
    for (let i = 0; i < recordIds.length; i += BATCH) {
      const out = await this.client.send(
        new BatchDeleteMemoryRecordsCommand({
          memoryId: this.memoryId,
          records: recordIds.slice(i, i + BATCH).map((memoryRecordId) => ({ memoryRecordId, namespace })),
        }),
      );
      for (const r of out.successfulRecords ?? []) {
        const factId = targets.get(r.memoryRecordId ?? '');
        if (factId !== undefined) deleted.add(factId);
      }
    }
    return deleted.size;
  }

  async #facts(principalId: string): Promise<MemoryFact[]> {
    const namespace = factNamespace(principalId);
    const now = this.#now();
    return (await this.#records(namespace))
      .map((r) => factOfRecord(r, principalId, namespace))
      .filter((f): f is MemoryFact => f !== undefined && isLive(f, now));
  }

  /** Every record under `namespace` (AgentCore matches it as a prefix; callers check exactly). */
  async #records(namespace: string): Promise<MemoryRecordSummary[]> {
    const records: MemoryRecordSummary[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.client.send(
        new ListMemoryRecordsCommand({
          memoryId: this.memoryId,
          namespace,
          maxResults: MAX_TOP_K,
          nextToken,
        }),
      );
      records.push(...(out.memoryRecordSummaries ?? []));
      nextToken = out.nextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return records;
  }
}
