import type { AgentService, ModelClient } from '../agents/index.ts';
import {
  BedrockConverseClient,
  type ConversationStore,
  createAgentService,
  DynamoDbTraceStore,
  InMemoryConversationStore,
  OfflinePlanner,
} from '../agents/index.ts';
import type { Config } from '../config.ts';
import { createJsonLogger, type Logger } from '../logger.ts';
import { createBedrockRuntimeClient } from './aws-clients.ts';
import { type SettlementRuntime, withSettlement } from './settlement.ts';

/**
 * The model the agents run on: Bedrock Converse when `BEDROCK_MODEL_ID` is set (its client built here,
 * in Bedrock's region), otherwise the offline planner — never presented as a language model.
 */
export function createModelClient(config: Config): ModelClient {
  const bedrock = config.bedrock;
  if (bedrock.modelId === undefined) return new OfflinePlanner();
  return new BedrockConverseClient({
    client: createBedrockRuntimeClient({ region: bedrock.region, endpoint: bedrock.endpoint }),
    strongModelId: bedrock.modelId,
    fastModelId: bedrock.fastModelId ?? bedrock.modelId,
    guardrail: bedrock.guardrail,
    retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4000 },
  });
}

export interface AgentWiring {
  readonly service: AgentService;
  readonly traces: DynamoDbTraceStore;
}

/**
 * The agent over a settlement runtime: the chosen model, traces in the settlement table (on the same
 * DynamoDB client), conversations in process memory until the identity-and-memory step brings their
 * DynamoDB and AgentCore Memory adapters.
 */
export function wireAgent(
  config: Config,
  settlement: SettlementRuntime,
  logger: Logger,
  options: { readonly conversations?: ConversationStore } = {},
): AgentWiring {
  const now = settlement.deps.now;
  const traces = new DynamoDbTraceStore(settlement.doc, settlement.table, now);
  const service = createAgentService({
    model: createModelClient(config),
    settlement: settlement.deps,
    traces,
    conversations: options.conversations ?? new InMemoryConversationStore(),
    prices: config.modelPrices,
    logger,
  });
  return { service, traces };
}

/** The agent's traces, in the settlement table. */
export function withTraces<T>(config: Config, run: (traces: DynamoDbTraceStore) => Promise<T>): Promise<T> {
  return withSettlement(config, (rt) =>
    run(wireAgent(config, rt, createJsonLogger({ level: 'error' })).traces),
  );
}
