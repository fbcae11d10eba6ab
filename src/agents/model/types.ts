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

/** Converse `toolChoice`: sent only to models whose capabilities list it (else the model decides). */
export type ToolChoice = 'auto' | 'any' | { readonly tool: string };

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
  readonly toolChoice?: ToolChoice;
}

/**
 * Why the model stopped, as Converse says it (`model_context_window_exceeded` shortened;
 * `malformed_model_output` and `malformed_tool_use` are both `malformed_output`).
 */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'context_window_exceeded'
  | 'malformed_output';

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
  readonly guardrail?: GuardrailOutcome;
  /**
   * Set when the output limit cut a tool use short (`max_tokens`): its input was incomplete, so it was
   * left out of `message` and must not run.
   */
  readonly cutToolUse?: boolean;
}

export interface GuardrailOutcome {
  readonly source: string;
  readonly action: string;
  /** Which side it stopped: the question (input) or the model's answer (output), when it says. */
  readonly stage?: 'input' | 'output';
  /** What it found (policies, topics, filters), from its trace. */
  readonly detail?: string;
}

/** What the loop needs to tell the context window's size and the output limit of a tier's model. */
export interface ModelLimits {
  readonly contextWindowTokens: number;
  readonly maxOutputTokens: number;
}

/** Why a model call failed, for the loop: `ModelCallError` carries it; any other error is `refused`. */
export type ModelFailureReason = 'busy' | 'context_window' | 'incomplete' | 'refused';

export function modelFailureOf(error: unknown): {
  readonly reason: ModelFailureReason;
  readonly transient: boolean;
} {
  if (error instanceof Error && 'reason' in error && typeof error.reason === 'string') {
    const reason = error.reason as ModelFailureReason;
    return { reason, transient: 'transient' in error && error.transient === true };
  }
  return { reason: 'refused', transient: false };
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
  /** The context window and output limit of the tier's model; absent when unbounded (the offline planner). */
  limits?(tier: ModelTier): ModelLimits;
}
