import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalWorkloadTokens } from '../../../src/identity/index.ts';
import { loadOrCreateWorkloadIdentityKey, workloadIdentityKeyPath } from '../../../src/local/index.ts';

const run = promisify(execFile);
const RUN_TS = fileURLToPath(new URL('../../../bin/run-ts.js', import.meta.url));
const CHILD = fileURLToPath(new URL('../../support/workload-key-child.ts', import.meta.url));

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settleops-wid-'));
});

describe('loadOrCreateWorkloadIdentityKey', () => {
  it('creates a private P-256 JWK readable only by the owner, in a directory only the owner can enter', async () => {
    const key = await loadOrCreateWorkloadIdentityKey(dir);

    expect(key).toStrictEqual({
      kty: 'EC',
      crv: 'P-256',
      d: expect.any(String),
      x: expect.any(String),
      y: expect.any(String),
    });
    expect(JSON.parse(await readFile(workloadIdentityKeyPath(dir), 'utf8'))).toStrictEqual(key);
    expect((await stat(workloadIdentityKeyPath(dir))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, 'keys'))).toStrictEqual(['workload-identity.jwk']);
  });

  it('uses the same key on every later load, so tokens outlive a restart', async () => {
    const first = await loadOrCreateWorkloadIdentityKey(dir);
    const second = await loadOrCreateWorkloadIdentityKey(dir);
    const expected = { audience: 'arn:runtime', sessionId: `so-${'a'.repeat(40)}` };
    const token = await new LocalWorkloadTokens(first).issue({ principalId: 'alice', ...expected });

    expect(second).toStrictEqual(first);
    expect(await new LocalWorkloadTokens(second).verify(token, expected)).toStrictEqual({
      ok: true,
      principalId: 'alice',
    });
  });

  it('ends with one key when several first loads in one process interleave', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, () => loadOrCreateWorkloadIdentityKey(dir)));
    const stored = JSON.parse(await readFile(workloadIdentityKeyPath(dir), 'utf8')) as unknown;

    for (const key of keys) expect(key).toStrictEqual(stored);
    expect(await readdir(join(dir, 'keys'))).toStrictEqual(['workload-identity.jwk']);
  });

  it('ends with one key when two processes create it at once', async () => {
    const startAt = String(Date.now() + 1500);
    const child = () => run(process.execPath, [RUN_TS, CHILD, dir, startAt]);
    const [a, b] = await Promise.all([child(), child()]);

    const kids = [a.stdout.trim(), b.stdout.trim()];
    expect(kids[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kids[1]).toBe(kids[0]);
    expect(await readdir(join(dir, 'keys'))).toStrictEqual(['workload-identity.jwk']);
    // Two node processes compiling TypeScript on a busy CI machine take longer than Vitest's 5 s default.
  }, 60_000);

  it.each([
    ['not JSON', '{"kty":"EC",', /is not JSON/],
    ['a public key', '{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}', /is not a private key/],
    ['another kind of key', '{"kty":"oct","k":"c2VjcmV0"}', /is not an EC P-256 key/],
    [
      'a point off the curve',
      '{"kty":"EC","crv":"P-256","d":"AAAA","x":"AAAA","y":"AAAA"}',
      /holds no valid P-256 key/,
    ],
  ])(
    'refuses a key file that is %s, naming the file, and leaves it in place',
    async (_n, content, problem) => {
      await loadOrCreateWorkloadIdentityKey(dir);
      await writeFile(workloadIdentityKeyPath(dir), content);

      const error = await loadOrCreateWorkloadIdentityKey(dir).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain(workloadIdentityKeyPath(dir));
      expect((error as Error).message).toMatch(problem);
      expect(await readFile(workloadIdentityKeyPath(dir), 'utf8')).toBe(content);
    },
  );
});
