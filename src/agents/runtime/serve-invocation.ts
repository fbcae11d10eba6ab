import { SpanKind, type Tracer } from '@opentelemetry/api';
import type { Logger } from '../../logger.ts';
import type {
  AgentEvent,
  AgentRequest,
  AgentResponse,
  AgentService,
  InvocationContext,
} from '../contract.ts';
import {
  INVOCATION_SPAN,
  type InvocationSpanAttributes,
  invocationAttributes,
  setTraceId,
  withInvocationSpan,
} from '../traces/spans.ts';
import type { Admission } from './invocation-guard.ts';
import type { InvocationOutcome } from './invocation-ledger.ts';
import { TurnFeed } from './turn-feed.ts';

/** An SSE event as `@fastify/sse` writes it: one `data: <json>` line per AgentEvent. */
export type SseChunk = { readonly data: AgentEvent };

export interface ServeDeps {
  readonly service: AgentService;
  readonly tracer: Tracer;
  /** Marks the runtime busy (`/ping` HealthyBusy) while a turn runs, even one whose caller left. */
  readonly busy: (requestId: string) => () => void;
}

export interface Invocation {
  readonly request: AgentRequest;
  readonly ctx: InvocationContext & { readonly requestId: string };
  /** The HTTP request's id (AgentCore's): the one a failure message points the logs to. */
  readonly httpRequestId: string;
  readonly stream: boolean;
  /** What the invocation guard decided; undefined for a request without a request id. */
  readonly admission: Exclude<Admission, { kind: 'refuse' }> | undefined;
  readonly log: Logger;
}

/**
 * One admitted invocation: a repeat is answered with the stored outcome (JSON, or SSE as the whole
 * answer in one text event then `done`) and runs nothing; otherwise the turn runs — to its end even if
 * the caller leaves — and how it ended is settled with the guard before the caller hears it.
 */
export function serveInvocation(
  deps: ServeDeps,
  inv: Invocation,
): Promise<AgentResponse> | AsyncGenerator<SseChunk> {
  const { admission, log } = inv;
  if (admission?.kind === 'replay') {
    log.info('repeat answered from the ledger', { ok: admission.outcome.ok });
    return inv.stream ? replayEvents(admission.outcome) : replayResponse(admission.outcome);
  }
  const settle = admission?.kind === 'run' ? admission.settle : async () => {};
  const attrs: InvocationSpanAttributes = {
    sessionId: inv.ctx.sessionId,
    requestId: inv.ctx.requestId,
    principalId: inv.ctx.principal.principalId,
    streaming: inv.stream,
  };
  const question = questionOf(inv.request);
  const idle = deps.busy(inv.ctx.requestId);
  if (inv.stream) return streamTurn(deps, inv, question, attrs, settle, idle);
  return withInvocationSpan(deps.tracer, attrs, async (span) => {
    const started = performance.now();
    try {
      const response = await deps.service.answer(question, inv.ctx);
      setTraceId(span, response.traceId);
      logDone(log, response, started);
      await settle({ ok: true, response });
      return response;
    } catch (error) {
      const safe = failure(log, error, inv.httpRequestId);
      await settle({ ok: false, message: safe.message });
      throw safe;
    } finally {
      idle();
    }
  });
}

/** Starts the turn now (not when the SSE delivery first pulls) and returns its delivery. */
function streamTurn(
  deps: ServeDeps,
  inv: Invocation,
  question: AgentRequest,
  attrs: InvocationSpanAttributes,
  settle: (outcome: InvocationOutcome) => Promise<void>,
  idle: () => void,
): AsyncGenerator<SseChunk> {
  // The turn outlives this call, so its span is started and ended by hand.
  const span = deps.tracer.startSpan(INVOCATION_SPAN, {
    kind: SpanKind.SERVER,
    attributes: invocationAttributes(attrs),
  });
  const started = performance.now();
  const feed = new TurnFeed(deps.service.stream(question, inv.ctx), async (end) => {
    try {
      if (end.ok) {
        setTraceId(span, end.response.traceId);
        logDone(inv.log, end.response, started);
        await settle({ ok: true, response: end.response });
        return undefined;
      }
      span.recordException(end.error instanceof Error ? end.error : String(end.error));
      const safe = failure(inv.log, end.error, inv.httpRequestId);
      await settle({ ok: false, message: safe.message });
      return safe;
    } finally {
      span.end();
      idle();
    }
  });
  return deliver(feed);
}

/** Returning early (the caller left) stops only the delivery; the feed runs the turn to its end. */
async function* deliver(feed: TurnFeed): AsyncGenerator<SseChunk> {
  for await (const event of feed.events()) yield { data: event };
}

async function replayResponse(outcome: InvocationOutcome): Promise<AgentResponse> {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.response;
}

async function* replayEvents(outcome: InvocationOutcome): AsyncGenerator<SseChunk> {
  if (!outcome.ok) throw new Error(outcome.message);
  const { response } = outcome;
  if (response.answer !== '') yield { data: { type: 'text', delta: response.answer } };
  yield { data: { type: 'done', response } };
}

/** The request as the service takes it: the request id is the runtime's business, not the agent's. */
function questionOf(request: AgentRequest): AgentRequest {
  return {
    question: request.question,
    ...(request.slack === undefined ? {} : { slack: request.slack }),
  };
}

function logDone(log: Logger, response: AgentResponse, started: number): void {
  log.info('answered', {
    traceId: response.traceId,
    answeredBy: response.answeredBy,
    records: response.records.length,
    latencyMs: Math.round(performance.now() - started),
    ...(response.stoppedBy === undefined ? {} : { stoppedBy: response.stoppedBy }),
  });
}

/** Logs the real error and returns one safe to send: internals stay in the logs. */
function failure(log: Logger, error: unknown, requestId: string): Error {
  log.error('invocation failed', { error });
  return new Error(`internal error; see the logs for request ${requestId}`);
}
