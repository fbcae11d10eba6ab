import { mrkdwn, safe } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';
import { clockTime } from './time-format.ts';

/** Shown only to a person who clicked a match someone already decided (or a stale message). */
export function alreadyDecidedEphemeral(input: {
  readonly decision: 'APPROVED' | 'REJECTED';
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly timeZone: string;
}): SlackMessage {
  const verb = input.decision === 'APPROVED' ? 'approved' : 'rejected';
  const text = `This match was already ${verb} by ${safe(input.decidedBy, 100)} at ${clockTime(input.decidedAt, input.timeZone, 'decidedAt')}. Nothing was changed.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:information_source: ${text}`) }] };
}

/** Shown only to a person whose click was refused (role, desk, four eyes), with the reason. */
export function refusalEphemeral(reason: string): SlackMessage {
  const trimmed = reason.trim().replace(/[.\s]+$/, '');
  const why = trimmed === '' ? 'you are not allowed to decide this match' : safe(trimmed, 1000);
  const text = `Not done: ${why}. Nothing was changed.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:no_entry: ${text}`) }] };
}
