import { normalisePrincipalId, principalIdProblem } from '../settlement/index.ts';
import { FactCategory, MAX_FACT_LENGTH } from './facts.ts';
import type { FactWrite } from './long-term-memory.ts';
import { MemoryInputError } from './memory-input-error.ts';
import type { NewSessionEvent } from './session-memory.ts';

/*
 * The checks both memory adapters run before they send or write anything, with AgentCore Memory's
 * documented constraints (so the DynamoDB adapter refuses what AgentCore would refuse).
 */

/** AgentCore Memory's actor id (ListEvents form): 1–255 characters. */
export const ACTOR_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_/]*$/;
export const MAX_ACTOR_ID_LENGTH = 255;
/** AgentCore Memory's session id: 1–100 characters. */
export const MEMORY_SESSION_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const MAX_MEMORY_SESSION_ID_LENGTH = 100;
/** The longest turn text stored (characters). */
export const MAX_TURN_TEXT_LENGTH = 100_000;
export const MAX_CLIENT_TOKEN_LENGTH = 256;
/** A fact id is also AgentCore's `requestIdentifier`: `[a-zA-Z0-9_-]`, 1–80 characters. */
export const FACT_ID_PATTERN = /^[a-zA-Z0-9_-]{1,80}$/;
export const MAX_SOURCE_EVENT_ID_LENGTH = 128;
/** RetrieveMemoryRecords' `searchQuery` and `topK` bounds. */
export const MAX_QUERY_LENGTH = 10_000;
export const MAX_TOP_K = 100;

const TURN_ROLES = new Set(['USER', 'ASSISTANT']);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function fail(field: string, problem: string): never {
  throw new MemoryInputError(field, problem);
}

export function checkActorId(actorId: unknown, field = 'actorId'): string {
  if (typeof actorId !== 'string' || actorId === '') return fail(field, 'is required');
  if (actorId.length > MAX_ACTOR_ID_LENGTH)
    return fail(field, `is longer than ${MAX_ACTOR_ID_LENGTH} characters`);
  if (!ACTOR_ID_PATTERN.test(actorId))
    return fail(field, `must match [a-zA-Z0-9][a-zA-Z0-9-_/]*, got ${JSON.stringify(actorId)}`);
  return actorId;
}

export function checkSessionId(sessionId: unknown, field = 'sessionId'): string {
  if (typeof sessionId !== 'string' || sessionId === '') return fail(field, 'is required');
  if (sessionId.length > MAX_MEMORY_SESSION_ID_LENGTH)
    return fail(field, `is longer than ${MAX_MEMORY_SESSION_ID_LENGTH} characters`);
  if (!MEMORY_SESSION_ID_PATTERN.test(sessionId))
    return fail(field, `must match [a-zA-Z0-9][a-zA-Z0-9-_]*, got ${JSON.stringify(sessionId)}`);
  return sessionId;
}

/** An ISO-8601 instant with a zone, returned in `toISOString()` form (the form every adapter stores). */
export function checkInstant(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || Number.isNaN(Date.parse(value)))
    return fail(
      field,
      `must be an ISO-8601 instant with a zone (2026-01-02T09:30:00Z), got ${JSON.stringify(value)}`,
    );
  return new Date(value).toISOString();
}

/** The event to append, validated, with `at` in `toISOString()` form. */
export function checkNewSessionEvent(event: NewSessionEvent): NewSessionEvent {
  const actorId = checkActorId(event.actorId);
  const sessionId = checkSessionId(event.sessionId);
  if (!TURN_ROLES.has(event.role))
    fail('role', `must be USER or ASSISTANT, got ${JSON.stringify(event.role)}`);
  if (typeof event.text !== 'string' || event.text.trim() === '') fail('text', 'is empty');
  if (event.text.length > MAX_TURN_TEXT_LENGTH)
    fail('text', `is longer than ${MAX_TURN_TEXT_LENGTH} characters`);
  const at = checkInstant(event.at, 'at');
  if (typeof event.clientToken !== 'string' || event.clientToken.trim() === '')
    fail('clientToken', 'is required');
  if (event.clientToken.length > MAX_CLIENT_TOKEN_LENGTH)
    fail('clientToken', `is longer than ${MAX_CLIENT_TOKEN_LENGTH} characters`);
  return { actorId, sessionId, role: event.role, text: event.text, at, clientToken: event.clientToken };
}

export function checkLast(last: unknown): number | undefined {
  if (last === undefined) return undefined;
  if (typeof last !== 'number' || !Number.isInteger(last) || last < 1)
    return fail('last', `must be a positive integer, got ${String(last)}`);
  return last;
}

/** A principal id in canonical form (the namespace of its facts is derived from it). */
export function checkPrincipalId(principalId: unknown): string {
  if (typeof principalId !== 'string') return fail('principalId', 'is required');
  const problem = principalIdProblem(principalId);
  if (problem !== undefined) return fail('principalId', problem);
  if (normalisePrincipalId(principalId) !== principalId)
    return fail(
      'principalId',
      `${JSON.stringify(principalId)} is not in canonical form (trimmed, lower-case)`,
    );
  return principalId;
}

export function checkFactId(factId: unknown, field: string): string {
  if (typeof factId !== 'string' || !FACT_ID_PATTERN.test(factId))
    return fail(field, `must be 1–80 characters of [a-zA-Z0-9_-], got ${JSON.stringify(factId)}`);
  return factId;
}

export function checkFactIds(factIds: readonly string[]): string[] {
  if (!Array.isArray(factIds)) return fail('factIds', 'must be a list');
  return [...new Set(factIds.map((id, i) => checkFactId(id, `factIds[${i}]`)))];
}

/** The facts to write, validated (instants normalised); refuses a factId given twice. */
export function checkFactWrites(facts: readonly FactWrite[]): FactWrite[] {
  if (!Array.isArray(facts)) return fail('facts', 'must be a list');
  const seen = new Set<string>();
  return facts.map((fact, i) => {
    const at = (name: string) => `facts[${i}].${name}`;
    const factId = checkFactId(fact.factId, at('factId'));
    if (seen.has(factId)) fail(at('factId'), `${factId} appears twice in one write`);
    seen.add(factId);
    const category = FactCategory.safeParse(fact.category);
    if (!category.success)
      fail(
        at('category'),
        `must be one of ${FactCategory.options.join(', ')}, got ${JSON.stringify(fact.category)}`,
      );
    if (typeof fact.text !== 'string' || fact.text.trim() === '') fail(at('text'), 'is empty');
    if (fact.text.length > MAX_FACT_LENGTH) fail(at('text'), `is longer than ${MAX_FACT_LENGTH} characters`);
    if (typeof fact.source !== 'object' || fact.source === null) fail(at('source'), 'is required');
    const sessionId = checkSessionId(fact.source.sessionId, at('source.sessionId'));
    const eventId = fact.source.eventId;
    if (typeof eventId !== 'string' || eventId === '' || eventId.length > MAX_SOURCE_EVENT_ID_LENGTH)
      fail(at('source.eventId'), `must be 1–${MAX_SOURCE_EVENT_ID_LENGTH} characters`);
    return {
      factId,
      category: category.data,
      text: fact.text,
      source: { sessionId, eventId },
      createdAt: checkInstant(fact.createdAt, at('createdAt')),
      updatedAt: checkInstant(fact.updatedAt, at('updatedAt')),
      expiresAt: checkInstant(fact.expiresAt, at('expiresAt')),
    };
  });
}

export function checkQuery(query: unknown): string {
  if (typeof query !== 'string') return fail('query', 'must be a string');
  if (query.length > MAX_QUERY_LENGTH) return fail('query', `is longer than ${MAX_QUERY_LENGTH} characters`);
  return query;
}

export function checkTopK(topK: unknown): number {
  if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K)
    return fail('topK', `must be an integer from 1 to ${MAX_TOP_K}, got ${String(topK)}`);
  return topK;
}
