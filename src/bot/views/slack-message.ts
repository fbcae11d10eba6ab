import type { KnownBlock } from '@slack/types';

/**
 * A message as every builder returns it: Block Kit blocks plus the plain fallback Slack shows in
 * notifications (always ≤ 3000 characters, mrkdwn-escaped).
 */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}
