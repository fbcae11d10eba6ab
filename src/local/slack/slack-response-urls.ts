import { randomBytes } from 'node:crypto';
import type { Params } from './slack-api-params.ts';
import type { SlackEmulatorState } from './slack-emulator-state.ts';
import type { ResponseUrlContext } from './slack-emulator-types.ts';
import { isReply, messageContent } from './slack-message-content.ts';

/** As Slack documents: a response_url takes up to 5 posts within 30 minutes. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

const PATH = /^\/commands\/[A-Z0-9]+\/\d+\/[0-9a-f]+$/;

export function issueResponseUrl(state: SlackEmulatorState, context: ResponseUrlContext = {}): string {
  const path = `/commands/${state.identity.teamId}/${String(state.responseUrls.size + 1).padStart(10, '0')}/${randomBytes(12).toString('hex')}`;
  state.responseUrls.set(path, { context, issuedAt: state.now().getTime(), uses: 0 });
  return `${state.baseUrl}${path}`;
}

export const isResponseUrlPath = (path: string): boolean => PATH.test(path);

/**
 * A post to a response_url, recorded whatever its fate, with Slack's effects: `delete_original` and
 * `replace_original` act on the message the interaction came from, `response_type: 'in_channel'` posts
 * in the channel, anything else is an ephemeral for the user.
 */
export function receiveResponse(
  state: SlackEmulatorState,
  path: string,
  body: Params,
): { status: number; body: Record<string, unknown> } {
  const url = `${state.baseUrl}${path}`;
  const at = state.now();
  const answer = (status: number, error?: string) => {
    state.responses.push({ url, body, at, status, ...(error === undefined ? {} : { error }) });
    return { status, body: error === undefined ? { ok: true } : { ok: false, error } };
  };
  const issued = state.responseUrls.get(path);
  if (issued === undefined) return answer(404, 'invalid_url');
  if (at.getTime() - issued.issuedAt > RESPONSE_URL_TTL_MS) return answer(404, 'expired_url');
  if (issued.uses >= RESPONSE_URL_USES) return answer(404, 'used_url');

  const { channel, user, messageTs } = issued.context;
  if (body.delete_original === true || body.delete_original === 'true') {
    issued.uses += 1;
    if (channel !== undefined && messageTs !== undefined) state.remove(channel, messageTs);
    return answer(200);
  }
  const content = messageContent(body);
  if (isReply(content)) return answer(400, String(content.body.error));
  issued.uses += 1;
  const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
  const replace = body.replace_original === true || body.replace_original === 'true';
  const original =
    channel !== undefined && messageTs !== undefined ? state.find(channel, messageTs) : undefined;
  if (replace && original !== undefined) {
    original.text = content.text;
    if (content.blocks === undefined) delete original.blocks;
    else original.blocks = content.blocks;
    original.edited = { user: state.identity.botUserId, ts: state.nextTs() };
  } else if (body.response_type === 'in_channel' && channel !== undefined) {
    state.botMessage(channel, {
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
    });
  } else if (channel !== undefined && user !== undefined) {
    state.ephemerals.push({
      channel,
      user,
      message_ts: state.nextTs(),
      text: content.text,
      ...(content.blocks === undefined ? {} : { blocks: content.blocks }),
      ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      via: 'response_url',
    });
  }
  return answer(200);
}
