import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { AuditRecord } from './model.ts';

/** The `prevHash` of an entity's first audit record. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditContent = Pick<
  AuditRecord,
  'entityId' | 'seq' | 'action' | 'actor' | 'details' | 'at' | 'stateHash'
>;

/**
 * Entity attributes outside its sealed state: the chain head (the record's own sequence and hash,
 * which cannot be inside the content they are computed from) and where the first record is kept.
 */
const UNSEALED_ATTRIBUTES = new Set(['version', 'auditHash', 'auditReceipt']);

/**
 * SHA-256 of an entity's state (every attribute but its chain head), as canonical JSON. The audit
 * record of each change carries the hash of the state it leaves, so verification can tell whether
 * the entity's stored fields are still the ones its latest record sealed.
 */
export function stateHashOf(entity: object): string {
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entity)) if (!UNSEALED_ATTRIBUTES.has(k)) state[k] = v;
  return createHash('sha256').update(canonicalJson(state)).digest('hex');
}

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 over the previous record's hash and this record's canonical content. */
export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(
      canonicalJson({
        entityId: content.entityId,
        seq: content.seq,
        action: content.action,
        actor: content.actor,
        details: content.details,
        at: content.at,
        // Absent (legacy records) it drops out of the JSON, so their hashes are unchanged.
        stateHash: content.stateHash,
      }),
    )
    .digest('hex');
}

export function sealAuditRecord(prevHash: string, content: AuditContent): AuditRecord {
  return { ...content, prevHash, hash: chainHash(prevHash, content) };
}

export type ChainProblem =
  | { kind: 'GAP'; expectedSeq: number; foundSeq: number }
  | { kind: 'BROKEN_LINK'; seq: number }
  | { kind: 'HASH_MISMATCH'; seq: number }
  | { kind: 'HEAD_MISMATCH'; expectedSeq: number; expectedHash: string; foundSeq: number; foundHash: string };

/**
 * Recomputes an entity's chain. `head` is what the entity itself records (its version and last
 * hash), so removing the newest records is detected too, not only edits and gaps.
 */
export function verifyChain(
  records: readonly AuditRecord[],
  head?: { readonly seq: number; readonly hash: string },
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  for (const r of records) {
    if (r.seq !== expectedSeq) problems.push({ kind: 'GAP', expectedSeq, foundSeq: r.seq });
    if (r.prevHash !== prev) problems.push({ kind: 'BROKEN_LINK', seq: r.seq });
    if (chainHash(r.prevHash, r) !== r.hash) problems.push({ kind: 'HASH_MISMATCH', seq: r.seq });
    prev = r.hash;
    expectedSeq = r.seq + 1;
  }
  const last = records.at(-1);
  if (head !== undefined && (last === undefined || last.seq !== head.seq || last.hash !== head.hash)) {
    problems.push({
      kind: 'HEAD_MISMATCH',
      expectedSeq: head.seq,
      expectedHash: head.hash,
      foundSeq: last?.seq ?? 0,
      foundHash: last?.hash ?? GENESIS_HASH,
    });
  }
  return problems;
}

export function describeChainProblem(p: ChainProblem): string {
  switch (p.kind) {
    case 'GAP':
      return `record ${p.expectedSeq} is missing (next found: ${p.foundSeq})`;
    case 'BROKEN_LINK':
      return `record ${p.seq} does not link to the record before it`;
    case 'HASH_MISMATCH':
      return `record ${p.seq} was altered (its content does not match its hash)`;
    case 'HEAD_MISMATCH':
      return `the entity says its chain ends at record ${p.expectedSeq}, the log ends at ${p.foundSeq}`;
  }
}

/** A stored audit record (or other item) that no longer parses (edited into another shape), in one line. */
export function describeMalformedRecord(error: z.ZodError, what = 'an audit record'): string {
  const issues = error.issues.map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`);
  return `${what} is malformed: ${issues.join('; ')}`;
}
