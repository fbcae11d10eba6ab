import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditDigestFile } from '../../../src/local/audit-digest-file.ts';
import { auditKeyPath, openAuditKeyFile } from '../../../src/local/audit-key-file.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settleops-key-'));
});

describe('openAuditKeyFile', () => {
  it('creates 32 random bytes readable only by the owner, in a directory only the owner can enter', async () => {
    await openAuditKeyFile(dir);

    expect((await readFile(auditKeyPath(dir))).length).toBe(32);
    expect((await stat(auditKeyPath(dir))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'keys'))).mode & 0o777).toBe(0o700);
  });

  it('uses the same key on every later open, and of two concurrent first opens one key wins', async () => {
    const [a, b] = await Promise.all([openAuditKeyFile(dir), openAuditKeyFile(dir)]);
    const c = await openAuditKeyFile(dir);

    expect(new Set([a.keyId, b.keyId, c.keyId]).size).toBe(1);
    expect(await c.mac(['m'])).toStrictEqual(await a.mac(['m']));
  });

  it('names the key without revealing it', async () => {
    const key = await openAuditKeyFile(dir);
    const bytes = (await readFile(auditKeyPath(dir))).toString('hex');

    expect(key.keyId).toMatch(/^local:[0-9a-f]{16}$/);
    expect(bytes).not.toContain(key.keyId.slice('local:'.length));
  });

  it('refuses a key file of the wrong size instead of replacing it', async () => {
    await openAuditKeyFile(dir);
    await writeFile(auditKeyPath(dir), Buffer.alloc(16));

    await expect(openAuditKeyFile(dir)).rejects.toThrow(/holds 16 bytes, not 32/);
  });
});

describe('auditDigestFile', () => {
  it('appends one line per entry and reads them back in order', async () => {
    const log = auditDigestFile(dir);
    expect(await log.read()).toStrictEqual([]);

    expect(await log.append('{"seq":1}', 1)).toBe(true);
    expect(await log.append('{"seq":2}', 2)).toBe(true);

    expect(await auditDigestFile(dir).read()).toStrictEqual(['{"seq":1}', '{"seq":2}']);
    expect((await stat(log.location)).mode & 0o777).toBe(0o600);
  });

  it('appends only the entry whose number comes next: of two racing writers one wins', async () => {
    const log = auditDigestFile(dir);
    await log.append('{"seq":1}', 1);

    const results = await Promise.all([
      log.append('{"seq":2,"by":"a"}', 2),
      log.append('{"seq":2,"by":"b"}', 2),
    ]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await log.read()).toHaveLength(2);
    expect(await log.append('{"seq":2}', 2)).toBe(false);
  });

  it('refuses an entry of more than one line', async () => {
    await expect(auditDigestFile(dir).append('{}\n{}', 1)).rejects.toThrow('one line');
  });
});
