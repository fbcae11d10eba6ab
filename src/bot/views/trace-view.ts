import type { KnownBlock } from '@slack/types';
import type { Trace } from '../../agents/index.ts';
import { mrkdwn, safe } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';
import { splitText, truncateText } from './truncate.ts';

type TraceStep = Trace['steps'][number];

/** Steps listed; a longer trace ends with a note and the command that prints all of it. */
const MAX_STEPS = 40;

/** "Why?": how an answer was produced, shown to the asker only — compact, within Block Kit's limits. */
export function whyMessage(input: { readonly trace: Trace }): SlackMessage {
  const t = input.trace;
  const ms = Date.parse(t.finishedAt) - Date.parse(t.startedAt);
  const took = Number.isFinite(ms) && ms >= 0 ? ` in ${ms.toLocaleString('en-US')} ms` : '';
  const stopped = t.stoppedBy === undefined ? '' : ` · stopped: ${safe(t.stoppedBy, 200)}`;
  const head = `*How this answer was produced* — answered by \`${safe(t.answeredBy, 100)}\`${took}${stopped}\n_Question:_ ${safe(t.question.replace(/\s+/g, ' '), 200)}`;
  const lines = t.steps.slice(0, MAX_STEPS).map((s, i) => `${i + 1}. ${stepLine(s)}`);
  if (t.steps.length > MAX_STEPS)
    lines.push(
      `… (${t.steps.length - MAX_STEPS} more steps, ask for the full list: \`settleops trace ${safe(t.traceId, 100)}\`)`,
    );
  if (lines.length === 0) lines.push('_No steps recorded._');
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(truncateText(head, 3000)) }];
  for (const text of splitText(lines.join('\n'), 3000).slice(0, 10))
    blocks.push({ type: 'section', text: mrkdwn(text) });
  const tk = t.totals;
  const unpriced =
    t.unpricedModels === undefined || t.unpricedModels.length === 0
      ? ''
      : ` (no price for ${safe(t.unpricedModels.join(', '), 200)})`;
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        `${n(tk.inputTokens)} in · ${n(tk.outputTokens)} out · ${n(tk.cacheRead)} cache read · ${n(tk.cacheWrite)} cache write · ~$${t.estimatedCostUsd.toFixed(4)}${unpriced} · trace ${safe(t.traceId, 100)}`,
      ),
    ],
  });
  return {
    text: truncateText(
      `How this answer was produced: ${t.steps.length} steps, answered by ${safe(t.answeredBy, 100)}`,
      3000,
    ),
    blocks,
  };
}

function n(count: number): string {
  return count.toLocaleString('en-US');
}

function stepLine(s: TraceStep): string {
  switch (s.kind) {
    case 'model':
      return `model \`${safe(s.modelId, 80)}\`${s.tier === undefined ? '' : ` (${s.tier})`} → ${safe(s.stopReason, 40)} · ${n(s.tokens.inputTokens)} in / ${n(s.tokens.outputTokens)} out${s.estimated ? ' (estimated)' : ''} · ${n(Math.round(s.latencyMs))} ms`;
    case 'tool':
      return `tool \`${safe(s.name, 80)}\` → ${safe(s.outcome, 60)} · ${n(Math.round(s.latencyMs))} ms`;
    case 'guardrail':
      return `guardrail ${safe(s.guardrail, 40)} on ${s.stage}: ${safe(s.detail, 120)}`;
    case 'limit':
      return `limit ${safe(s.limit, 40)}: ${safe(s.detail, 120)}`;
  }
}
