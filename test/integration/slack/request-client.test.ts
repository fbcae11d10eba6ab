import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { App, type Logger, LogLevel } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  appMentionEvent,
  createSlackRequestClient,
  type SlackEmulator,
  type SlackRequestClient,
  signRequest,
  startSlackEmulator,
} from '../../../src/local/index.ts';
import { assertEveryCallWithinLimits } from '../../support/slack.ts';

const TOKEN = 'xoxb-emulated';
const SECRET = 'emulated-signing-secret';
const OPS = 'C0OPS';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

describe('signRequest', () => {
  it("matches Slack's documented v0 algorithm worked by hand: HMAC-SHA256 of v0:timestamp:body, hex", () => {
    const body = 'token=xyz&team_id=T1&command=%2Fsettle-report&text=2024-06-10';
    const expected = createHmac('sha256', 'shhh')
      .update(Buffer.from(`v0:1718000000:${body}`, 'utf8'))
      .digest();

    const signature = signRequest('shhh', 1718000000, body);

    expect(signature.startsWith('v0=')).toBe(true);
    expect(Buffer.from(signature.slice(3), 'hex').equals(expected)).toBe(true);
    expect(signRequest('shhh', 1718000001, body)).not.toBe(signature);
  });
});

describe('signed requests from the request client to a Bolt app on loopback', () => {
  let emulator: SlackEmulator;
  let app: App;
  let url: string;
  let slack: SlackRequestClient;
  const seen: {
    kind: string;
    retryNum?: number | undefined;
    retryReason?: string | undefined;
    detail?: unknown;
  }[] = [];

  beforeAll(async () => {
    emulator = await startSlackEmulator({
      botToken: TOKEN,
      channels: [OPS],
      users: [{ id: 'U0ALICE', name: 'alice' }],
    });
    app = new App({
      token: TOKEN,
      signingSecret: SECRET,
      logger: silent,
      clientOptions: { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } },
    });
    app.event('app_mention', async ({ event, context, say }) => {
      seen.push({ kind: 'app_mention', retryNum: context.retryNum, retryReason: context.retryReason });
      await say({ text: `On it, <@${event.user}>`, thread_ts: event.thread_ts ?? event.ts });
    });
    app.command('/settle-report', async ({ command, ack, respond }) => {
      await ack();
      seen.push({ kind: 'command', detail: [command.text, command.user_id, command.channel_id] });
      await respond({ text: `Report for ${command.text}` });
    });
    app.action('reject', async ({ ack, body, client, respond }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      seen.push({ kind: 'action', detail: body.actions[0] });
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'reject_reason',
          private_metadata: 'M-9',
          title: { type: 'plain_text', text: 'Reject M-9' },
          submit: { type: 'plain_text', text: 'Reject' },
          blocks: [
            {
              type: 'input',
              block_id: 'reason',
              label: { type: 'plain_text', text: 'Reason' },
              element: { type: 'plain_text_input', action_id: 'text' },
            },
          ],
        },
      });
      await respond({ replace_original: true, text: 'Rejecting M-9…' });
    });
    app.view('reject_reason', async ({ ack, view }) => {
      await ack();
      seen.push({ kind: 'view', detail: [view.private_metadata, view.state.values.reason?.text?.value] });
    });
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    slack = createSlackRequestClient({ signingSecret: SECRET, emulator });
  });
  afterEach(() => {
    assertEveryCallWithinLimits(emulator);
  });
  afterAll(async () => {
    await app?.stop();
    await emulator?.close();
  });

  it('delivers a signed app_mention; Bolt acks 200 and the answer lands in the thread', async () => {
    const mention = emulator.addUserMessage(OPS, { user: 'U0ALICE', text: '<@U0SETTLEOPS> status of T-1?' });

    const delivery = await slack.sendEvent(
      url,
      appMentionEvent({ user: 'U0ALICE', channel: OPS, text: mention.text, ts: mention.ts }),
    );

    expect(delivery.status).toBe(200);
    expect(delivery.eventId).toMatch(/^Ev[0-9A-F]{10}$/);
    await vi.waitFor(() => {
      expect(
        emulator.messages(OPS).find((m) => m.thread_ts === mention.ts && m.ts !== mention.ts)?.text,
      ).toBe('On it, <@U0ALICE>');
    });
    expect(emulator.calls.map((c) => c.method)).toContain('auth.test');
  });

  it('carries X-Slack-Retry-Num and X-Slack-Retry-Reason through to the listener', async () => {
    const mention = emulator.addUserMessage(OPS, { user: 'U0ALICE', text: '<@U0SETTLEOPS> again' });

    const delivery = await slack.sendEvent(
      url,
      appMentionEvent({ user: 'U0ALICE', channel: OPS, text: mention.text, ts: mention.ts }),
      { eventId: 'Ev0000000001', retryNum: 2, retryReason: 'http_timeout' },
    );

    expect(delivery.status).toBe(200);
    await vi.waitFor(() => {
      expect(seen.at(-1)).toStrictEqual({ kind: 'app_mention', retryNum: 2, retryReason: 'http_timeout' });
      expect(
        emulator.messages(OPS).filter((m) => m.thread_ts === mention.ts && m.ts !== mention.ts),
      ).toHaveLength(1);
    });
  });

  it.each([
    ['a forged signature', { badSignature: true }],
    ['a timestamp older than 5 minutes', { timestamp: Math.floor(Date.now() / 1000) - 301 }],
  ])('is refused with 401 for %s, and nothing reaches a listener', async (_name, options) => {
    const before = { seen: seen.length, messages: emulator.messages(OPS).length };

    const delivery = await slack.sendEvent(
      url,
      appMentionEvent({ user: 'U0ALICE', channel: OPS, text: 'forged', ts: '1718000000.000100' }),
      options,
    );

    expect(delivery.status).toBe(401);
    expect([seen.length, emulator.messages(OPS).length]).toStrictEqual([before.seen, before.messages]);
  });

  it('answers url_verification with the challenge', async () => {
    const delivery = await slack.sendUrlVerification(url, 'challenge-123');

    expect([delivery.status, JSON.parse(delivery.body)]).toStrictEqual([200, { challenge: 'challenge-123' }]);
  });

  it('delivers a slash command as Slack’s form body; ack is 200 and respond() reaches the response_url', async () => {
    const delivery = await slack.sendSlashCommand(url, {
      command: '/settle-report',
      text: '2024-06-10',
      user: { id: 'U0ALICE', name: 'alice' },
      channel: OPS,
    });

    expect(delivery.status).toBe(200);
    await vi.waitFor(() => {
      expect(emulator.ephemerals.at(-1)).toMatchObject({
        user: 'U0ALICE',
        text: 'Report for 2024-06-10',
        via: 'response_url',
      });
    });
    expect(seen.find((s) => s.kind === 'command')?.detail).toStrictEqual(['2024-06-10', 'U0ALICE', OPS]);
    expect(emulator.responses.at(-1)?.url).toBe(delivery.responseUrl);
  });

  it('clicks a button on a posted message: block_actions, views.open with its trigger_id, view_submission', async () => {
    const alert = await app.client.chat.postMessage({
      channel: OPS,
      text: 'Match M-9 needs review',
      blocks: [
        { type: 'section', block_id: 'summary', text: { type: 'mrkdwn', text: '*M-9* 97.5' } },
        {
          type: 'actions',
          block_id: 'decide',
          elements: [
            {
              type: 'button',
              action_id: 'approve',
              value: 'M-9',
              text: { type: 'plain_text', text: 'Approve' },
            },
            {
              type: 'button',
              action_id: 'reject',
              value: 'M-9',
              text: { type: 'plain_text', text: 'Reject' },
            },
          ],
        },
      ],
    });

    const click = await slack.sendBlockActions(url, {
      user: 'U0ALICE',
      channel: OPS,
      messageTs: alert.ts as string,
      actionId: 'reject',
    });

    expect(click.status).toBe(200);
    await vi.waitFor(() => {
      expect(emulator.messages(OPS).find((m) => m.ts === alert.ts)?.text).toBe('Rejecting M-9…');
    });
    expect(seen.find((s) => s.kind === 'action')?.detail).toMatchObject({
      action_id: 'reject',
      block_id: 'decide',
      value: 'M-9',
      type: 'button',
    });
    const opened = emulator.views.at(-1);
    expect([opened?.trigger_id, opened?.user]).toStrictEqual([click.triggerId, 'U0ALICE']);

    const submit = await slack.sendViewSubmission(url, {
      user: 'U0ALICE',
      viewId: opened?.id as string,
      values: { reason: { text: { type: 'plain_text_input', value: 'wrong ISIN' } } },
    });

    expect(submit.status).toBe(200);
    await vi.waitFor(() => {
      expect(seen.at(-1)).toStrictEqual({ kind: 'view', detail: ['M-9', 'wrong ISIN'] });
    });
  });
});
