import { DateTime } from 'luxon';
import type { ExplainMatchData } from '../tools/match-tools.ts';
import type { ResolvedEntitiesData } from '../tools/resolve-entities.ts';
import type { FindTradesData, TradeStatusData, TradeStatusRecord } from '../tools/trade-tools.ts';
import { describeResult, sources, whyLead } from './offline/compose.ts';
import { classify, type IntentName } from './offline/intents.ts';
import { givenDate, NO_ENTITIES, planFor, type ToolCall, unresolvedIds } from './offline/plan.ts';
import { type CallResult, readTurn } from './offline/results.ts';
import type { ContentBlock, Message, ModelClient, ModelRequest, ModelResponse, StopReason } from './types.ts';

export const OFFLINE_PLANNER_LABEL = 'offline-planner';
export const OFFLINE_PLANNER_NAME = 'SettleOps offline planner (rule-based, no language model)';

const EXAMPLES = [
  '"status of <trade id>"',
  '"why is <trade id> not matched?"',
  '"open price breaks on EQ-US"',
  '"exceptions older than 2 hours"',
  '"missing confirmations"',
  '"what is at risk of breaching SLA today?"',
  '"pending approvals"',
  '"today\'s settlement report" or "STP rate"',
  '"audit trail for <trade id>"',
  '"trades with GSCMUS33" or "trades in US0378331005"',
  '"explain <exception id>"',
];

export const DECLINE_TEXT = [
  `I can't answer that offline. I am the ${OFFLINE_PLANNER_NAME}: I recognise common settlement questions by rules and answer them from the settlement records, nothing else.`,
  `Things I can do, for example: ${EXAMPLES.join('; ')}.`,
].join('\n');

const REFUSALS: Record<'approval' | 'change' | 'forecast', string> = {
  approval:
    'I cannot approve or reject anything. Approvals are made by a person with the approver role, with the Approve/Reject buttons on the review message in Slack (four eyes: not the person who booked or last amended the trade). I can list what is waiting: ask "pending approvals".',
  change:
    'I cannot delete, cancel or change trades, and nobody can through this assistant. Trades change only through ingestion and the deterministic settlement services; for a break I can raise a proposal for an approver, e.g. "propose a counterparty amendment for X|INTERNAL#T-…|price".',
  forecast: `I can't predict prices or markets. ${DECLINE_TEXT}`,
};

export interface OfflinePlannerOptions {
  /** Tool-calling steps per turn after resolve_entities (a follow-up such as explain_exception). Default 3. */
  readonly maxToolSteps?: number;
}

type Step = { content: ContentBlock[]; stopReason: StopReason };

/**
 * A rule-based stand-in for a Bedrock model, used when no `BEDROCK_MODEL_ID` is configured. It reads
 * only what the loop sends it (the Converse messages and tool results): it first asks
 * `resolve_entities` what the question names (entitlement-checked, as the asker may see it), then
 * scores the question against its intent vocabulary, emits the same tool-use blocks a model would,
 * and writes the answer from the tool results only, stating its scope. What it cannot answer it says
 * plainly, with what it understood and the closest questions it can answer. It is not a language
 * model and never says it is one.
 *
 * Usage is an estimate (`estimated: true`): input tokens are ceil(characters / 4) of the system
 * prompt, the tool specs (as JSON) and the messages (as JSON); output tokens the same over the
 * content it returns. About four characters per token is the usual rule of thumb for English and
 * JSON with Claude-family tokenizers; the token budget only needs the order of magnitude.
 */
export class OfflinePlanner implements ModelClient {
  readonly label = OFFLINE_PLANNER_LABEL;
  readonly isLanguageModel = false;
  readonly #maxToolSteps: number;

  constructor(options: OfflinePlannerOptions = {}) {
    this.#maxToolSteps = Math.max(1, options.maxToolSteps ?? 3);
  }

  async converse(request: ModelRequest): Promise<ModelResponse> {
    const started = performance.now();
    const { content, stopReason } = this.#plan(request);
    const message: Message = { role: 'assistant', content };
    return {
      message,
      stopReason,
      usage: {
        inputTokens: estimateTokens(
          request.system.length +
            JSON.stringify(request.tools).length +
            JSON.stringify(request.messages).length,
        ),
        outputTokens: estimateTokens(JSON.stringify(content).length),
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        estimated: true,
      },
      modelId: OFFLINE_PLANNER_LABEL,
      latencyMs: Math.round(performance.now() - started),
    };
  }

  #plan(request: ModelRequest): Step {
    const last = request.messages.at(-1);
    if (last === undefined || last.role !== 'user') return say('There is no question to answer.');
    const { question, results } = readTurn(request.messages);
    const available = new Set(request.tools.map((t) => t.name));
    const callId = request.messages.filter((m) => m.role === 'assistant').length + 1;

    const screened = screen(question);
    if (screened !== undefined) return say(screened);

    const resolved = results.find((r) => r.name === RESOLVE);
    if (resolved === undefined && available.has(RESOLVE))
      return useTools([{ name: RESOLVE, input: { text: question.slice(0, 1000) } }], callId);
    const entities = resolved?.ok === true ? (resolved.data as ResolvedEntitiesData) : NO_ENTITIES;
    const asked = results.filter((r) => r.name !== RESOLVE);
    const understanding = understand(question, entities);

    if (asked.length === 0) {
      const { result } = understanding;
      if (result.kind === 'tie') return say(clarify(result.intents, entities));
      if (result.kind === 'none') return say(fallback(entities, result.likely, question));
      const plan = planFor(result.intent, entities, understanding.reading, question);
      if (plan.calls.length === 0) {
        const missing = notVisible(entities);
        if (missing !== undefined && entities.trades.length === 0)
          return say(`${missing}\n${sources(results)}`);
        return say(fallback(entities, result.intent, question));
      }
      const absent = plan.calls.filter((c) => !available.has(c.name)).map((c) => c.name);
      if (absent.length > 0)
        return say(
          `I would need ${[...new Set(absent)].join(', ')} for that, which is not available in this conversation, so I can't answer it offline.`,
        );
      return useTools(plan.calls, callId);
    }

    const intent = understanding.result.kind === 'intent' ? understanding.result.intent : undefined;
    const steps = new Set(asked.map((r) => r.name)).size;
    if (steps < this.#maxToolSteps && asked.every((r) => r.name === asked[0]?.name)) {
      const next = followUps(intent, asked, entities).filter((c) => available.has(c.name));
      if (next.length > 0) return useTools(next, callId);
    }
    const plan =
      intent === undefined ? undefined : planFor(intent, entities, understanding.reading, question);
    return say(compose(intent, question, plan?.scope, asked, results));
  }
}

const RESOLVE = 'resolve_entities';

function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

function say(text: string): Step {
  return { content: [{ text }], stopReason: 'end_turn' };
}

function useTools(calls: readonly ToolCall[], callId: number): Step {
  const content: ContentBlock[] = [
    { text: `Looking this up with ${[...new Set(calls.map((c) => c.name))].join(', ')}.` },
    ...calls.map((c, i) => ({
      toolUse: { toolUseId: `offline_${callId}_${i + 1}`, name: c.name, input: c.input },
    })),
  ];
  return { content, stopReason: 'tool_use' };
}

/** Refusals and off-topic requests, decided before anything is looked up. */
function screen(question: string): string | undefined {
  const lower = question.toLowerCase();
  if (/\b(poem|haiku|limerick|song|joke|story|essay)\b/.test(lower)) return DECLINE_TEXT;
  if (
    /\b(weather|forecast|predict|prediction)\b|\bwill the price\b|\bprice (?:of \S+ )?(?:be )?tomorrow\b/.test(
      lower,
    )
  )
    return /\bprice\b|\bstock\b|\bshares?\b/.test(lower) ? REFUSALS.forecast : DECLINE_TEXT;
  if (/\bpropos/.test(lower)) return undefined;
  if (
    /\b(approve|reject|sign[- ]?off|accept)\b/.test(lower) &&
    !/\bpending\b|\bwaiting\b|\bneeds?\b|\bwho\b|\bawaiting\b|\bqueue\b|\bto (?:approve|review)\b|\bcan\b|\bshould\b|\bhow\b/.test(
      lower,
    )
  )
    return REFUSALS.approval;
  if (/\b(delete|remove|cancel|purge|wipe|drop|truncate|nuke|kill|scrap|bin)\b/.test(lower))
    return REFUSALS.change;
  if (
    /^(?:please |pls |can you |could you |would you |go |now |just )*(amend|modify|change|edit|update|overwrite|set|force|mark|book|settle|fix)\b/.test(
      lower,
    )
  )
    return REFUSALS.change;
  return undefined;
}

/** The typed tokens the resolver recognised: they are taken out before the words are read. */
function entityTokens(e: ResolvedEntitiesData): string[] {
  return [
    ...e.trades.map((t) => t.typed),
    ...e.exceptions.map((x) => x.exceptionId),
    ...e.matches.map((m) => m.matchId),
    ...e.isins,
    ...e.bics,
    ...e.desks.map((d) => d.desk),
    ...e.accounts,
    ...e.dates.map((d) => d.typed),
    ...e.unresolved,
  ];
}

function understand(question: string, e: ResolvedEntitiesData) {
  return classify(question, entityTokens(e), {
    trades: e.trades.length + unresolvedIds(e).length,
    exceptions: e.exceptions.length,
    matches: e.matches.length,
    isins: e.isins.length,
    bics: e.bics.length,
    desks: e.desks.length,
  });
}

/** "No trade X that you are permitted to see." for ids the resolver could not find (or may not show). */
function notVisible(e: ResolvedEntitiesData): string | undefined {
  const ids = e.unresolved.filter((u) => /\d/.test(u));
  if (ids.length === 0) return undefined;
  return ids.map((id) => `No trade ${id.toUpperCase()} that you are permitted to see.`).join('\n');
}

/** After the first look-ups: the breaks behind a trade that is not matched, or earlier days for a search. */
function followUps(
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
      if (record.match !== null)
        calls.push({ name: 'explain_match', input: { matchId: record.match.matchId } });
      else
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

function fallback(e: ResolvedEntitiesData, likely: IntentName | undefined, question: string): string {
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

function clarify(intents: readonly [IntentName, IntentName], e: ResolvedEntitiesData): string {
  const parts = understood(e);
  return [
    `Do you mean ${INTENT_LABELS[intents[0]]} or ${INTENT_LABELS[intents[1]]}?${parts.length === 0 ? '' : ` (I understood: ${parts.join('; ')}.)`}`,
    `For example: "${example(intents[0], e)}" or "${example(intents[1], e)}".`,
  ].join('\n');
}

function compose(
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
    // Looked back from an empty today: the days with trades, and which days were empty.
    const total = (r: CallResult) => (r.ok ? (r.data as FindTradesData).total : 0);
    const empty = asked.flatMap((r) =>
      r.ok && total(r) === 0 ? [(r.data as FindTradesData).tradeDate] : [],
    );
    const found = asked.filter((r) => !r.ok || total(r) > 0);
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

/** How the planner reads a question: a refusal, an intent, a tie it asks about, or nothing it can answer. */
export type PlannerReading = IntentName | 'refuse' | 'decline' | 'clarify' | 'unknown';

/**
 * What the planner makes of a question given what `resolve_entities` returned for it: the same
 * decision `converse` takes, exposed so evaluations can score intents and not only answers.
 */
export function readingOf(question: string, entities: ResolvedEntitiesData = NO_ENTITIES): PlannerReading {
  const screened = screen(question);
  if (screened !== undefined) return screened === DECLINE_TEXT ? 'decline' : 'refuse';
  const { result } = understand(question, entities);
  if (result.kind === 'tie') return 'clarify';
  if (result.kind === 'none') return 'unknown';
  return result.intent;
}
