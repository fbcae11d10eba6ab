import type { ModalView } from '@slack/types';
import { MAX_REVIEW_REASON_LENGTH } from '../../settlement/index.ts';
import { CALLBACK_IDS, REJECT_REASON_INPUT } from './action-ids.ts';
import { mrkdwn, plainText, safe } from './mrkdwn.ts';
import { rejectReasonMetadata } from './review-payloads.ts';

/** The least a reason may be: "dup" is a reason, "x" is not. */
export const MIN_REJECT_REASON_LENGTH = 3;

/**
 * The modal Reject opens: a required reason (3–500 characters), and in private_metadata the match,
 * its version and the alert message to update once decided.
 */
export function rejectReasonModal(input: {
  readonly matchId: string;
  readonly version: number;
  readonly channel: string;
  readonly ts: string;
}): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK_IDS.rejectReason,
    private_metadata: rejectReasonMetadata(input),
    title: plainText('Reject match', 24),
    submit: plainText('Reject', 24),
    close: plainText('Cancel', 24),
    blocks: [
      {
        type: 'section',
        block_id: 'review_reject_summary',
        text: mrkdwn(
          `You are rejecting match *${safe(input.matchId, 200)}* (version ${input.version}). The reason goes into the audit trail.`,
        ),
      },
      {
        type: 'input',
        block_id: REJECT_REASON_INPUT.blockId,
        label: plainText('Reason', 2000),
        hint: plainText(
          `${MIN_REJECT_REASON_LENGTH}–${MAX_REVIEW_REASON_LENGTH} characters, e.g. "wrong counterparty record: price is from the amended booking"`,
          2000,
        ),
        element: {
          type: 'plain_text_input',
          action_id: REJECT_REASON_INPUT.actionId,
          multiline: true,
          min_length: MIN_REJECT_REASON_LENGTH,
          max_length: MAX_REVIEW_REASON_LENGTH,
        },
      },
    ],
  };
}
