/** An `app_mention` event (Events API), as Slack sends it inside an `event_callback`. */
export interface AppMentionEventInput {
  readonly user: string;
  readonly channel: string;
  readonly text: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly team?: string;
}

export function appMentionEvent(input: AppMentionEventInput): Record<string, unknown> {
  return {
    type: 'app_mention',
    user: input.user,
    text: input.text,
    ts: input.ts,
    ...(input.thread_ts === undefined ? {} : { thread_ts: input.thread_ts }),
    ...(input.team === undefined ? {} : { team: input.team }),
    channel: input.channel,
    event_ts: input.ts,
  };
}

/** A `message` event in a DM with the app (`message.im`). */
export function directMessageEvent(input: AppMentionEventInput): Record<string, unknown> {
  return {
    type: 'message',
    channel_type: 'im',
    user: input.user,
    text: input.text,
    ts: input.ts,
    ...(input.thread_ts === undefined ? {} : { thread_ts: input.thread_ts }),
    ...(input.team === undefined ? {} : { team: input.team }),
    channel: input.channel,
    event_ts: input.ts,
  };
}

/** A Slack `ts` for `date`: epoch seconds and six digits. */
export function slackTs(date: Date, micros = 0): string {
  const ms = date.getTime();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + micros).padStart(6, '0')}`;
}
