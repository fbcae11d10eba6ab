import type { KnownBlock } from '@slack/types';

export interface ResponseMessage {
  readonly text: string;
  readonly blocks?: readonly KnownBlock[];
  /** `ephemeral` (default) shows it to the person only; `in_channel` to everyone. */
  readonly response_type?: 'ephemeral' | 'in_channel';
  readonly replace_original?: boolean;
}

/**
 * Posts to a `response_url` (slash commands and interactions: about 5 uses in 30 minutes). Works
 * where `chat.postEphemeral` does not (DMs, private channels the bot is not in).
 */
export async function respond(url: string, message: ResponseMessage): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', ...message }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`response_url answered ${res.status}`);
  await res.body?.cancel();
}
