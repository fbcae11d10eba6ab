import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';

/** The tracer SettleOps uses; a no-op until an OpenTelemetry SDK (e.g. ADOT on AgentCore) registers one. */
export function settleOpsTracer(): Tracer {
  return trace.getTracer('settleops');
}

export interface InvocationSpanAttributes {
  readonly sessionId: string;
  readonly requestId?: string;
  readonly principalId: string;
  readonly streaming: boolean;
}

/** The invocation span's attributes: the AgentCore session and SettleOps's ids. */
export function invocationAttributes(attrs: InvocationSpanAttributes): Attributes {
  return {
    'session.id': attrs.sessionId,
    'settleops.principal_id': attrs.principalId,
    'settleops.streaming': attrs.streaming,
    ...(attrs.requestId === undefined ? {} : { 'settleops.request_id': attrs.requestId }),
  };
}

/**
 * The runtime's server span for `POST /invocations`; the loop's `invoke_agent settleops` span (GenAI
 * conventions) runs inside it.
 */
export const INVOCATION_SPAN = 'settleops.invocation';

/**
 * Runs `fn` inside the server span of one invocation, with the session id, and the trace id once the
 * answer names it.
 */
export async function withInvocationSpan<T>(
  tracer: Tracer,
  attrs: InvocationSpanAttributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    INVOCATION_SPAN,
    { kind: SpanKind.SERVER, attributes: invocationAttributes(attrs) },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks the span with the SettleOps trace id (the one `settleops trace ID` reads). */
export function setTraceId(span: Span, traceId: string): void {
  span.setAttribute('settleops.trace_id', traceId);
}
