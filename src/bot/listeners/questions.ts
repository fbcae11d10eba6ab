import type { App } from '@slack/bolt';
import { z } from 'zod';
import { enqueueOnce, type IngressDeps } from './ingress.ts';

/** The part of a message or app_mention event a question needs; anything else is ignored. */
const AskingEvent = z.object({
  user: z.string().min(1),
  channel: z.string().min(1),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  text: z.string(),
  team: z.string().optional(),
  channel_type: z.string().optional(),
});

/**
 * @mentions in channels and direct messages become question jobs; the bot's own messages, other
 * bots, edits and deletions (any subtype) are ignored. Bolt acks events before listeners run.
 */
export function registerQuestions(app: App, deps: IngressDeps): void {
  app.event('app_mention', async ({ event, body }) => {
    if ('bot_id' in event || 'subtype' in event) return;
    await take(deps, body, event, false);
  });
  app.event('message', async ({ event, body }) => {
    if (event.channel_type !== 'im' || 'subtype' in event || 'bot_id' in event) return;
    await take(deps, body, event, true);
  });
}

async function take(deps: IngressDeps, body: unknown, raw: unknown, direct: boolean): Promise<void> {
  const event = AskingEvent.safeParse(raw);
  if (!event.success) {
    deps.logger.warn('event without what a question needs', { issues: event.error.issues.length });
    return;
  }
  const e = event.data;
  const envelope = z
    .object({ event_id: z.string().optional(), team_id: z.string().optional() })
    .safeParse(body);
  const eventId = envelope.success ? envelope.data.event_id : undefined;
  const teamId = e.team ?? (envelope.success ? envelope.data.team_id : undefined) ?? '';
  await enqueueOnce(
    deps,
    [...(eventId === undefined ? [] : [`event:${eventId}`]), `message:${e.channel}:${e.ts}`],
    {
      kind: 'question',
      deliveryId: eventId ?? `${e.channel}:${e.ts}`,
      teamId,
      userId: e.user,
      channelId: e.channel,
      ts: e.ts,
      ...(e.thread_ts === undefined ? {} : { threadTs: e.thread_ts }),
      text: e.text,
      direct,
    },
  );
}
