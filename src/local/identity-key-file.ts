import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** Where the local workload identity key lives under a data dir. */
export function workloadIdentityKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'workload-identity.jwk');
}

/**
 * The local workload identity key: a private EC P-256 JWK (ES256) in
 * `<dataDir>/keys/workload-identity.jwk` (mode 0600, directory 0700), created on first use. The new
 * key is written whole to a temporary file and then hard-linked to its name, which fails if the name
 * exists: of two processes starting at once one key wins, both use it, and no one ever reads a
 * half-written file. A file that is not such a key is an error naming it, never silently replaced
 * (a new key would refuse every token already handed out, and hide whatever damaged the file).
 */
export async function loadOrCreateWorkloadIdentityKey(dataDir: string): Promise<JWK> {
  const path = workloadIdentityKeyPath(dataDir);
  await mkdir(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
  try {
    return await readKey(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(jwk)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600);
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another process linked its key first: use that one.
  } finally {
    await unlink(temporary);
  }
  return readKey(path);
}

async function readKey(path: string): Promise<JWK> {
  const text = await readFile(path, 'utf8');
  const corrupt = (why: string, cause?: unknown) =>
    new Error(`the workload identity key ${path} ${why}; move it away to create a new key`, { cause });
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch (cause) {
    throw corrupt('is not JSON', cause);
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw corrupt('is not a JWK object');
  const { kty, crv, d, x, y } = jwk as Record<string, unknown>;
  if (kty !== 'EC' || crv !== 'P-256') throw corrupt('is not an EC P-256 key');
  if (typeof d !== 'string' || typeof x !== 'string' || typeof y !== 'string')
    throw corrupt('is not a private key (d, x, y)');
  const key: JWK = { kty, crv, d, x, y };
  try {
    await importJWK(key, 'ES256');
  } catch (cause) {
    throw corrupt('holds no valid P-256 key', cause);
  }
  return key;
}
