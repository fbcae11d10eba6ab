import { context as otelContext, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { type Clock, systemClock } from '../../clock.ts';
import { hasRole } from '../../identity/index.ts';
import { type Guardrails, LocalGuardrails } from '../guardrails/guardrails.ts';
import { describeScore } from '../guardrails/injection-screen.ts';
import { collectAccountIds, type Redaction } from '../guardrails/redactor.ts';
import { StreamRedactor } from '../guardrails/stream-redactor.ts';
import { delimitToolData, untrustedTag } from '../guardrails/untrusted-data.ts';
import { createTurnLimits, type TurnLimits } from '../limits/session-limits.ts';
import { messagesTokens, prefixTokens } from '../model/token-estimate.ts';
import {
  type ContentBlock,
  type Message,
  type ModelClient,
  type ModelRequest,
  type ModelResponse,
  type ModelTier,
  modelFailureOf,
  type ToolResult,
  type ToolSpec,
  type ToolUse,
  type Usage,
} from '../model/types.ts';
import type { AgentTool, RecordRef, ToolContext, ToolOutcome } from '../tools/tool.ts';
import { fitHistory, type HistoryLimits, wholeTurns } from './history.ts';
import { describeIssues, progressMessage, toolSpecOf } from './tool-specs.ts';
import { type LimitKind, NOOP_TRACE_SINK, type TraceSink, traceArgs } from './trace.ts';

/** Why a turn ended. `end_turn` is the normal case; the rest are guardrails, limits and failures. */
export type TurnStopReason =
  | 'end_turn'
  | 'prompt_injection'
  | 'off_topic'
  | 'guardrail_intervened'
  | 'content_filtered'
  | 'max_tokens'
  | LimitKind
  | 'aborted';

/** Progress while a turn runs (streamed to Slack / SSE). */
export type TurnProgress =
  | { readonly type: 'progress'; readonly message: string }
  | { readonly type: 'text'; readonly delta: string };

export interface RunTurnOptions {
  readonly model: ModelClient;
  readonly system: string;
  /** Per-person context after the system prompt (the asker's remembered facts). */
  readonly context?: string;
  /**
   * The conversation so far (earlier turns' messages, e.g. each turn's `TurnResult.messages`). Sent
   * by whole turns only: the most recent that fit `historyLimits` and the model's context window.
   */
  readonly history: readonly Message[];
  /** Earlier turns and their estimated tokens kept at most (within the context window in any case). */
  readonly historyLimits?: HistoryLimits;
  readonly question: string;
  /** This agent's tool subset; any other tool the model names is refused. */
  readonly tools: readonly AgentTool[];
  /** The catalog's specs for `tools`; generated from the zod schemas when absent. */
  readonly toolSpecs?: readonly ToolSpec[];
  /**
   * Builds the context tools run with. Called once per turn; the principal, session id and trace id
   * the loop uses for role checks and limits are read from it.
   */
  readonly toolContext: () => ToolContext;
  /** Default `strong`. */
  readonly tier?: ModelTier;
  /** Output tokens per model call. Default 1024. */
  readonly maxTokens?: number;
  /** Default: `createTurnLimits()` (in memory, fresh — pass the shared one so limits span turns). */
  readonly limits?: TurnLimits;
  /** Default: `LocalGuardrails`. */
  readonly guardrails?: Guardrails;
  readonly trace?: TraceSink;
  readonly onProgress?: (event: TurnProgress) => void;
  readonly signal?: AbortSignal;
  /** The clock (trace timestamps, latency); the system clock by default. */
  readonly now?: Clock;
  /** The breaker name for the model. Default `model`. */
  readonly modelDownstream?: string;
  /** The breaker name for a tool's downstream. Default: the tool's name. */
  readonly downstreamOf?: (tool: AgentTool) => string;
}

export interface TurnResult {
  /** The answer (or the limit/guardrail message), redacted. */
  readonly text: string;
  /** Union of the records the tools returned. */
  readonly records: readonly RecordRef[];
  readonly stopReason: TurnStopReason;
  /** Summed over the turn's model calls; `estimated` when any call was estimated. */
  readonly usage: Usage;
  /** Model calls made. */
  readonly iterations: number;
  /** The model that gave the last response, or the client's label when none did. */
  readonly answeredBy: string;
  /**
   * This turn's messages to append to the conversation: the question, tool exchanges, and a final
   * assistant message holding `text`. Every tool use has its result, so the history stays valid. A
   * question the guardrail blocked is kept as `BLOCKED_QUESTION`, so it never reaches a model again.
   */
  readonly messages: readonly Message[];
  /** Set when Bedrock Guardrails blocked the question itself (its input assessment). */
  readonly questionBlocked?: true;
}

/** Stands in for a question the guardrail blocked, in the turn's messages and the stored thread. */
export const BLOCKED_QUESTION = '(A question the guardrail blocked.)';

/** Share of the context window the request may fill by the estimate: tokenizers count differently. */
const WINDOW_MARGIN = 0.9;

const ZERO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
  estimated: false,
};

function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
    cacheWriteInputTokens: a.cacheWriteInputTokens + b.cacheWriteInputTokens,
    estimated: a.estimated || b.estimated,
  };
}

/** What handling one tool use produced: a result for the model, or a limit that ends the turn. */
type ToolStep =
  | { readonly kind: 'result'; readonly result: ToolResult }
  | { readonly kind: 'stop'; readonly reason: LimitKind; readonly message: string; readonly detail: string };

const tracer = () => trace.getTracer('settleops-agents');

const textOf = (message: Message): string =>
  message.content
    .map((b) => ('text' in b ? b.text : ''))
    .filter((t) => t !== '')
    .join('\n')
    .trim();

const toolUsesOf = (message: Message): ToolUse[] =>
  message.content.flatMap((b) => ('toolUse' in b ? [b.toolUse] : []));

const errorText = (toolUseId: string, text: string): ToolResult => ({
  toolUseId,
  content: [{ text }],
  status: 'error',
});

/**
 * Runs one ReAct turn: model → tool uses → tool results → model …, until the model answers or a
 * guardrail or limit ends the turn. Never throws for expected outcomes (limits, guardrails, model or
 * tool failures): they end the turn with a clear message, a trace entry and a `stopReason`.
 */
export async function runTurn(options: RunTurnOptions): Promise<TurnResult> {
  const turn = new Turn(options);
  return turn.run();
}

class Turn {
  readonly #o: RunTurnOptions;
  readonly #ctx: ToolContext;
  readonly #limits: TurnLimits;
  readonly #guardrails: Guardrails;
  readonly #trace: TraceSink;
  readonly #now: () => number;
  readonly #tools: ReadonlyMap<string, AgentTool>;
  readonly #specs: readonly ToolSpec[];
  readonly #messages: Message[] = [];
  readonly #records = new Map<string, RecordRef>();
  readonly #accounts = new Set<string>();
  /**
   * Set when the turn streams partial text (an `onProgress` listener and a model with
   * `converseStream`): the redacted text released so far, which `done` repeats as the answer.
   */
  readonly #stream: { shown: string; readonly redactions: Map<Redaction['kind'], number> } | undefined;
  #usage: Usage = ZERO_USAGE;
  #iterations = 0;
  readonly #history: ReturnType<typeof wholeTurns>;
  /** Earlier turns dropped so far (recorded in the trace each time it grows). */
  #historyDropped = 0;
  /** Set after the context window was exceeded: the retry sends no earlier turns. */
  #withoutHistory = false;
  #questionBlocked = false;
  #answeredBy: string;
  #span: Span | undefined;

  constructor(options: RunTurnOptions) {
    this.#o = options;
    this.#ctx = options.toolContext();
    this.#limits = options.limits ?? createTurnLimits();
    this.#guardrails = options.guardrails ?? new LocalGuardrails();
    this.#trace = options.trace ?? NOOP_TRACE_SINK;
    const clock = options.now ?? systemClock;
    this.#now = () => clock().getTime();
    this.#tools = new Map(options.tools.map((t) => [t.name, t]));
    this.#specs = options.toolSpecs ?? options.tools.map(toolSpecOf);
    this.#history = wholeTurns(options.history);
    this.#answeredBy = options.model.label;
    this.#stream =
      options.onProgress !== undefined && options.model.converseStream !== undefined
        ? { shown: '', redactions: new Map() }
        : undefined;
  }

  #at(): string {
    return new Date(this.#now()).toISOString();
  }

  async run(): Promise<TurnResult> {
    const span = tracer().startSpan('invoke_agent settleops', {
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'session.id': this.#ctx.sessionId,
        'settleops.trace_id': this.#ctx.traceId,
        'settleops.principal_id': this.#ctx.principal.principalId,
      },
    });
    this.#span = span;
    try {
      // Active for the turn, so trace sinks and tools that add span events reach this span.
      const result = await otelContext.with(trace.setSpan(otelContext.active(), span), () => this.#run());
      span.setAttributes({
        'settleops.stop_reason': result.stopReason,
        'settleops.iterations': result.iterations,
        'gen_ai.usage.input_tokens': result.usage.inputTokens,
        'gen_ai.usage.output_tokens': result.usage.outputTokens,
      });
      return result;
    } catch (error) {
      // A bug, not an expected outcome: still answer the user, and leave it in the span.
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      return this.#finish(
        'model_error',
        'Something went wrong while answering; the details are in the trace.',
      );
    } finally {
      span.end();
    }
  }

  async #run(): Promise<TurnResult> {
    const { question } = this.#o;
    this.#messages.push({ role: 'user', content: [{ text: question }] });

    const verdict = this.#guardrails.screenInput(question);
    const scored =
      verdict.injection === undefined
        ? {}
        : { score: verdict.injection.score, signals: verdict.injection.signals.map((s) => s.name) };
    if (!verdict.allowed) {
      this.#trace.record({
        type: 'guardrail',
        at: this.#at(),
        stage: 'input',
        kind: verdict.kind,
        detail: verdict.detail,
        ...scored,
      });
      return this.#finish(verdict.kind, verdict.message);
    }
    if (verdict.injection !== undefined) {
      this.#trace.record({
        type: 'guardrail',
        at: this.#at(),
        stage: 'input',
        kind: 'injection_score',
        detail: describeScore(verdict.injection),
        ...scored,
      });
    }

    const sessionId = this.#ctx.sessionId;
    const modelBreaker = this.#limits.breakers.get(this.#o.modelDownstream ?? 'model');
    while (this.#iterations < this.#limits.maxIterations) {
      if (this.#o.signal?.aborted) return this.#finish('aborted', 'The request was cancelled.');
      const budget = await this.#limits.tokenBudget.state(sessionId);
      if (budget.exceeded)
        return this.#limitStop('token_budget', budgetMessage(budget), `${budget.used}/${budget.limit}`);
      if (!modelBreaker.tryAcquire()) {
        return this.#limitStop('circuit_open', unavailableMessage('The model service'), modelBreaker.name);
      }

      this.#iterations++;
      let response: ModelResponse;
      const shownBefore = this.#stream?.shown.length ?? 0;
      try {
        response = await this.#callModel();
        modelBreaker.recordSuccess();
      } catch (error) {
        if (this.#o.signal?.aborted) {
          modelBreaker.recordFailure();
          return this.#finish('aborted', 'The request was cancelled.');
        }
        const failure = modelFailureOf(error);
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (failure.reason === 'context_window') {
          // The service answered: the request was too long, which is the thread's, not the service's.
          modelBreaker.recordSuccess();
          if (this.#retryWithoutHistory(detail)) continue;
          return this.#contextFull(detail);
        }
        modelBreaker.recordFailure();
        return this.#limitStop('model_error', modelErrorMessage(failure), detail);
      }

      this.#answeredBy = response.modelId;
      this.#usage = addUsage(this.#usage, response.usage);
      const charged = await this.#limits.tokenBudget.charge(sessionId, response.usage);
      this.#messages.push(response.message);

      if (response.guardrail !== undefined) {
        const { source, action, stage, detail } = response.guardrail;
        this.#trace.record({
          type: 'guardrail',
          at: this.#at(),
          stage: stage === 'input' ? 'input' : 'model',
          kind: response.stopReason === 'content_filtered' ? 'content_filter' : 'bedrock_guardrail',
          detail: `${source}: ${action}${detail === undefined ? '' : ` (${detail})`}`,
        });
        if (response.stopReason === 'guardrail_intervened' && stage === 'input') this.#questionBlocked = true;
      }

      switch (response.stopReason) {
        case 'end_turn':
        case 'stop_sequence':
          return this.#finishAnswer('end_turn', response.message, 'I have no answer to that.');
        case 'guardrail_intervened':
          return this.#finishAnswer(
            'guardrail_intervened',
            response.message,
            'The guardrail blocked this answer.',
          );
        case 'content_filtered':
          if (response.guardrail === undefined) {
            this.#trace.record({
              type: 'guardrail',
              at: this.#at(),
              stage: 'model',
              kind: 'content_filter',
              detail: 'content_filtered',
            });
          }
          return this.#finish(
            'content_filtered',
            'The model service filtered this answer, so I cannot show it.',
          );
        case 'context_window_exceeded': {
          const emitted = (this.#stream?.shown.length ?? 0) > shownBefore;
          const detail = 'stopReason model_context_window_exceeded';
          if (!emitted) {
            this.#messages.pop();
            if (this.#retryWithoutHistory(detail)) continue;
          }
          return this.#contextFull(detail);
        }
        case 'malformed_output':
          return this.#limitStop(
            'model_error',
            'The model produced an answer I could not read (malformed output). Please ask again.',
            'stopReason malformed_model_output or malformed_tool_use',
          );
        case 'max_tokens': {
          const cut = response.cutToolUse === true || toolUsesOf(response.message).length > 0;
          this.#trace.record({
            type: 'limit',
            at: this.#at(),
            limit: 'max_tokens',
            detail: `maxTokens=${this.#maxTokens()}${cut ? '; a tool call was cut short and not run' : ''}`,
          });
          if (cut) {
            return this.#finishAnswer(
              'max_tokens',
              { role: 'assistant', content: [] },
              'I was cut off at the output length limit while preparing a look-up, so I ran nothing. Please ask a narrower question.',
              '(Cut off at the output length limit while preparing a look-up: nothing was run. Ask a narrower question.)',
            );
          }
          return this.#finishAnswer(
            'max_tokens',
            response.message,
            'The answer was cut short at the output length limit before I could finish. Please ask a narrower question.',
            '(The answer was cut short at the output length limit. Ask a narrower question for the rest.)',
          );
        }
        case 'tool_use':
          break;
      }

      const uses = toolUsesOf(response.message);
      if (uses.length === 0)
        return this.#finishAnswer('end_turn', response.message, 'I have no answer to that.');
      const results: ToolResult[] = [];
      // Look-ups asked for together (the same search over several days) run at once; anything that
      // writes runs alone, in order. Results keep the order the model asked in.
      const readOnly = uses.every((u) => this.#tools.get(u.name)?.risk === 'read');
      const steps = readOnly ? uses.map((use) => this.#handleToolUse(use)) : undefined;
      for (const [i, use] of uses.entries()) {
        const step = await (steps?.[i] ?? this.#handleToolUse(use));
        if (step.kind === 'stop') {
          if (steps !== undefined) await Promise.allSettled(steps);
          return this.#limitStop(step.reason, step.message, step.detail, results);
        }
        results.push(step.result);
      }
      this.#messages.push({ role: 'user', content: results.map((toolResult) => ({ toolResult })) });
      if (charged.exceeded)
        return this.#limitStop('token_budget', budgetMessage(charged), `${charged.used}/${charged.limit}`);
    }
    return this.#limitStop(
      'max_iterations',
      `I stopped after ${this.#limits.maxIterations} steps without reaching an answer. Try a narrower question (one trade id, one desk or one date).`,
      `maxIterations=${this.#limits.maxIterations}`,
    );
  }

  #maxTokens(): number {
    return this.#o.maxTokens ?? 1024;
  }

  /**
   * The earlier turns this call can carry: whole turns, the most recent first, within the history
   * limits and what the model's context window leaves after the prompt, the tools, this turn and the
   * output. Each time more turns are dropped, the trace says how many.
   */
  #historyForCall(tier: ModelTier): Message[] {
    const limits = this.#o.historyLimits ?? {};
    let maxTokens = limits.maxTokens ?? Number.POSITIVE_INFINITY;
    const window = this.#o.model.limits?.(tier);
    if (window !== undefined) {
      const fixed =
        prefixTokens(`${this.#o.system}\n${this.#o.context ?? ''}`, this.#specs) +
        messagesTokens(this.#messages) +
        Math.min(this.#maxTokens(), window.maxOutputTokens);
      maxTokens = Math.min(
        maxTokens,
        Math.max(0, Math.floor(window.contextWindowTokens * WINDOW_MARGIN) - fixed),
      );
    }
    const fitted = fitHistory(this.#history, {
      maxTokens,
      ...(this.#withoutHistory
        ? { maxTurns: 0 }
        : limits.maxTurns === undefined
          ? {}
          : { maxTurns: limits.maxTurns }),
    });
    if (fitted.dropped > this.#historyDropped) {
      this.#historyDropped = fitted.dropped;
      this.#trace.record({
        type: 'limit',
        at: this.#at(),
        limit: 'history_trimmed',
        detail: `dropped ${fitted.dropped} of ${fitted.turns} earlier turns (kept ${fitted.turns - fitted.dropped}, ≈${fitted.tokens} tokens${Number.isFinite(maxTokens) ? ` of ≈${maxTokens} available` : ''})`,
      });
    }
    return fitted.messages;
  }

  /**
   * After the context window was exceeded: once, and only when earlier turns were sent, the call is
   * made again without them. False when there is nothing left to drop.
   */
  #retryWithoutHistory(detail: string): boolean {
    const sent = this.#history.length - this.#historyDropped;
    if (this.#withoutHistory || sent === 0) return false;
    this.#withoutHistory = true;
    this.#historyDropped = this.#history.length;
    this.#trace.record({
      type: 'limit',
      at: this.#at(),
      limit: 'history_trimmed',
      detail: `context window exceeded (${detail}): retrying without the ${sent} earlier turns`,
    });
    return true;
  }

  #contextFull(detail: string): TurnResult {
    return this.#limitStop(
      'context_full',
      'This thread’s context is full: the conversation is now too long for the model. Start a new thread to continue.',
      detail,
    );
  }

  async #callModel(): Promise<ModelResponse> {
    const tier = this.#o.tier ?? 'strong';
    const span = tracer().startSpan(
      'chat',
      { attributes: { 'gen_ai.operation.name': 'chat', 'settleops.model_tier': tier } },
      this.#parentContext(),
    );
    const request = {
      system: this.#o.system,
      ...(this.#o.context === undefined ? {} : { context: this.#o.context }),
      messages: [...this.#historyForCall(tier), ...this.#messages],
      tools: this.#specs,
      tier,
      maxTokens: this.#maxTokens(),
    };
    try {
      const response = await this.#withSpan(span, () => this.#converse(request));
      span.updateName(`chat ${response.modelId}`);
      span.setAttributes({
        'gen_ai.response.model': response.modelId,
        'gen_ai.usage.input_tokens': response.usage.inputTokens,
        'gen_ai.usage.output_tokens': response.usage.outputTokens,
        'gen_ai.response.finish_reasons': [response.stopReason],
      });
      this.#trace.record({
        type: 'model_call',
        at: this.#at(),
        iteration: this.#iterations,
        modelId: response.modelId,
        tier,
        latencyMs: response.latencyMs,
        usage: response.usage,
        stopReason: response.stopReason,
      });
      return response;
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * One model call. When streaming, the text deltas go out as `text` progress events through a
   * `StreamRedactor` (redacted, released at safe boundaries, the rest flushed when the call ends).
   * Text before a tool use (the model thinking aloud: "Let me look that up.") is forwarded too: it
   * is the first feedback the user gets, and a streamed delta cannot be taken back once the tool use
   * arrives. The messages of one turn are separated by a blank line.
   */
  async #converse(request: ModelRequest): Promise<ModelResponse> {
    const { model, signal } = this.#o;
    const stream = this.#stream;
    if (stream === undefined || model.converseStream === undefined) return model.converse(request, signal);
    const redactor = new StreamRedactor((segment) => this.#redactSegment(segment));
    let separated = false;
    const release = (text: string): void => {
      let delta = text;
      if (!separated) {
        // The answer starts at its first non-blank character, after a blank line when text came before.
        delta = delta.trimStart();
        if (delta === '') return;
        if (stream.shown !== '') delta = `\n\n${delta}`;
        separated = true;
      }
      this.#emitText(delta);
    };
    try {
      return await model.converseStream(request, (delta) => release(redactor.push(delta)), signal);
    } finally {
      release(redactor.flush());
    }
  }

  #redactSegment(segment: string): string {
    const redacted = this.#guardrails.redactOutput(segment, {
      principal: this.#ctx.principal,
      knownAccounts: this.#accounts,
    });
    for (const { kind, count } of redacted.redactions) {
      this.#stream?.redactions.set(kind, (this.#stream.redactions.get(kind) ?? 0) + count);
    }
    return redacted.text;
  }

  #emitText(delta: string): void {
    if (delta === '') return;
    if (this.#stream !== undefined) this.#stream.shown += delta;
    this.#o.onProgress?.({ type: 'text', delta });
  }

  #withSpan<T>(span: Span, fn: () => Promise<T>): Promise<T> {
    return otelContext.with(trace.setSpan(this.#parentContext(), span), fn);
  }

  #parentContext() {
    return this.#span === undefined ? otelContext.active() : trace.setSpan(otelContext.active(), this.#span);
  }

  async #handleToolUse(use: ToolUse): Promise<ToolStep> {
    const started = this.#now();
    const tool = this.#tools.get(use.name);
    const refuse = (code: string, text: string): ToolStep => {
      const result = errorText(use.toolUseId, text);
      this.#traceTool(use, tool?.auditLevel ?? 'metadata', started, result, false, code);
      return { kind: 'result', result };
    };
    if (tool === undefined) {
      const available = [...this.#tools.keys()].join(', ') || 'none';
      return refuse(
        'UNKNOWN_TOOL',
        `Unknown tool "${use.name}" for this agent. Available tools: ${available}.`,
      );
    }
    if (!hasRole(this.#ctx.principal, tool.requiredRole)) {
      return refuse(
        'FORBIDDEN',
        `${tool.name} requires the ${tool.requiredRole} role, which this user does not have.`,
      );
    }

    const sessionId = this.#ctx.sessionId;
    const loop = await this.#limits.loopDetector.observe(sessionId, tool.name, use.input);
    if (loop.loop) {
      this.#traceTool(use, tool.auditLevel, started, undefined, false, 'LOOP');
      return {
        kind: 'stop',
        reason: 'loop_detected',
        message: `I stopped because I was repeating the same lookup (${tool.name} with the same arguments) without making progress.`,
        detail: `${tool.name} called ${loop.repeats} times with the same arguments`,
      };
    }

    const parsed = tool.input.safeParse(use.input);
    if (!parsed.success) {
      return refuse(
        'INVALID_INPUT',
        `Invalid input for ${tool.name}: ${describeIssues(parsed.error)}. Correct the input and call the tool again.`,
      );
    }

    const cap = await this.#limits.toolCaps.acquire(sessionId, tool);
    if (!cap.allowed) {
      this.#traceTool(use, tool.auditLevel, started, undefined, false, 'LIMIT');
      return {
        kind: 'stop',
        reason: 'tool_cap',
        message: `I've reached the limit of ${cap.cap} ${tool.name} calls for this conversation. Start a new thread or ask a narrower question.`,
        detail: `${tool.name}: call ${cap.count} over cap ${cap.cap}`,
      };
    }

    const breaker = this.#limits.breakers.get(this.#o.downstreamOf?.(tool) ?? tool.name);
    if (!breaker.tryAcquire()) {
      this.#traceTool(use, tool.auditLevel, started, undefined, false, 'CIRCUIT_OPEN');
      return {
        kind: 'stop',
        reason: 'circuit_open',
        message: unavailableMessage(`The ${breaker.name} service`),
        detail: `breaker ${breaker.name} open`,
      };
    }

    this.#o.onProgress?.({ type: 'progress', message: progressMessage(tool.name) });
    const span = tracer().startSpan(
      `execute_tool ${tool.name}`,
      {
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': tool.name,
          'gen_ai.tool.call.id': use.toolUseId,
        },
      },
      this.#parentContext(),
    );
    let outcome: ToolOutcome;
    try {
      outcome = await this.#withSpan(span, () => tool.run(parsed.data, this.#ctx));
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      outcome = { ok: false, code: 'FAILED', message: 'The tool failed unexpectedly.' };
    }
    if (!outcome.ok && outcome.code === 'FAILED') {
      breaker.recordFailure();
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.message });
    } else {
      breaker.recordSuccess();
    }
    span.end();

    let result: ToolResult;
    if (outcome.ok) {
      for (const record of outcome.records) this.#records.set(`${record.kind}:${record.id}`, record);
      collectAccountIds(outcome.data, this.#accounts);
      const screened = this.#guardrails.screenToolResult(outcome.data);
      for (const detail of screened.interventions) {
        this.#trace.record({
          type: 'guardrail',
          at: this.#at(),
          stage: 'tool_result',
          kind: 'prompt_injection',
          detail: `${tool.name} ${detail}`,
        });
      }
      // Data, never instructions: between markers the agents' instructions tell the model not to follow.
      const tag = untrustedTag(this.#ctx.traceId, use.toolUseId);
      result = {
        toolUseId: use.toolUseId,
        content: delimitToolData(tool.name, tag, asJsonObject(screened.value)),
        status: 'success',
      };
    } else {
      result = {
        toolUseId: use.toolUseId,
        content: [{ json: { error: outcome.code, message: outcome.message } }],
        status: 'error',
      };
    }
    this.#traceTool(use, tool.auditLevel, started, result, outcome.ok, outcome.ok ? undefined : outcome.code);
    return { kind: 'result', result };
  }

  #traceTool(
    use: ToolUse,
    auditLevel: 'full' | 'metadata',
    started: number,
    result: ToolResult | undefined,
    ok: boolean,
    code: string | undefined,
  ): void {
    this.#trace.record({
      type: 'tool_call',
      at: this.#at(),
      iteration: this.#iterations,
      name: use.name,
      toolUseId: use.toolUseId,
      args: traceArgs(auditLevel, use.input),
      resultSize: result === undefined ? 0 : (JSON.stringify(result.content) ?? '').length,
      latencyMs: this.#now() - started,
      ok,
      ...(code === undefined ? {} : { code }),
    });
  }

  #limitStop(
    reason: LimitKind,
    message: string,
    detail: string,
    partialResults: readonly ToolResult[] = [],
  ): TurnResult {
    this.#trace.record({ type: 'limit', at: this.#at(), limit: reason, detail });
    this.#span?.addEvent('limit', { 'settleops.limit': reason, 'settleops.detail': detail });
    return this.#finish(reason, message, partialResults);
  }

  /**
   * Ends the turn with the model's answer. Without streaming: its text, or `fallback` when it has
   * none, with `suffix` after it. Streaming: the text has already been released, so only the
   * fallback (nothing was shown) or the suffix is added.
   */
  #finishAnswer(stopReason: TurnStopReason, message: Message, fallback: string, suffix?: string): TurnResult {
    if (this.#stream !== undefined) {
      return this.#finish(stopReason, this.#stream.shown === '' ? fallback : (suffix ?? ''));
    }
    const text = textOf(message);
    if (text === '') return this.#finish(stopReason, fallback);
    return this.#finish(stopReason, suffix === undefined ? text : `${text}\n\n${suffix}`);
  }

  /**
   * Ends the turn: redacts the text, closes any tool uses left without results (so the stored
   * conversation stays valid for the next turn) and appends the final assistant message.
   */
  #finish(
    stopReason: TurnStopReason,
    rawText: string,
    partialResults: readonly ToolResult[] = [],
  ): TurnResult {
    const last = this.#messages.at(-1);
    if (last?.role === 'assistant') {
      const pending = toolUsesOf(last);
      if (pending.length > 0) {
        const answered = new Set(partialResults.map((r) => r.toolUseId));
        const results = [
          ...partialResults,
          ...pending
            .filter((u) => !answered.has(u.toolUseId))
            .map((u) => errorText(u.toolUseId, 'Not run: the turn ended before this tool call.')),
        ];
        this.#messages.push({ role: 'user', content: results.map((toolResult) => ({ toolResult })) });
      } else {
        // The model's own final message is replaced by the redacted text below.
        this.#messages.pop();
      }
    }
    const redacted = this.#guardrails.redactOutput(rawText, {
      principal: this.#ctx.principal,
      knownAccounts: this.#accounts,
    });
    const stream = this.#stream;
    let text = redacted.text;
    let redactions: readonly Redaction[] = redacted.redactions;
    if (stream !== undefined) {
      // Streaming: the answer is what was shown, plus this text (a limit message, a suffix) if any.
      for (const { kind, count } of redacted.redactions) {
        stream.redactions.set(kind, (stream.redactions.get(kind) ?? 0) + count);
      }
      redactions = [...stream.redactions].map(([kind, count]) => ({ kind, count }));
      if (text !== '') this.#emitText(stream.shown === '' ? text : `\n\n${text}`);
      text = stream.shown;
    }
    if (redactions.length > 0) {
      this.#trace.record({
        type: 'guardrail',
        at: this.#at(),
        stage: 'output',
        kind: 'redaction',
        detail: redactions.map((r) => `${r.kind}×${r.count}`).join(', '),
      });
    }
    const finalBlock: ContentBlock = { text };
    this.#messages.push({ role: 'assistant', content: [finalBlock] });
    if (this.#questionBlocked) this.#messages[0] = { role: 'user', content: [{ text: BLOCKED_QUESTION }] };
    if (stream === undefined) this.#o.onProgress?.({ type: 'text', delta: text });
    return {
      text,
      records: [...this.#records.values()],
      stopReason,
      usage: this.#usage,
      iterations: this.#iterations,
      answeredBy: this.#answeredBy,
      messages: this.#messages,
      ...(this.#questionBlocked ? { questionBlocked: true as const } : {}),
    };
  }
}

/** Converse wants a JSON object in `toolResult.json`; arrays and scalars are wrapped. */
function asJsonObject(value: unknown): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { ...value };
  return { result: value };
}

function modelErrorMessage(failure: ReturnType<typeof modelFailureOf>): string {
  switch (failure.reason) {
    case 'incomplete':
      return 'The model’s answer stopped before it was complete (its stream ended early), so what is shown is incomplete. Please ask again.';
    case 'busy':
      return 'The model service is busy right now (throttled or failing on every model I can use). Please try again in a minute.';
    default:
      return 'The model service could not answer this request. The details are in the trace.';
  }
}

function budgetMessage(budget: { readonly used: number; readonly limit: number }): string {
  return `This conversation has used its token budget (${budget.used.toLocaleString('en-US')} of ${budget.limit.toLocaleString('en-US')} tokens). Start a new thread to continue.`;
}

function unavailableMessage(what: string): string {
  return `${what} is temporarily unavailable after repeated failures. Please try again in a minute.`;
}

/** The turn's events, then the result. */
export type TurnEvent = TurnProgress | { readonly type: 'done'; readonly result: TurnResult };

/**
 * The streaming variant of `runTurn`: yields progress ("Looking up trade status…") while tools run,
 * the text, and finally `done` with the whole result.
 */
export async function* streamTurn(
  options: Omit<RunTurnOptions, 'onProgress'>,
): AsyncGenerator<TurnEvent, TurnResult> {
  const queue: TurnProgress[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const resultPromise = runTurn({
    ...options,
    onProgress: (event) => {
      queue.push(event);
      wake?.();
    },
  }).finally(() => {
    finished = true;
    wake?.();
  });
  for (;;) {
    const next = queue.shift();
    if (next !== undefined) {
      yield next;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = undefined;
  }
  const result = await resultPromise;
  yield { type: 'done', result };
  return result;
}
