import type { BedrockAgentCoreClient } from '@aws-sdk/client-bedrock-agentcore';
import type { AgentMemory, ModelClient } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { DynamoDbSessionRegistry, type SessionRegistry } from '../identity/index.ts';
import {
  AgentCoreLongTermMemory,
  AgentCoreSessionMemory,
  type ConsolidationDeps,
  type ConsolidationSummary,
  consolidateIdleSessions,
  DynamoDbLongTermMemory,
  DynamoDbSessionMemory,
  type FactExtractor,
  forgetFacts,
  type LongTermMemory,
  type MemoryFact,
  ModelFactExtractor,
  RuleFactExtractor,
  rememberNow,
  type SessionMemory,
} from '../memory/index.ts';
import { createAgentCoreClient } from './aws-clients.ts';
import { factModelOf } from './fact-model.ts';
import { createModelClient } from './model.ts';
import { type SettlementRuntime, withSettlement } from './settlement.ts';

/** Session and long-term memory, the session registry and the consolidation rules of one process. */
export interface MemoryWiring {
  readonly sessions: SessionMemory;
  readonly facts: LongTermMemory;
  readonly registry: SessionRegistry;
  readonly extractor: FactExtractor;
  /** What consolidation runs with. */
  readonly consolidation: ConsolidationDeps;
  /** The agent's view: the stores and "remember that …" at once. */
  readonly agent: AgentMemory;
  close(): void;
}

/**
 * AgentCore Memory when AGENTCORE_MEMORY_ID is set (its client built here), else the DynamoDB adapters
 * in the settlement table; the registry is always DynamoDB (it is SettleOps's own record of who owns
 * which session). Facts are extracted by one Bedrock call when a model is configured, else by the
 * offline planner's rules.
 */
export function wireMemory(config: Config, rt: SettlementRuntime, model: ModelClient): MemoryWiring {
  const now = rt.deps.now;
  let client: BedrockAgentCoreClient | undefined;
  let sessions: SessionMemory;
  let facts: LongTermMemory;
  const memoryId = config.agentcore.memoryId;
  if (memoryId !== undefined) {
    client = createAgentCoreClient({ region: config.agentcore.region, endpoint: config.agentcore.endpoint });
    sessions = new AgentCoreSessionMemory(client, memoryId);
    facts = new AgentCoreLongTermMemory(client, memoryId, { now });
  } else {
    sessions = new DynamoDbSessionMemory(rt.doc, rt.table, { now });
    facts = new DynamoDbLongTermMemory(rt.doc, rt.table, { now });
  }
  const registry = new DynamoDbSessionRegistry(rt.doc, rt.table, now);
  const factModel = factModelOf(model);
  const extractor: FactExtractor =
    factModel === undefined ? new RuleFactExtractor() : new ModelFactExtractor(factModel);
  const deps: ConsolidationDeps = {
    registry,
    sessions,
    facts,
    extractor,
    now,
    idleMinutes: config.memory.idleMinutes,
    maxFacts: config.memory.maxFacts,
  };
  return {
    sessions,
    facts,
    registry,
    extractor,
    consolidation: deps,
    agent: {
      sessions,
      facts,
      registry,
      remember: (input) => rememberNow(deps, input),
    },
    close: () => client?.destroy(),
  };
}

async function withMemory<T>(config: Config, run: (m: MemoryWiring) => Promise<T>): Promise<T> {
  return withSettlement(config, async (rt) => {
    const memory = wireMemory(config, rt, createModelClient(config));
    try {
      return await run(memory);
    } finally {
      memory.close();
    }
  });
}

/** `settleops memory list`: the person's live facts. */
export function listMemories(config: Config, principalId: string): Promise<MemoryFact[]> {
  return withMemory(config, (m) => m.facts.list(principalId));
}

/** `settleops memory forget`: from every store the facts live in; never retrieved again. */
export function forgetMemories(
  config: Config,
  principalId: string,
  which: { readonly all: true } | { readonly factIds: readonly string[] },
): Promise<{ readonly forgotten: number }> {
  return withMemory(config, async (m) => ({ forgotten: await forgetFacts(m.facts, principalId, which) }));
}

/** `settleops memory consolidate`: idle sessions (or, with `all`, every open one) into facts. */
export function consolidateMemories(
  config: Config,
  options: { readonly principalId?: string; readonly all: boolean },
): Promise<ConsolidationSummary> {
  return withMemory(config, (m) => consolidateIdleSessions(m.consolidation, options));
}
