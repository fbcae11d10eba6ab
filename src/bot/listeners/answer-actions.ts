import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION_IDS, parseForgetFactActionId } from '../views/index.ts';
import type { IngressDeps } from './ingress.ts';

/** Why? on an answer, and Forget / Forget all on the memory view: ack, then the worker answers. */
export function registerAnswerActions(app: App, deps: IngressDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.why, async ({ ack, body, action }) => {
    await ack();
    await deps.queue.enqueue({
      kind: 'why',
      deliveryId: body.trigger_id,
      traceId: action.value ?? '',
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      channelId: body.channel?.id ?? '',
      responseUrl: body.response_url,
    });
  });

  app.action<BlockAction<ButtonAction>>(/^memory_forget/, async ({ ack, body, action }) => {
    await ack();
    const all = action.action_id === ACTION_IDS.forgetAll;
    const factId = all ? undefined : (parseForgetFactActionId(action.action_id) ?? action.value);
    await deps.queue.enqueue({
      kind: 'forget',
      deliveryId: body.trigger_id,
      all,
      ...(factId === undefined ? {} : { factId }),
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
      channelId: body.channel?.id ?? '',
      responseUrl: body.response_url,
    });
  });
}
