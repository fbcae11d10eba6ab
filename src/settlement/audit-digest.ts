import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, GENESIS_HASH } from './audit-chain.ts';
import { type ChainKey, sameMac } from './chain-key.ts';
import { IsoDateTime } from './model.ts';

/*
 * Audit digests, after CloudTrail's log-file integrity validation: every so often the head of every
 * audit chain is recorded in a digest, signed with the audit key and chained to the previous
 * digest, and kept where the table's writers cannot rewrite it. A chain cut back, rewritten or
 * deleted with its entity after a digest saw it no longer matches that digest.
 *
 * A digest lists only the heads that changed since the previous one (the first lists them all);
 * replaying the log gives every head each digest saw.
 */

/**
 * Where digests are kept: append-only, out of reach of the table's writers. Locally a file under
 * the data dir (`src/local/audit-digest-file.ts`); on AWS an S3 bucket with Object Lock would
 * implement the same two calls.
 */
export interface AuditDigestLog {
  /** For messages: where the digests are. */
  readonly location: string;
  /** Every entry written, oldest first, exactly as written. */
  read(): Promise<string[]>;
  /**
   * Appends entry number `seq` (from 1) if the log holds exactly `seq - 1` entries, else writes nothing
   * and returns false: of two writers racing for the same number, one wins (on S3, a conditional put
   * of object `seq`). Earlier entries are never rewritten.
   */
  append(entry: string, seq: number): Promise<boolean>;
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'is not 64 hex digits');

export const AuditDigest = z.object({
  seq: z.number().int().positive(),
  at: IsoDateTime,
  keyId: z.string(),
  /** SHA-256 of the previous entry as written (64 zeros for the first). */
  previous: Hex64,
  /** How many entities the table held. */
  entities: z.number().int().nonnegative(),
  /** entity id → [sequence, hash] of its chain head, for the heads that changed since the previous digest. */
  heads: z.record(z.string(), z.tuple([z.number().int().positive(), Hex64])),
  /** HMAC-SHA256 of the canonical JSON of every other field, with the audit key. */
  mac: Hex64,
});
export type AuditDigest = z.infer<typeof AuditDigest>;

/** A chain head as a digest recorded it. */
export interface DigestedHead {
  readonly seq: number;
  readonly hash: string;
  /** The digest that recorded it. */
  readonly digest: number;
  readonly at: string;
}

export interface DigestLogCheck {
  readonly location: string;
  readonly digests: number;
  readonly latest: { readonly seq: number; readonly at: string } | undefined;
  /** What is wrong with the log itself (an entry edited, removed, unsigned …). */
  readonly problems: readonly string[];
  /** Every head each digest recorded, per entity, oldest first. */
  readonly heads: ReadonlyMap<string, readonly DigestedHead[]>;
  /** The newest entry as read (the next digest links to it). */
  readonly lastEntry: string | undefined;
}

export function entryHash(entry: string): string {
  return createHash('sha256').update(entry).digest('hex');
}

/** Reads, links and authenticates the digest log, and replays the heads it recorded. */
export async function checkDigestLog(log: AuditDigestLog, key: ChainKey): Promise<DigestLogCheck> {
  const entries = await log.read();
  const problems: string[] = [];
  const heads = new Map<string, DigestedHead[]>();
  const parsed: Array<{ n: number; digest: AuditDigest | undefined; expectedPrevious: string }> = [];
  let previous = GENESIS_HASH;
  entries.forEach((entry, i) => {
    const n = i + 1;
    let digest: AuditDigest | undefined;
    try {
      const result = AuditDigest.safeParse(JSON.parse(entry));
      if (result.success) digest = result.data;
      else problems.push(`digest entry ${n} is malformed: ${result.error.issues[0]?.message ?? ''}`);
    } catch {
      problems.push(`digest entry ${n} is not JSON`);
    }
    parsed.push({ n, digest, expectedPrevious: previous });
    previous = entryHash(entry);
  });
  const valid = parsed.filter((p): p is typeof p & { digest: AuditDigest } => p.digest !== undefined);
  const macs = await key.mac(valid.map((p) => digestMessage(p.digest)));
  valid.forEach(({ n, digest, expectedPrevious }, i) => {
    if (digest.seq !== n) problems.push(`digest entry ${n} says it is digest ${digest.seq}`);
    if (digest.previous !== expectedPrevious)
      problems.push(
        `digest ${n} does not link to the entry before it (an entry was removed, edited or inserted)`,
      );
    if (digest.keyId !== key.keyId)
      problems.push(`digest ${n} was signed with key ${digest.keyId}, not the audit key ${key.keyId}`);
    else if (!sameMac(macs[i] as string, digest.mac))
      problems.push(`digest ${n}'s signature does not verify (edited without the audit key)`);
    for (const [entityId, [seq, hash]] of Object.entries(digest.heads)) {
      const list = heads.get(entityId) ?? [];
      list.push({ seq, hash, digest: digest.seq, at: digest.at });
      heads.set(entityId, list);
    }
  });
  const last = valid.at(-1)?.digest;
  return {
    location: log.location,
    digests: entries.length,
    latest: last === undefined ? undefined : { seq: last.seq, at: last.at },
    problems,
    heads,
    lastEntry: entries.at(-1),
  };
}

/** The next digest entry: the heads that changed since the digests in `check`, signed and linked. */
export async function nextDigestEntry(
  check: DigestLogCheck,
  current: ReadonlyMap<string, { readonly seq: number; readonly hash: string }>,
  key: ChainKey,
  at: string,
): Promise<{ entry: string; digest: AuditDigest }> {
  const changed: Array<[string, [number, string]]> = [];
  for (const [entityId, head] of current) {
    const seen = check.heads.get(entityId)?.at(-1);
    if (seen === undefined || seen.seq !== head.seq || seen.hash !== head.hash)
      changed.push([entityId, [head.seq, head.hash]]);
  }
  changed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const unsigned = {
    seq: check.digests + 1,
    at,
    keyId: key.keyId,
    previous: check.lastEntry === undefined ? GENESIS_HASH : entryHash(check.lastEntry),
    entities: current.size,
    heads: Object.fromEntries(changed),
  };
  const [mac] = await key.mac([digestMessage(unsigned)]);
  const digest: AuditDigest = { ...unsigned, mac: mac as string };
  return { entry: JSON.stringify(digest), digest };
}

function digestMessage(d: Omit<AuditDigest, 'mac'> & { mac?: string }): string {
  const { mac: _mac, ...rest } = d;
  return `settleops-audit-digest\n${canonicalJson(rest)}`;
}
