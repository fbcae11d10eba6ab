import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, silentLogger } from '../logger.ts';

/** The ARN the embedded runtime is served under (`settleops ask`, tests). */
export const LOCAL_AGENT_RUNTIME_ARN =
  'arn:aws:bedrock-agentcore:us-east-1:000000000000:runtime/settleops_local-0000000000';

/** InvokeAgentRuntime's limits, as AgentCore enforces them. */
export const SESSION_ID_MIN = 33;
export const SESSION_ID_MAX = 256;
export const MAX_PAYLOAD_BYTES = 100 * 1024 * 1024;

const H = {
  sessionId: 'x-amzn-bedrock-agentcore-runtime-session-id',
  userId: 'x-amzn-bedrock-agentcore-runtime-user-id',
  requestId: 'x-amzn-bedrock-agentcore-runtime-request-id',
  workloadToken: 'workloadaccesstoken',
} as const;

// Forwarded to the container as AgentCore does: tracing context and allow-listed custom headers.
const PASS_THROUGH = ['traceparent', 'tracestate', 'baggage', 'x-amzn-trace-id'];
const CUSTOM_PREFIX = 'x-amzn-bedrock-agentcore-runtime-custom-';

export interface LocalRuntime {
  readonly agentRuntimeArn: string;
  /** Base URL of the runtime app (`POST {url}/invocations`). */
  readonly url: string;
}

export interface LocalAgentCoreEndpointOptions {
  readonly runtimes: readonly LocalRuntime[];
  /** Endpoint names accepted as `?qualifier=` (absent means DEFAULT). */
  readonly qualifiers?: readonly string[];
  /**
   * The user's workload access token for the runtime, put in the `WorkloadAccessToken` header when
   * `runtimeUserId` is given, as AgentCore does (the local signer, or AgentCore Identity's
   * GetWorkloadAccessTokenForUserId). Unset: none sent, and the runtime refuses the call.
   */
  readonly workloadAccessToken?: (request: {
    readonly userId: string;
    readonly agentRuntimeArn: string;
    readonly sessionId: string;
  }) => Promise<string | undefined>;
  readonly host?: string;
  readonly port?: number;
  readonly logger?: Logger;
}

export interface LocalAgentCoreEndpoint {
  /** Give this to the SDK client as `endpoint`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A local AgentCore data plane for `InvokeAgentRuntime` (`POST /runtimes/{arn}/invocations`), so the
 * real `@aws-sdk/client-bedrock-agentcore` reaches an in-process runtime app with only an endpoint
 * override. Like AgentCore it refuses session ids outside 33–256 characters (ValidationException),
 * unknown runtimes (ResourceNotFoundException), forwards the payload with the session and a request
 * id, streams the answer back (SSE passes through), and turns a non-2xx from the container into a
 * RuntimeClientError (424) whose body stays in the logs. Like AgentCore it does not bind a session to
 * a user: the runtime's session registry does that.
 */
export async function startLocalAgentCoreEndpoint(
  options: LocalAgentCoreEndpointOptions,
): Promise<LocalAgentCoreEndpoint> {
  const logger = options.logger ?? silentLogger;
  const runtimes = new Map(options.runtimes.map((r) => [r.agentRuntimeArn, r.url.replace(/\/$/, '')]));
  const qualifiers = new Set(options.qualifiers ?? ['DEFAULT']);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('local AgentCore endpoint failed', { error });
      if (!res.headersSent) sendError(res, 500, 'InternalServerException', 'internal error', randomUUID());
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const awsRequestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = /^\/runtimes\/([^/]+)\/invocations$/.exec(url.pathname);
    if (req.method !== 'POST' || route === null) {
      req.resume();
      sendError(res, 404, 'UnknownOperationException', 'unknown operation', awsRequestId);
      return;
    }
    const arn = decodeURIComponent(route[1] ?? '');
    const refuse = (status: number, type: string, message: string) => {
      req.resume();
      sendError(res, status, type, message, awsRequestId);
    };
    const runtimeUrl = runtimes.get(arn);
    if (runtimeUrl === undefined)
      return refuse(404, 'ResourceNotFoundException', `Agent runtime ${arn} not found`);
    const qualifier = url.searchParams.get('qualifier') ?? 'DEFAULT';
    if (!qualifiers.has(qualifier)) {
      return refuse(
        404,
        'ResourceNotFoundException',
        `Endpoint ${qualifier} of agent runtime ${arn} not found`,
      );
    }
    const sessionId = header(req.headers, H.sessionId);
    if (sessionId === undefined || sessionId.length < SESSION_ID_MIN || sessionId.length > SESSION_ID_MAX) {
      const bound = sessionId !== undefined && sessionId.length > SESSION_ID_MAX ? 'less' : 'greater';
      const limit = bound === 'less' ? SESSION_ID_MAX : SESSION_ID_MIN;
      return refuse(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'runtimeSessionId' failed to satisfy constraint: Member must have length ${bound} than or equal to ${limit}`,
      );
    }
    const length = Number(header(req.headers, 'content-length') ?? '0');
    if (length > MAX_PAYLOAD_BYTES) {
      return refuse(
        400,
        'ValidationException',
        `1 validation error detected: Value at 'payload' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`,
      );
    }
    const userId = header(req.headers, H.userId);
    if (userId !== undefined && (userId.length > 128 || !/^[\x21-\x7e]+$/.test(userId))) {
      return refuse(
        400,
        'ValidationException',
        "1 validation error detected: Value at 'runtimeUserId' failed to satisfy constraint: Member must have length less than or equal to 128",
      );
    }

    const runtimeRequestId = randomUUID();
    const headers: OutgoingHttpHeaders = {
      'content-type': header(req.headers, 'content-type') ?? 'application/octet-stream',
      accept: header(req.headers, 'accept') ?? 'application/json',
      [H.sessionId]: sessionId,
      [H.requestId]: runtimeRequestId,
    };
    if (req.headers['content-length'] !== undefined)
      headers['content-length'] = req.headers['content-length'];
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && (PASS_THROUGH.includes(name) || name.startsWith(CUSTOM_PREFIX))) {
        headers[name] = value;
      }
    }
    if (userId !== undefined && options.workloadAccessToken !== undefined) {
      let token: string | undefined;
      try {
        token = await options.workloadAccessToken({ userId, agentRuntimeArn: arn, sessionId });
      } catch (error) {
        logger.error('no workload access token', { error, userId });
        return refuse(403, 'AccessDeniedException', 'Could not obtain a workload access token for the user');
      }
      if (token !== undefined) headers[H.workloadToken] = token;
    }
    const log = logger.child({ sessionId, requestId: runtimeRequestId });
    log.debug('forwarding invocation', { agentRuntimeArn: arn, userId });

    const upstream = httpRequest(`${runtimeUrl}/invocations`, { method: 'POST', headers });
    upstream.on('response', (answer) => {
      const status = answer.statusCode ?? 502;
      if (status < 200 || status > 299) {
        // AgentCore keeps the container's error body out of the answer (it goes to CloudWatch Logs).
        let body = '';
        answer.setEncoding('utf8');
        answer.on('data', (c: string) => {
          if (body.length < 4000) body += c;
        });
        answer.on('end', () => {
          log.warn('runtime answered with an error', { status, body });
          sendError(
            res,
            424,
            'RuntimeClientError',
            `Received error (${status}) from runtime. Please check your CloudWatch logs for more information.`,
            awsRequestId,
          );
        });
        return;
      }
      res.writeHead(200, {
        'content-type': answer.headers['content-type'] ?? 'application/octet-stream',
        [H.sessionId]: sessionId,
        'x-amzn-requestid': awsRequestId,
        ...(answer.headers['content-length'] === undefined
          ? {}
          : { 'content-length': answer.headers['content-length'] }),
      });
      // Flush SSE events as they come: no buffering between the runtime and the caller.
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      log.error('runtime unreachable', { error, url: runtimeUrl });
      if (!res.headersSent) {
        sendError(res, 424, 'RuntimeClientError', 'The runtime is not reachable.', awsRequestId);
      } else {
        res.destroy();
      }
    });
    // The caller went away mid-answer: close the runtime's connection too (the runtime still finishes
    // the turn and keeps its outcome for a retry of the same request id).
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
): void {
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': type,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}
