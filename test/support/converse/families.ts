/*
 * The stand-in's own view of what each model family accepts — written from the docs, independently of
 * the product's capability table (src/agents/model/model-capabilities.ts), so a wrong default there
 * fails a test here.
 */

export type CacheField = 'system' | 'messages' | 'tools';
export type ToolChoiceKind = 'auto' | 'any' | 'tool';

export interface FamilyRules {
  readonly family: string;
  /**
   * Where a `cachePoint` block is accepted; empty when the family has no prompt caching. Prompt
   * caching page (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html), supported
   * models table: Claude takes checkpoints in system, messages and tools; Amazon Nova in system and
   * messages only (a `cachePoint` in `toolConfig.tools` is refused as an extraneous key).
   */
  readonly cacheFields: readonly CacheField[];
  /**
   * Minimum tokens before a checkpoint for it to cache anything (same page; below it the request
   * succeeds and nothing is cached): 1,024 for Claude 3.7 Sonnet, Sonnet 4 / 4.5 and Opus 4 / 4.1;
   * 2,048 for Claude 3.5 Haiku; 4,096 for Claude Haiku 4.5 and Opus 4.5; about 1K for Nova.
   */
  readonly minCacheTokens: number;
  /** At most four checkpoints per request (same page). */
  readonly maxCachePoints: number;
  /**
   * `toolChoice` members the family accepts. API_runtime_ToolChoice: `any` and `tool` for Anthropic
   * Claude 3 and later; Amazon Nova supports `auto`, `any` and `tool`
   * (https://docs.aws.amazon.com/nova/latest/userguide/tool-choice.html); Meta Llama only `auto`.
   */
  readonly toolChoice: readonly ToolChoiceKind[];
  /**
   * Tool use over ConverseStream ("Supported models and model features",
   * https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-supported-models-features.html):
   * Claude and Nova yes; Llama 3.1 only through Converse.
   */
  readonly streamingToolUse: boolean;
  /** Context window in tokens (input + output). */
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
  /**
   * What happens when input + maxTokens exceed the window: `error` (a ValidationException), or `stop`
   * (Claude Sonnet 4.5 and later: the answer stops with `model_context_window_exceeded`).
   */
  readonly overflow: 'error' | 'stop';
}

const claude = (minCacheTokens: number, maxOutputTokens: number, overflow: 'error' | 'stop' = 'error') =>
  ({
    family: 'claude',
    cacheFields: ['system', 'messages', 'tools'],
    minCacheTokens,
    maxCachePoints: 4,
    toolChoice: ['auto', 'any', 'tool'],
    streamingToolUse: true,
    contextWindow: 200_000,
    maxOutputTokens,
    overflow,
  }) as const satisfies FamilyRules;

const nova = (contextWindow: number, maxOutputTokens: number) =>
  ({
    family: 'nova',
    cacheFields: ['system', 'messages'],
    minCacheTokens: 1_000,
    maxCachePoints: 4,
    toolChoice: ['auto', 'any', 'tool'],
    streamingToolUse: true,
    contextWindow,
    maxOutputTokens,
    overflow: 'error',
  }) as const satisfies FamilyRules;

const FAMILIES: ReadonlyArray<readonly [RegExp, FamilyRules]> = [
  [/^anthropic\.claude-3-7-sonnet/, claude(1_024, 64_000)],
  [/^anthropic\.claude-sonnet-4-5/, claude(1_024, 64_000, 'stop')],
  [/^anthropic\.claude-sonnet-4/, claude(1_024, 64_000)],
  [/^anthropic\.claude-opus-4-5/, claude(4_096, 64_000, 'stop')],
  [/^anthropic\.claude-opus-4/, claude(1_024, 32_000)],
  [/^anthropic\.claude-3-5-haiku/, claude(2_048, 8_192)],
  [/^anthropic\.claude-haiku-4-5/, claude(4_096, 64_000, 'stop')],
  [/^amazon\.nova-micro/, nova(128_000, 10_000)],
  [/^amazon\.nova-(lite|pro)/, nova(300_000, 10_000)],
  [/^amazon\.nova-premier/, nova(1_000_000, 32_000)],
  [
    /^meta\.llama3-[123]/,
    {
      family: 'llama',
      cacheFields: [],
      minCacheTokens: 0,
      maxCachePoints: 0,
      toolChoice: ['auto'],
      streamingToolUse: false,
      contextWindow: 128_000,
      maxOutputTokens: 2_048,
      overflow: 'error',
    },
  ],
];

/** Cross-region inference profiles put a geography in front; ARNs end in `…/model-id`. */
export function bareModelId(modelId: string): string {
  const last = modelId.includes('/') ? (modelId.split('/').at(-1) ?? modelId) : modelId;
  return last.replace(/^(us|eu|apac|jp|au|ca|us-gov|global)\./, '');
}

/** The family's rules, or undefined for a model id Bedrock would not know. */
export function familyOf(modelId: string): FamilyRules | undefined {
  const bare = bareModelId(modelId);
  return FAMILIES.find(([pattern]) => pattern.test(bare))?.[1];
}
