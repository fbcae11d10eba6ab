import { ErrorCode, LogLevel, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, startSlackEmulator } from '../../../src/local/index.ts';
import { assertEveryCallWithinLimits } from '../../support/slack.ts';

const TOKEN = 'xoxb-emulated';
const OPS = 'C0OPS';
const OTHER = 'C0OTHER';

/** The SDK's platform error for a call, or a failure of the test when the call succeeds. */
async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((error as { code?: unknown } | undefined)?.code).toBe(ErrorCode.PlatformError);
  return error as WebAPIPlatformError;
}

describe('the Slack emulator, through the real @slack/web-api WebClient', () => {
  let emulator: SlackEmulator;
  let client: WebClient;
  let offsetMs = 0;

  beforeAll(async () => {
    emulator = await startSlackEmulator({
      botToken: TOKEN,
      channels: [OPS, OTHER, 'D0ALICE'],
      users: [
        { id: 'U0ALICE', name: 'alice' },
        { id: 'U0BOB', name: 'bob' },
      ],
      now: () => new Date(Date.now() + offsetMs),
    });
    client = new WebClient(TOKEN, {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 },
      logLevel: LogLevel.ERROR,
    });
  });
  afterEach(() => {
    assertEveryCallWithinLimits(emulator);
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('answers auth.test with the bot identity, and refuses a wrong token with invalid_auth', async () => {
    const auth = await client.auth.test();
    expect([auth.ok, auth.team_id, auth.user_id, auth.bot_id]).toStrictEqual([
      true,
      emulator.teamId,
      emulator.botUserId,
      emulator.botId,
    ]);

    const stranger = new WebClient('xoxb-wrong', {
      slackApiUrl: emulator.apiUrl,
      retryConfig: { retries: 0 },
    });
    const error = await platformError(stranger.chat.postMessage({ channel: OPS, text: 'hi' }));
    expect(error.data.error).toBe('invalid_auth');
    expect(emulator.calls.at(-1)).toMatchObject({
      method: 'chat.postMessage',
      token: 'xoxb-wrong',
      status: 200,
    });
  });

  it('posts, threads, updates and deletes messages; history shows the current state and metadata on request', async () => {
    const first = await client.chat.postMessage({
      channel: OPS,
      text: 'Match M-1 needs review',
      blocks: [{ type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*M-1*' } }],
      metadata: { event_type: 'match_review', event_payload: { matchId: 'M-1' } },
    });
    const reply = await client.chat.postMessage({
      channel: OPS,
      text: 'thinking…',
      thread_ts: first.ts as string,
    });
    await client.chat.update({ channel: OPS, ts: reply.ts as string, text: 'Approved by alice' });
    const doomed = await client.chat.postMessage({ channel: OPS, text: 'to delete' });
    await client.chat.delete({ channel: OPS, ts: doomed.ts as string });

    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
    const thread = emulator.messages(OPS).filter((m) => m.ts === reply.ts || m.ts === first.ts);
    expect(thread.map((m) => [m.text, m.thread_ts, m.edited === undefined])).toStrictEqual([
      ['Match M-1 needs review', first.ts, true],
      ['Approved by alice', first.ts, false],
    ]);

    const plain = await client.conversations.history({ channel: OPS });
    const withMetadata = await client.conversations.history({ channel: OPS, include_all_metadata: true });
    const top = plain.messages?.find((m) => m.ts === first.ts);
    expect(plain.messages?.map((m) => m.ts)).toStrictEqual([first.ts]);
    expect(top).toMatchObject({ text: 'Match M-1 needs review', reply_count: 1, bot_id: emulator.botId });
    expect(top?.metadata).toBeUndefined();
    expect(withMetadata.messages?.[0]?.metadata).toStrictEqual({
      event_type: 'match_review',
      event_payload: { matchId: 'M-1' },
    });
  });

  it('pages history newest first between oldest and latest', async () => {
    const ts: string[] = [];
    for (const n of [1, 2, 3, 4])
      ts.push((await client.chat.postMessage({ channel: OTHER, text: `m${n}` })).ts as string);
    const [oldest, , , latest] = ts as [string, string, string, string];

    const page1 = await client.conversations.history({ channel: OTHER, limit: 2 });
    const page2 = await client.conversations.history({
      channel: OTHER,
      limit: 2,
      cursor: page1.response_metadata?.next_cursor as string,
    });
    const window = await client.conversations.history({ channel: OTHER, oldest, latest });
    const inclusive = await client.conversations.history({
      channel: OTHER,
      oldest,
      latest,
      inclusive: true,
    });

    expect([page1.messages?.map((m) => m.text), page1.has_more]).toStrictEqual([['m4', 'm3'], true]);
    expect([page2.messages?.map((m) => m.text), page2.has_more]).toStrictEqual([['m2', 'm1'], false]);
    expect(window.messages?.map((m) => m.text)).toStrictEqual(['m3', 'm2']);
    expect(inclusive.messages?.map((m) => m.text)).toStrictEqual(['m4', 'm3', 'm2', 'm1']);
  });

  it.each([
    [
      'an unknown channel',
      () => client.chat.postMessage({ channel: 'C0NOWHERE', text: 'x' }),
      'channel_not_found',
    ],
    ['neither text nor blocks', () => client.chat.postMessage({ channel: OPS, text: '' }), 'no_text'],
    [
      'an update of a missing message',
      () => client.chat.update({ channel: OPS, ts: '1.000001', text: 'x' }),
      'message_not_found',
    ],
    [
      'an ephemeral without a user',
      () => client.apiCall('chat.postEphemeral', { channel: OPS, text: 'x' }),
      'invalid_arguments',
    ],
    ['an unknown user', () => client.users.info({ user: 'U0NOBODY' }), 'user_not_found'],
    ['an unknown method', () => client.apiCall('chat.shout', { channel: OPS }), 'unknown_method'],
  ])('surfaces %s as the SDK platform error', async (_name, call, code) => {
    const error = await platformError(call());

    expect(error.data.error).toBe(code);
  });

  it('refuses to update a message a person wrote with cant_update_message', async () => {
    const mention = emulator.addUserMessage(OPS, { user: 'U0ALICE', text: '<@U0SETTLEOPS> status of T-1?' });

    const error = await platformError(client.chat.update({ channel: OPS, ts: mention.ts, text: 'edited' }));

    expect(error.data.error).toBe('cant_update_message');
    expect(emulator.messages(OPS).find((m) => m.ts === mention.ts)?.text).toBe(
      '<@U0SETTLEOPS> status of T-1?',
    );
  });

  it('keeps ephemerals apart from the channel, and users.info answers known users', async () => {
    const before = emulator.messages(OPS).length;

    const sent = await client.chat.postEphemeral({
      channel: OPS,
      user: 'U0BOB',
      text: 'Only you can see this',
    });
    const bob = await client.users.info({ user: 'U0BOB' });

    expect(emulator.ephemerals.at(-1)).toStrictEqual({
      channel: OPS,
      user: 'U0BOB',
      message_ts: sent.message_ts,
      text: 'Only you can see this',
      via: 'chat.postEphemeral',
    });
    expect(emulator.messages(OPS)).toHaveLength(before);
    expect([bob.user?.id, bob.user?.name, bob.user?.team_id]).toStrictEqual([
      'U0BOB',
      'bob',
      emulator.teamId,
    ]);
  });

  describe('rate limits', () => {
    it('answers HTTP 429 with Retry-After; the SDK waits and retries and the call succeeds', async () => {
      emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 2);
      const from = emulator.calls.length;

      const posted = await client.chat.postMessage({ channel: OPS, text: 'after the storm' });

      const tries = emulator.calls.slice(from);
      expect(tries.map((c) => [c.method, c.status, c.response.error])).toStrictEqual([
        ['chat.postMessage', 429, 'ratelimited'],
        ['chat.postMessage', 429, 'ratelimited'],
        ['chat.postMessage', 200, undefined],
      ]);
      // The retries came no sooner than Retry-After allowed.
      expect((tries[1]?.at.getTime() ?? 0) - (tries[0]?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(990);
      expect(emulator.messages(OPS).filter((m) => m.ts === posted.ts)).toHaveLength(1);
    });

    it('serves a queued platform error once, then answers normally', async () => {
      emulator.failNext('chat.update', { error: 'fatal_error' });
      const posted = await client.chat.postMessage({ channel: OPS, text: 'v1' });

      const error = await platformError(
        client.chat.update({ channel: OPS, ts: posted.ts as string, text: 'v2' }),
      );
      await client.chat.update({ channel: OPS, ts: posted.ts as string, text: 'v2' });

      expect(error.data.error).toBe('fatal_error');
      expect(emulator.messages(OPS).find((m) => m.ts === posted.ts)?.text).toBe('v2');
    });

    it('paces a channel automatically once rateLimit is set, and other channels are not held back', async () => {
      emulator.rateLimit('chat.postMessage', { perChannelPerSecond: 1, burst: 2 });
      const from = emulator.calls.length;

      for (const n of [1, 2, 3]) await client.chat.postMessage({ channel: 'D0ALICE', text: `burst ${n}` });
      await client.chat.postMessage({ channel: OTHER, text: 'elsewhere' });

      expect(emulator.calls.slice(from).map((c) => [c.params.channel, c.status])).toStrictEqual([
        ['D0ALICE', 200],
        ['D0ALICE', 200],
        ['D0ALICE', 429],
        ['D0ALICE', 200],
        [OTHER, 200],
      ]);
      expect(emulator.messages('D0ALICE').map((m) => m.text)).toStrictEqual([
        'burst 1',
        'burst 2',
        'burst 3',
      ]);
      emulator.rateLimit('chat.postMessage', { perChannelPerSecond: 1000, burst: 1000 });
    });
  });

  describe('views.open', () => {
    const modal = {
      type: 'modal' as const,
      callback_id: 'reject_reason',
      private_metadata: 'M-1',
      title: { type: 'plain_text' as const, text: 'Reject M-1' },
      blocks: [
        {
          type: 'input' as const,
          block_id: 'reason',
          label: { type: 'plain_text' as const, text: 'Reason' },
          element: { type: 'plain_text_input' as const, action_id: 'text' },
        },
      ],
    };

    it('opens a modal for a fresh trigger_id once, and records it', async () => {
      const trigger = emulator.issueTriggerId('U0ALICE');

      const opened = await client.views.open({ trigger_id: trigger, view: modal });
      const again = await platformError(client.views.open({ trigger_id: trigger, view: modal }));

      expect(opened.view).toMatchObject({
        callback_id: 'reject_reason',
        private_metadata: 'M-1',
        type: 'modal',
      });
      expect(emulator.views.at(-1)).toMatchObject({
        id: opened.view?.id,
        trigger_id: trigger,
        user: 'U0ALICE',
      });
      expect(again.data.error).toBe('exchanged_trigger_id');
    });

    it('refuses a trigger_id older than 3 seconds and one it never issued', async () => {
      const trigger = emulator.issueTriggerId('U0ALICE');
      offsetMs += 3001;

      const expired = await platformError(client.views.open({ trigger_id: trigger, view: modal }));
      const invented = await platformError(client.views.open({ trigger_id: '1.2.abc', view: modal }));

      expect([expired.data.error, invented.data.error]).toStrictEqual([
        'expired_trigger_id',
        'invalid_trigger_id',
      ]);
    });
  });

  it('uploads a file end to end with filesUploadV2 and shares it in the thread', async () => {
    const parent = await client.chat.postMessage({ channel: OPS, text: 'Report for 2024-06-10' });
    const csv = 'trade,status\nT-1,MATCHED\n';

    const uploaded = await client.filesUploadV2({
      channel_id: OPS,
      thread_ts: parent.ts as string,
      initial_comment: 'Full detail attached',
      filename: 'report-2024-06-10.csv',
      content: csv,
    });

    const file = emulator.files.at(-1);
    expect(uploaded.ok).toBe(true);
    expect(file).toMatchObject({
      name: 'report-2024-06-10.csv',
      content: csv,
      channel: OPS,
      initial_comment: 'Full detail attached',
      thread_ts: parent.ts,
    });
    const share = emulator.messages(OPS).find((m) => m.files?.[0]?.id === file?.id);
    expect([share?.text, share?.thread_ts]).toStrictEqual(['Full detail attached', parent.ts]);
  });

  it('streams a reply with chat.startStream / appendStream / stopStream through chatStream()', async () => {
    const parent = emulator.addUserMessage(OPS, { user: 'U0ALICE', text: 'explain M-1' });
    const streamer = client.chatStream({
      channel: OPS,
      thread_ts: parent.ts,
      recipient_team_id: emulator.teamId,
      recipient_user_id: 'U0ALICE',
      buffer_size: 1,
    });

    await streamer.append({ markdown_text: 'Price differs ' });
    await streamer.append({ markdown_text: 'by 0.02%.' });
    const stopped = await streamer.stop();

    const reply = emulator.messages(OPS).find((m) => m.ts === stopped.ts);
    expect([reply?.text, reply?.thread_ts, reply?.streaming]).toStrictEqual([
      'Price differs by 0.02%.',
      parent.ts,
      undefined,
    ]);
    expect(emulator.calls.slice(-3).map((c) => c.method)).toStrictEqual([
      'chat.startStream',
      'chat.appendStream',
      'chat.stopStream',
    ]);
  });

  describe('response_url', () => {
    const post = (url: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    it('replaces the original message, posts in channel or ephemerally, and records every post', async () => {
      const alert = await client.chat.postMessage({ channel: OPS, text: 'Match M-2: Approve or Reject' });
      const url = emulator.responseUrl({ channel: OPS, user: 'U0ALICE', messageTs: alert.ts as string });

      const replaced = await post(url, { replace_original: true, text: 'Approved by alice' });
      await post(url, { response_type: 'in_channel', text: 'Report for everyone' });
      await post(url, { text: 'Only for alice' });

      expect(replaced.status).toBe(200);
      expect(emulator.messages(OPS).find((m) => m.ts === alert.ts)?.text).toBe('Approved by alice');
      expect(emulator.messages(OPS).at(-1)?.text).toBe('Report for everyone');
      expect(emulator.ephemerals.at(-1)).toMatchObject({
        user: 'U0ALICE',
        text: 'Only for alice',
        via: 'response_url',
      });
      expect(emulator.responses.slice(-3).map((r) => [r.url, r.status])).toStrictEqual([
        [url, 200],
        [url, 200],
        [url, 200],
      ]);
    });

    it('takes 5 posts, then answers used_url; after 30 minutes expired_url', async () => {
      const url = emulator.responseUrl({ channel: OPS, user: 'U0BOB' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await post(url, { text: `update ${i}` })).status);
      const stale = emulator.responseUrl({ channel: OPS, user: 'U0BOB' });
      offsetMs += 30 * 60 * 1000 + 1;

      const expired = await post(stale, { text: 'too late' });

      expect(statuses).toStrictEqual([200, 200, 200, 200, 200, 404]);
      expect(emulator.responses.at(-2)?.error).toBe('used_url');
      expect([expired.status, emulator.responses.at(-1)?.error]).toStrictEqual([404, 'expired_url']);
    });
  });
});

describe('the Slack emulator refusing blocks over the limits (invalid_blocks)', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeAll(async () => {
    emulator = await startSlackEmulator({ botToken: TOKEN, channels: [OPS] });
    client = new WebClient(TOKEN, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '/blocks'],
    [
      'a 3,001-character section',
      [{ type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } }],
      '/blocks/0/text/text',
    ],
    [
      'a 76-character button',
      [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
        },
      ],
      '/blocks/0/elements/0/text/text',
    ],
    [
      'a duplicate action_id',
      [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' } }],
        },
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Again' } }],
        },
      ],
      '/blocks/1/elements/0/action_id',
    ],
  ])(
    'refuses %s, naming the field in response_metadata.messages, and posts nothing',
    async (_name, blocks, pointer) => {
      const before = emulator.messages(OPS).length;
      const response = await fetch(`${emulator.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: OPS, text: 'x', blocks }),
      });
      const body = (await response.json()) as {
        ok: boolean;
        error: string;
        response_metadata: { messages: string[] };
      };

      expect([response.status, body.ok, body.error]).toStrictEqual([200, false, 'invalid_blocks']);
      expect(body.response_metadata.messages[0]).toMatch(/^\[ERROR\] .*\[json-pointer:(.*)\]$/);
      expect(body.response_metadata.messages[0]?.endsWith(`[json-pointer:${pointer}]`)).toBe(true);
      expect(emulator.messages(OPS)).toHaveLength(before);
    },
  );

  it('surfaces invalid_blocks through the SDK and the limits helper names the call', async () => {
    const blocks = [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }];

    const error = await platformError(client.chat.postMessage({ channel: OPS, text: 'x', blocks }));

    expect(error.data.error).toBe('invalid_blocks');
    expect(() => assertEveryCallWithinLimits(emulator)).toThrow(
      /call #\d+ chat\.postMessage: must be less than 151 characters \[json-pointer:\/blocks\/0\/text\/text\]/,
    );
  });

  it('refuses text over 40,000 characters with msg_too_long, and the limits helper names it', async () => {
    const error = await platformError(client.chat.postMessage({ channel: OPS, text: 'x'.repeat(40_001) }));

    expect(error.data.error).toBe('msg_too_long');
    expect(emulator.messages(OPS)).toStrictEqual([]);
    expect(() => assertEveryCallWithinLimits(emulator)).toThrow(
      /chat\.postMessage: text has 40001 characters/,
    );
  });
});
