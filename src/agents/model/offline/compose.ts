import type { AuditTrailData } from '../../tools/audit-tools.ts';
import type { ExplainExceptionData, OpenExceptionsData } from '../../tools/exception-tools.ts';
import type { ExplainMatchData, PendingReviewsData, RerunMatchingData } from '../../tools/match-tools.ts';
import type { ApprovalRequest } from '../../tools/propose-resolution.ts';
import type { SettlementReportData, SlaStatusData } from '../../tools/report-tools.ts';
import { type Instant, instant } from '../../tools/time.ts';
import type { RecordRef } from '../../tools/tool.ts';
import type {
  FindTradesData,
  FindTradesDay,
  TradeStatusData,
  TradeStatusRecord,
} from '../../tools/trade-tools.ts';
import type { ExceptionRow, FieldRow } from '../../tools/views.ts';
import type { CallResult } from './results.ts';

/*
 * The offline planner's answers: plain, ops-style English built only from tool results. Every
 * number, id and time in an answer comes from a result; nothing is filled in.
 */

const LIST = 10;

/** `2026-11-24 21:00 EST (2026-11-25 02:00 UTC)` */
export function when(i: Instant): string {
  return `${i.newYork} (${i.utc.slice(0, 10)} ${i.utc.slice(11, 16)} UTC)`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function counts(rec: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(rec)
    .filter((e): e is [string, number] => e[1] !== undefined && e[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${k} ${v}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function scope(desks: string | readonly string[]): string {
  if (typeof desks === 'string') return desks;
  return desks.length === 0
    ? 'no desk you are permitted to see'
    : `desk${desks.length === 1 ? '' : 's'} ${desks.join(', ')}`;
}

/**
 * An id as the answer shows it: the reference redaction turns an id of a record the asker may not
 * see into `null`, whatever the view's type says.
 */
function shown(id: string | null | undefined, what = 'a record on a desk you may not see'): string {
  return id ?? what;
}

function field(f: FieldRow): string {
  const code = f.reasonCode === null ? '' : ` ${f.reasonCode}`;
  const rule = f.rule === null ? '' : `, rule ${f.rule}`;
  return `${f.field}: ours ${f.ours ?? '—'}, theirs ${f.theirs ?? '—'} (tolerance ${f.tolerance}) → ${f.outcome}${code}, −${f.penalty}${rule}`;
}

function exceptionLine(e: ExceptionRow): string {
  const sla = e.sla === 'BREACHED' ? ' — SLA BREACHED' : e.sla === 'WARNED' ? ' — SLA warning' : '';
  return `${e.exceptionId}: ${e.reasonCode} ${e.type} on ${e.tradeId} (${e.desk}), ${e.status} ${e.priority}, raised ${e.ageMinutes} min ago, due ${when(e.deadline)}${sla}. ${e.details}`;
}

function tradeLine(r: TradeStatusRecord): string[] {
  const who = r.source === 'INTERNAL' ? 'our booking' : 'counterparty record';
  const net = r.netAmount === null ? '' : `, net ${r.netAmount} ${r.currency}`;
  const lines = [
    `${r.tradeId} (${who}, desk ${r.desk}): ${r.status}. ${r.side} ${r.quantity} ${r.isin} @ ${r.price} ${r.currency}${net}; trade date ${r.tradeDate}, settles ${r.settlementDate} ${r.settlementType}; counterparty ${r.counterpartyBic}; account ${r.account}.`,
  ];
  if (r.match !== null) {
    const m = r.match;
    const other = r.source === 'INTERNAL' ? m.counterpartyTradeId : m.internalTradeId;
    const decided = m.decision === null ? '' : `; decided by ${m.decision.by} at ${when(m.decision.at)}`;
    const id = m.matchId === null ? 'Match' : `Match ${m.matchId}`;
    lines.push(`${id} with ${shown(other)}: ${m.status}, confidence ${m.confidence}${decided}.`);
    if (m.nonExactFields.length > 0) lines.push(`Not exact: ${m.nonExactFields.map(field).join('; ')}.`);
  } else if (r.matchId === null && r.status !== 'UNMATCHED' && r.status !== 'EXCEPTION') {
    lines.push(`Paired with ${shown(null)}.`);
  } else if (r.status === 'UNMATCHED') {
    lines.push(`No counterparty record paired yet; it must be matched by ${when(r.matchDeadline)}.`);
  }
  if (r.openExceptions.length > 0) {
    lines.push(`${plural(r.openExceptions.length, 'open exception')}:`);
    for (const e of r.openExceptions) lines.push(`- ${exceptionLine(e)}`);
  } else if (r.source === 'INTERNAL' && r.status !== 'MATCHED' && r.status !== 'UNMATCHED') {
    lines.push(`No open exceptions; matching deadline ${when(r.matchDeadline)}.`);
  }
  if (r.closedExceptions > 0) lines.push(`${plural(r.closedExceptions, 'earlier exception')} closed.`);
  return lines;
}

function statusText(d: TradeStatusData): string[] {
  return d.records.flatMap(tradeLine);
}

function findTradesText(d: FindTradesData): string[] {
  const filters = Object.entries(d.filters)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  if (d.days !== undefined) return recentTradesText(d, d.days, filters);
  const lines = [
    `${plural(d.total, 'trade')} on trade date ${d.tradeDate} with ${filters === '' ? 'no filter' : filters} (${scope(d.desks)}): ${d.bySource.INTERNAL} ours, ${d.bySource.COUNTERPARTY} counterparty records. By status: ${counts(d.byStatus)}.`,
  ];
  for (const t of d.trades.slice(0, LIST))
    lines.push(
      `- ${t.tradeId} (${t.source === 'INTERNAL' ? 'ours' : 'theirs'}, ${t.desk}): ${t.status}, ${t.side} ${t.quantity} ${t.isin} @ ${t.price} ${t.currency}, counterparty ${t.counterpartyBic}`,
    );
  if (d.total > Math.min(LIST, d.trades.length))
    lines.push(`(${d.total - Math.min(LIST, d.trades.length)} more not listed)`);
  return lines;
}

/** A search over several business days: the dates covered, the empty ones, then each day with trades. */
function recentTradesText(d: FindTradesData, days: readonly FindTradesDay[], filters: string): string[] {
  const newest = days[0]?.tradeDate ?? d.tradeDate;
  const oldest = days.at(-1)?.tradeDate ?? d.tradeDate;
  const empty = days.filter((x) => x.total === 0).map((x) => x.tradeDate);
  const lines = [
    `Searched trade dates ${oldest} to ${newest} (${plural(days.length, 'day')}) for ${filters === '' ? 'no filter' : filters} (${scope(d.desks)}): ${plural(d.total, 'trade')} found.`,
  ];
  if (empty.length > 0) lines.push(`Nothing on trade date ${empty.join(', ')}.`);
  for (const x of days.filter((y) => y.total > 0))
    lines.push(
      `${plural(x.total, 'trade')} on trade date ${x.tradeDate}: ${x.bySource.INTERNAL} ours, ${x.bySource.COUNTERPARTY} counterparty records. By status: ${counts(x.byStatus)}.`,
    );
  for (const t of d.trades.slice(0, LIST))
    lines.push(
      `- ${t.tradeId} (${t.source === 'INTERNAL' ? 'ours' : 'theirs'}, ${t.desk}, ${t.tradeDate}): ${t.status}, ${t.side} ${t.quantity} ${t.isin} @ ${t.price} ${t.currency}, counterparty ${t.counterpartyBic}`,
    );
  if (d.total > Math.min(LIST, d.trades.length))
    lines.push(`(${d.total - Math.min(LIST, d.trades.length)} more not listed)`);
  return lines;
}

function openExceptionsText(d: OpenExceptionsData): string[] {
  const filters = Object.entries(d.filters)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `${plural(d.total, 'open exception')}${filters === '' ? '' : ` with ${filters}`} (${scope(d.desks)}). By type: ${counts(d.byType)}. SLA: ${counts(d.bySla)}.`,
  ];
  if (d.exceptions.length > 0) lines.push('Soonest deadlines first:');
  for (const e of d.exceptions.slice(0, LIST)) lines.push(`- ${exceptionLine(e)}`);
  if (d.total > Math.min(LIST, d.exceptions.length))
    lines.push(`(${d.total - Math.min(LIST, d.exceptions.length)} more not listed)`);
  if (d.truncated) lines.push('The queue was longer than I read; the count may be incomplete.');
  return lines;
}

function explainExceptionText(d: ExplainExceptionData): string[] {
  const e = d.exception;
  const lines = [`${exceptionLine(e)}`];
  const c = d.comparison;
  if (c !== null) {
    if (c.field !== null)
      lines.push(`Comparison with ${e.counterpartyTradeId ?? 'the counterparty record'}: ${field(c.field)}.`);
    if (c.otherBreaks.length > 0) lines.push(`Other differences: ${c.otherBreaks.map(field).join('; ')}.`);
    if (c.confidence !== null)
      lines.push(
        `Confidence ${c.confidence} → ${c.decision} (auto-match ≥ ${c.thresholds.autoMatch}, review ≥ ${c.thresholds.review}).`,
      );
  } else if (e.type === 'NO_COUNTERPARTY_INSTRUCTION') {
    lines.push('No counterparty record was received to compare with.');
  }
  const s = d.sla;
  const left =
    s.minutesToDeadline >= 0 ? `${s.minutesToDeadline} min left` : `${-s.minutesToDeadline} min past`;
  lines.push(
    `SLA: ${s.state}, deadline ${when(s.deadline)} (${left}); warning point ${when(s.warnAt)}${s.breachedAt === null ? '' : `; breached at ${when(s.breachedAt)}`}.`,
  );
  if (d.resolution !== null)
    lines.push(`Resolved (${d.resolution.how}) by ${d.resolution.by} at ${when(d.resolution.at)}.`);
  if (d.couldResolveIt.length > 0) lines.push(`What could resolve it: ${d.couldResolveIt.join(' ')}`);
  return lines;
}

function explainMatchText(d: ExplainMatchData): string[] {
  const subject = d.tradeId === null ? (d.matchId ?? 'the match') : d.tradeId;
  if (d.basis === 'none')
    return [`${subject} (${d.tradeStatus ?? 'unknown status'}): ${d.note ?? 'nothing to compare.'}`];
  const head =
    d.basis !== 'stored match'
      ? `${subject} is not matched; compared afresh with ${shown(d.counterpartyTradeId)}: confidence ${d.confidence} → ${d.decision}.`
      : `Match${d.matchId === null ? '' : ` ${d.matchId}`} (${shown(d.internalTradeId)} with ${shown(d.counterpartyTradeId)}): ${d.status}, confidence ${d.confidence} → ${d.decision} band.`;
  const lines = [head, 'Field by field:'];
  for (const f of d.fields) lines.push(`- ${field(f)}`);
  const rivals = d.ambiguousWith.map((r) =>
    r.kind === 'our booking' ? `${r.tradeId} (another of our bookings: a possible duplicate)` : r.tradeId,
  );
  if (d.ambiguousOutsideYourDesks > 0) rivals.push(`${d.ambiguousOutsideYourDesks} on desks you may not see`);
  if (rivals.length > 0)
    lines.push(`Equally good candidates: ${rivals.join(', ')} — so this was not auto-matched.`);
  if (d.decided !== null)
    lines.push(
      `Decided by ${d.decided.by} at ${when(d.decided.at)}${d.decided.reason === null ? '' : `: ${d.decided.reason}`}.`,
    );
  lines.push(`Decision rule: ${d.decisionRule.text}`);
  return lines;
}

function pendingText(d: PendingReviewsData): string[] {
  const lines = [`${plural(d.total, 'match', 'matches')} waiting for review.`];
  for (const r of d.reviews.slice(0, LIST)) {
    const diff = r.nonExactFields.map((f) => `${f.field} ${f.ours ?? '—'} vs ${f.theirs ?? '—'}`).join(', ');
    lines.push(
      `- ${shown(r.matchId, 'a match')}: ${shown(r.internalTradeId)} ↔ ${shown(r.counterpartyTradeId)}, confidence ${r.confidence}${r.ambiguous ? ' (ambiguous)' : ''}, ${r.desk}, waiting ${r.waitingMinutes} min${diff === '' ? '' : `; ${diff}`}`,
    );
  }
  if (d.total > Math.min(LIST, d.reviews.length))
    lines.push(`(${d.total - Math.min(LIST, d.reviews.length)} more not listed)`);
  lines.push(d.howToDecide);
  return lines;
}

function slaText(d: SlaStatusData): string[] {
  const lines = [
    `SLA for trade date ${d.tradeDate} (${scope(d.desks)}), as of ${when(d.now)}: ${plural(d.openExceptions, 'open exception')}, ${plural(d.breaches, 'breach', 'breaches')}, ${d.warnings} at risk (warned, not yet breached).`,
  ];
  if (d.atRisk.length > 0) {
    lines.push('At risk:');
    for (const e of d.atRisk.slice(0, LIST)) lines.push(`- ${exceptionLine(e)}`);
  }
  if (d.breached.length > 0) {
    lines.push('Breached:');
    for (const e of d.breached.slice(0, 5)) lines.push(`- ${exceptionLine(e)}`);
  }
  if (d.nextDeadlines.length > 0) {
    lines.push('Next deadlines:');
    for (const e of d.nextDeadlines)
      lines.push(`- ${e.exceptionId} (${e.reasonCode}, ${e.priority}) due ${when(e.deadline)}`);
  }
  const u = d.unmatched;
  lines.push(
    `${plural(u.count, 'trade')} of ours without a counterparty record${u.pastDeadline > 0 ? ` (${u.pastDeadline} past the matching deadline)` : ''}${u.nextDeadline === null ? '' : `; next matching deadline ${when(u.nextDeadline)}`}.`,
  );
  return lines;
}

/** When the figures were computed (reports come from a snapshot at most a minute old). */
function asOf(iso: string): string {
  const t = instant(iso);
  return `${t.newYork.slice(11)} (${t.utc.slice(11, 16)} UTC)`;
}

function reportText(d: SettlementReportData, focus: string): string[] {
  const r = d.report;
  const m = r.matching;
  const lines: string[] = [];
  const head = `Settlement report for trade date ${r.tradeDate} (${scope(d.desks)}), as of ${asOf(r.generatedAt)}:`;
  if (/\bstp\b/i.test(focus))
    lines.push(`STP rate ${r.stpRate} % for trade date ${r.tradeDate} (${scope(d.desks)}).`);
  if (/match(?:ing)? rate/i.test(focus))
    lines.push(`Match rate ${r.matchRate} % for trade date ${r.tradeDate} (${scope(d.desks)}).`);
  lines.push(
    head,
    `- ${r.trades.internal} internal trades, ${r.trades.counterparty} counterparty records.`,
    `- Matched: ${m.autoMatched} automatically, ${m.approved} approved; ${m.pendingReview} pending review, ${m.unmatched} unmatched, ${m.inException} in exception, ${m.rejected} rejected.`,
    `- Match rate ${r.matchRate} %, STP rate ${r.stpRate} %.`,
    `- Exceptions: ${r.exceptions.open} open, ${r.exceptions.autoResolved} auto-resolved, ${r.exceptions.resolved} resolved. Open by type: ${counts(r.exceptions.openByType)}. By age: < 1 h ${r.exceptions.openByAge.under1h}, 1–4 h ${r.exceptions.openByAge.from1hTo4h}, > 4 h ${r.exceptions.openByAge.over4h}.`,
    `- SLA: ${r.sla.warnings} warnings, ${r.sla.breaches} breaches.`,
  );
  if (r.topCounterparties.length > 0)
    lines.push(
      `- Most open breaks: ${r.topCounterparties.map((c) => `${c.bic} ${c.openBreaks}`).join(', ')}.`,
    );
  return lines;
}

function auditText(d: AuditTrailData): string[] {
  return d.trails.flatMap((t) => {
    const lines = [
      `Audit trail of ${t.entityId}: ${plural(t.entries.length, 'record')}, chain ${t.verification.intact ? 'intact (verified)' : `NOT intact: ${t.verification.problems.join('; ')}`}.`,
    ];
    for (const e of t.entries.slice(-15)) lines.push(`${e.seq}. ${when(e.at)} ${e.action} by ${e.actor}`);
    if (t.entries.length > 15) lines.push(`(${t.entries.length - 15} earlier records not listed)`);
    return lines;
  });
}

function rerunText(d: RerunMatchingData): string[] {
  return [
    `Matching re-run for ${d.tradeId} by the matching service: ${d.outcome}. ${d.explanation}`,
    'The deterministic matching service decided this outcome; I only asked it to run.',
  ];
}

function proposeText(d: ApprovalRequest): string[] {
  return [
    `Approval request ${d.id} raised: ${d.what.action} for ${d.what.exceptionId} (${d.what.summary}).`,
    `Nothing has changed yet: an approver other than you decides with Approve/Reject on the Slack message (${d.approval.fourEyes})`,
  ];
}

/** The answer text for one result (an error is stated plainly, in the tool's own words). */
export function describeResult(r: CallResult, question: string): string[] {
  if (!r.ok) {
    if (r.code === 'NOT_FOUND_OR_NOT_PERMITTED') return [r.message];
    if (r.code === 'FORBIDDEN') return [`Not allowed: ${r.message}`];
    return [`${r.name} could not answer (${r.code}): ${r.message}`];
  }
  switch (r.name) {
    case 'get_trade_status':
      return statusText(r.data as TradeStatusData);
    case 'find_trades':
      return findTradesText(r.data as FindTradesData);
    case 'list_open_exceptions':
      return openExceptionsText(r.data as OpenExceptionsData);
    case 'explain_exception':
      return explainExceptionText(r.data as ExplainExceptionData);
    case 'explain_match':
      return explainMatchText(r.data as ExplainMatchData);
    case 'list_pending_reviews':
      return pendingText(r.data as PendingReviewsData);
    case 'get_sla_status':
      return slaText(r.data as SlaStatusData);
    case 'settlement_report':
      return reportText(r.data as SettlementReportData, question);
    case 'get_audit_trail':
      return auditText(r.data as AuditTrailData);
    case 'rerun_matching':
      return rerunText(r.data as RerunMatchingData);
    case 'propose_resolution':
      return proposeText(r.data as ApprovalRequest);
    default:
      return [`${r.name} returned a result I cannot summarise offline.`];
  }
}

/** `Sources: trade INTERNAL#T-1, match M|…` — what the answer relied on (at most 12 listed). */
export function sources(results: readonly CallResult[]): string {
  const refs: RecordRef[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    if (!r.ok) continue;
    for (const ref of r.records) {
      const key = `${ref.kind} ${ref.id}`;
      if (!seen.has(key)) {
        seen.add(key);
        refs.push(ref);
      }
    }
  }
  const tools = [...new Set(results.map((r) => r.name))].join(', ');
  if (refs.length === 0) return `Sources: ${tools}.`;
  const shown = refs.slice(0, 12).map((r) => `${r.kind} ${r.id}`);
  const more = refs.length > 12 ? ` and ${refs.length - 12} more` : '';
  return `Sources: ${tools} — ${shown.join(', ')}${more}.`;
}

/** Why a trade is not matched, in one sentence, from its status record. */
export function whyLead(r: TradeStatusRecord, thresholds?: { autoMatch: number; review: number }): string {
  switch (r.status) {
    case 'MATCHED':
      return `${r.tradeId} is matched${r.match === null ? '' : ` (${r.match.status}, confidence ${r.match.confidence})`}.`;
    case 'PENDING_REVIEW': {
      const band =
        thresholds === undefined
          ? ''
          : `, between the review threshold ${thresholds.review} and auto-match ${thresholds.autoMatch} (or ambiguous)`;
      return `${r.tradeId} is paired but not matched: confidence ${r.match?.confidence ?? '—'}${band}, so it waits for an approver's decision on the Slack review message.`;
    }
    case 'EXCEPTION':
      return `${r.tradeId} is not matched because it breaks: ${r.openExceptions.map((e) => `${e.reasonCode} ${e.type}`).join(', ') || 'see below'}.`;
    default:
      return `${r.tradeId} is not matched because no counterparty record has been paired with it yet; if none arrives, CMIS is raised at the deadline ${when(r.matchDeadline)}.`;
  }
}
