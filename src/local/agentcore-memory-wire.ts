/*
 * The request checks of the local AgentCore Memory endpoint: AgentCore Memory's documented
 * constraints (API reference: CreateEvent, ListEvents, BatchCreateMemoryRecords, ListMemoryRecords,
 * RetrieveMemoryRecords, MemoryRecordMetadataValue), reported as AWS reports them — a
 * ValidationException whose message names the member and the constraint.
 */

export const CREATE_EVENT_ACTOR_ID = /^[a-zA-Z0-9][a-zA-Z0-9\-_/]*(?::[a-zA-Z0-9\-_/]+)*[a-zA-Z0-9\-_/]*$/;
export const LIST_EVENTS_ACTOR_ID = /^[a-zA-Z0-9][a-zA-Z0-9\-_/]*$/;
export const SESSION_ID = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;
export const NAMESPACE = /^[a-zA-Z0-9/*][a-zA-Z0-9\-_/*]*(?::[a-zA-Z0-9\-_/*]+)*[a-zA-Z0-9\-_/*]*$/;
export const REQUEST_IDENTIFIER = /^[a-zA-Z0-9_-]{1,80}$/;
export const METADATA_TEXT = /^[a-zA-Z0-9\s._:/=+@-]*$/;
export const MAX_CONTENT_TEXT = 100_000;
export const ROLES = new Set(['ASSISTANT', 'USER', 'TOOL', 'OTHER']);

/** A request AgentCore would refuse with ValidationException. */
export class WireValidationError extends Error {
  constructor(
    readonly field: string,
    readonly constraint: string,
  ) {
    super(`1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`);
  }
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireString(
  body: Json,
  field: string,
  path: string,
  rule: { readonly min?: number; readonly max?: number; readonly pattern?: RegExp } = {},
): string {
  const v = body[field];
  if (typeof v !== 'string') throw new WireValidationError(path, 'Member must not be null');
  checkString(v, path, rule);
  return v;
}

export function checkString(
  v: string,
  path: string,
  rule: { readonly min?: number; readonly max?: number; readonly pattern?: RegExp },
): void {
  if (v.length < (rule.min ?? 1))
    throw new WireValidationError(path, `Member must have length greater than or equal to ${rule.min ?? 1}`);
  if (rule.max !== undefined && v.length > rule.max)
    throw new WireValidationError(path, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern !== undefined && !rule.pattern.test(v))
    throw new WireValidationError(
      path,
      `Member must satisfy regular expression pattern: ${rule.pattern.source}`,
    );
}

export function optionalString(
  body: Json,
  field: string,
  path: string,
  rule: { readonly min?: number; readonly max?: number; readonly pattern?: RegExp } = {},
): string | undefined {
  return body[field] === undefined ? undefined : requireString(body, field, path, rule);
}

export function optionalInt(
  body: Json,
  field: string,
  path: string,
  min: number,
  max: number,
): number | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new WireValidationError(path, 'Member must be an integer');
  if (v < min) throw new WireValidationError(path, `Member must have value greater than or equal to ${min}`);
  if (v > max) throw new WireValidationError(path, `Member must have value less than or equal to ${max}`);
  return v;
}

/** A timestamp as the SDK sends it in a JSON body: epoch seconds. */
export function requireTimestamp(body: Json, field: string, path: string): number {
  const v = body[field];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new WireValidationError(path, 'Member must not be null');
  return v;
}

export function requireList(body: Json, field: string, path: string, min: number, max: number): unknown[] {
  const v = body[field];
  if (!Array.isArray(v)) throw new WireValidationError(path, 'Member must not be null');
  if (v.length < min)
    throw new WireValidationError(path, `Member must have length greater than or equal to ${min}`);
  if (v.length > max)
    throw new WireValidationError(path, `Member must have length less than or equal to ${max}`);
  return v;
}

/** A union member: exactly one of its keys set. */
export function unionKey(v: unknown, path: string, keys: readonly string[]): string {
  if (!isObject(v)) throw new WireValidationError(path, 'Member must not be null');
  const set = Object.keys(v).filter((k) => v[k] !== undefined && v[k] !== null);
  if (set.length !== 1 || !keys.includes(set[0] as string))
    throw new WireValidationError(path, `Member must have exactly one of ${keys.join(', ')}`);
  return set[0] as string;
}

/** MemoryRecordMetadataMap: ≤ 15 entries, keys 1–128, each value one of the union's members. */
export function checkRecordMetadata(v: unknown, path: string): Json | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new WireValidationError(path, 'Member must be a map');
  const entries = Object.entries(v);
  if (entries.length > 15)
    throw new WireValidationError(path, 'Member must have length less than or equal to 15');
  for (const [key, value] of entries) {
    checkString(key, `${path}.key`, { min: 1, max: 128, pattern: METADATA_TEXT });
    const at = `${path}.${key}`;
    const member = unionKey(value, at, ['stringValue', 'stringListValue', 'numberValue', 'dateTimeValue']);
    const inner = (value as Json)[member];
    if (member === 'stringValue') {
      if (typeof inner !== 'string')
        throw new WireValidationError(`${at}.stringValue`, 'Member must be a string');
      checkString(inner, `${at}.stringValue`, { min: 1, max: 256, pattern: METADATA_TEXT });
    } else if (member === 'stringListValue') {
      if (!Array.isArray(inner) || inner.length < 1 || inner.length > 5)
        throw new WireValidationError(`${at}.stringListValue`, 'Member must have 1 to 5 items');
      inner.forEach((s, i) => {
        if (typeof s !== 'string')
          throw new WireValidationError(`${at}.stringListValue.${i}`, 'Member must be a string');
        checkString(s, `${at}.stringListValue.${i}`, { min: 1, max: 64, pattern: METADATA_TEXT });
      });
    } else if (typeof inner !== 'number' || !Number.isFinite(inner)) {
      throw new WireValidationError(`${at}.${member}`, 'Member must be a number');
    }
  }
  return v;
}

/** `namespaces` of a record: 0–1 items, each 1–1024 characters of the namespace pattern. */
export function checkNamespaces(v: unknown, path: string): string[] {
  if (!Array.isArray(v)) throw new WireValidationError(path, 'Member must not be null');
  if (v.length > 1) throw new WireValidationError(path, 'Member must have length less than or equal to 1');
  return v.map((n, i) => {
    if (typeof n !== 'string') throw new WireValidationError(`${path}.${i}`, 'Member must be a string');
    checkString(n, `${path}.${i}`, { min: 1, max: 1024, pattern: NAMESPACE });
    return n;
  });
}

/** The content union of an event turn or a record: `{ text }`, 1–100,000 characters. */
export function checkContentText(v: unknown, path: string): string {
  unionKey(v, path, ['text']);
  const text = (v as Json).text;
  if (typeof text !== 'string') throw new WireValidationError(`${path}.text`, 'Member must be a string');
  checkString(text, `${path}.text`, { min: 1, max: MAX_CONTENT_TEXT });
  return text;
}
