import type { AuditDigestLog } from '../../src/settlement/audit-digest.ts';

/** An in-memory digest log (the embedded adapter of the port), with its entries open to tests. */
export class MemoryDigestLog implements AuditDigestLog {
  readonly location = 'memory';
  readonly entries: string[] = [];

  async read(): Promise<string[]> {
    return [...this.entries];
  }

  async append(entry: string, seq: number): Promise<boolean> {
    if (this.entries.length !== seq - 1) return false;
    this.entries.push(entry);
    return true;
  }
}
