import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import { BedrockAgentCoreApp, type RequestContext } from 'bedrock-agentcore/runtime';
import type { Principal } from '../../identity/index.ts';
import { type Logger, silentLogger } from '../../logger.ts';
import { AgentRequest, type AgentService } from '../contract.ts';
import { settleOpsTracer } from '../traces/spans.ts';
import { agentCoreFastify } from './agentcore-app-internals.ts';
import type { Authentication, InvocationAuthenticator } from './authenticate.ts';
import { type Admission, createInvocationGuard } from './invocation-guard.ts';
import { type InvocationLedger, requestFingerprint } from './invocation-ledger.ts';
import { serveInvocation } from './serve-invocation.ts';

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
  /** Where each invocation (session, request id) is claimed, so that it runs once. */
  readonly invocations: InvocationLedger;
  /** How long a repeat waits for the invocation it repeats before a 409 (default 5 minutes). */
  readonly repeatWaitMs?: number;
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
 * the client sends `Accept: text/event-stream`; `GET /ping` answers Healthy, or HealthyBusy while a
 * turn or an async task registered on `app` runs. Before the body is looked at, the caller is
 * authenticated (workload access token, session owner, directory): a refusal is a 401 or 403 with
 * only its reason, logged, and the agent never runs. Then an invocation with a request id is claimed
 * in the ledger: a repeat of it (a retry after a dropped connection) is answered with the first one's
 * outcome — waiting while it runs — and runs nothing; a conflicting one is a 409.
 */
export function createRuntimeApp(service: AgentService, options: RuntimeAppOptions): RuntimeApp {
  const logger = options.logger ?? silentLogger;
  const tracer = options.tracer ?? settleOpsTracer();
  const guard = createInvocationGuard({
    ledger: options.invocations,
    logger,
    ...(options.repeatWaitMs === undefined ? {} : { repeatWaitMs: options.repeatWaitMs }),
  });
  // Request id → what the hooks learnt of the request, for the handler, which sees the request id
  // but neither the headers (the Accept choice) nor the preHandler's outcome.
  const wantsStream = new Map<string, boolean>();
  const principals = new Map<string, Principal>();
  const admissions = new Map<string, Exclude<Admission, { kind: 'refuse' }>>();

  const app: BedrockAgentCoreApp<typeof AgentRequest> = new BedrockAgentCoreApp({
    invocationHandler: {
      requestSchema: AgentRequest,
      process: (request: AgentRequest, context: RequestContext) => {
        const httpRequestId = context.requestId ?? randomUUID();
        const stream = wantsStream.get(httpRequestId) === true;
        const principal = principals.get(httpRequestId);
        const admission = admissions.get(httpRequestId);
        forget(httpRequestId);
        // Unreachable while the preHandler runs first; fail closed if that ever changes.
        if (principal === undefined) throw new Error('invocation without an authenticated principal');
        const requestId = request.requestId ?? httpRequestId;
        const log = logger.child({
          sessionId: context.sessionId,
          requestId: httpRequestId,
          ...(request.requestId === undefined ? {} : { callerRequestId: request.requestId }),
        });
        log.info('invocation', { principalId: principal.principalId, streaming: stream });
        return serveInvocation(
          {
            service,
            tracer,
            busy: (id) => {
              const task = app.addAsyncTask('invocation', { requestId: id });
              return () => {
                app.completeAsyncTask(task);
              };
            },
          },
          {
            request,
            ctx: { sessionId: context.sessionId, requestId, principal },
            httpRequestId,
            stream,
            admission,
            log,
          },
        );
      },
    },
    config: { logging: { enabled: options.fastifyLogging === true } },
  });

  const forget = (id: string) => {
    wantsStream.delete(id);
    principals.delete(id);
    admissions.delete(id);
  };

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
    const answer = (status: number, body: object) =>
      // Fastify: an async hook that answers early returns the reply, so nothing else runs.
      reply.code(status).header('content-type', 'application/json').send(body);
    let outcome: Authentication;
    try {
      outcome = await options.authenticator.authenticate({ token, sessionId });
    } catch (error) {
      logger.error('authentication failed', { requestId: id, sessionId, error });
      return answer(503, { error: 'identity unavailable' });
    }
    if (!outcome.ok) {
      logger.warn('invocation refused', {
        requestId: id,
        sessionId,
        status: outcome.status,
        reason: outcome.reason,
        detail: outcome.message,
      });
      return answer(outcome.status, {
        error: outcome.status === 401 ? 'unauthenticated' : 'forbidden',
        reason: outcome.reason,
      });
    }
    const { principal } = outcome;
    principals.set(id, principal);
    // A bad body is the handler's to refuse (a 400 naming the field); one without a request id is
    // served as it comes, once, but cannot be recognised when repeated.
    const parsed = AgentRequest.safeParse(request.body);
    if (sessionId === undefined || !parsed.success || parsed.data.requestId === undefined) return undefined;
    const key = { sessionId, requestId: parsed.data.requestId };
    let admission: Admission;
    try {
      admission = await guard.admit({
        key,
        principalId: principal.principalId,
        fingerprint: requestFingerprint(parsed.data),
      });
    } catch (error) {
      logger.error('invocation ledger unavailable', {
        requestId: id,
        sessionId,
        callerRequestId: key.requestId,
        error,
      });
      return answer(503, { error: 'invocation ledger unavailable' });
    }
    if (admission.kind === 'refuse') {
      logger.warn('repeat refused', {
        requestId: id,
        sessionId,
        callerRequestId: key.requestId,
        reason: admission.reason,
      });
      return answer(409, { error: admission.reason, requestId: key.requestId });
    }
    admissions.set(id, admission);
    return undefined;
  });
  // Requests refused before the handler ran (bad body, a caller gone) leave their entries behind
  // otherwise; a claim the handler never took is settled as failed, so its repeats are not left waiting.
  fastify.addHook('onResponse', async (request) => {
    const id = headerValue(request.headers, REQUEST_ID_HEADER);
    if (id === undefined) return;
    const admission = admissions.get(id);
    forget(id);
    if (admission?.kind === 'run') {
      await admission.settle({ ok: false, message: `internal error; see the logs for request ${id}` });
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

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
