import { DateTime } from 'luxon';
import type { ExplainMatchData } from '../../tools/match-tools.ts';
import type { ResolvedEntitiesData } from '../../tools/resolve-entities.ts';
import type { FindTradesData, TradeStatusData, TradeStatusRecord } from '../../tools/trade-tools.ts';
import { describeResult, sources, whyLead } from './compose.ts';
import type { IntentName } from './intents.ts';
import { givenDate, type ToolCall } from './plan.ts';
import type { CallResult } from './results.ts';

/*
 * The offline planner after its first look-ups: the follow-up calls an intent needs (the breaks
 * behind a trade, the twin of a duplicate, earlier days of a search) and the answer written from the
 * results, its scope first. Pure.
 */

/** After the first look-ups: the breaks behind a trade that is not matched, or earlier days for a search. */
export function followUps(
  intent: IntentName | undefined,
  asked: readonly CallResult[],
  e: ResolvedEntitiesData,
): ToolCall[] {
  if (intent === 'why') {
    const calls: ToolCall[] = [];
    for (const r of asked) {
      if (r.name !== 'get_trade_status' || !r.ok) continue;
      const data = r.data as TradeStatusData;
      const record = data.records.find((x) => x.source === 'INTERNAL') ?? data.records[0];
      if (record === undefined || record.status === 'MATCHED') continue;
      if (record.match !== null) {
        // The reference redaction nulls the id of a match naming a record of another desk: ask by trade.
        const matchId: string | null = record.match.matchId;
        calls.push({
          name: 'explain_match',
          input: matchId === null ? { tradeId: record.tradeId } : { matchId },
        });
      } else
        calls.push(
          ...record.openExceptions
            .slice(0, 3)
            .map((x) => ({ name: 'explain_exception', input: { exceptionId: x.exceptionId } })),
        );
    }
    return calls.slice(0, 4);
  }
  if (intent === 'duplicate') {
    // Their records that are as good as ours: whom each is paired with shows a twin booking of ours.
    const rivals = asked.flatMap((r) =>
      r.ok && r.name === 'explain_match'
        ? (r.data as ExplainMatchData).ambiguousWith
            .filter((a) => a.kind !== 'our booking')
            .map((a) => a.tradeId)
        : [],
    );
    return [...new Set(rivals)]
      .slice(0, 2)
      .map((tradeId) => ({ name: 'get_trade_status', input: { tradeId } }));
  }
  if (intent === 'find_trades' && givenDate(e) === undefined && e.today !== '') {
    const empty = asked.every(
      (r) =>
        r.name === 'find_trades' &&
        r.ok &&
        (r.data as FindTradesData).total === 0 &&
        (r.data as FindTradesData).days === undefined &&
        (r.data as FindTradesData).tradeDate === e.today,
    );
    if (!empty) return [];
    return previousBusinessDays(e.today, 3).flatMap((tradeDate) =>
      asked.map((r) => ({
        name: 'find_trades',
        input: { ...(r.input as Record<string, unknown>), tradeDate },
      })),
    );
  }
  return [];
}

function previousBusinessDays(today: string, n: number): string[] {
  const out: string[] = [];
  let d = DateTime.fromISO(today);
  while (out.length < n) {
    d = d.minus({ days: 1 });
    if (d.weekday <= 5) out.push(d.toISODate() ?? '');
  }
  return out;
}

/** The answer, from the tool results only: its scope first, then each result, then its sources. */
export function compose(
  intent: IntentName | undefined,
  question: string,
  scope: string | undefined,
  asked: readonly CallResult[],
  all: readonly CallResult[],
): string {
  const lines: string[] = [];
  if (scope !== undefined) lines.push(`Scope: ${scope}.`);
  if (intent === 'why') {
    for (const status of asked.filter((r) => r.name === 'get_trade_status')) {
      if (!status.ok) {
        lines.push(...describeResult(status, question));
        continue;
      }
      const data = status.data as TradeStatusData;
      const record = data.records.find((r) => r.source === 'INTERNAL') ?? data.records[0];
      const mine = (r: CallResult) =>
        JSON.stringify(r.input).includes(JSON.stringify(data.tradeId).slice(1, -1));
      const followUps = asked.filter(
        (r) =>
          r.name !== 'get_trade_status' &&
          (record === undefined || relatesTo(r, record.openExceptions, record.match, mine)),
      );
      const match = followUps.find((r) => r.ok && r.name === 'explain_match');
      const rule = match?.ok === true ? (match.data as ExplainMatchData).decisionRule : undefined;
      if (record !== undefined) lines.push(whyLead(record, rule));
      if (followUps.length === 0) lines.push(...describeResult(status, question));
      else {
        const headline = describeResult(status, question)[0];
        if (headline !== undefined) lines.push(headline);
        lines.push(...followUps.flatMap((r) => describeResult(r, question)));
      }
    }
  } else if (intent === 'duplicate') {
    const rivals = asked.flatMap((r) =>
      r.ok && r.name === 'get_trade_status' ? (r.data as TradeStatusData).records : [],
    );
    for (const r of asked) {
      if (r.name === 'get_trade_status') continue;
      if (r.ok && r.name === 'explain_match') lines.push(duplicateLead(r.data as ExplainMatchData, rivals));
      lines.push(...describeResult(r, question));
    }
  } else if (intent === 'pending_reviews' && asked.some((r) => r.name === 'get_trade_status')) {
    lines.push(APPROVALS);
    for (const r of asked) lines.push(...describeResult(r, question));
  } else if (intent === 'find_trades' && asked.length > 1) {
    // Looked back from an empty today: the days with trades, and which days were empty. (A search
    // over several days says its own empty days.)
    const oneDay = (r: CallResult) => r.ok && (r.data as FindTradesData).days === undefined;
    const total = (r: CallResult) => (r.ok ? (r.data as FindTradesData).total : 0);
    const empty = asked.flatMap((r) =>
      r.ok && oneDay(r) && total(r) === 0 ? [(r.data as FindTradesData).tradeDate] : [],
    );
    const found = asked.filter((r) => !oneDay(r) || total(r) > 0);
    if (found.length === 0) for (const r of asked) lines.push(...describeResult(r, question));
    else {
      if (empty.length > 0) lines.push(`Nothing on trade date ${[...new Set(empty)].join(', ')}.`);
      for (const r of found) lines.push(...describeResult(r, question));
    }
  } else {
    for (const r of asked) lines.push(...describeResult(r, question));
  }
  lines.push(sources(all));
  return lines.join('\n');
}

function relatesTo(
  r: CallResult,
  open: readonly { exceptionId: string }[],
  match: { matchId: string } | null,
  mine: (r: CallResult) => boolean,
): boolean {
  const input = r.input as Record<string, unknown> | undefined;
  if (input?.exceptionId !== undefined) return open.some((x) => x.exceptionId === input.exceptionId);
  if (input?.matchId !== undefined) return match?.matchId === input.matchId;
  return mine(r);
}

const APPROVALS =
  'Approvals: an approver (approver role, entitled to the desk, not the person who booked or last amended the trade) decides a match in review with Approve/Reject on its Slack review message. I cannot approve anything.';

function duplicateLead(d: ExplainMatchData, rivals: readonly TradeStatusRecord[]): string {
  const subject = d.tradeId ?? d.matchId ?? 'This trade';
  const theirs = d.ambiguousWith.filter((r) => r.kind !== 'our booking').map((r) => r.tradeId);
  // Another of our bookings paired with one of those records is a twin of this one.
  const twins = rivals
    .filter((r) => theirs.includes(r.tradeId))
    .map((r) => (r.match === null ? undefined : r.match.internalTradeId))
    .filter((id): id is string => id !== undefined && id !== subject);
  const ours = [
    ...new Set([...d.ambiguousWith.filter((r) => r.kind === 'our booking').map((r) => r.tradeId), ...twins]),
  ];
  if (ours.length > 0)
    return `Possible duplicate: ${subject} and ${ours.join(', ')} are bookings of ours equally good for the same counterparty record${theirs.length > 0 ? `s (${[d.counterpartyTradeId, ...theirs].filter((x) => x !== null).join(', ')})` : ''}, so none is auto-matched and each waits for review.`;
  if (theirs.length > 0)
    return `Possible duplicate on their side: ${subject} has ${theirs.length === 1 ? 'an equally good counterparty record' : 'equally good counterparty records'} (${theirs.join(', ')}), so it waits for review.`;
  if (d.ambiguousOutsideYourDesks > 0)
    return `${subject} has ${d.ambiguousOutsideYourDesks} equally good candidate(s) on desks you may not see.`;
  return `No duplicate found for ${subject}: no other booking or record is an equally good candidate.`;
}
