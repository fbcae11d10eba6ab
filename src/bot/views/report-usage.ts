import { mrkdwn, safe } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';

/** Usage help for `/settle-report`, with what was wrong when the arguments were refused. */
export function reportUsage(problem?: string): SlackMessage {
  const lead =
    problem === undefined || problem.trim() === '' ? '' : `:warning: ${safe(problem.trim(), 500)}\n`;
  const help = [
    '*Usage:* `/settle-report [date] [desk] [public]`',
    '• `date`: the trade date, `YYYY-MM-DD` (default: today on your desk)',
    '• `desk`: one desk, e.g. `EQ-US` (default: every desk you may see)',
    '• `public`: post the report in the channel (default: only you see it)',
    'Example: `/settle-report 2026-11-24 EQ-US public`',
  ].join('\n');
  return {
    text: `${lead}Usage: /settle-report [date] [desk] [public]`,
    blocks: [{ type: 'section', text: mrkdwn(lead + help) }],
  };
}
