import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AuditDigestLog } from '../settlement/audit-digest.ts';

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
    async append(entry) {
      if (entry.includes('\n')) throw new Error('a digest entry is one line');
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const handle = await open(path, 'a', 0o600);
      try {
        await handle.write(`${entry}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}
