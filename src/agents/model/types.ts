/*
 * The Converse API's shapes, the subset SettleOps uses. Both model clients speak them: the Bedrock
 * client maps them to `@aws-sdk/client-bedrock-runtime` one to one, and the offline planner emits
 * the same tool-use blocks a model would.
 */

export type ContentBlock =
  | { readonly text: string }
  | { readonly toolUse: ToolUse }
  | { readonly toolResult: ToolResult };

export interface ToolUse {
  readonly toolUseId: string;
  readonly name: string;
  readonly input: unknown;
}

export interface ToolResult {
  readonly toolUseId: string;
  readonly content: ReadonlyArray<{ readonly json: unknown } | { readonly text: string }>;
  readonly status: 'success' | 'error';
}

export interface Message {
  readonly role: 'user' | 'assistant';
  readonly content: readonly ContentBlock[];
}

/** A tool as the model sees it (Converse `toolSpec`); the schema is JSON Schema generated from zod. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: { readonly json: Record<string, unknown> };
}

/** Which model a call wants: a fast one for routing and look-ups, a strong one for multi-step work. */
export type ModelTier = 'fast' | 'strong';

export interface ModelRequest {
  readonly system: string;
  /**
   * Per-person context (the asker's own remembered facts), sent after the system prompt's cache
   * point so the shared prompt stays cacheable across people.
   */
  readonly context?: string;
  readonly messages: readonly Message[];
  readonly tools: readonly ToolSpec[];
  readonly tier: ModelTier;
  readonly maxTokens: number;
}

export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered';

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
  /** True when counted by SettleOps's estimator rather than reported by the model service. */
  readonly estimated: boolean;
}

export interface ModelResponse {
  readonly message: Message;
  readonly stopReason: StopReason;
  readonly usage: Usage;
  /** The model that answered (after any fallback), or `offline-planner`. */
  readonly modelId: string;
  readonly latencyMs: number;
  /** Set when a guardrail intervened (Bedrock Guardrails or a local screen). */
  readonly guardrail?: { readonly source: string; readonly action: string };
}

/**
 * A model behind the Converse API shape. `isLanguageModel` is false for the offline planner, which
 * is never presented as an LLM.
 */
export interface ModelClient {
  readonly label: string;
  readonly isLanguageModel: boolean;
  converse(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse>;
  /**
   * `converse`, streamed: each text delta goes to `onText` as the model produces it (raw: the
   * caller redacts), and the same response is returned, assembled from the stream. Optional: the
   * loop falls back to `converse` (and one final text event) for clients without it.
   */
  converseStream?(
    request: ModelRequest,
    onText: (delta: string) => void,
    signal?: AbortSignal,
  ): Promise<ModelResponse>;
}
