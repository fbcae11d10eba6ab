import { z } from 'zod';

/** Token counts as the Converse API reports them (or as estimated for the offline planner). */
export const TokenCounts = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheRead: z.number().int().nonnegative(),
  cacheWrite: z.number().int().nonnegative(),
});
export type TokenCounts = z.infer<typeof TokenCounts>;

const stepBase = {
  /** When the step started (ISO 8601). */
  at: z.string(),
  latencyMs: z.number().nonnegative(),
};

export const ModelStep = z.object({
  kind: z.literal('model'),
  ...stepBase,
  iteration: z.number().int().nonnegative().optional(),
  /** The model that answered (after any fallback), or `offline-planner`. */
  modelId: z.string(),
  tier: z.enum(['fast', 'strong']).optional(),
  stopReason: z.string(),
  tokens: TokenCounts,
  /** True when the tokens were estimated by SettleOps (offline planner), not reported by Bedrock. */
  estimated: z.boolean(),
});
export type ModelStep = z.infer<typeof ModelStep>;

export const ToolStep = z.object({
  kind: z.literal('tool'),
  ...stepBase,
  iteration: z.number().int().nonnegative().optional(),
  name: z.string(),
  auditLevel: z.enum(['full', 'metadata']),
  /** The arguments as called, for `full`-audit tools (large ones truncated). */
  arguments: z.unknown().optional(),
  /** Only the argument names and JSON size, for `metadata`-audit tools. */
  argumentNames: z.array(z.string()).optional(),
  argumentsSize: z.number().int().nonnegative().optional(),
  /** `ok`, or the tool's error code / the loop's refusal (NOT_FOUND_OR_NOT_PERMITTED, LOOP, …). */
  outcome: z.string(),
  /** Characters of the result handed back to the model. */
  resultSize: z.number().int().nonnegative(),
});
export type ToolStep = z.infer<typeof ToolStep>;

export const GuardrailStep = z.object({
  kind: z.literal('guardrail'),
  ...stepBase,
  /** `prompt_injection`, `off_topic`, `redaction`, `bedrock_guardrail`, `content_filter`. */
  guardrail: z.string(),
  stage: z.enum(['input', 'tool_result', 'output', 'model']),
  detail: z.string(),
  /** The injection screen's score (0–1) and the signals behind it, when it scored the text. */
  score: z.number().min(0).max(1).optional(),
  signals: z.array(z.string()).optional(),
});
export type GuardrailStep = z.infer<typeof GuardrailStep>;

export const LimitStep = z.object({
  kind: z.literal('limit'),
  ...stepBase,
  /** `max_iterations`, `token_budget`, `tool_cap`, `loop_detected`, `circuit_open`, … */
  limit: z.string(),
  detail: z.string(),
});
export type LimitStep = z.infer<typeof LimitStep>;

export const TraceStep = z.discriminatedUnion('kind', [ModelStep, ToolStep, GuardrailStep, LimitStep]);
export type TraceStep = z.infer<typeof TraceStep>;

/** Questions are stored truncated to this many characters. */
export const MAX_TRACE_QUESTION = 500;

/**
 * What one invocation did: retrievable by id ("Why?" in Slack, `settleops trace ID`). The question
 * is stored as given (truncated); the guardrails step redacts it before it reaches the recorder.
 */
export const Trace = z.object({
  traceId: z.string().min(1),
  sessionId: z.string(),
  principalId: z.string(),
  question: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  steps: z.array(TraceStep),
  totals: TokenCounts,
  estimatedCostUsd: z.number().nonnegative(),
  /** Models that answered but have no price (configure SETTLEOPS_MODEL_PRICES); their cost counts as 0. */
  unpricedModels: z.array(z.string()).optional(),
  /** `offline-planner` or the model id that answered. */
  answeredBy: z.string(),
  /** Set when a limit or guardrail ended the turn early. */
  stoppedBy: z.string().optional(),
});
export type Trace = z.infer<typeof Trace>;

export const ZERO_TOKENS: TokenCounts = { inputTokens: 0, outputTokens: 0, cacheRead: 0, cacheWrite: 0 };

export function sumTokens(steps: readonly TraceStep[]): TokenCounts {
  const totals = { ...ZERO_TOKENS };
  for (const s of steps) {
    if (s.kind !== 'model') continue;
    totals.inputTokens += s.tokens.inputTokens;
    totals.outputTokens += s.tokens.outputTokens;
    totals.cacheRead += s.tokens.cacheRead;
    totals.cacheWrite += s.tokens.cacheWrite;
  }
  return totals;
}
