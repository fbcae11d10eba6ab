import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  ACTION_IDS,
  CALLBACK_IDS,
  MIN_REJECT_REASON_LENGTH,
  parseRejectReasonMetadata,
  parseReviewButtonValue,
  rejectReasonModal,
} from '../views/index.ts';
import type { IngressDeps } from './ingress.ts';

/** Where a click came from: the person, their team, the alert message. */
function clickOf(body: BlockAction) {
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    channelId: body.channel?.id ?? body.container.channel_id ?? '',
    messageTs: body.message?.ts ?? body.container.message_ts ?? '',
    responseUrl: body.response_url,
  };
}

/**
 * Approve and Reject on an escalated match. Approve: ack, enqueue the decision (authorised and
 * decided exactly once by the worker). Reject: ack, then open the modal asking for a reason (the
 * trigger id lives 3 seconds); its submission enqueues the decision with the reason.
 */
export function registerReviewActions(app: App, deps: IngressDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.approve, async ({ ack, body, action }) => {
    await ack();
    const value = parseReviewButtonValue(action.value ?? '');
    if (value === undefined) return;
    await deps.queue.enqueue({
      kind: 'decision',
      deliveryId: body.trigger_id,
      decision: 'APPROVE',
      matchId: value.matchId,
      ...clickOf(body),
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.reject, async ({ ack, body, action, client }) => {
    await ack();
    const value = parseReviewButtonValue(action.value ?? '');
    const click = clickOf(body);
    if (value === undefined) return;
    await client.views.open({
      trigger_id: body.trigger_id,
      view: rejectReasonModal({
        matchId: value.matchId,
        version: value.version,
        channel: click.channelId,
        ts: click.messageTs,
      }),
    });
  });

  app.view(CALLBACK_IDS.rejectReason, async ({ ack, body, view }) => {
    const metadata = parseRejectReasonMetadata(view.private_metadata);
    const reason = Object.values(view.state.values)
      .flatMap((block) => Object.values(block))
      .map((input) => (typeof input.value === 'string' ? input.value.trim() : ''))
      .find((v) => v !== '');
    if (metadata === undefined) {
      await ack();
      deps.logger.warn('reject reason without its match', {});
      return;
    }
    if (reason === undefined || reason.length < MIN_REJECT_REASON_LENGTH || reason.length > 500) {
      const blockId = Object.keys(view.state.values)[0] ?? 'reason';
      await ack({
        response_action: 'errors',
        errors: { [blockId]: `Give a reason of ${MIN_REJECT_REASON_LENGTH} to 500 characters.` },
      });
      return;
    }
    await ack();
    await deps.queue.enqueue({
      kind: 'decision',
      deliveryId: 'trigger_id' in body ? body.trigger_id : `${view.id}:${view.hash}`,
      decision: 'REJECT',
      reason,
      matchId: metadata.matchId,
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      channelId: metadata.channel,
      messageTs: metadata.ts,
    });
  });
}
