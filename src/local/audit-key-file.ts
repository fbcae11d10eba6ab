import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ChainKey, hmacChainKey } from '../settlement/index.ts';

const KEY_BYTES = 32;

/** Where the local audit key lives under a data dir. */
export function auditKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'audit.key');
}

/**
 * The local audit key: 32 random bytes in `<dataDir>/keys/audit.key` (mode 0600, directory 0700),
 * created on first use. Never logged; its id is a digest of it. A key file of the wrong size is an
 * error, never silently replaced (a new key would make every signed chain look forged).
 */
export async function openAuditKeyFile(dataDir: string): Promise<ChainKey> {
  const path = auditKeyPath(dataDir);
  await mkdir(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  let key: Buffer;
  try {
    // Exclusive create: of two processes starting at once, one writes the key and both read it.
    const handle = await open(path, 'wx', 0o600);
    try {
      key = randomBytes(KEY_BYTES);
      await handle.writeFile(key);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    key = await readCompleteKey(path);
  }
  if (key.length !== KEY_BYTES)
    throw new Error(`the audit key ${path} holds ${key.length} bytes, not ${KEY_BYTES}`);
  const keyId = `local:${createHash('sha256').update('settleops-audit-key-id\n').update(key).digest('hex').slice(0, 16)}`;
  return hmacChainKey(key, keyId);
}

/** Reads the key, waiting briefly if another process created the file and is still writing it. */
async function readCompleteKey(path: string): Promise<Buffer> {
  let key = await readFile(path);
  for (let attempt = 0; key.length < KEY_BYTES && attempt < 20; attempt++) {
    await new Promise((r) => setTimeout(r, 25));
    key = await readFile(path);
  }
  return key;
}
