import { bool, fail, int, ok, type Params, type Reply, str } from './slack-api-params.ts';
import type { MethodHandler } from './slack-chat-methods.ts';
import type { SlackEmulatorState, StoredMessage } from './slack-emulator-state.ts';
import { wireMessage } from './slack-message-content.ts';

/** A `ts` (or `oldest`/`latest`) as microseconds, so comparisons are exact. */
export function tsMicros(ts: string): bigint | undefined {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(ts);
  if (m === null) return undefined;
  return BigInt(m[1] ?? '0') * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

function window(params: Params): ((m: StoredMessage) => boolean) | Reply {
  const inclusive = bool(params, 'inclusive');
  const bound = (name: string) => {
    const v = str(params, name);
    return v === undefined ? undefined : tsMicros(v);
  };
  const oldest = bound('oldest');
  const latest = bound('latest');
  if (
    (str(params, 'oldest') !== undefined && oldest === undefined) ||
    (str(params, 'latest') !== undefined && latest === undefined)
  )
    return fail('invalid_ts_oldest');
  return (m) => {
    const t = tsMicros(m.ts) ?? 0n;
    if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
    if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
    return true;
  };
}

/** Newest first, `limit` at a time (default 100, at most 999), continued with an opaque cursor. */
function page(state: SlackEmulatorState, params: Params, list: StoredMessage[], newestFirst: boolean): Reply {
  const limit = Math.min(Math.max(int(params, 'limit') ?? 100, 1), 999);
  const cursor = str(params, 'cursor');
  let start = 0;
  if (cursor !== undefined) {
    const offset = Number(
      Buffer.from(cursor, 'base64')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(offset) || offset < 0) return fail('invalid_cursor');
    start = offset;
  }
  const ordered = newestFirst ? [...list].reverse() : list;
  const slice = ordered.slice(start, start + limit);
  const hasMore = start + limit < ordered.length;
  const includeMetadata = bool(params, 'include_all_metadata');
  return ok({
    messages: slice.map((m) => wireMessage(m, state.identity.teamId, includeMetadata)),
    has_more: hasMore,
    ...(newestFirst ? { pin_count: 0 } : {}),
    response_metadata: {
      next_cursor: hasMore ? Buffer.from(`offset:${start + limit}`).toString('base64') : '',
    },
  });
}

const history: MethodHandler = (state, params) => {
  const channel = str(params, 'channel');
  if (channel === undefined || !state.channelExists(channel)) return fail('channel_not_found');
  const inWindow = window(params);
  if (typeof inWindow !== 'function') return inWindow;
  // The channel's timeline: thread replies live in conversations.replies, not here.
  const top = state
    .messagesOf(channel)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
    .filter(inWindow);
  return page(state, params, top, true);
};

const replies: MethodHandler = (state, params) => {
  const channel = str(params, 'channel');
  if (channel === undefined || !state.channelExists(channel)) return fail('channel_not_found');
  const ts = str(params, 'ts');
  if (ts === undefined) return fail('thread_not_found');
  const parent = state.find(channel, ts);
  if (parent === undefined) return fail('thread_not_found');
  const inWindow = window(params);
  if (typeof inWindow !== 'function') return inWindow;
  const thread = state
    .messagesOf(channel)
    .filter((m) => m.ts === ts || m.thread_ts === ts)
    .filter(inWindow);
  return page(state, params, thread, false);
};

const usersInfo: MethodHandler = (state, params) => {
  const id = str(params, 'user');
  const user = id === undefined ? undefined : state.user(id);
  if (user === undefined) return fail('user_not_found');
  const teamId = user.teamId ?? state.identity.teamId;
  return ok({
    user: {
      id: user.id,
      team_id: teamId,
      name: user.name,
      real_name: user.name,
      deleted: false,
      is_bot: false,
      is_app_user: false,
      tz: 'Europe/London',
      profile: { real_name: user.name, display_name: user.name, team: teamId },
    },
  });
};

const authTest: MethodHandler = (state) =>
  ok({
    url: `https://${state.identity.teamId.toLowerCase()}.slack.com/`,
    team: 'Emulated workspace',
    user: 'settleops',
    team_id: state.identity.teamId,
    user_id: state.identity.botUserId,
    bot_id: state.identity.botId,
    is_enterprise_install: false,
  });

/** conversations.open with `users` (one person): the bot's DM with them, `D` + their user id. */
const open: MethodHandler = (_state, params) => {
  const users = str(params, 'users');
  if (users === undefined || users === '') return fail('users_not_found');
  const ids = users.split(',').map((u) => u.trim());
  if (ids.length !== 1 || !/^[UW][A-Z0-9]+$/.test(ids[0] ?? '')) return fail('not_allowed');
  return ok({ channel: { id: `D${(ids[0] ?? '').slice(1)}`, is_im: true, user: ids[0] } });
};

export const CONVERSATION_METHODS: Readonly<Record<string, MethodHandler>> = {
  'auth.test': authTest,
  'conversations.open': open,
  'conversations.history': history,
  'conversations.replies': replies,
  'users.info': usersInfo,
};
