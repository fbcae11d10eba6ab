import { randomUUID } from 'node:crypto';
import { trace as otelTrace } from '@opentelemetry/api';
import type { Clock } from '../../clock.ts';
import type { ModelPrice } from '../../config.ts';
import { type Logger, silentLogger } from '../../logger.ts';
import type { TraceEvent, TraceSink } from '../loop/trace.ts';
import { estimateCost } from './cost.ts';
import { MAX_TRACE_QUESTION, sumTokens, type Trace, type TraceStep } from './trace.ts';
import type { TraceStore } from './trace-store.ts';

/** Arguments of `full`-audit tools larger than this (characters of JSON) are stored truncated. */
export const MAX_STORED_ARGUMENTS = 2000;

export interface TraceRecorderOptions {
  readonly store: TraceStore;
  readonly sessionId: string;
  readonly principalId: string;
  /** As the guardrails hand it over (redacted). Stored truncated. */
  readonly question: string;
  readonly traceId?: string;
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  readonly logger?: Logger;
  readonly now?: Clock;
}

export interface FinishInput {
  readonly answeredBy: string;
  readonly stoppedBy?: string;
}

/**
 * The loop's `TraceSink` that becomes a stored trace: it collects a turn's steps and writes the
 * trace once, at `finish`. Each step is also logged as one JSON line (debug) with the trace and
 * session ids, and added as an event to the active OpenTelemetry span (a no-op unless an
 * OpenTelemetry SDK is registered, as ADOT is on AgentCore).
 */
export class TraceRecorder implements TraceSink {
  readonly traceId: string;
  /** Bound to this trace and session: use it for the turn's other log lines. */
  readonly log: Logger;
  readonly #steps: TraceStep[] = [];
  readonly #startedAt: string;
  readonly #now: Clock;
  #finished: Trace | undefined;

  constructor(private readonly options: TraceRecorderOptions) {
    this.traceId = options.traceId ?? newTraceId();
    this.#now = options.now ?? (() => new Date());
    this.#startedAt = this.#now().toISOString();
    this.log = (options.logger ?? silentLogger).child({
      traceId: this.traceId,
      sessionId: options.sessionId,
    });
  }

  get steps(): readonly TraceStep[] {
    return this.#steps;
  }

  record(event: TraceEvent): void {
    const step = toStep(event);
    this.#steps.push(step);
    const { kind, at: _at, ...fields } = step;
    this.log.debug(`${kind} step`, fields);
    otelTrace.getActiveSpan()?.addEvent(`settleops.${kind}`, spanAttributes(step));
  }

  /** Builds the trace and writes it. Calling it again returns the same trace without writing twice. */
  async finish(input: FinishInput): Promise<Trace> {
    if (this.#finished !== undefined) return this.#finished;
    const cost = estimateCost(this.#steps, this.options.prices);
    const t: Trace = {
      traceId: this.traceId,
      sessionId: this.options.sessionId,
      principalId: this.options.principalId,
      question: truncate(this.options.question, MAX_TRACE_QUESTION),
      startedAt: this.#startedAt,
      finishedAt: this.#now().toISOString(),
      steps: [...this.#steps],
      totals: sumTokens(this.#steps),
      estimatedCostUsd: cost.usd,
      ...(cost.unpriced.length === 0 ? {} : { unpricedModels: [...cost.unpriced] }),
      answeredBy: input.answeredBy,
      ...(input.stoppedBy === undefined ? {} : { stoppedBy: input.stoppedBy }),
    };
    this.#finished = t;
    await this.options.store.put(t);
    this.log.info('trace recorded', {
      steps: t.steps.length,
      toolCalls: t.steps.filter((s) => s.kind === 'tool').length,
      totals: t.totals,
      estimatedCostUsd: t.estimatedCostUsd,
      answeredBy: t.answeredBy,
      ...(t.stoppedBy === undefined ? {} : { stoppedBy: t.stoppedBy }),
    });
    return t;
  }
}

/** Trace ids: `tr-` and a UUID, short enough to paste after "Why?". */
export function newTraceId(): string {
  return `tr-${randomUUID()}`;
}

/** The stored form of one of the loop's events. */
export function toStep(event: TraceEvent): TraceStep {
  switch (event.type) {
    case 'model_call':
      return {
        kind: 'model',
        at: event.at,
        latencyMs: event.latencyMs,
        iteration: event.iteration,
        modelId: event.modelId,
        tier: event.tier,
        stopReason: event.stopReason,
        tokens: {
          inputTokens: event.usage.inputTokens,
          outputTokens: event.usage.outputTokens,
          cacheRead: event.usage.cacheReadInputTokens,
          cacheWrite: event.usage.cacheWriteInputTokens,
        },
        estimated: event.usage.estimated,
      };
    case 'tool_call':
      return {
        kind: 'tool',
        at: event.at,
        latencyMs: event.latencyMs,
        iteration: event.iteration,
        name: event.name,
        auditLevel: event.args.level,
        ...(event.args.level === 'full'
          ? { arguments: boundedArguments(event.args.args) }
          : { argumentNames: [...event.args.argKeys], argumentsSize: event.args.size }),
        outcome: event.ok ? 'ok' : (event.code ?? 'FAILED'),
        resultSize: event.resultSize,
      };
    case 'guardrail':
      return {
        kind: 'guardrail',
        at: event.at,
        latencyMs: 0,
        guardrail: event.kind,
        stage: event.stage,
        detail: event.detail,
        ...(event.score === undefined ? {} : { score: event.score }),
        ...(event.signals === undefined ? {} : { signals: [...event.signals] }),
      };
    case 'limit':
      return { kind: 'limit', at: event.at, latencyMs: 0, limit: event.limit, detail: event.detail };
  }
}

function spanAttributes(step: TraceStep): Record<string, string | number | boolean> {
  switch (step.kind) {
    case 'model':
      return {
        'gen_ai.request.model': step.modelId,
        'gen_ai.response.finish_reasons': step.stopReason,
        'gen_ai.usage.input_tokens': step.tokens.inputTokens,
        'gen_ai.usage.output_tokens': step.tokens.outputTokens,
        latency_ms: step.latencyMs,
      };
    case 'tool':
      return { 'gen_ai.tool.name': step.name, outcome: step.outcome, latency_ms: step.latencyMs };
    case 'guardrail':
      return { guardrail: step.guardrail, stage: step.stage };
    case 'limit':
      return { limit: step.limit };
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function boundedArguments(input: unknown): unknown {
  const json = JSON.stringify(input) ?? '';
  return json.length <= MAX_STORED_ARGUMENTS ? input : { truncated: truncate(json, MAX_STORED_ARGUMENTS) };
}
