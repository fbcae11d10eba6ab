import type { SweepResult } from '../../settlement/index.ts';

/** One line for the terminal: what the pass did, near misses and orphans included. */
export function describeSweep(r: SweepResult): string {
  const o = r.orphans;
  return (
    `SLA sweep: ${r.missingCounterparty} missing counterparty records raised` +
    (r.nearMisses > 0 ? ` (${r.nearMisses} as a near miss: DELN, DSEC or DTRD)` : '') +
    `, ${r.warned} warnings, ${r.breached} breaches` +
    (r.matchedAtDeadline > 0 ? `, ${r.matchedAtDeadline} matched at their deadline instead` : '') +
    (r.skipped > 0 ? ` (${r.skipped} already handled by another sweeper)` : '') +
    (o.count > 0
      ? `\nUnmatched counterparty records past their deadline: ${o.count} (< 1 h ${o.byAge.under1h}, 1–4 h ${o.byAge.from1hTo4h}, > 4 h ${o.byAge.over4h}); oldest ${o.oldest.map((x) => x.ref).join(', ')}`
      : '')
  );
}
