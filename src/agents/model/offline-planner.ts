import type { ResolvedEntitiesData } from '../tools/resolve-entities.ts';
import { compose, followUps } from './offline/answers.ts';
import { sources } from './offline/compose.ts';
import { classify, type IntentName } from './offline/intents.ts';
import { NO_ENTITIES, planFor, type ToolCall, unresolvedIds } from './offline/plan.ts';
import { recallAnswer } from './offline/recall.ts';
import { DECLINE_TEXT, OFFLINE_PLANNER_LABEL, screen } from './offline/refusals.ts';
import { readTurn } from './offline/results.ts';
import { clarify, fallback, notVisible } from './offline/suggestions.ts';
import type { ContentBlock, Message, ModelClient, ModelRequest, ModelResponse, StopReason } from './types.ts';

export { DECLINE_TEXT, OFFLINE_PLANNER_LABEL, OFFLINE_PLANNER_NAME } from './offline/refusals.ts';

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
    if (results.length === 0) {
      const recalled = recallAnswer(question, request.context);
      if (recalled !== undefined) return say(recalled);
    }

    const resolved = results.find((r) => r.name === RESOLVE);
    if (resolved === undefined && available.has(RESOLVE)) {
      // A follow-up ("and its counterparty?") names nothing itself: read it with the question before.
      const earlier = isFollowUp(question) ? previousQuestion(request.messages) : undefined;
      const text = earlier === undefined ? question : `${question}\n${earlier}`;
      return useTools([{ name: RESOLVE, input: { text: text.slice(0, 1000) } }], callId);
    }
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

/** A short question that points back ("and its counterparty?", "what about that one?") and names no id. */
function isFollowUp(question: string): boolean {
  if (/\d/.test(question) || question.split(/\s+/).length > 14) return false;
  return /^\s*(?:and|also|what\s+about|how\s+about)\b|\b(?:it|its|it's|that|this|those|these|them|they|their|same)\b/i.test(
    question,
  );
}

/** The person's question of the previous turn in this session, if any. */
function previousQuestion(messages: readonly Message[]): string | undefined {
  const questions = messages.filter(
    (m) =>
      m.role === 'user' && !m.content.some((b) => 'toolResult' in b) && m.content.some((b) => 'text' in b),
  );
  const previous = questions.at(-2);
  return previous?.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('\n');
}

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
