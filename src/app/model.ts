import type { ModelClient } from '../agents/index.ts';
import { BedrockConverseClient, OfflinePlanner } from '../agents/index.ts';
import type { Config } from '../config.ts';
import { createBedrockRuntimeClient } from './aws-clients.ts';

/**
 * The model the agents run on: Bedrock Converse when `BEDROCK_MODEL_ID` is set (its client built here,
 * in Bedrock's region, with the SDK's own retries off: the model client retries as the Bedrock docs
 * ask, with full jitter and a retry budget), otherwise the offline planner — never presented as a
 * language model. Each model's capabilities come from the built-in table with
 * BEDROCK_MODEL_CAPABILITIES on top.
 */
export function createModelClient(config: Config): ModelClient {
  const bedrock = config.bedrock;
  if (bedrock.modelId === undefined) return new OfflinePlanner();
  return new BedrockConverseClient({
    client: createBedrockRuntimeClient({ region: bedrock.region, endpoint: bedrock.endpoint }),
    strongModelId: bedrock.modelId,
    fastModelId: bedrock.fastModelId ?? bedrock.modelId,
    guardrail: bedrock.guardrail,
    capabilities: bedrock.capabilities,
    retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4000 },
  });
}
