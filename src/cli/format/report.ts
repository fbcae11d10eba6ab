import { DateTime } from 'luxon';
import type { SettlementReport } from '../../settlement/index.ts';
import { printable } from '../../text/index.ts';

/** An instant as New York time (where the US cut-offs are kept) with UTC beside it. */
function wallClock(iso: string): string {
  const ny = DateTime.fromISO(iso, { zone: 'America/New_York' });
  return `${ny.toFormat('ccc d LLL HH:mm')} ET (${iso.slice(11, 16)} UTC)`;
}

/** Plain-text rendering for the terminal. */
export function formatReport(r: SettlementReport): string {
  const lines = [
    `Settlement report — trade date ${r.tradeDate} (${r.dateBasis})${r.desk === null ? '' : `, desk ${r.desk}`}`,
    `  Trades: ${r.trades.internal} internal, ${r.trades.counterparty} counterparty records`,
    `  Matched: ${r.matching.autoMatched} automatically, ${r.matching.approved} approved by a reviewer`,
    `  Waiting: ${r.matching.pendingReview} for review, ${r.matching.unmatched} without a counterparty record, ${r.matching.inException} in exception`,
    `  Match rate ${r.matchRate} %, STP rate ${r.stpRate} %`,
    `  Exceptions: ${r.exceptions.open} open, ${r.exceptions.autoResolved} auto-resolved, ${r.exceptions.resolved} resolved`,
  ];
  const types = Object.entries(r.exceptions.openByType).sort((a, b) => b[1] - a[1]);
  if (types.length > 0) lines.push(`    open by type: ${types.map(([t, n]) => `${t} ${n}`).join(', ')}`);
  const a = r.exceptions.openByAge;
  lines.push(`    open by age: < 1 h ${a.under1h}, 1–4 h ${a.from1hTo4h}, > 4 h ${a.over4h}`);
  lines.push(`  SLA: ${r.sla.warnings} warnings, ${r.sla.breaches} breaches`);
  for (const d of r.sla.nextDeadlines)
    lines.push(`    next: ${d.exceptionId} due ${wallClock(d.deadline)} (${d.priority})`);
  if (r.topCounterparties.length > 0) {
    lines.push(
      `  Counterparties with most open breaks: ${r.topCounterparties.map((c) => `${c.bic} ${c.openBreaks}`).join(', ')}`,
    );
  }
  const o = r.orphans;
  if (o.count > 0) {
    lines.push(
      `  Unmatched counterparty records: ${o.count} (< 1 h ${o.byAge.under1h}, 1–4 h ${o.byAge.from1hTo4h}, > 4 h ${o.byAge.over4h}); oldest ${o.oldest.map((x) => x.ref).join(', ')}`,
    );
  }
  if (r.unreadable !== undefined && r.unreadable.length > 0) {
    lines.push(
      `  Not counted: ${r.unreadable.length} unreadable ${r.unreadable.length === 1 ? 'record' : 'records'}`,
    );
    for (const u of r.unreadable) lines.push(`    ${printable(u.id)}: ${printable(u.problem)}`);
  }
  return lines.join('\n');
}
