import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fail, type Params, type Reply, str } from './slack-api-params.ts';
import { CHAT_METHODS, type MethodHandler } from './slack-chat-methods.ts';
import { CONVERSATION_METHODS } from './slack-conversation-methods.ts';
import { SlackEmulatorState, snapshot } from './slack-emulator-state.ts';
import type { SlackEmulator, SlackEmulatorOptions, SlackFailure } from './slack-emulator-types.ts';
import { FILE_METHODS, receiveUpload, uploadTarget } from './slack-file-methods.ts';
import { SlackRateLimiter } from './slack-rate-limiter.ts';
import { isResponseUrlPath, issueResponseUrl, receiveResponse } from './slack-response-urls.ts';
import { VIEW_METHODS } from './slack-view-methods.ts';

const METHODS: Readonly<Record<string, MethodHandler>> = {
  ...CHAT_METHODS,
  ...CONVERSATION_METHODS,
  ...VIEW_METHODS,
  ...FILE_METHODS,
};

const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** A call answered by dropping the connection. */
const DROPPED = Symbol('dropped');

/**
 * Starts a local Slack on a loopback port: the Web API at `/api/{method}` (JSON or form bodies, the
 * token as `Authorization: Bearer` or a `token` form field), upload URLs, and response_urls, with
 * Slack's response shapes and errors (`ok: false` with HTTP 200; 429 with `Retry-After`). Every call is
 * recorded; messages, ephemerals, files and views are kept so tests read Slack's state after the fact.
 */
export async function startSlackEmulator(options: SlackEmulatorOptions): Promise<SlackEmulator> {
  const now = options.now ?? (() => new Date());
  const identity = {
    teamId: options.teamId ?? 'T0EMULATED',
    botUserId: options.botUserId ?? 'U0SETTLEOPS',
    botId: 'B0SETTLEOPS',
    apiAppId: 'A0SETTLEOPS',
  };
  const state = new SlackEmulatorState(
    identity,
    {
      ...(options.channels === undefined ? {} : { channels: options.channels }),
      ...(options.users === undefined ? {} : { users: options.users }),
    },
    now,
  );
  const limiter = new SlackRateLimiter(now);
  const failures = new Map<string, SlackFailure[]>();

  function webApi(method: string, params: Params, token: string | undefined): Reply | typeof DROPPED {
    const handler = METHODS[method];
    if (handler === undefined) return { body: { ok: false, error: 'unknown_method', req_method: method } };
    if (token === undefined) return fail('not_authed');
    if (token !== options.botToken) return fail('invalid_auth');
    const failure = failures.get(method)?.shift();
    if (failure !== undefined) {
      if ('error' in failure) return fail(failure.error);
      if ('reset' in failure) {
        if (failure.reset === 'after') handler(state, params);
        return DROPPED;
      }
      return tooMany(failure.retryAfterSeconds);
    }
    const wait = limiter.take(method, str(params, 'channel') ?? str(params, 'channel_id'));
    if (wait !== undefined) return tooMany(wait);
    return handler(state, params);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (raw === undefined) return send(res, 413, { ok: false, error: 'request_too_large' });
    const contentType = req.headers['content-type'];

    const api = /^\/api\/([A-Za-z0-9._-]+)$/.exec(url.pathname);
    if (api !== null) {
      const method = api[1] ?? '';
      const at = now();
      const parsed = await parseParams(raw, contentType, url.searchParams);
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      // Slack takes the token from the header for JSON bodies, and from the header or a field otherwise.
      const isJson = contentType?.startsWith('application/json') === true;
      const token = bearer ?? (isJson || parsed === undefined ? undefined : str(parsed, 'token'));
      let reply: Reply | typeof DROPPED;
      try {
        reply = parsed === undefined ? fail('invalid_json') : webApi(method, parsed, token);
      } catch {
        reply = { status: 500, body: { ok: false, error: 'internal_error' } };
      }
      if (reply === DROPPED) {
        state.calls.push({ method, params: snapshot(parsed ?? {}), token, at, status: 0, response: {} });
        res.destroy();
        return;
      }
      state.calls.push({
        method,
        params: snapshot(parsed ?? {}),
        token,
        at,
        status: reply.status ?? 200,
        response: snapshot(reply.body),
      });
      return send(res, reply.status ?? 200, reply.body, reply.headers);
    }
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: 'method_not_allowed' });
    const fileId = uploadTarget(url.pathname);
    if (fileId !== undefined) {
      const answer = await receiveUpload(state, fileId, raw, contentType);
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(answer.text);
      return;
    }
    if (isResponseUrlPath(url.pathname)) {
      const body = await parseParams(raw, contentType, new URLSearchParams());
      if (body === undefined) return send(res, 400, { ok: false, error: 'invalid_json' });
      const answer = receiveResponse(state, url.pathname, body);
      return send(res, answer.status, answer.body);
    }
    return send(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'internal_error' });
      else res.destroy();
    });
  });
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;

  return {
    apiUrl: `${state.baseUrl}/api/`,
    ...identity,
    get calls() {
      return state.calls;
    },
    messages: (channel) => snapshot(state.messagesOf(channel)),
    get ephemerals() {
      return state.ephemerals;
    },
    get responses() {
      return state.responses;
    },
    get files() {
      return state.files;
    },
    get views() {
      return state.views;
    },
    failNext(method, failure, times = 1) {
      if (!Number.isInteger(times) || times < 1)
        throw new RangeError('failNext: times must be a positive integer');
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    rateLimit: (method, limit) => limiter.set(method, limit),
    responseUrl: (context) => issueResponseUrl(state, context),
    issueTriggerId(user) {
      const issuedAt = now().getTime();
      // Slack's shape: `12345.98765.abcd2358fdea`.
      const id = `${Math.floor(issuedAt / 1000)}.${state.triggers.size + 1}.${randomBytes(8).toString('hex')}`;
      state.triggers.set(id, { issuedAt, used: false, ...(user === undefined ? {} : { user }) });
      return id;
    },
    addUserMessage(channel, message) {
      const stored = state.add({
        type: 'message',
        channel,
        ts: state.nextTs(),
        user: message.user,
        text: message.text,
        ...(message.thread_ts === undefined ? {} : { thread_ts: message.thread_ts }),
      });
      return snapshot(stored);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function tooMany(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { ok: false, error: 'ratelimited' },
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The call's parameters: query string, then a JSON, form or multipart body. Undefined for broken JSON. */
async function parseParams(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
): Promise<Record<string, unknown> | undefined> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  if (raw.length === 0) return params;
  if (contentType?.startsWith('application/json')) {
    try {
      const body = JSON.parse(raw.toString('utf8')) as unknown;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
      return { ...params, ...(body as Record<string, unknown>) };
    } catch {
      return undefined;
    }
  }
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [k, v] of form) if (typeof v === 'string') params[k] = v;
    return params;
  }
  return { ...params, ...Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
}
