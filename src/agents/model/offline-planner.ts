import type { Clock } from '../../clock.ts';
import type { ExplainMatchData } from '../tools/match-tools.ts';
import type { TradeStatusData } from '../tools/trade-tools.ts';
import { describeResult, sources, whyLead } from './offline/compose.ts';
import { type CallResult, readTurn } from './offline/results.ts';
import { type Intent, route, type ToolCall } from './offline/route.ts';
import type { ContentBlock, Message, ModelClient, ModelRequest, ModelResponse, StopReason } from './types.ts';

export const OFFLINE_PLANNER_LABEL = 'offline-planner';
export const OFFLINE_PLANNER_NAME = 'SettleOps offline planner (rule-based, no language model)';

const EXAMPLES = [
  '"status of T-10042"',
  '"why is T-10042 not matched?"',
  '"open price breaks on EQ-US"',
  '"exceptions older than 2 hours"',
  '"missing confirmations"',
  '"what is at risk of breaching SLA today?"',
  '"pending approvals"',
  '"today\'s settlement report" or "STP rate"',
  '"audit trail for T-10042"',
  '"trades with GSCMUS33" or "trades in US0378331005"',
  '"explain X|INTERNAL#T-10042|price"',
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
  /** The current instant, for "yesterday" and "today" (New York dates). Default: the system clock. */
  readonly now?: Clock;
  /** Tool-calling steps per turn (a follow-up such as explain_exception after get_trade_status). Default 3. */
  readonly maxToolSteps?: number;
}

/**
 * A rule-based stand-in for a Bedrock model, used when no `BEDROCK_MODEL_ID` is configured. It
 * recognises common ops questions and emits the same Converse tool-use blocks a model would, then
 * writes the answer from the tool results only; anything else it declines plainly. It is not a
 * language model and never says it is one.
 *
 * Usage is an estimate (`estimated: true`): input tokens are ceil(characters / 4) of the system
 * prompt, the tool specs (as JSON) and the messages (as JSON); output tokens the same over the
 * content it returns. About four characters per token is the usual rule of thumb for English and
 * JSON with Claude-family tokenizers; the token budget only needs the order of magnitude.
 */
export class OfflinePlanner implements ModelClient {
  readonly label = OFFLINE_PLANNER_LABEL;
  readonly isLanguageModel = false;
  readonly #now: Clock;
  readonly #maxToolSteps: number;

  constructor(options: OfflinePlannerOptions = {}) {
    this.#now = options.now ?? (() => new Date());
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

  #plan(request: ModelRequest): { content: ContentBlock[]; stopReason: StopReason } {
    const last = request.messages.at(-1);
    if (last === undefined || last.role !== 'user') return say('There is no question to answer.');
    const { question, results, steps } = readTurn(request.messages);
    const intent = route(question, { now: this.#now() });
    const available = new Set(request.tools.map((t) => t.name));
    const callId = request.messages.filter((m) => m.role === 'assistant').length + 1;

    if (steps === 0) {
      const calls = firstCalls(intent);
      if (calls === undefined) {
        if (intent.kind === 'refuse') return say(REFUSALS[intent.reason]);
        return say(DECLINE_TEXT);
      }
      const missing = calls.filter((c) => !available.has(c.name)).map((c) => c.name);
      if (missing.length > 0)
        return say(
          `I would need ${[...new Set(missing)].join(', ')} for that, which is not available in this conversation, so I can't answer it offline.`,
        );
      return useTools(calls, callId);
    }

    if (intent.kind === 'why' && steps < this.#maxToolSteps && steps === 1) {
      const next = whyFollowUps(results).filter((c) => available.has(c.name));
      if (next.length > 0) return useTools(next, callId);
    }
    return say(compose(intent, question, results));
  }
}

function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

function say(text: string): { content: ContentBlock[]; stopReason: StopReason } {
  return { content: [{ text }], stopReason: 'end_turn' };
}

function useTools(
  calls: readonly ToolCall[],
  callId: number,
): { content: ContentBlock[]; stopReason: StopReason } {
  const content: ContentBlock[] = [
    { text: `Looking this up with ${[...new Set(calls.map((c) => c.name))].join(', ')}.` },
    ...calls.map((c, i) => ({
      toolUse: { toolUseId: `offline_${callId}_${i + 1}`, name: c.name, input: c.input },
    })),
  ];
  return { content, stopReason: 'tool_use' };
}

function firstCalls(intent: Intent): readonly ToolCall[] | undefined {
  switch (intent.kind) {
    case 'status':
      return intent.tradeIds.map((tradeId) => ({ name: 'get_trade_status', input: { tradeId } }));
    case 'why':
      return [{ name: 'get_trade_status', input: { tradeId: intent.tradeId } }];
    case 'tools':
      return intent.calls;
    default:
      return undefined;
  }
}

/** After get_trade_status: the match or the breaks behind a trade that is not matched. */
function whyFollowUps(results: readonly CallResult[]): ToolCall[] {
  const status = results.find((r) => r.name === 'get_trade_status');
  if (status === undefined || !status.ok) return [];
  const data = status.data as TradeStatusData;
  const record = data.records.find((r) => r.source === 'INTERNAL') ?? data.records[0];
  if (record === undefined || record.status === 'MATCHED') return [];
  if (record.match !== null) {
    // The reference redaction nulls the id of a match naming a record of another desk: ask by trade.
    const matchId: string | null = record.match.matchId;
    return [{ name: 'explain_match', input: matchId === null ? { tradeId: record.tradeId } : { matchId } }];
  }
  return record.openExceptions
    .slice(0, 3)
    .map((e) => ({ name: 'explain_exception', input: { exceptionId: e.exceptionId } }));
}

function compose(intent: Intent, question: string, results: readonly CallResult[]): string {
  if (results.length === 0) return DECLINE_TEXT;
  const lines: string[] = [];
  const status = results.find((r) => r.name === 'get_trade_status');
  if (intent.kind === 'why' && status !== undefined && status.ok) {
    const data = status.data as TradeStatusData;
    const record = data.records.find((r) => r.source === 'INTERNAL') ?? data.records[0];
    const followUps = results.filter((r) => r !== status);
    const match = followUps.find((r) => r.ok && r.name === 'explain_match');
    const rule = match?.ok === true ? (match.data as ExplainMatchData).decisionRule : undefined;
    if (record !== undefined) lines.push(whyLead(record, rule));
    if (followUps.length === 0) lines.push(...describeResult(status, question));
    else {
      // The trade's headline only; the follow-ups carry the detail.
      const headline = describeResult(status, question)[0];
      if (headline !== undefined) lines.push(headline);
      lines.push(...followUps.flatMap((r) => describeResult(r, question)));
    }
  } else {
    for (const r of results) lines.push(...describeResult(r, question));
  }
  lines.push(sources(results));
  return lines.join('\n');
}
