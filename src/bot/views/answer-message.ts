import type { KnownBlock } from '@slack/types';
import type { AgentResponse } from '../../agents/index.ts';
import { ACTION_IDS } from './action-ids.ts';
import { blockId } from './block-ids.ts';
import { escapeMrkdwn, mrkdwn, plainText, safe } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';
import { splitText, truncateText } from './truncate.ts';

export interface AnswerMessageInput {
  readonly response: AgentResponse;
  readonly toolsUsed: readonly string[];
  readonly tokens?: { readonly input: number; readonly output: number };
  /** Estimated cost in USD as a decimal string (`0.0042`), printed as given. */
  readonly costUsd?: string;
  /** True when the offline planner answered (no model). */
  readonly offline: boolean;
  readonly blockIdSuffix?: string;
}

const SECTION_TEXT = 3000;
/** Sections the answer may fill: 50 blocks less the context line, the button and a spare. */
const MAX_ANSWER_SECTIONS = 46;
const MAX_TOOLS_SHOWN = 10;
const FALLBACK_LENGTH = 300;

/** The agent's answer in the thread: the text over sections, a context line and a **Why?** button. */
export function answerMessage(input: AnswerMessageInput): SlackMessage {
  const { response } = input;
  const answer = response.answer.trim() === '' ? '(no answer)' : response.answer;
  const pieces = splitText(escapeMrkdwn(answer), SECTION_TEXT);
  const shown = pieces.slice(0, MAX_ANSWER_SECTIONS);
  const hidden = pieces.slice(MAX_ANSWER_SECTIONS).reduce((n, p) => n + p.length, 0);
  if (hidden > 0) {
    const note = `\n\n… (${hidden.toLocaleString('en-US')} more characters, ask for the rest or a narrower answer)`;
    const last = shown.length - 1;
    shown[last] = truncateText(shown[last] ?? '', SECTION_TEXT - note.length) + note;
  }
  const blocks: KnownBlock[] = shown.map((text, i) => ({
    type: 'section',
    block_id: blockId(`answer_${i}`, input.blockIdSuffix),
    text: mrkdwn(text),
  }));
  blocks.push({
    type: 'context',
    block_id: blockId('answer_context', input.blockIdSuffix),
    elements: [mrkdwn(contextLine(input))],
  });
  const traceId = response.traceId;
  if (traceId !== 'none' && traceId !== '' && traceId.length <= 2000) {
    blocks.push({
      type: 'actions',
      block_id: blockId('answer_actions', input.blockIdSuffix),
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.why,
          text: plainText('Why?', 75),
          value: traceId,
          accessibility_label: 'Show how this answer was produced (only you will see it)',
        },
      ],
    });
  }
  return { text: truncateText(escapeMrkdwn(answer), FALLBACK_LENGTH), blocks };
}

/** `offline planner` or `tools: a, b · 1,234 tokens · ~$0.0042`, then `stopped: <reason>` if any. */
function contextLine(input: AnswerMessageInput): string {
  const parts: string[] = [];
  if (input.offline) parts.push('offline planner');
  const tools = [...new Set(input.toolsUsed)];
  if (tools.length > 0) {
    const named = tools.slice(0, MAX_TOOLS_SHOWN).map((t) => safe(t, 60));
    const more = tools.length > MAX_TOOLS_SHOWN ? ` +${tools.length - MAX_TOOLS_SHOWN} more` : '';
    parts.push(`tools: ${named.join(', ')}${more}`);
  } else if (!input.offline) parts.push('no tools');
  if (input.tokens !== undefined) {
    const total = input.tokens.input + input.tokens.output;
    parts.push(`${total.toLocaleString('en-US')} tokens`);
  }
  if (input.costUsd !== undefined) parts.push(`~$${safe(input.costUsd, 30)}`);
  if (input.response.stoppedBy !== undefined) parts.push(`stopped: ${safe(input.response.stoppedBy, 200)}`);
  return parts.join(' · ');
}

/** The placeholder shown while the agent works, updated in place with each step. */
export function progressMessage(step: string): SlackMessage {
  const text = `Working on it… ${safe(step.trim(), 200)}`.trimEnd();
  return {
    text,
    blocks: [{ type: 'context', elements: [mrkdwn(`:hourglass_flowing_sand: ${text}`)] }],
  };
}

/**
 * What an unknown Slack user sees: who to ask for access, nothing else. A Slack user id
 * (`U0123ABC`) is written as a mention so the person can click through; anything else is shown as text.
 */
export function onboardingMessage(input: { readonly adminContact?: string } = {}): SlackMessage {
  const contact = input.adminContact?.trim();
  const who =
    contact === undefined || contact === ''
      ? 'your SettleOps administrator'
      : /^[UW][A-Z0-9]{2,20}$/.test(contact)
        ? `<@${contact}>`
        : safe(contact, 200);
  const text = `You are not set up to use SettleOps yet. Please ask ${who} to give you access.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:wave: ${text}`) }] };
}
