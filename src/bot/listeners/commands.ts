import type { App } from '@slack/bolt';
import type { IngressDeps } from './ingress.ts';

/**
 * `/settle-report [date] [desk] [public]` and `/settle-memory`: acked at once (empty ack, nothing
 * slow before it), the answer comes through the command's response_url from the worker.
 */
export function registerCommands(app: App, deps: IngressDeps): void {
  app.command('/settle-report', async ({ ack, command }) => {
    await ack();
    await deps.queue.enqueue({
      kind: 'report',
      deliveryId: command.trigger_id,
      args: command.text ?? '',
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    });
  });
  app.command('/settle-memory', async ({ ack, command }) => {
    await ack();
    await deps.queue.enqueue({
      kind: 'memory',
      deliveryId: command.trigger_id,
      teamId: command.team_id,
      userId: command.user_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    });
  });
}
