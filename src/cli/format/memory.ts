import type { MemoryFact } from '../../memory/index.ts';
import { printable } from '../../text/index.ts';

/** A person's long-term facts, one a line: id, category, text, when last stated, when it lapses. */
export function formatFacts(principalId: string, facts: readonly MemoryFact[]): string {
  if (facts.length === 0) {
    return `No long-term facts kept for ${principalId}. Facts are kept only when the person asks ("remember that …") or a finished session is consolidated.`;
  }
  return [
    `${facts.length} fact${facts.length === 1 ? '' : 's'} kept for ${principalId}:`,
    ...facts.map(
      (f) =>
        `  ${f.factId}  [${f.category}]  ${printable(f.text)}  (stated ${f.updatedAt.slice(0, 10)}, kept until ${f.expiresAt.slice(0, 10)})`,
    ),
    'Forget one with `settleops memory forget --user ID --fact FACT_ID`, or all with --all.',
  ].join('\n');
}

export interface ConsolidationFigures {
  readonly sessions: number;
  readonly added: number;
  readonly updated: number;
  readonly dropped: number;
  readonly refused: number;
}

/** What one consolidation pass did, in a sentence. */
export function formatConsolidation(s: ConsolidationFigures, idleMinutes: number): string {
  if (s.sessions === 0) {
    return `No session to consolidate (none idle for ${idleMinutes} minutes with new turns; --now takes every open session).`;
  }
  return `Consolidated ${s.sessions} session${s.sessions === 1 ? '' : 's'}: ${s.added} fact(s) added, ${s.updated} updated, ${s.dropped} compacted away, ${s.refused} candidate(s) refused (trade data, amounts, secrets or entitlement claims).`;
}
