import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditDigestLog } from '../settlement/index.ts';

/** Where the local digest log lives under a data dir. */
export function auditDigestPath(dataDir: string): string {
  return join(dataDir, 'audit', 'digests.ndjson');
}

/**
 * The local audit digest log: one JSON line per digest in `<dataDir>/audit/digests.ndjson`, only ever
 * appended to (and synced). It lives outside the table, so the table's writers cannot rewrite it;
 * on AWS an S3 bucket with Object Lock plays this part.
 */
export function auditDigestFile(dataDir: string): AuditDigestLog {
  const path = auditDigestPath(dataDir);
  return {
    location: path,
    async read() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      return lines;
    },
    async append(entry, seq) {
      if (entry.includes('\n')) throw new Error('a digest entry is one line');
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const release = await lock(`${path}.lock`);
      try {
        if ((await this.read()).length !== seq - 1) return false;
        const handle = await open(path, 'a', 0o600);
        try {
          await handle.write(`${entry}\n`);
          await handle.sync();
        } finally {
          await handle.close();
        }
        return true;
      } finally {
        await release();
      }
    },
  };
}

const STALE_LOCK_MS = 30_000;

/** An exclusive lock file (create-if-absent); one left by a crashed writer is taken over once stale. */
async function lock(lockPath: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 500; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.write(String(process.pid));
      await handle.close();
      return () => unlink(lockPath).catch(() => {});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = await stat(lockPath).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (since > STALE_LOCK_MS) await unlink(lockPath).catch(() => {});
      else await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(
    `the audit digest log is locked (${lockPath}); remove the file if no digest is being written`,
  );
}
