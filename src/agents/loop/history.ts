import { messageTokens } from '../model/token-estimate.ts';
import type { ContentBlock, Message } from '../model/types.ts';

/*
 * The conversation history a turn sends, kept by whole turns. A turn starts with a person's question
 * (a user message with text and no tool results) and runs to the agent's final answer; in between,
 * every assistant tool use is answered by the next user message's tool results. Converse refuses a
 * conversation that starts with an assistant message, two messages of one role in a row, or a tool
 * result whose tool use is gone ("Call a tool with the Converse API",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use-inference-call.html), so history is
 * only ever cut between turns.
 */

export interface HistoryLimits {
  /** Earlier turns kept at most. */
  readonly maxTurns?: number;
  /** Estimated tokens of earlier turns kept at most. */
  readonly maxTokens?: number;
}

export interface FittedHistory {
  readonly messages: Message[];
  /** Valid earlier turns there were, and how many were dropped to fit. */
  readonly turns: number;
  readonly dropped: number;
  /** Estimated tokens of the turns kept. */
  readonly tokens: number;
}

interface Turn {
  readonly messages: Message[];
  readonly tokens: number;
}

const isBlankText = (b: ContentBlock): boolean => 'text' in b && b.text.trim() === '';
const isQuestion = (m: Message): boolean =>
  m.role === 'user' &&
  !m.content.some((b) => 'toolResult' in b) &&
  m.content.some((b) => 'text' in b && b.text.trim() !== '');
const toolUseIds = (m: Message): string[] =>
  m.content.flatMap((b) => ('toolUse' in b ? [b.toolUse.toolUseId] : []));
const toolResultIds = (m: Message): string[] =>
  m.content.flatMap((b) => ('toolResult' in b ? [b.toolResult.toolUseId] : []));

/** A turn Converse would take: alternating, every tool use answered next, ending with the agent's answer. */
function isWholeTurn(messages: readonly Message[]): boolean {
  if (messages.length < 2 || messages.at(-1)?.role !== 'assistant') return false;
  for (const [i, m] of messages.entries()) {
    if (m.content.length === 0) return false;
    if (i > 0 && messages[i - 1]?.role === m.role) return false;
    if (m.role === 'assistant') {
      const uses = toolUseIds(m).sort();
      const answered = i + 1 < messages.length ? toolResultIds(messages[i + 1] as Message).sort() : [];
      if (uses.join('\u0000') !== answered.join('\u0000')) return false;
    } else if (i > 0 && toolResultIds(m).length === 0) {
      return false;
    }
  }
  return true;
}

/**
 * Splits a history into whole turns, blank text blocks left out. Anything before the first question,
 * and any turn that is not whole (cut, unanswered tool uses, no final answer), is left out.
 */
export function wholeTurns(history: readonly Message[]): Turn[] {
  const turns: Turn[] = [];
  let current: Message[] | undefined;
  const close = () => {
    if (current !== undefined && isWholeTurn(current)) {
      turns.push({ messages: current, tokens: current.reduce((n, m) => n + messageTokens(m), 0) });
    }
  };
  for (const raw of history) {
    const message: Message = { role: raw.role, content: raw.content.filter((b) => !isBlankText(b)) };
    if (isQuestion(message)) {
      close();
      current = [message];
    } else if (current !== undefined) {
      current.push(message);
    }
  }
  close();
  return turns;
}

/** The most recent whole turns within the limits (the oldest dropped first). */
export function fitHistory(turns: readonly Turn[], limits: HistoryLimits): FittedHistory {
  const maxTurns = limits.maxTurns ?? Number.POSITIVE_INFINITY;
  const maxTokens = limits.maxTokens ?? Number.POSITIVE_INFINITY;
  const kept: Turn[] = [];
  let tokens = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i] as Turn;
    if (kept.length >= maxTurns || tokens + turn.tokens > maxTokens) break;
    kept.unshift(turn);
    tokens += turn.tokens;
  }
  return {
    messages: kept.flatMap((t) => t.messages),
    turns: turns.length,
    dropped: turns.length - kept.length,
    tokens,
  };
}
