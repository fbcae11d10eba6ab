import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The key audit chains and digests are signed with (HMAC-SHA256), held outside the table so that
 * whoever can write the table cannot forge a chain. Adapters: a key file under the data dir
 * (`src/local/audit-key-file.ts`); on AWS a key derived once per process from a KMS HMAC key
 * (`kms-chain-key.ts`). Batched, so a remote key would cost one call per commit, not per record.
 */
export interface ChainKey {
  /** Names the key without revealing it (recorded with digests). */
  readonly keyId: string;
  /** HMAC-SHA256 of each message, lowercase hex, in order. */
  mac(messages: readonly string[]): Promise<string[]>;
}

/** A `ChainKey` over key bytes held in memory (the local key file's adapter, tests, benchmarks). */
export function hmacChainKey(key: Uint8Array, keyId: string): ChainKey {
  if (key.length < 32) throw new Error('an audit key needs at least 32 bytes');
  const bytes = Buffer.from(key);
  return {
    keyId,
    mac: async (messages) => messages.map((m) => createHmac('sha256', bytes).update(m).digest('hex')),
  };
}

/** Constant-time comparison of two hex MACs. */
export function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** What an audit record's MAC signs: its hash (which covers its content and the chain before it). */
export function recordMacMessage(hash: string): string {
  return `settleops-audit-record\n${hash}`;
}
