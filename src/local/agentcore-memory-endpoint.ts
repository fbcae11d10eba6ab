import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../clock.ts';
import { rankByRelevance } from '../memory/index.ts';
import {
  CREATE_EVENT_ACTOR_ID,
  checkContentText,
  checkNamespaces,
  checkRecordMetadata,
  isObject,
  type Json,
  LIST_EVENTS_ACTOR_ID,
  NAMESPACE,
  optionalInt,
  optionalString,
  REQUEST_IDENTIFIER,
  ROLES,
  requireList,
  requireString,
  requireTimestamp,
  SESSION_ID,
  unionKey,
  WireValidationError,
} from './agentcore-memory-wire.ts';

export interface LocalAgentCoreMemoryEndpointOptions {
  /** The memory ids it serves (`name-0123456789`); any other is ResourceNotFoundException. */
  readonly memories: readonly string[];
  readonly host?: string;
  readonly port?: number;
  /** When records are created (`createdAt`). */
  readonly now?: Clock;
}

export interface LocalAgentCoreMemoryEndpoint {
  /** Give this to the SDK client as `endpoint`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

interface StoredEvent {
  readonly eventId: string;
  readonly actorId: string;
  readonly sessionId: string;
  readonly eventTimestamp: number;
  readonly payload: unknown[];
  readonly metadata?: Json;
  readonly seq: number;
}

interface StoredRecord {
  readonly memoryRecordId: string;
  namespaces: string[];
  text: string;
  memoryStrategyId: string;
  readonly createdAt: number;
  metadata?: Json;
  readonly seq: number;
}

interface MemoryState {
  readonly memoryId: string;
  /** `actor \n session` → events in timestamp order. */
  readonly sessions: Map<string, StoredEvent[]>;
  readonly eventTokens: Map<string, StoredEvent>;
  readonly records: Map<string, StoredRecord>;
  readonly batchTokens: Map<string, Json>;
}

/** The strategy id a record created without one reports (AgentCore requires one on output). */
const NO_STRATEGY = 'custom';

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local AgentCore Memory data plane, so the real `@aws-sdk/client-bedrock-agentcore` reaches an
 * in-process memory with only an endpoint override: CreateEvent, ListEvents, BatchCreate/Update/
 * DeleteMemoryRecords, DeleteMemoryRecord, ListMemoryRecords and RetrieveMemoryRecords, with their
 * paths, methods, JSON bodies and status codes. It is the emulated service, so it keeps its state in
 * process maps. As AgentCore does, it refuses an unknown memory (ResourceNotFoundException) and a
 * request outside the documented constraints (ValidationException naming the member), honours client
 * tokens, orders a session's events by timestamp, and matches `namespace` as a prefix. Unlike
 * AgentCore it ranks RetrieveMemoryRecords lexically (BM25), not by embeddings, and returns only
 * records that share a word with the query.
 */
export async function startLocalAgentCoreMemoryEndpoint(
  options: LocalAgentCoreMemoryEndpointOptions,
): Promise<LocalAgentCoreMemoryEndpoint> {
  const now = options.now ?? systemClock;
  const memories = new Map<string, MemoryState>(
    options.memories.map((id) => [
      id,
      {
        memoryId: id,
        sessions: new Map(),
        eventTokens: new Map(),
        records: new Map(),
        batchTokens: new Map(),
      },
    ]),
  );
  let seq = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof WireValidationError) {
        send(
          res,
          400,
          {
            message: error.message,
            reason: 'FieldValidationFailed',
            fieldList: [{ name: error.field, message: error.message }],
          },
          'ValidationException',
        );
      } else if (error instanceof ServiceError) {
        send(res, error.status, { message: error.message }, error.type);
      } else {
        send(res, 500, { message: 'internal error' }, 'ServiceException');
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://localhost');
    let parts: string[];
    try {
      parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
    } catch {
      throw unknownOperation();
    }
    if (parts[0] !== 'memories' || parts.length < 3) throw unknownOperation();
    const memory = memories.get(parts[1] ?? '');
    if (memory === undefined)
      throw new ServiceError(404, 'ResourceNotFoundException', `Memory ${parts[1]} not found`);
    let body: Json = {};
    if (chunks.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        throw new WireValidationError('body', 'Member must be JSON');
      }
      if (!isObject(parsed)) throw new WireValidationError('body', 'Member must be a JSON object');
      body = parsed;
    }
    const rest = parts.slice(2);
    const isList = rest.length === 4 && rest[0] === 'actor' && rest[2] === 'sessions';
    const isDelete = req.method === 'DELETE' && rest.length === 2 && rest[0] === 'memoryRecords';
    const route = `${req.method} ${isList ? 'listEvents' : isDelete ? 'deleteRecord' : rest.join('/')}`;
    switch (route) {
      case 'POST events':
        return send(res, 201, createEvent(memory, body));
      case 'POST listEvents':
        return send(res, 200, listEvents(memory, rest[1] ?? '', rest[3] ?? '', body));
      case 'POST memoryRecords/batchCreate':
        return send(res, 201, batchCreate(memory, body));
      case 'POST memoryRecords/batchUpdate':
        return send(res, 200, batchUpdate(memory, body));
      case 'POST memoryRecords/batchDelete':
        return send(res, 200, batchDelete(memory, body));
      case 'DELETE deleteRecord':
        return send(
          res,
          200,
          deleteRecord(memory, rest[1] ?? '', url.searchParams.get('namespace') ?? undefined),
        );
      case 'POST memoryRecords':
        return send(res, 200, listRecords(memory, body));
      case 'POST retrieve':
        return send(res, 200, retrieve(memory, body));
      default:
        throw unknownOperation();
    }
  }

  function createEvent(memory: MemoryState, body: Json): Json {
    const actorId = requireString(body, 'actorId', 'actorId', { max: 255, pattern: CREATE_EVENT_ACTOR_ID });
    const sessionId = requireString(body, 'sessionId', 'sessionId', { max: 100, pattern: SESSION_ID });
    const eventTimestamp = requireTimestamp(body, 'eventTimestamp', 'eventTimestamp');
    const payload = requireList(body, 'payload', 'payload', 1, 100);
    payload.forEach((item, i) => {
      const member = unionKey(item, `payload.${i}`, ['conversational', 'blob', 'json']);
      if (member !== 'conversational') return;
      const turn = (item as Json).conversational;
      if (!isObject(turn))
        throw new WireValidationError(`payload.${i}.conversational`, 'Member must not be null');
      checkContentText(turn.content, `payload.${i}.conversational.content`);
      if (typeof turn.role !== 'string' || !ROLES.has(turn.role))
        throw new WireValidationError(
          `payload.${i}.conversational.role`,
          `Member must satisfy enum value set: [${[...ROLES].join(', ')}]`,
        );
    });
    if (body.branch !== undefined)
      throw new WireValidationError('branch', 'branches are not supported by the local endpoint');
    const clientToken = optionalString(body, 'clientToken', 'clientToken', { max: 256 });
    if (clientToken !== undefined) {
      const first = memory.eventTokens.get(clientToken);
      if (first !== undefined) return { event: eventJson(memory, first, true) };
    }
    const ms = Math.round(eventTimestamp * 1000);
    const event: StoredEvent = {
      eventId: `${String(ms).padStart(19, '0')}#${randomBytes(4).toString('hex')}`,
      actorId,
      sessionId,
      eventTimestamp,
      payload,
      ...(isObject(body.metadata) ? { metadata: body.metadata } : {}),
      seq: ++seq,
    };
    const key = `${actorId}\n${sessionId}`;
    const events = memory.sessions.get(key) ?? [];
    events.push(event);
    events.sort((a, b) => a.eventTimestamp - b.eventTimestamp || a.seq - b.seq);
    memory.sessions.set(key, events);
    if (clientToken !== undefined) memory.eventTokens.set(clientToken, event);
    return { event: eventJson(memory, event, true) };
  }

  function listEvents(memory: MemoryState, actorId: string, sessionId: string, body: Json): Json {
    const path = { actorId, sessionId };
    requireString(path, 'actorId', 'actorId', { max: 255, pattern: LIST_EVENTS_ACTOR_ID });
    requireString(path, 'sessionId', 'sessionId', { max: 100, pattern: SESSION_ID });
    const maxResults = optionalInt(body, 'maxResults', 'maxResults', 1, 100) ?? 20;
    if (body.filter !== undefined)
      throw new WireValidationError('filter', 'filters are not supported by the local endpoint');
    const includePayloads = body.includePayloads !== false;
    const events = memory.sessions.get(`${actorId}\n${sessionId}`) ?? [];
    const { page, nextToken } = paginate(events, optionalString(body, 'nextToken', 'nextToken'), maxResults);
    return {
      events: page.map((e) => eventJson(memory, e, includePayloads)),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  function batchCreate(memory: MemoryState, body: Json): Json {
    const clientToken = optionalString(body, 'clientToken', 'clientToken', { max: 256 });
    if (clientToken !== undefined) {
      const first = memory.batchTokens.get(clientToken);
      if (first !== undefined) return first;
    }
    const records = requireList(body, 'records', 'records', 0, 100);
    const seen = new Set<string>();
    const inputs = records.map((r, i) => {
      const at = `records.${i}`;
      if (!isObject(r)) throw new WireValidationError(at, 'Member must not be null');
      const requestIdentifier = requireString(r, 'requestIdentifier', `${at}.requestIdentifier`, {
        max: 80,
        pattern: REQUEST_IDENTIFIER,
      });
      if (seen.has(requestIdentifier))
        throw new WireValidationError(`${at}.requestIdentifier`, 'Member must be unique within the request');
      seen.add(requestIdentifier);
      return {
        requestIdentifier,
        namespaces: checkNamespaces(r.namespaces, `${at}.namespaces`),
        text: checkContentText(r.content, `${at}.content`),
        timestamp: requireTimestamp(r, 'timestamp', `${at}.timestamp`),
        memoryStrategyId: optionalString(r, 'memoryStrategyId', `${at}.memoryStrategyId`, {
          max: 100,
          pattern: SESSION_ID,
        }),
        metadata: checkRecordMetadata(r.metadata, `${at}.metadata`),
      };
    });
    const successfulRecords = inputs.map((input) => {
      const record: StoredRecord = {
        memoryRecordId: `mem-${randomUUID()}`,
        namespaces: input.namespaces,
        text: input.text,
        memoryStrategyId: input.memoryStrategyId ?? NO_STRATEGY,
        createdAt: now().getTime() / 1000,
        ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
        seq: ++seq,
      };
      memory.records.set(record.memoryRecordId, record);
      return {
        memoryRecordId: record.memoryRecordId,
        status: 'SUCCEEDED',
        requestIdentifier: input.requestIdentifier,
      };
    });
    const out = { successfulRecords, failedRecords: [] };
    if (clientToken !== undefined) memory.batchTokens.set(clientToken, out);
    return out;
  }

  function batchUpdate(memory: MemoryState, body: Json): Json {
    const records = requireList(body, 'records', 'records', 0, 100);
    const updates = records.map((r, i) => {
      const at = `records.${i}`;
      if (!isObject(r)) throw new WireValidationError(at, 'Member must not be null');
      return {
        memoryRecordId: requireString(r, 'memoryRecordId', `${at}.memoryRecordId`, { min: 40, max: 50 }),
        timestamp: requireTimestamp(r, 'timestamp', `${at}.timestamp`),
        text: r.content === undefined ? undefined : checkContentText(r.content, `${at}.content`),
        namespaces:
          r.namespaces === undefined ? undefined : checkNamespaces(r.namespaces, `${at}.namespaces`),
        metadata: checkRecordMetadata(r.metadata, `${at}.metadata`),
      };
    });
    const successfulRecords: Json[] = [];
    const failedRecords: Json[] = [];
    for (const u of updates) {
      const record = memory.records.get(u.memoryRecordId);
      if (record === undefined) {
        failedRecords.push(failed(u.memoryRecordId, 404, 'Memory record not found'));
        continue;
      }
      if (u.text !== undefined) record.text = u.text;
      if (u.namespaces !== undefined) record.namespaces = u.namespaces;
      if (u.metadata !== undefined) record.metadata = u.metadata;
      successfulRecords.push({ memoryRecordId: u.memoryRecordId, status: 'SUCCEEDED' });
    }
    return { successfulRecords, failedRecords };
  }

  function batchDelete(memory: MemoryState, body: Json): Json {
    const records = requireList(body, 'records', 'records', 0, 100);
    const successfulRecords: Json[] = [];
    const failedRecords: Json[] = [];
    records.forEach((r, i) => {
      const at = `records.${i}`;
      if (!isObject(r)) throw new WireValidationError(at, 'Member must not be null');
      const id = requireString(r, 'memoryRecordId', `${at}.memoryRecordId`, { min: 40, max: 50 });
      const namespace = optionalString(r, 'namespace', `${at}.namespace`, { max: 1024, pattern: NAMESPACE });
      const record = memory.records.get(id);
      if (record === undefined || (namespace !== undefined && !record.namespaces.includes(namespace))) {
        failedRecords.push(failed(id, 404, 'Memory record not found'));
        return;
      }
      memory.records.delete(id);
      successfulRecords.push({ memoryRecordId: id, status: 'SUCCEEDED' });
    });
    return { successfulRecords, failedRecords };
  }

  function deleteRecord(memory: MemoryState, id: string, namespace: string | undefined): Json {
    const record = memory.records.get(id);
    if (record === undefined || (namespace !== undefined && !record.namespaces.includes(namespace)))
      throw new ServiceError(404, 'ResourceNotFoundException', `Memory record ${id} not found`);
    memory.records.delete(id);
    return { memoryRecordId: id };
  }

  function inNamespace(memory: MemoryState, body: Json): StoredRecord[] {
    const namespace = optionalString(body, 'namespace', 'namespace', { max: 1024, pattern: NAMESPACE });
    const namespacePath = optionalString(body, 'namespacePath', 'namespacePath', {
      max: 1024,
      pattern: NAMESPACE,
    });
    const prefix = namespace ?? namespacePath;
    if (prefix === undefined)
      throw new WireValidationError('namespace', 'Either namespace or namespacePath is required');
    const strategy = optionalString(body, 'memoryStrategyId', 'memoryStrategyId', {
      max: 100,
      pattern: SESSION_ID,
    });
    if (body.metadataFilters !== undefined)
      throw new WireValidationError(
        'metadataFilters',
        'metadata filters are not supported by the local endpoint',
      );
    return [...memory.records.values()]
      .filter((r) => r.namespaces.some((n) => n.startsWith(prefix)))
      .filter((r) => strategy === undefined || r.memoryStrategyId === strategy)
      .sort((a, b) => a.seq - b.seq);
  }

  function listRecords(memory: MemoryState, body: Json): Json {
    const maxResults = optionalInt(body, 'maxResults', 'maxResults', 1, 100) ?? 20;
    const records = inNamespace(memory, body);
    const { page, nextToken } = paginate(records, optionalString(body, 'nextToken', 'nextToken'), maxResults);
    return {
      memoryRecordSummaries: page.map((r) => recordJson(r)),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  function retrieve(memory: MemoryState, body: Json): Json {
    const maxResults = optionalInt(body, 'maxResults', 'maxResults', 1, 100) ?? 20;
    const criteria = body.searchCriteria;
    if (!isObject(criteria)) throw new WireValidationError('searchCriteria', 'Member must not be null');
    const searchQuery = requireString(criteria, 'searchQuery', 'searchCriteria.searchQuery', { max: 10_000 });
    const topK = optionalInt(criteria, 'topK', 'searchCriteria.topK', 1, 100) ?? 10;
    if (criteria.metadataFilters !== undefined)
      throw new WireValidationError(
        'searchCriteria.metadataFilters',
        'metadata filters are not supported by the local endpoint',
      );
    const strategy = optionalString(criteria, 'memoryStrategyId', 'searchCriteria.memoryStrategyId', {
      max: 100,
      pattern: SESSION_ID,
    });
    const records = inNamespace(memory, body)
      .filter((r) => strategy === undefined || r.memoryStrategyId === strategy)
      .reverse();
    const ranked = rankByRelevance(records, (r) => r.text, searchQuery).slice(0, topK);
    const { page, nextToken } = paginate(ranked, optionalString(body, 'nextToken', 'nextToken'), maxResults);
    return {
      memoryRecordSummaries: page.map((s) => recordJson(s.item, s.score)),
      ...(nextToken === undefined ? {} : { nextToken }),
    };
  }

  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

function eventJson(memory: MemoryState, e: StoredEvent, includePayloads: boolean): Json {
  return {
    memoryId: memory.memoryId,
    actorId: e.actorId,
    sessionId: e.sessionId,
    eventId: e.eventId,
    eventTimestamp: e.eventTimestamp,
    payload: includePayloads ? e.payload : [],
    ...(e.metadata === undefined ? {} : { metadata: e.metadata }),
  };
}

function recordJson(r: StoredRecord, score?: number): Json {
  return {
    memoryRecordId: r.memoryRecordId,
    content: { text: r.text },
    memoryStrategyId: r.memoryStrategyId,
    namespaces: r.namespaces,
    createdAt: r.createdAt,
    ...(score === undefined ? {} : { score }),
    ...(r.metadata === undefined ? {} : { metadata: r.metadata }),
  };
}

function failed(memoryRecordId: string, errorCode: number, errorMessage: string): Json {
  return { memoryRecordId, status: 'FAILED', errorCode, errorMessage };
}

/** One page of `items` from an opaque offset token. */
function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  size: number,
): { page: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    start = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0)
      throw new WireValidationError('nextToken', 'Member is not a valid token');
  }
  const end = start + size;
  return end < items.length
    ? { page: items.slice(start, end), nextToken: Buffer.from(String(end), 'utf8').toString('base64url') }
    : { page: items.slice(start) };
}

function unknownOperation(): ServiceError {
  return new ServiceError(404, 'UnknownOperationException', 'unknown operation');
}

function send(res: ServerResponse, status: number, body: Json, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  res.end(text);
}
