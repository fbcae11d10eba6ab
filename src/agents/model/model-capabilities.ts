import type { ModelCapabilityOverride } from '../../config.ts';

/**
 * What a Bedrock model can do through Converse, per family. The client sends cache points, `toolChoice`,
 * streamed tool use and the guardrail only where the model takes them, and the loop fits the history
 * into its context window. BEDROCK_MODEL_CAPABILITIES overrides any field per model id or id prefix.
 */
export interface ModelCapabilities {
  readonly family: string;
  /**
   * Where cache points may go; empty when the model has no prompt caching. Prompt caching page
   * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html), supported models:
   * Claude takes checkpoints in system, messages and tools; Amazon Nova in system and messages only.
   */
  readonly cachePoints: readonly ('system' | 'messages' | 'tools')[];
  /**
   * Tokens the prefix before a checkpoint needs for it to cache anything (same page; below it the
   * request succeeds and nothing is cached): 1,024 for Claude 3.7 Sonnet, Sonnet 4 / 4.5 and Opus
   * 4 / 4.1; 2,048 for Claude 3.5 Haiku; 4,096 for Claude Haiku 4.5 and Opus 4.5; 1K for Nova.
   */
  readonly minCacheTokens: number;
  /** Checkpoints per request (four on every model that has them). */
  readonly maxCachePoints: number;
  /**
   * Tool use over ConverseStream ("Supported models and model features",
   * https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-supported-models-features.html).
   * Without it, a call that offers tools goes through Converse and its text is given in one piece.
   */
  readonly streamingToolUse: boolean;
  /**
   * `toolChoice` members (API_runtime_ToolChoice: `any` and `tool` for Claude 3 and later; Nova:
   * https://docs.aws.amazon.com/nova/latest/userguide/tool-choice.html).
   */
  readonly toolChoice: readonly ('auto' | 'any' | 'tool')[];
  /** Bedrock Guardrails through Converse's `guardrailConfig` and `guardContent`. */
  readonly guardrails: boolean;
  readonly contextWindowTokens: number;
  readonly maxOutputTokens: number;
}

const claude = (minCacheTokens: number, maxOutputTokens: number): ModelCapabilities => ({
  family: 'claude',
  cachePoints: ['system', 'messages', 'tools'],
  minCacheTokens,
  maxCachePoints: 4,
  streamingToolUse: true,
  toolChoice: ['auto', 'any', 'tool'],
  guardrails: true,
  contextWindowTokens: 200_000,
  maxOutputTokens,
});

const nova = (contextWindowTokens: number, maxOutputTokens: number): ModelCapabilities => ({
  family: 'nova',
  cachePoints: ['system', 'messages'],
  minCacheTokens: 1_000,
  maxCachePoints: 4,
  streamingToolUse: true,
  toolChoice: ['auto', 'any', 'tool'],
  guardrails: true,
  contextWindowTokens,
  maxOutputTokens,
});

/**
 * Built-in capabilities, keyed by model-id prefix without the cross-region prefix (`us.`, `eu.`,
 * `global.` …); the longest matching key wins, as for prices (src/agents/traces/cost.ts).
 */
export const DEFAULT_MODEL_CAPABILITIES: Readonly<Record<string, ModelCapabilities>> = {
  'anthropic.claude-3-7-sonnet': claude(1_024, 64_000),
  'anthropic.claude-sonnet-4': claude(1_024, 64_000),
  'anthropic.claude-opus-4': claude(1_024, 32_000),
  'anthropic.claude-opus-4-5': claude(4_096, 64_000),
  'anthropic.claude-3-5-haiku': claude(2_048, 8_192),
  'anthropic.claude-haiku-4-5': claude(4_096, 64_000),
  'amazon.nova-micro': nova(128_000, 10_000),
  'amazon.nova-lite': nova(300_000, 10_000),
  'amazon.nova-pro': nova(300_000, 10_000),
  'amazon.nova-premier': nova(1_000_000, 32_000),
};

/**
 * A model the table does not know: no cache points, no forced tool choice, tool use only through
 * Converse, a window small enough for the trimming to stay on the safe side.
 */
export const UNKNOWN_MODEL_CAPABILITIES: ModelCapabilities = {
  family: 'unknown',
  cachePoints: [],
  minCacheTokens: 0,
  maxCachePoints: 0,
  streamingToolUse: false,
  toolChoice: ['auto'],
  guardrails: true,
  contextWindowTokens: 32_000,
  maxOutputTokens: 4_096,
};

// Cross-region inference profile ids carry a geography in front of the model id; ARNs end in it.
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;
const bare = (id: string): string => (id.split('/').at(-1) ?? id).replace(PROFILE_PREFIX, '');

function longestPrefix<T>(table: Readonly<Record<string, T>>, modelId: string): T | undefined {
  const id = bare(modelId);
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    const k = bare(key);
    if ((id === k || id.startsWith(k)) && (best === undefined || k.length > bare(best).length)) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/** The model's capabilities: the built-in family's, with the configured override on top. */
export function capabilitiesFor(
  modelId: string,
  overrides: Readonly<Record<string, ModelCapabilityOverride>> = {},
): ModelCapabilities {
  const base = longestPrefix(DEFAULT_MODEL_CAPABILITIES, modelId) ?? UNKNOWN_MODEL_CAPABILITIES;
  const override = longestPrefix(overrides, modelId);
  return override === undefined ? base : { ...base, ...override };
}
