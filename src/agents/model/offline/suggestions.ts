import type { ResolvedEntitiesData } from '../../tools/resolve-entities.ts';
import type { IntentName } from './intents.ts';
import { givenDate } from './plan.ts';
import { EXAMPLES, OFFLINE_PLANNER_NAME } from './refusals.ts';

/*
 * What the offline planner says when it cannot answer or is unsure: what it understood, the likely
 * intent, and the closest questions it can answer about what was named. Pure.
 */

/** "No trade X that you are permitted to see." for ids the resolver could not find (or may not show). */
export function notVisible(e: ResolvedEntitiesData): string | undefined {
  const ids = e.unresolved.filter((u) => /\d/.test(u));
  if (ids.length === 0) return undefined;
  return ids.map((id) => `No trade ${id.toUpperCase()} that you are permitted to see.`).join('\n');
}

const INTENT_LABELS: Readonly<Record<IntentName, string>> = {
  status: 'the status of a trade',
  why: 'why a trade is not matched',
  duplicate: 'whether a trade has a duplicate',
  explain_match: 'the match field by field',
  explain_exception: 'an exception explained',
  audit: 'the audit trail',
  rerun: 're-running matching',
  propose: 'proposing a resolution',
  open_exceptions: 'open exceptions',
  sla_status: 'SLA deadlines',
  pending_reviews: 'matches waiting for approval',
  report: 'the settlement report',
  find_trades: 'a trade search',
};

function understood(e: ResolvedEntitiesData): string[] {
  const parts: string[] = [];
  const trades = [...new Set(e.trades.map((t) => t.tradeId))];
  if (trades.length > 0) parts.push(`trade${trades.length === 1 ? '' : 's'} ${trades.join(', ')}`);
  if (e.exceptions.length > 0) parts.push(`exception ${e.exceptions.map((x) => x.exceptionId).join(', ')}`);
  if (e.matches.length > 0) parts.push(`match ${e.matches.map((m) => m.matchId).join(', ')}`);
  if (e.isins.length > 0) parts.push(`ISIN ${e.isins.join(', ')}`);
  if (e.bics.length > 0) parts.push(`BIC ${e.bics.join(', ')}`);
  if (e.desks.length > 0) parts.push(`desk ${e.desks.map((d) => d.desk).join(', ')}`);
  if (e.accounts.length > 0) parts.push(`account ${e.accounts.join(', ')}`);
  if (e.dates.length > 0) parts.push(`date ${e.dates.map((d) => `${d.date} ("${d.typed}")`).join(', ')}`);
  return parts;
}

/** Two or three questions the planner can answer about what was named. */
/** A question of each kind about what was named (trade, desk, date), for suggestions. */
function example(intent: IntentName, e: ResolvedEntitiesData): string {
  const trade = e.trades[0]?.tradeId ?? '<trade id>';
  const onDesk = e.desks[0] === undefined ? '' : ` on ${e.desks[0].desk}`;
  const date = givenDate(e);
  const forDate = date === undefined ? '' : ` for ${date}`;
  switch (intent) {
    case 'status':
      return `status of ${trade}`;
    case 'why':
      return `why is ${trade} not matched?`;
    case 'duplicate':
      return `is there a duplicate for ${trade}?`;
    case 'explain_match':
      return `compare ${trade} field by field`;
    case 'explain_exception':
      return `explain ${e.exceptions[0]?.exceptionId ?? '<exception id>'}`;
    case 'audit':
      return `audit trail for ${trade}`;
    case 'rerun':
      return `rerun matching for ${trade}`;
    case 'propose':
      return `propose a counterparty amendment for ${e.exceptions[0]?.exceptionId ?? '<exception id>'}`;
    case 'open_exceptions':
      return `open breaks${onDesk}${forDate}`;
    case 'sla_status':
      return `SLA status${onDesk}${forDate}`;
    case 'pending_reviews':
      return `pending approvals${onDesk}`;
    case 'report':
      return `settlement report${onDesk}${forDate}`;
    case 'find_trades':
      return `${e.isins[0] === undefined && e.bics[0] === undefined && e.desks[0] !== undefined ? `trades on ${e.desks[0].desk}` : `trades in ${e.isins[0] ?? e.bics[0] ?? '<ISIN>'}`}${forDate === '' ? ' yesterday' : forDate}`;
  }
}

function closest(e: ResolvedEntitiesData, likely: IntentName | undefined): string[] {
  const kinds: IntentName[] = likely === undefined ? [] : [likely];
  if (e.trades.length > 0) kinds.push('status', 'why', 'audit');
  else if (e.isins.length + e.bics.length > 0) kinds.push('find_trades', 'open_exceptions');
  kinds.push('open_exceptions', 'report', 'sla_status');
  return [...new Set(kinds.map((k) => example(k, e)))].slice(0, 3);
}

/** The plain "I can't answer that", with what was understood and the closest questions it can answer. */
export function fallback(e: ResolvedEntitiesData, likely: IntentName | undefined, question: string): string {
  const parts = understood(e);
  const lines = [
    `I can't answer that offline. I am the ${OFFLINE_PLANNER_NAME}: I recognise common settlement questions by rules and answer them from the settlement records, nothing else.`,
  ];
  const missing = notVisible(e);
  if (missing !== undefined) lines.push(missing);
  lines.push(
    `What I understood: ${parts.length === 0 ? 'no trade, desk, ISIN, BIC or date I could find' : parts.join('; ')}${likely === undefined ? '' : `; it may be about ${INTENT_LABELS[likely]}`}.`,
  );
  lines.push(
    `Closest questions I can answer: ${closest(e, likely)
      .map((q) => `"${q}"`)
      .join('; ')}.`,
  );
  if (parts.length === 0 && likely === undefined && question.length > 0)
    lines.push(`Other things I can do, for example: ${EXAMPLES.slice(0, 6).join('; ')}.`);
  return lines.join('\n');
}

/** The question back when two readings score the same, with an example of each. */
export function clarify(intents: readonly [IntentName, IntentName], e: ResolvedEntitiesData): string {
  const parts = understood(e);
  return [
    `Do you mean ${INTENT_LABELS[intents[0]]} or ${INTENT_LABELS[intents[1]]}?${parts.length === 0 ? '' : ` (I understood: ${parts.join('; ')}.)`}`,
    `For example: "${example(intents[0], e)}" or "${example(intents[1], e)}".`,
  ].join('\n');
}
