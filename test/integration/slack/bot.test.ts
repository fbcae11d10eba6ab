import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS, CALLBACK_IDS, REJECT_REASON_INPUT } from '../../../src/bot/views/index.ts';
import { appMentionEvent, directMessageEvent, type EmulatedMessage } from '../../../src/local/index.ts';
import { ingestTrades } from '../../../src/settlement/index.ts';
import { viewTrade } from '../../../src/settlement/services/trade-view.ts';
import { rowsOf } from '../../support/settlement.ts';
import { assertEveryCallWithinLimits } from '../../support/slack.ts';
import {
  ALERTS,
  slackPerson,
  slackUserOf,
  startTestBot,
  TEAM,
  type TestBot,
} from '../../support/slack-bot.ts';
import { aCounterpartyRecordOf, aTrade } from '../../support/trade-factory.ts';

/**
 * The Slack bot over real HTTP: Slack's signed requests from the emulator's client into Bolt's HTTP
 * receiver, the bot's Web API calls into the emulator, DynamoDB Local behind, the agent through the
 * local AgentCore endpoint. Every message the bot sends is checked against Block Kit's limits.
 */
let t: TestBot;
let seq = 0;
const nextTs = () => `1764007200.${String(++seq).padStart(6, '0')}`;

beforeAll(async () => {
  t = await startTestBot({
    principals: [
      slackPerson('alice', { roles: ['approver'], desks: ['EQ-US'] }),
      slackPerson('ben', { roles: ['approver'], desks: ['EQ-US'] }),
      slackPerson('carla', { roles: ['approver'], desks: ['EQ-US'] }),
      slackPerson('vic', { roles: ['viewer'], desks: ['EQ-US'] }),
      slackPerson('fiona', { roles: ['approver'], desks: ['FI-RATES'] }),
      slackPerson('mark', { roles: ['approver'], desks: ['EQ-US'] }),
    ],
  });
}, 60_000);
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  assertEveryCallWithinLimits(t.emulator);
});

const botReplies = (channel: string, thread: string): EmulatedMessage[] =>
  t.emulator.messages(channel).filter((m) => m.thread_ts === thread && m.user === t.emulator.botUserId);

/** A pair in the review band booked by `actor`, and its alert posted by the notifier. */
async function pendingReviewAlert(tradeId: string, actor?: string): Promise<{ matchId: string; ts: string }> {
  const ours = aTrade({ tradeId, counterpartyBic: 'DEUTDEFF500' });
  const theirs = aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' });
  await ingestTrades(t.rt.deps, rowsOf(ours, theirs), actor === undefined ? {} : { actor });
  const [view] = await viewTrade(t.rt.store, tradeId);
  const matchId = view?.match?.matchId;
  if (matchId === undefined || view?.match?.status !== 'PENDING_REVIEW') throw new Error('no pending review');
  await t.bot.notifier.runOnce();
  const alert = t.emulator
    .messages(ALERTS)
    .find((m) => (m.metadata?.event_payload as { key?: string } | undefined)?.key === `OB|REVIEW|${matchId}`);
  if (alert === undefined) throw new Error('no alert posted');
  return { matchId, ts: alert.ts };
}

function buttonsOf(message: EmulatedMessage | undefined): string[] {
  return JSON.stringify(message?.blocks ?? []).match(/"action_id":"[^"]+"/g) ?? [];
}

describe('ingress', () => {
  it('refuses a bad signature and a timestamp older than 5 minutes with 401, doing nothing', async () => {
    const before = t.emulator.calls.length;
    const event = appMentionEvent({
      user: slackUserOf('alice'),
      channel: 'C0OPS',
      text: '<@U0BOT> report',
      ts: nextTs(),
    });
    const forged = await t.slack.sendEvent(t.eventsUrl, event, { badSignature: true });
    const stale = await t.slack.sendEvent(t.eventsUrl, event, {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect([forged.status, stale.status]).toStrictEqual([401, 401]);
    await t.bot.idle();
    expect(t.emulator.calls.length).toBe(before);
  });

  it('answers an event delivered three times (Slack retries) once, in the thread', async () => {
    const ts = nextTs();
    const event = appMentionEvent({
      user: slackUserOf('alice'),
      channel: 'C0OPS',
      text: `<@${t.emulator.botUserId}> list the pending approvals`,
      ts,
      team: TEAM,
    });
    const first = await t.slack.sendEvent(t.eventsUrl, event);
    await t.slack.sendEvent(t.eventsUrl, event, {
      eventId: first.eventId,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    await t.slack.sendEvent(t.eventsUrl, event, {
      eventId: first.eventId,
      retryNum: 2,
      retryReason: 'http_timeout',
    });
    // A rare duplicate: the same message under a new event id.
    await t.slack.sendEvent(t.eventsUrl, event);
    await t.bot.idle();
    const replies = botReplies('C0OPS', ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).not.toContain('Working on it');
    expect(JSON.stringify(replies[0]?.blocks)).toContain('offline planner');
    expect(buttonsOf(replies[0])).toContain(`"action_id":"${ACTION_IDS.why}"`);
  });

  it('asks Slack who it is once, at start-up, never per request', async () => {
    for (let i = 0; i < 3; i++) {
      await t.slack.sendEvent(
        t.eventsUrl,
        appMentionEvent({
          user: slackUserOf('vic'),
          channel: 'C0OPS',
          text: 'report',
          ts: nextTs(),
          team: TEAM,
        }),
      );
    }
    await t.bot.idle();
    expect(t.emulator.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
  });

  it('acks within 3 seconds, before the slow part runs', async () => {
    const ts = nextTs();
    const delivered = await t.slack.sendEvent(
      t.eventsUrl,
      appMentionEvent({
        user: slackUserOf('ben'),
        channel: 'C0OPS',
        text: 'what is the STP rate today?',
        ts,
        team: TEAM,
      }),
    );
    expect(delivered.status).toBe(200);
    expect(delivered.elapsedMs).toBeLessThan(3000);
    await t.bot.idle();
  });
});

describe('questions', () => {
  it('continues a thread as the same session: a follow-up names nothing and is understood', async () => {
    const [trade] = [aTrade({ tradeId: 'T-70001', counterpartyBic: 'BNPAFRPP' })];
    await ingestTrades(t.rt.deps, rowsOf(trade));
    const ts = nextTs();
    await t.slack.sendEvent(
      t.eventsUrl,
      appMentionEvent({
        user: slackUserOf('alice'),
        channel: 'C0OPS',
        text: "what's the status of T-70001?",
        ts,
        team: TEAM,
      }),
    );
    await t.bot.idle();
    t.emulator.addUserMessage('C0OPS', {
      user: slackUserOf('alice'),
      text: 'and its counterparty?',
      thread_ts: ts,
    });
    await t.slack.sendEvent(
      t.eventsUrl,
      appMentionEvent({
        user: slackUserOf('alice'),
        channel: 'C0OPS',
        text: 'and its counterparty?',
        ts: nextTs(),
        thread_ts: ts,
        team: TEAM,
      }),
    );
    await t.bot.idle();
    const replies = botReplies('C0OPS', ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]?.text).toContain('BNPAFRPP');
  });

  it('gives an unknown Slack user the onboarding message and no data', async () => {
    const ts = nextTs();
    await t.slack.sendEvent(
      t.eventsUrl,
      appMentionEvent({
        user: 'U0STRANGER',
        channel: 'C0OPS',
        text: 'list the pending approvals',
        ts,
        team: TEAM,
      }),
    );
    await t.bot.idle();
    expect(botReplies('C0OPS', ts)).toHaveLength(0);
    const onboarding = t.emulator.ephemerals.filter((e) => e.user === 'U0STRANGER');
    expect(onboarding).toHaveLength(1);
    expect(onboarding[0]?.text.toLowerCase()).toContain('access');
  });

  it('answers a direct message, and ignores its own and edited messages', async () => {
    const ts = nextTs();
    await t.slack.sendEvent(
      t.eventsUrl,
      directMessageEvent({
        user: slackUserOf('vic'),
        channel: 'D0VIC',
        text: 'list the pending approvals',
        ts,
        team: TEAM,
      }),
    );
    await t.slack.sendEvent(t.eventsUrl, {
      ...directMessageEvent({ user: slackUserOf('vic'), channel: 'D0VIC', text: 'x', ts: nextTs() }),
      subtype: 'message_changed',
    });
    await t.slack.sendEvent(t.eventsUrl, {
      ...directMessageEvent({ user: t.emulator.botUserId, channel: 'D0VIC', text: 'x', ts: nextTs() }),
      bot_id: t.emulator.botId,
    });
    await t.bot.idle();
    expect(t.emulator.messages('D0VIC').filter((m) => m.user === t.emulator.botUserId)).toHaveLength(1);
  });

  it('shows Why? to the asker only', async () => {
    const ts = nextTs();
    await t.slack.sendEvent(
      t.eventsUrl,
      appMentionEvent({
        user: slackUserOf('alice'),
        channel: 'C0OPS',
        text: 'list the pending approvals',
        ts,
        team: TEAM,
      }),
    );
    await t.bot.idle();
    const answer = botReplies('C0OPS', ts)[0];
    if (answer === undefined) throw new Error('no answer');
    const asker = await t.slack.sendBlockActions(t.eventsUrl, {
      user: slackUserOf('alice'),
      channel: 'C0OPS',
      messageTs: answer.ts,
      actionId: ACTION_IDS.why,
    });
    const other = await t.slack.sendBlockActions(t.eventsUrl, {
      user: slackUserOf('ben'),
      channel: 'C0OPS',
      messageTs: answer.ts,
      actionId: ACTION_IDS.why,
    });
    await t.bot.idle();
    const posted = (url: string) =>
      t.emulator.responses.filter((r) => r.url === url).map((r) => JSON.stringify(r.body));
    expect(posted(asker.responseUrl).join('')).toContain('offline-planner');
    expect(posted(other.responseUrl).join('')).toContain('Only the person who asked');
    expect(posted(other.responseUrl).join('')).not.toContain('offline-planner');
  });
});

describe('Approve / Reject on an escalated match', () => {
  it('lets two concurrent approvers decide once; the other is told who won; the alert shows who and when', async () => {
    const { matchId, ts } = await pendingReviewAlert('T-80001');
    expect(buttonsOf(t.emulator.messages(ALERTS).find((m) => m.ts === ts))).toStrictEqual([
      `"action_id":"${ACTION_IDS.approve}"`,
      `"action_id":"${ACTION_IDS.reject}"`,
    ]);
    const [a, b] = await Promise.all(
      ['alice', 'ben'].map((p) =>
        t.slack.sendBlockActions(t.eventsUrl, {
          user: slackUserOf(p),
          channel: ALERTS,
          messageTs: ts,
          actionId: ACTION_IDS.approve,
        }),
      ),
    );
    expect([a?.status, b?.status]).toStrictEqual([200, 200]);
    await t.bot.idle();
    const match = await t.rt.store.getMatch(matchId);
    expect(match?.status).toBe('APPROVED');
    const winner = match?.decision?.by === 'principal:alice' ? 'Alice' : 'Ben';
    const loserUrl = winner === 'Alice' ? b?.responseUrl : a?.responseUrl;
    const told = t.emulator.responses.filter((r) => r.url === loserUrl).map((r) => String(r.body.text));
    expect(told.join(' ')).toMatch(new RegExp(`already approved by ${winner} at \\d{2}:\\d{2}`, 'i'));
    const alert = t.emulator.messages(ALERTS).find((m) => m.ts === ts);
    expect(buttonsOf(alert)).toStrictEqual([]);
    expect(JSON.stringify(alert?.blocks)).toContain(`Approved by ${winner}`);
  });

  it('refuses a viewer, the maker of a trade and an approver of another desk, changing nothing', async () => {
    const { matchId, ts } = await pendingReviewAlert('T-80002', 'principal:mark');
    const clicks = await Promise.all(
      ['vic', 'mark', 'fiona'].map((p) =>
        t.slack.sendBlockActions(t.eventsUrl, {
          user: slackUserOf(p),
          channel: ALERTS,
          messageTs: ts,
          actionId: ACTION_IDS.approve,
        }),
      ),
    );
    await t.bot.idle();
    const told = clicks.map((c) =>
      t.emulator.responses
        .filter((r) => r.url === c.responseUrl)
        .map((r) => String(r.body.text))
        .join(' '),
    );
    expect(told[0]).toMatch(/approver role/);
    expect(told[1]).toMatch(/four eyes/i);
    expect(told[2]).toMatch(/does not hold desk EQ-US/);
    expect((await t.rt.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
    expect(buttonsOf(t.emulator.messages(ALERTS).find((m) => m.ts === ts))).toHaveLength(2);
  });

  it('asks for a reason on Reject and decides with it', async () => {
    const { matchId, ts } = await pendingReviewAlert('T-80003');
    const click = await t.slack.sendBlockActions(t.eventsUrl, {
      user: slackUserOf('carla'),
      channel: ALERTS,
      messageTs: ts,
      actionId: ACTION_IDS.reject,
    });
    expect(click.status).toBe(200);
    await t.bot.idle();
    const modal = t.emulator.views.at(-1);
    expect(modal?.view.callback_id).toBe(CALLBACK_IDS.rejectReason);
    const submitted = await t.slack.sendViewSubmission(t.eventsUrl, {
      user: slackUserOf('carla'),
      ...(modal === undefined ? {} : { viewId: modal.id }),
      values: {
        [REJECT_REASON_INPUT.blockId]: {
          [REJECT_REASON_INPUT.actionId]: { type: 'plain_text_input', value: 'wrong branch BIC' },
        },
      },
    });
    expect(submitted.status).toBe(200);
    await t.bot.idle();
    const match = await t.rt.store.getMatch(matchId);
    expect(match?.status).toBe('REJECTED');
    expect(match?.decision).toMatchObject({ by: 'principal:carla', reason: 'wrong branch BIC' });
    expect(JSON.stringify(t.emulator.messages(ALERTS).find((m) => m.ts === ts)?.blocks)).toContain(
      'Rejected by Carla',
    );
  });
});

describe('/settle-report', () => {
  it('answers with usage help for bad arguments', async () => {
    const sent = await t.slack.sendSlashCommand(t.eventsUrl, {
      command: '/settle-report',
      text: 'yesterday-ish 2026-02-30',
      user: slackUserOf('alice'),
      channel: 'C0OPS',
    });
    await t.bot.idle();
    const posts = t.emulator.responses.filter((r) => r.url === sent.responseUrl);
    expect(String(posts[0]?.body.text)).toMatch(/settle-report/);
  });
});
