import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, type Tracer } from '@opentelemetry/api';
import { BedrockAgentCoreApp, type RequestContext } from 'bedrock-agentcore/runtime';
import type { Principal } from '../../identity/index.ts';
import { type Logger, silentLogger } from '../../logger.ts';
import {
  type AgentEvent,
  AgentRequest,
  type AgentResponse,
  type AgentService,
  type InvocationContext,
} from '../contract.ts';
import {
  INVOCATION_SPAN,
  type InvocationSpanAttributes,
  invocationAttributes,
  setTraceId,
  settleOpsTracer,
  withInvocationSpan,
} from '../traces/spans.ts';
import { agentCoreFastify } from './agentcore-app-internals.ts';
import type { Authentication, InvocationAuthenticator } from './authenticate.ts';

/** The header AgentCore puts a request id in (the local endpoint does the same). */
export const REQUEST_ID_HEADER = 'x-amzn-bedrock-agentcore-runtime-request-id';
/** The session header AgentCore sets from `runtimeSessionId`. */
export const SESSION_ID_HEADER = 'x-amzn-bedrock-agentcore-runtime-session-id';
/** Where AgentCore delivers the user's workload access token (either name; the SDK reads both). */
export const WORKLOAD_TOKEN_HEADERS = [
  'workloadaccesstoken',
  'x-amz-bedrock-agentcore-identity-wat',
] as const;

/** The container contract: `0.0.0.0:8080`. */
export const DEFAULT_AGENT_PORT = 8080;
export const DEFAULT_AGENT_HOST = '0.0.0.0';

export interface RuntimeAppOptions {
  /** Proves who asks before anything runs: every invocation without a valid token is refused. */
  readonly authenticator: InvocationAuthenticator;
  readonly logger?: Logger;
  readonly tracer?: Tracer;
  /** Fastify's own request logs (pino JSON on stdout); off by default, our logger covers invocations. */
  readonly fastifyLogging?: boolean;
}

export interface ListenOptions {
  readonly port?: number;
  readonly host?: string;
}

export interface RuntimeAppAddress {
  readonly host: string;
  readonly port: number;
  /** Where to reach it from this machine (loopback when it listens on every interface). */
  readonly url: string;
}

export interface RuntimeApp {
  /** The `bedrock-agentcore` app itself (e.g. `addAsyncTask` makes `/ping` answer HealthyBusy). */
  readonly app: BedrockAgentCoreApp<typeof AgentRequest>;
  start(options?: ListenOptions): Promise<RuntimeAppAddress>;
  stop(): Promise<void>;
}

/**
 * The AgentCore Runtime app: `POST /invocations` validated by the `AgentRequest` zod schema (a bad
 * body is a 400 naming the field), answered as JSON (`AgentResponse`), or as SSE `AgentEvent`s when
 * the client sends `Accept: text/event-stream`; `GET /ping` answers Healthy, or HealthyBusy while
 * async tasks registered on `app` run. Before the body is looked at, the caller is authenticated
 * (workload access token, session owner, directory): a refusal is a 401 or 403 with only its reason,
 * logged, and the agent never runs.
 */
export function createRuntimeApp(service: AgentService, options: RuntimeAppOptions): RuntimeApp {
  const logger = options.logger ?? silentLogger;
  const tracer = options.tracer ?? settleOpsTracer();
  // Request id → whether the client asked for SSE. The handler sees the request id but not the
  // headers, so an onRequest hook records the choice under it.
  const wantsStream = new Map<string, boolean>();
  // Request id → the principal the preHandler proved; the handler takes it from here.
  const principals = new Map<string, Principal>();

  const app = new BedrockAgentCoreApp({
    invocationHandler: {
      requestSchema: AgentRequest,
      process: (request: AgentRequest, context: RequestContext) => {
        const requestId = context.requestId ?? randomUUID();
        const stream = wantsStream.get(requestId) === true;
        wantsStream.delete(requestId);
        const principal = principals.get(requestId);
        principals.delete(requestId);
        // Unreachable while the preHandler runs first; fail closed if that ever changes.
        if (principal === undefined) throw new Error('invocation without an authenticated principal');
        const ctx = { sessionId: context.sessionId, requestId, principal };
        const log = logger.child({ sessionId: context.sessionId, requestId });
        const attrs = {
          sessionId: context.sessionId,
          requestId,
          principalId: principal.principalId,
          streaming: stream,
        };
        log.info('invocation', { principalId: principal.principalId, streaming: stream });
        if (stream) return streamEvents(service, request, ctx, log, tracer, attrs);
        return withInvocationSpan(tracer, attrs, async (span) => {
          const started = performance.now();
          try {
            const response = await service.answer(request, ctx);
            setTraceId(span, response.traceId);
            logDone(log, response, started);
            return response;
          } catch (error) {
            throw failure(log, error, requestId);
          }
        });
      },
    },
    config: { logging: { enabled: options.fastifyLogging === true } },
  });

  // The one place the app's Fastify instance is used; see agentcore-app-internals.ts for why.
  const fastify = agentCoreFastify(app);
  fastify.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/invocations')) return;
    let id = headerValue(request.headers, REQUEST_ID_HEADER);
    if (id === undefined || wantsStream.has(id)) {
      // Missing or (from a misbehaving client) already in flight: use a fresh one.
      id = randomUUID();
      request.headers[REQUEST_ID_HEADER] = id;
    }
    wantsStream.set(id, (headerValue(request.headers, 'accept') ?? '').includes('text/event-stream'));
  });
  fastify.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/invocations')) return;
    const id = headerValue(request.headers, REQUEST_ID_HEADER) ?? '';
    const token = WORKLOAD_TOKEN_HEADERS.map((h) => headerValue(request.headers, h)).find(
      (v) => v !== undefined,
    );
    const sessionId = headerValue(request.headers, SESSION_ID_HEADER);
    let outcome: Authentication;
    try {
      outcome = await options.authenticator.authenticate({ token, sessionId });
    } catch (error) {
      logger.error('authentication failed', { requestId: id, sessionId, error });
      // Fastify: an async hook that answers early returns the reply, so nothing else runs.
      return reply
        .code(503)
        .header('content-type', 'application/json')
        .send({ error: 'identity unavailable' });
    }
    if (!outcome.ok) {
      logger.warn('invocation refused', {
        requestId: id,
        sessionId,
        status: outcome.status,
        reason: outcome.reason,
        detail: outcome.message,
      });
      return reply
        .code(outcome.status)
        .header('content-type', 'application/json')
        .send({ error: outcome.status === 401 ? 'unauthenticated' : 'forbidden', reason: outcome.reason });
    }
    principals.set(id, outcome.principal);
    return undefined;
  });
  // Requests refused before the handler ran (bad body) leave their entries behind otherwise.
  fastify.addHook('onResponse', async (request) => {
    const id = headerValue(request.headers, REQUEST_ID_HEADER);
    if (id !== undefined) {
      wantsStream.delete(id);
      principals.delete(id);
    }
  });

  let started = false;
  return {
    app,
    async start(listen: ListenOptions = {}) {
      if (started) throw new Error('the runtime app is already started');
      started = true;
      const port = listen.port ?? DEFAULT_AGENT_PORT;
      const host = listen.host ?? DEFAULT_AGENT_HOST;
      const server = fastify.server;
      let onError: (error: Error) => void = () => {};
      const failed = new Promise<never>((_, reject) => {
        onError = (error: Error) => {
          // `run()` exits the process right after this; say why first.
          logger.error('the runtime app cannot listen', { host, port, error });
          reject(error);
        };
        server.once('error', onError);
      });
      const listening = once(server, 'listening');
      app.run({ port, host });
      try {
        await Promise.race([listening, failed]);
      } finally {
        server.off('error', onError);
      }
      const address = server.address() as AddressInfo;
      const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
      logger.info('runtime app listening', { host, port: address.port });
      return { host, port: address.port, url: `http://${reachable}:${address.port}` };
    },
    async stop() {
      if (!started) return;
      await fastify.close();
    },
  };
}

async function* streamEvents(
  service: AgentService,
  request: AgentRequest,
  ctx: InvocationContext & { readonly requestId: string },
  log: Logger,
  tracer: Tracer,
  attrs: InvocationSpanAttributes,
): AsyncGenerator<{ readonly data: AgentEvent }> {
  // A generator cannot yield from inside a callback, so the span is started and ended by hand.
  const span = tracer.startSpan(INVOCATION_SPAN, {
    kind: SpanKind.SERVER,
    attributes: invocationAttributes(attrs),
  });
  const started = performance.now();
  try {
    for await (const event of service.stream(request, ctx)) {
      if (event.type === 'done') {
        setTraceId(span, event.response.traceId);
        logDone(log, event.response, started);
      }
      // `{ data }` makes @fastify/sse write one `data: <json>` event per AgentEvent.
      yield { data: event };
    }
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    throw failure(log, error, ctx.requestId);
  } finally {
    span.end();
  }
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

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
