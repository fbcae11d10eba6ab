import {
  createServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import {
  BedrockConverseClient,
  type BedrockConverseOptions,
} from '../../src/agents/model/bedrock-converse.ts';

/*
 * A local stand-in for the Bedrock Runtime Converse endpoint: `POST /model/{modelId}/converse`
 * answered in the Converse wire format (restJson1) from scripted turns, queued per model id. Errors
 * are sent as Bedrock sends them: the HTTP status, `x-amzn-errortype` and a JSON body with `message`
 * (plus `__type`), so the real SDK deserialises them into its own exception classes.
 *
 * It speaks HTTP/2 in clear text (h2c) on 127.0.0.1: `BedrockRuntimeClient`'s default request
 * handler is `NodeHttp2Handler` (the service streams both ways), and an HTTP/1.1 server would make
 * the test swap the client's handler. With h2c the client is used exactly as in production.
 *
 * `POST /model/{modelId}/converse-stream` takes turns from the same queue and answers them as
 * ConverseStream does: `application/vnd.amazon.eventstream` messages (`:message-type` event,
 * `:event-type` messageStart, contentBlockStart, contentBlockDelta, contentBlockStop, messageStop,
 * metadata; `:content-type` application/json; the event's JSON as the payload), one HTTP/2 DATA
 * write per event. A text block goes out as its `deltas` (default: the whole text in one delta), a
 * tool use as contentBlockStart (id, name) then its input JSON in `fragments` (default: one).
 * Errors before the stream are sent as for `converse`; `failAfterEvents` ends the stream with an
 * exception message instead, after that many events.
 */

export interface WireUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly totalTokens: number;
  readonly cacheReadInputTokens?: number;
  readonly cacheWriteInputTokens?: number;
}

export type WireContentBlock =
  | {
      readonly text: string;
      /** For converse-stream: the deltas the text is sent in (they must join to `text`). */
      readonly deltas?: readonly string[];
    }
  | {
      readonly toolUse: { readonly toolUseId: string; readonly name: string; readonly input: unknown };
      /** For converse-stream: the input's JSON in fragments (they must join to valid JSON). */
      readonly fragments?: readonly string[];
    };

export type ScriptedTurn =
  | {
      readonly kind: 'response';
      readonly stopReason: string;
      readonly content: readonly WireContentBlock[];
      readonly usage: WireUsage;
      readonly trace?: unknown;
      /** converse-stream only: after this many events, send a `throttlingException` and end. */
      readonly failAfterEvents?: number;
    }
  | { readonly kind: 'error'; readonly status: number; readonly errorType: string; readonly message: string };

export type ResponseTurn = Extract<ScriptedTurn, { kind: 'response' }>;

export interface RecordedRequest {
  readonly modelId: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body. */
  readonly body: unknown;
}

export const usage = (
  inputTokens: number,
  outputTokens: number,
  cache: { read?: number; write?: number } = {},
): WireUsage => ({
  inputTokens,
  outputTokens,
  totalTokens: inputTokens + outputTokens + (cache.read ?? 0) + (cache.write ?? 0),
  cacheReadInputTokens: cache.read ?? 0,
  cacheWriteInputTokens: cache.write ?? 0,
});

export const textTurn = (text: string, u: WireUsage = usage(100, 20)): ScriptedTurn => ({
  kind: 'response',
  stopReason: 'end_turn',
  content: [{ text }],
  usage: u,
});

export const toolUseTurn = (
  uses: readonly { readonly toolUseId: string; readonly name: string; readonly input: unknown }[],
  options: { readonly text?: string; readonly usage?: WireUsage } = {},
): ScriptedTurn => ({
  kind: 'response',
  stopReason: 'tool_use',
  content: [
    ...(options.text === undefined ? [] : [{ text: options.text }]),
    ...uses.map((toolUse) => ({ toolUse })),
  ],
  usage: options.usage ?? usage(100, 30),
});

export const maxTokensTurn = (text: string, u: WireUsage = usage(100, 64)): ScriptedTurn => ({
  kind: 'response',
  stopReason: 'max_tokens',
  content: [{ text }],
  usage: u,
});

export const guardrailTurn = (text: string): ScriptedTurn => ({
  kind: 'response',
  stopReason: 'guardrail_intervened',
  content: [{ text }],
  usage: usage(50, 0),
  trace: { guardrail: { inputAssessment: {} } },
});

export const throttled = (message = 'Too many requests, please wait before trying again.'): ScriptedTurn => ({
  kind: 'error',
  status: 429,
  errorType: 'ThrottlingException',
  message,
});

export const serviceUnavailable = (message = 'Service is temporarily unavailable.'): ScriptedTurn => ({
  kind: 'error',
  status: 503,
  errorType: 'ServiceUnavailableException',
  message,
});

export interface ConverseServer {
  /** `http://127.0.0.1:PORT`, for the client's `endpoint`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues turns for a model id; each request to it takes the next one. */
  script(modelId: string, ...turns: ScriptedTurn[]): void;
  /** Requests received for a model id. */
  callsFor(modelId: string): RecordedRequest[];
  /** Turns still queued, per model id (a test can assert the script was used up). */
  pending(): Record<string, number>;
  close(): Promise<void>;
}

/** A text turn streamed in the given deltas (the text is their concatenation). */
export const streamedTextTurn = (deltas: readonly string[], u: WireUsage = usage(100, 20)): ResponseTurn => ({
  kind: 'response',
  stopReason: 'end_turn',
  content: [{ text: deltas.join(''), deltas }],
  usage: u,
});

/**
 * A tool-use turn whose input JSON is streamed in `fragments` (joined, they must parse to `input`),
 * after optional text deltas.
 */
export const streamedToolUseTurn = (
  use: { readonly toolUseId: string; readonly name: string; readonly input: unknown },
  fragments: readonly string[],
  options: { readonly textDeltas?: readonly string[]; readonly usage?: WireUsage } = {},
): ResponseTurn => ({
  kind: 'response',
  stopReason: 'tool_use',
  content: [
    ...(options.textDeltas === undefined
      ? []
      : [{ text: options.textDeltas.join(''), deltas: options.textDeltas }]),
    { toolUse: use, fragments },
  ],
  usage: options.usage ?? usage(100, 30),
});

const CONVERSE_PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

const codec = new EventStreamCodec(
  (bytes) => new TextDecoder().decode(bytes),
  (text) => new TextEncoder().encode(text),
);

/** One event-stream message, as Bedrock frames it. */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new TextEncoder().encode(JSON.stringify(payload)),
  });
}

function encodeException(exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: new TextEncoder().encode(JSON.stringify({ message })),
  });
}

/** A response turn as the ConverseStream events Bedrock would send for it. */
export function streamEvents(turn: ResponseTurn): [string, unknown][] {
  const events: [string, unknown][] = [['messageStart', { role: 'assistant' }]];
  turn.content.forEach((block, contentBlockIndex) => {
    if ('text' in block) {
      for (const text of block.deltas ?? [block.text]) {
        events.push(['contentBlockDelta', { delta: { text }, contentBlockIndex }]);
      }
    } else {
      const { toolUseId, name, input } = block.toolUse;
      events.push(['contentBlockStart', { start: { toolUse: { toolUseId, name } }, contentBlockIndex }]);
      for (const fragment of block.fragments ?? [JSON.stringify(input)]) {
        events.push(['contentBlockDelta', { delta: { toolUse: { input: fragment } }, contentBlockIndex }]);
      }
    }
    events.push(['contentBlockStop', { contentBlockIndex }]);
  });
  events.push(['messageStop', { stopReason: turn.stopReason }]);
  events.push([
    'metadata',
    {
      usage: turn.usage,
      metrics: { latencyMs: 42 },
      ...(turn.trace === undefined ? {} : { trace: turn.trace }),
    },
  ]);
  return events;
}

/** The `converse` body: the wire blocks without the streaming-only fields. */
function plainContent(content: readonly WireContentBlock[]): unknown[] {
  return content.map((block) => ('text' in block ? { text: block.text } : { toolUse: block.toolUse }));
}

async function sendStream(res: Http2ServerResponse, turn: ResponseTurn): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-requestid': crypto.randomUUID(),
  });
  const events = streamEvents(turn);
  for (const [index, [type, payload]] of events.entries()) {
    if (turn.failAfterEvents !== undefined && index >= turn.failAfterEvents) {
      res.end(encodeException('throttlingException', 'Too many requests, please wait before trying again.'));
      return;
    }
    res.write(encodeEvent(type, payload));
    // A separate DATA frame per event, so the client sees them one by one.
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}

async function readBody(req: Http2ServerRequest): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
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

function sendError(res: Http2ServerResponse, status: number, errorType: string, message: string): void {
  sendJson(res, status, { __type: errorType, message }, { 'x-amzn-errortype': errorType });
}

export async function startConverseServer(): Promise<ConverseServer> {
  const queues = new Map<string, ScriptedTurn[]>();
  const requests: RecordedRequest[] = [];
  const sessions = new Set<ServerHttp2Session>();

  const server = createServer((req, res) => {
    void (async () => {
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
        body = JSON.parse(raw);
      } catch {
        sendError(res, 400, 'ValidationException', 'Malformed JSON body');
        return;
      }
      requests.push({ modelId, path: url.pathname, headers: req.headers, body });
      const turn = queues.get(modelId)?.shift();
      if (turn === undefined) {
        sendError(res, 500, 'InternalServerException', `No scripted turn left for model ${modelId}`);
        return;
      }
      if (turn.kind === 'error') {
        sendError(res, turn.status, turn.errorType, turn.message);
        return;
      }
      if (streaming) {
        await sendStream(res, turn);
        return;
      }
      sendJson(res, 200, {
        output: { message: { role: 'assistant', content: plainContent(turn.content) } },
        stopReason: turn.stopReason,
        usage: turn.usage,
        metrics: { latencyMs: 42 },
        ...(turn.trace === undefined ? {} : { trace: turn.trace }),
      });
    })().catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalServerException', String(error));
    });
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
    script(modelId, ...turns) {
      const queue = queues.get(modelId) ?? [];
      queue.push(...turns);
      queues.set(modelId, queue);
    },
    callsFor(modelId) {
      return requests.filter((r) => r.modelId === modelId);
    },
    pending() {
      return Object.fromEntries([...queues].map(([id, q]) => [id, q.length]));
    },
    close() {
      return new Promise((resolve, reject) => {
        for (const session of sessions) session.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}

/** The real SDK client pointed at the local server: dummy credentials, no SDK retries. */
export function converseClientFor(server: Pick<ConverseServer, 'url'>): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST0000000', secretAccessKey: 'local-test-secret' },
    maxAttempts: 1,
  });
}

/** Model ids the tests script turns for. */
export const STRONG = 'anthropic.claude-sonnet-test-v1:0';
export const FAST = 'anthropic.claude-haiku-test-v1:0';

/**
 * The Bedrock model client under test, over the real SDK client pointed at `server`: three attempts,
 * sleeps recorded instead of waited, jitter fixed at the middle of its range.
 */
export function testBedrockClient(
  server: Pick<ConverseServer, 'url'>,
  overrides: Partial<BedrockConverseOptions> = {},
): { client: BedrockConverseClient; sleeps: number[] } {
  const sleeps: number[] = [];
  const client = new BedrockConverseClient({
    client: converseClientFor(server),
    strongModelId: STRONG,
    fastModelId: FAST,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
  return { client, sleeps };
}

/** A value deep inside a recorded request body, or undefined. */
export function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}
