import { type AuditDigestLog, checkDigestLog, nextDigestEntry } from '../audit-digest.ts';
import type { ChainKey } from '../chain-key.ts';
import type { SettlementStore } from '../store/settlement-store.ts';
import { MAX_ATTEMPTS } from './deps.ts';

export type DigestOutcome =
  | {
      readonly kind: 'WRITTEN';
      readonly seq: number;
      readonly at: string;
      readonly entities: number;
      /** Heads recorded in this digest (changed since the previous one). */
      readonly changed: number;
      readonly location: string;
    }
  /** Other writers kept appending first; nothing written by this one (safe to run again). */
  | { readonly kind: 'CONFLICT'; readonly location: string }
  /** The digest log itself does not verify: nothing is appended to a broken log (fail closed). */
  | { readonly kind: 'LOG_BROKEN'; readonly problems: readonly string[]; readonly location: string };

/**
 * Writes the next audit digest: the head of every chain in the store, signed with the audit key and
 * chained to the previous digest, in a log the table's writers cannot rewrite. Run periodically
 * (`settleops audit digest`, e.g. from cron, as CloudTrail writes one an hour): a chain cut back,
 * rewritten or deleted after a digest saw it is then detected by `audit verify`.
 */
export async function writeAuditDigest(
  store: SettlementStore,
  audit: { readonly chainKey: ChainKey; readonly digests: AuditDigestLog },
  at: string,
): Promise<DigestOutcome> {
  const location = audit.digests.location;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const check = await checkDigestLog(audit.digests, audit.chainKey);
    if (check.problems.length > 0) return { kind: 'LOG_BROKEN', problems: check.problems, location };
    const heads = new Map<string, { seq: number; hash: string }>();
    for await (const item of store.scanAuditData()) {
      if (item.kind === 'entity')
        heads.set(item.entityId, { seq: item.entity.version, hash: item.entity.auditHash });
      else if (item.kind === 'malformedEntity') heads.set(item.entityId, { seq: item.seq, hash: item.hash });
    }
    const { entry, digest } = await nextDigestEntry(check, heads, audit.chainKey, at);
    // Another writer appended first: read its digest and try again.
    if (!(await audit.digests.append(entry, digest.seq))) continue;
    return {
      kind: 'WRITTEN',
      seq: digest.seq,
      at,
      entities: digest.entities,
      changed: Object.keys(digest.heads).length,
      location,
    };
  }
  return { kind: 'CONFLICT', location };
}
