import type { ModelTier, StopReason, Usage } from '../model/types.ts';

/** A tool call's arguments as the trace keeps them, per the tool's audit level. */
export type TracedArgs =
  | { readonly level: 'full'; readonly args: unknown }
  | { readonly level: 'metadata'; readonly argKeys: readonly string[]; readonly size: number };

export type LimitKind =
  | 'max_iterations'
  | 'token_budget'
  | 'tool_cap'
  | 'loop_detected'
  | 'circuit_open'
  | 'max_tokens'
  | 'model_error'
  /** The thread's history no longer fits the model's context window, even trimmed. */
  | 'context_full';

/** What a `limit` trace event can name: a limit that ended the turn, or history dropped to fit. */
export type TraceLimit = LimitKind | 'history_trimmed';

export type GuardrailKind =
  | 'prompt_injection'
  | 'off_topic'
  | 'redaction'
  | 'bedrock_guardrail'
  | 'content_filter'
  /** The injection screen scored the input above zero but under its threshold: recorded, not refused. */
  | 'injection_score';

/** One step of a turn, as the trace store (and `settleops trace ID`) sees it. */
export type TraceEvent =
  | {
      readonly type: 'model_call';
      readonly at: string;
      readonly iteration: number;
      readonly modelId: string;
      readonly tier: ModelTier;
      readonly latencyMs: number;
      readonly usage: Usage;
      readonly stopReason: StopReason;
    }
  | {
      readonly type: 'tool_call';
      readonly at: string;
      readonly iteration: number;
      readonly name: string;
      readonly toolUseId: string;
      readonly args: TracedArgs;
      /** Characters of the tool result as sent back to the model. */
      readonly resultSize: number;
      readonly latencyMs: number;
      readonly ok: boolean;
      /** The tool's outcome code or the loop's refusal (`UNKNOWN_TOOL`, `FORBIDDEN`, `INVALID_INPUT`, …). */
      readonly code?: string;
    }
  | {
      readonly type: 'guardrail';
      readonly at: string;
      /** Where the intervention happened. */
      readonly stage: 'input' | 'tool_result' | 'output' | 'model';
      readonly kind: GuardrailKind;
      readonly detail: string;
      /** The injection screen's score (0–1) and the signals behind it, when it scored the text. */
      readonly score?: number;
      readonly signals?: readonly string[];
    }
  | {
      readonly type: 'limit';
      readonly at: string;
      readonly limit: TraceLimit;
      readonly detail: string;
    };

/** Where a turn's steps go. The traces store implements it; tests use `MemoryTraceSink`. */
export interface TraceSink {
  record(event: TraceEvent): void;
}

/** Keeps events in an array. */
export class MemoryTraceSink implements TraceSink {
  readonly events: TraceEvent[] = [];
  record(event: TraceEvent): void {
    this.events.push(event);
  }
  ofType<T extends TraceEvent['type']>(type: T): Extract<TraceEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
  }
}

export const NOOP_TRACE_SINK: TraceSink = { record: () => {} };

/** The trace form of a tool's arguments: in full, or only their top-level keys and JSON size. */
export function traceArgs(auditLevel: 'full' | 'metadata', args: unknown): TracedArgs {
  if (auditLevel === 'full') return { level: 'full', args };
  const argKeys =
    args !== null && typeof args === 'object' && !Array.isArray(args) ? Object.keys(args).sort() : [];
  return { level: 'metadata', argKeys, size: (JSON.stringify(args) ?? '').length };
}
