import type { TradeView } from '../../settlement/index.ts';

/** Plain-text rendering of one trade's story for the terminal. */
export function formatTradeView(v: TradeView): string {
  const t = v.trade;
  const lines = [
    `${t.source} ${t.tradeId} — ${t.status} (version ${t.version})`,
    `  ${t.side} ${t.quantity} ${t.isin} @ ${t.price} ${t.currency}${t.netAmount === undefined ? '' : `, net ${t.netAmount}`}`,
    `  trade date ${t.tradeDate}, settles ${t.settlementDate} ${t.settlementType} at ${t.placeOfSettlement}`,
    `  desk ${t.desk}, account ${t.account}, counterparty ${t.counterpartyBic}`,
    `  must be matched by ${t.matchDeadline}`,
  ];
  if (t.instrumentClass !== undefined) lines.splice(2, 0, `  instrument class ${t.instrumentClass}`);
  for (const w of t.dateWarnings ?? []) lines.push(`  warning: ${w}`);
  if (v.match !== undefined) {
    const m = v.match;
    lines.push(`  match ${m.matchId}: ${m.status}, confidence ${m.confidence}`);
    if (m.decision !== undefined)
      lines.push(
        `    decided by ${m.decision.by} at ${m.decision.at}${m.decision.reason === undefined ? '' : ` (${m.decision.reason})`}`,
      );
    if (v.counterpart !== undefined) lines.push(`    with ${v.counterpart.source} ${v.counterpart.tradeId}`);
    for (const r of m.reviewReasons ?? []) lines.push(`    held for review: ${r}`);
    for (const f of m.fields) {
      if (f.outcome === 'EXACT') continue;
      lines.push(
        `    ${f.field}: ${f.outcome} ours ${f.ours ?? '—'} theirs ${f.theirs ?? '—'} (${f.tolerance})${f.reasonCode === undefined ? '' : ` ${f.reasonCode}`}`,
      );
    }
  }
  if (v.exceptions.length > 0) {
    lines.push('  exceptions:');
    for (const e of v.exceptions) {
      const marks = [e.warnedAt === undefined ? '' : 'warned', e.breachedAt === undefined ? '' : 'BREACHED']
        .filter(Boolean)
        .join(', ');
      lines.push(
        `    ${e.reasonCode} ${e.type} ${e.status} ${e.priority}, due ${e.slaDeadline}${marks === '' ? '' : ` [${marks}]`}: ${e.details}`,
      );
    }
  }
  lines.push('  audit trail:');
  for (const a of v.audit) lines.push(`    ${a.seq}. ${a.at} ${a.action} by ${a.actor}`);
  return lines.join('\n');
}
