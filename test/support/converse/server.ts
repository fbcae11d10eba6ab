import {
  createServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { bareModelId, type FamilyRules, familyOf } from './families.ts';
import { assess, DEFAULT_BLOCKED_MESSAGING, type GuardrailPolicy, inputTexts } from './guardrail.ts';
import { estimateTokens, PromptCache, requestTokens } from './prompt-cache.ts';
import { DEFAULT_MAX_REQUEST_BYTES, type Rejection, validate } from './rules.ts';
import type { ResponseTurn, ScriptedTurn, WireContentBlock } from './script.ts';
import {
  encodeEvent,
  encodeException,
  outputCharacters,
  plainContent,
  STREAM_EXCEPTION_MESSAGES,
  streamEvents,
} from './stream-encoding.ts';

/*
 * A strict local stand-in for the Bedrock Runtime Converse endpoints, `POST /model/{modelId}/converse`
 * and `/converse-stream`, answering scripted turns in the real wire format (restJson1; the
 * event-stream encoding for ConverseStream) to the real `BedrockRuntimeClient`. Unlike a mock it
 * refuses what Bedrock refuses, per model family (rules.ts, families.ts), counts usage and prompt
 * cache honestly (prompt-cache.ts) and evaluates a configured guardrail (guardrail.ts).
 *
 * It speaks HTTP/2 in clear text (h2c) on 127.0.0.1: the client's default handler is
 * `NodeHttp2Handler`, so the client is used exactly as in production, only its endpoint changed.
 */

export interface WireUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cacheReadInputTokens: number;
  readonly cacheWriteInputTokens: number;
}

export type Outcome =
  | { readonly kind: 'answered'; readonly stopReason: string; readonly usage: WireUsage }
  | { readonly kind: 'rejected'; readonly rejection: Rejection }
  | { readonly kind: 'error'; readonly status: number; readonly errorType: string }
  | { readonly kind: 'reset' };

export interface RecordedRequest {
  readonly modelId: string;
  readonly path: string;
  readonly streaming: boolean;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body. */
  readonly body: unknown;
  /** What the stand-in answered (set once it has). */
  outcome?: Outcome;
  /** The texts the guardrail evaluated on input, when a guardrail was configured. */
  guarded?: readonly string[];
  /** The request's prompt-cache checkpoints: prefix tokens, and whether above the family minimum. */
  checkpoints?: readonly { readonly prefixTokens: number; readonly effective: boolean }[];
}

export interface ConverseServerOptions {
  /** Per model id: rules overriding its family's (a smaller context window for a test, say). */
  readonly models?: Readonly<Record<string, Partial<FamilyRules>>>;
  readonly maxRequestBytes?: number;
}

export interface ConverseServer {
  /** `http://127.0.0.1:PORT`, for the client's `endpoint`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Requests refused as Bedrock would refuse them (a test expecting none asserts it is empty). */
  rejections(): RecordedRequest[];
  /** Queues turns for a model id; each request to it takes the next one. */
  script(modelId: string, ...turns: ScriptedTurn[]): void;
  /** Registers a guardrail the requests may name (any version). */
  guardrail(id: string, policy: GuardrailPolicy): void;
  /** Requests received for a model id. */
  callsFor(modelId: string): RecordedRequest[];
  /** Turns still queued, per model id (a test can assert the script was used up). */
  pending(): Record<string, number>;
  /** Forgets requests, queued turns and the prompt cache (guardrails stay). */
  reset(): void;
  close(): Promise<void>;
}

const CONVERSE_PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

export async function startConverseServer(options: ConverseServerOptions = {}): Promise<ConverseServer> {
  const queues = new Map<string, ScriptedTurn[]>();
  const guardrails = new Map<string, GuardrailPolicy>();
  const requests: RecordedRequest[] = [];
  const cache = new PromptCache();
  const sessions = new Set<ServerHttp2Session>();
  // Raw sockets by the client's port: a session's own `socket` is a proxy that may not be destroyed.
  const sockets = new Map<number, Socket>();
  const maxBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;

  const rulesFor = (modelId: string): FamilyRules | undefined => {
    const family = familyOf(modelId);
    const override = options.models?.[modelId] ?? options.models?.[bareModelId(modelId)];
    return family === undefined ? undefined : { ...family, ...override };
  };

  const resetConnection = (req: Http2ServerRequest): void => {
    const port = req.stream.session?.socket.remotePort;
    if (port !== undefined) sockets.get(port)?.resetAndDestroy();
  };

  async function handle(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = CONVERSE_PATH.exec(url.pathname);
    const raw = await readBody(req);
    if (req.method !== 'POST' || match === null) {
      sendError(res, 404, 'ResourceNotFoundException', `No route for ${req.method} ${url.pathname}`);
      return;
    }
    const modelId = decodeURIComponent(match[1] ?? '');
    const streaming = match[2] === 'converse-stream';
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendError(res, 400, 'ValidationException', 'Malformed JSON body');
      return;
    }
    const recorded: RecordedRequest = { modelId, path: url.pathname, streaming, headers: req.headers, body };
    requests.push(recorded);
    const reject = (rejection: Rejection): void => {
      recorded.outcome = { kind: 'rejected', rejection };
      sendError(res, rejection.status, rejection.errorType, rejection.message);
    };

    if (raw.length > maxBytes) {
      reject({
        status: 400,
        errorType: 'ValidationException',
        message: `The request body of ${raw.length} bytes exceeds the stand-in's limit of ${maxBytes} bytes.`,
      });
      return;
    }
    const rules = rulesFor(modelId);
    if (rules === undefined) {
      // [Errors] an id Bedrock does not know.
      reject({
        status: 400,
        errorType: 'ValidationException',
        message: 'The provided model identifier is invalid.',
      });
      return;
    }
    const problem = validate(body, rules, { streaming });
    if (problem !== undefined) {
      reject(problem);
      return;
    }
    const request = body as RequestBody;

    const guardrailConfig = request.guardrailConfig;
    const policy =
      guardrailConfig === undefined ? undefined : guardrails.get(guardrailConfig.guardrailIdentifier);
    if (guardrailConfig !== undefined && policy === undefined) {
      reject({
        status: 400,
        errorType: 'ValidationException',
        message: 'The guardrail identifier or version provided in the request does not exist.',
      });
      return;
    }
    const traceOn = guardrailConfig?.trace === 'enabled' || guardrailConfig?.trace === 'enabled_full';
    if (guardrailConfig !== undefined && policy !== undefined) {
      const { evaluated, total } = inputTexts(request);
      const verdict = assess(policy, evaluated, total);
      recorded.guarded = verdict.evaluated;
      if (verdict.blocked) {
        // The model is not invoked: no scripted turn is used.
        const trace = traceOn
          ? { guardrail: { inputAssessment: { [guardrailConfig.guardrailIdentifier]: verdict.assessment } } }
          : undefined;
        const usage = {
          inputTokens: 0,
          outputTokens: 0,
          totalTokens: 0,
          cacheReadInputTokens: 0,
          cacheWriteInputTokens: 0,
        };
        recorded.outcome = { kind: 'answered', stopReason: 'guardrail_intervened', usage };
        await answer(res, streaming, {
          content: [{ text: policy.blockedInputMessaging ?? DEFAULT_BLOCKED_MESSAGING }],
          stopReason: 'guardrail_intervened',
          usage,
          trace,
        });
        return;
      }
    }

    const turn = queues.get(modelId)?.shift();
    if (turn === undefined) {
      recorded.outcome = { kind: 'error', status: 500, errorType: 'InternalServerException' };
      sendError(res, 500, 'InternalServerException', `stand-in: no scripted turn left for model ${modelId}`);
      return;
    }
    if (turn.kind === 'error') {
      recorded.outcome = { kind: 'error', status: turn.status, errorType: turn.errorType };
      sendError(res, turn.status, turn.errorType, turn.message);
      return;
    }
    if (turn.kind === 'reset') {
      recorded.outcome = { kind: 'reset' };
      resetConnection(req);
      return;
    }
    const scriptProblem = checkScript(turn, request);
    if (scriptProblem !== undefined) {
      recorded.outcome = { kind: 'error', status: 500, errorType: 'InternalServerException' };
      sendError(res, 500, 'InternalServerException', `stand-in script: ${scriptProblem}`);
      return;
    }

    const accounted = cache.account(modelId, request, rules);
    recorded.checkpoints = accounted.checkpoints;
    let stopReason = turn.stopReason;
    let content = turn.content;
    let trace = traceOn ? turn.trace : undefined;
    if (policy !== undefined && guardrailConfig !== undefined) {
      const texts = content.flatMap((b) => ('text' in b ? [b.text] : []));
      const verdict = assess(
        policy,
        texts,
        texts.reduce((n, t) => n + t.length, 0),
      );
      if (verdict.blocked) {
        stopReason = 'guardrail_intervened';
        content = [{ text: policy.blockedOutputsMessaging ?? DEFAULT_BLOCKED_MESSAGING }];
        trace = traceOn
          ? {
              guardrail: {
                outputAssessments: { [guardrailConfig.guardrailIdentifier]: [verdict.assessment] },
              },
            }
          : undefined;
      }
    }
    const maxTokens = request.inferenceConfig?.maxTokens ?? 0;
    if (rules.overflow === 'stop' && requestTokens(request) + maxTokens > rules.contextWindow) {
      stopReason = 'model_context_window_exceeded';
    }
    const outputTokens = turn.outputTokens ?? estimateTokens(outputCharacters(turn));
    const usage: WireUsage = {
      inputTokens: accounted.inputTokens,
      outputTokens,
      totalTokens:
        accounted.inputTokens +
        outputTokens +
        accounted.cacheReadInputTokens +
        accounted.cacheWriteInputTokens,
      cacheReadInputTokens: accounted.cacheReadInputTokens,
      cacheWriteInputTokens: accounted.cacheWriteInputTokens,
    };
    recorded.outcome = { kind: 'answered', stopReason, usage };
    await answer(res, streaming, { content, stopReason, usage, trace }, { turn, req });
  }

  async function answer(
    res: Http2ServerResponse,
    streaming: boolean,
    reply: { content: readonly WireContentBlock[]; stopReason: string; usage: WireUsage; trace: unknown },
    scripted?: { readonly turn: ResponseTurn; readonly req: Http2ServerRequest },
  ): Promise<void> {
    const metadata = {
      usage: reply.usage,
      metrics: { latencyMs: 42 },
      ...(reply.trace === undefined ? {} : { trace: reply.trace }),
    };
    if (!streaming) {
      sendJson(res, 200, {
        output: { message: { role: 'assistant', content: plainContent(reply.content) } },
        stopReason: reply.stopReason,
        ...metadata,
      });
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': crypto.randomUUID(),
    });
    const turn = scripted?.turn;
    for (const [index, [type, payload]] of streamEvents(
      reply.content,
      reply.stopReason,
      metadata,
    ).entries()) {
      if (turn?.failAfterEvents !== undefined && index >= turn.failAfterEvents) {
        const kind = turn.streamException ?? 'throttlingException';
        res.end(encodeException(kind, STREAM_EXCEPTION_MESSAGES[kind]));
        return;
      }
      if (turn?.cutAfterEvents !== undefined && index >= turn.cutAfterEvents) {
        res.end();
        return;
      }
      if (turn?.resetAfterEvents !== undefined && index >= turn.resetAfterEvents && scripted !== undefined) {
        resetConnection(scripted.req);
        return;
      }
      res.write(encodeEvent(type, payload));
      // A separate DATA frame per event, so the client sees them one by one.
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalServerException', `stand-in: ${String(error)}`);
    });
  });
  server.on('connection', (socket: Socket) => {
    const port = socket.remotePort;
    if (port === undefined) return;
    sockets.set(port, socket);
    socket.on('close', () => sockets.delete(port));
  });
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rejections: () => requests.filter((r) => r.outcome?.kind === 'rejected'),
    script(modelId, ...turns) {
      const queue = queues.get(modelId) ?? [];
      queue.push(...turns);
      queues.set(modelId, queue);
    },
    guardrail(id, policy) {
      guardrails.set(id, policy);
    },
    callsFor(modelId) {
      return requests.filter((r) => r.modelId === modelId);
    },
    pending() {
      return Object.fromEntries([...queues].filter(([, q]) => q.length > 0).map(([id, q]) => [id, q.length]));
    },
    reset() {
      requests.length = 0;
      queues.clear();
      cache.clear();
    },
    close() {
      return new Promise((resolve, reject) => {
        for (const session of sessions) session.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

interface RequestBody {
  readonly system?: Record<string, unknown>[];
  readonly messages: { readonly role: string; readonly content: Record<string, unknown>[] }[];
  readonly toolConfig?: { readonly tools: Record<string, unknown>[]; readonly toolChoice?: unknown };
  readonly inferenceConfig?: { readonly maxTokens?: number };
  readonly guardrailConfig?: { readonly guardrailIdentifier: string; readonly trace?: string };
}

/** A scripted turn the request could not have produced is a mistake in the test, not in the client. */
function checkScript(turn: ResponseTurn, request: RequestBody): string | undefined {
  const offered = new Set(
    (request.toolConfig?.tools ?? []).flatMap((t) => {
      const spec = t.toolSpec as { name?: string } | undefined;
      return spec?.name === undefined ? [] : [spec.name];
    }),
  );
  for (const block of turn.content) {
    if ('toolUse' in block && !offered.has(block.toolUse.name)) {
      return `the scripted turn calls ${block.toolUse.name}, which the request does not offer`;
    }
  }
  if (turn.stopReason === 'tool_use' && !turn.content.some((b) => 'toolUse' in b)) {
    return 'a tool_use turn without a toolUse block';
  }
  return undefined;
}

async function readBody(req: Http2ServerRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function sendJson(
  res: Http2ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': crypto.randomUUID(),
    ...headers,
  });
  res.end(text);
}

/** Errors as Bedrock sends them: the status, `x-amzn-errortype`, and `{ message }` (plus `__type`). */
function sendError(res: Http2ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(res, status, { __type: errorType, message }, { 'x-amzn-errortype': errorType });
}
