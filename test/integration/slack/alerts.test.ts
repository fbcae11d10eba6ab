import { afterEach, describe, expect, it } from 'vitest';
import { principalDirectory } from '../../../src/app/identity.ts';
import { createNotifier, DynamoDbAlertMessages, notifierSlackClient } from '../../../src/bot/index.ts';
import { ACTION_IDS, forgetFactActionId } from '../../../src/bot/views/index.ts';
import {
  appMentionEvent,
  type EmulatedMessage,
  type SlackEmulator,
  startSlackEmulator,
} from '../../../src/local/index.ts';
import { silentLogger } from '../../../src/logger.ts';
import { ingestTrades } from '../../../src/settlement/index.ts';
import { rowsOf } from '../../support/settlement.ts';
import { assertEveryCallWithinLimits } from '../../support/slack.ts';
import {
  ALERTS,
  BOT_TOKEN,
  slackPerson,
  slackUserOf,
  startTestBot,
  TEAM,
  type TestBot,
} from '../../support/slack-bot.ts';
import { aCounterpartyRecordOf, aTrade } from '../../support/trade-factory.ts';

const open: TestBot[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) {
    assertEveryCallWithinLimits(t.emulator);
    await t.close();
  }
});

async function bot(options: Parameters<typeof startTestBot>[0] = {}): Promise<TestBot> {
  const t = await startTestBot(options);
  open.push(t);
  return t;
}

/** Alert messages in the channel by the key their metadata carries. */
function alertKeys(emulator: SlackEmulator): Map<string, number> {
  const keys = new Map<string, number>();
  for (const m of emulator.messages(ALERTS) as EmulatedMessage[]) {
    const key = (m.metadata?.event_payload as { key?: string } | undefined)?.key;
    if (key !== undefined) keys.set(key, (keys.get(key) ?? 0) + 1);
  }
  return keys;
}

async function pendingOutbox(t: TestBot): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await t.rt.store.listPendingOutbox({
      limit: 100,
      ...(cursor === undefined ? {} : { cursor }),
    });
    n += page.items.length;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return n;
}

describe('alerts from the outbox', () => {
  it('delivers an alert storm (500 exception alerts, Slack answering 429) exactly once each', async () => {
    // The notifier paced at the limit set here (100 a second, not Slack's 1, to keep the test short).
    const t = await bot({ bot: { alertIntervalMs: 10 } });
    // 250 bookings whose confirmations disagree on price and quantity: 500 exception alerts.
    const rows = Array.from({ length: 250 }, (_, i) => {
      const ours = aTrade({ tradeId: `T-9${String(i).padStart(4, '0')}` });
      return [ours, aCounterpartyRecordOf(ours, { price: '180.00', quantity: '2000' })];
    }).flat();
    await ingestTrades(t.rt.deps, rowsOf(...rows));
    const owed = await pendingOutbox(t);
    expect(owed).toBe(250);
    // Slack's per-channel limit, and 429s thrown in now and then on top of it.
    t.emulator.rateLimit('chat.postMessage', { perChannelPerSecond: 100, burst: 10 });
    const storm = [300, 1500, 3000, 5000, 8000].map((ms) =>
      setTimeout(() => t.emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }), ms),
    );
    let pass: Awaited<ReturnType<typeof t.bot.notifier.runOnce>>;
    try {
      pass = await t.bot.notifier.runOnce();
      // Anything a transient failure left pending goes out on the next pass, still once.
      for (let i = 0; i < 3 && pass.failed > 0; i++) pass = await t.bot.notifier.runOnce();
    } finally {
      for (const timer of storm) clearTimeout(timer);
    }
    expect(pass.failed).toBe(0);
    const statuses = t.emulator.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const keys = alertKeys(t.emulator);
    expect([...keys.entries()].filter(([, n]) => n !== 1)).toStrictEqual([]);
    expect(keys.size).toBeGreaterThanOrEqual(500);
    expect(await pendingOutbox(t)).toBe(0);
  }, 240_000);

  it('updates an exception alert in place once the exception is resolved, without posting again', async () => {
    const t = await bot({ bot: { alertIntervalMs: 0 } });
    const ours = aTrade({ tradeId: 'T-60001' });
    await ingestTrades(t.rt.deps, rowsOf(ours, aCounterpartyRecordOf(ours, { price: '180.00' })));
    await t.bot.notifier.runOnce();
    const raised = t.emulator.messages(ALERTS);
    expect(raised).toHaveLength(1);
    expect(raised[0]?.text).toContain('T-60001');
    expect(JSON.stringify(raised[0]?.blocks)).toContain('*Status*\\nESCALATED');
    // The counterparty corrects its price: the trades match and the break is resolved.
    await ingestTrades(t.rt.deps, rowsOf(aCounterpartyRecordOf(ours)));
    const pass = await t.bot.notifier.runOnce();
    expect(pass.updated).toBe(1);
    const after = t.emulator.messages(ALERTS);
    expect(after).toHaveLength(1);
    expect(after[0]?.ts).toBe(raised[0]?.ts);
    expect(after[0]?.text).toContain('Resolved');
    expect(JSON.stringify(after[0]?.blocks)).toContain('*Status*\\nRESOLVED');
    expect(t.emulator.calls.filter((c) => c.method === 'chat.update')).toHaveLength(1);
    expect(await pendingOutbox(t)).toBe(0);
  }, 120_000);

  it('delivers each alert once when two notifiers (two processes) work the same outbox at once', async () => {
    const t = await bot({ bot: { alertIntervalMs: 0 } });
    const rows = Array.from({ length: 40 }, (_, i) => {
      const ours = aTrade({ tradeId: `T-7${String(i).padStart(4, '0')}` });
      return [ours, aCounterpartyRecordOf(ours, { price: '180.00' })];
    }).flat();
    await ingestTrades(t.rt.deps, rowsOf(...rows));
    expect(await pendingOutbox(t)).toBe(40);
    // Each with its own Web API client, as a second process would have.
    const second = createNotifier({
      slack: notifierSlackClient(BOT_TOKEN, { slackApiUrl: t.emulator.apiUrl }),
      messages: new DynamoDbAlertMessages(t.rt.doc, t.rt.table),
      settlement: t.rt.deps,
      directory: principalDirectory(t.rt),
      channel: ALERTS,
      logger: silentLogger,
      minIntervalMs: 0,
    });
    const [a, b] = await Promise.all([t.bot.notifier.runOnce(), second.runOnce()]);
    expect(a.failed + b.failed).toBe(0);
    expect(a.posted + b.posted).toBe(40);
    // Each one left alone what the other held.
    expect(a.elsewhere + b.elsewhere).toBeGreaterThan(0);
    const keys = alertKeys(t.emulator);
    expect(keys.size).toBe(40);
    expect([...keys.entries()].filter(([, n]) => n !== 1)).toStrictEqual([]);
    expect(await pendingOutbox(t)).toBe(0);
  }, 120_000);

  it('posts once when Slack took a post but its answer was lost, and when the connection dropped first', async () => {
    const t = await bot();
    const rows = ['T-82001', 'T-82002', 'T-82003'].map((tradeId) => {
      const ours = aTrade({ tradeId });
      return [ours, aCounterpartyRecordOf(ours, { price: '180.00' })];
    });
    await ingestTrades(t.rt.deps, rowsOf(...rows.flat()));
    // First post: Slack posts it and the connection drops before the answer (a blind retry posts it
    // again). Second: dropped before Slack does anything. Third: a 429.
    t.emulator.failNext('chat.postMessage', { reset: 'after' });
    t.emulator.failNext('chat.postMessage', { reset: 'before' });
    t.emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    const pass = await t.bot.notifier.runOnce();

    expect(pass.failed).toBe(0);
    const posts = t.emulator.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status);
    expect(posts.slice(0, 3)).toStrictEqual([0, 0, 429]);
    const keys = alertKeys(t.emulator);
    expect(keys.size).toBe(3);
    expect([...keys.values()]).toStrictEqual([1, 1, 1]);
    expect(await pendingOutbox(t)).toBe(0);
    expect(await t.bot.notifier.runOnce()).toMatchObject({ posted: 0, recovered: 0 });
    expect(t.emulator.messages(ALERTS)).toHaveLength(3);
  }, 120_000);

  it('posts once after a restart, for an alert written while the bot was down and one posted just before a crash', async () => {
    const emulator = await startSlackEmulator({ botToken: BOT_TOKEN, teamId: TEAM });
    const first = await bot({ principals: [slackPerson('alice')], emulator });
    // Posted, but the process dies before recording the delivery.
    const ours = aTrade({ tradeId: 'T-81001', counterpartyBic: 'DEUTDEFF500' });
    await ingestTrades(
      first.rt.deps,
      rowsOf(ours, aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' })),
    );
    const crashing = createNotifier({
      slack: notifierSlackClient(BOT_TOKEN, { slackApiUrl: first.emulator.apiUrl }),
      messages: new DynamoDbAlertMessages(first.rt.doc, first.rt.table),
      settlement: {
        ...first.rt.deps,
        // The store as it is, except that recording a delivery never happens: the process "dies" there.
        store: new Proxy(first.rt.deps.store, {
          get(target, prop) {
            if (prop === 'markOutboxDelivered')
              return async () => {
                throw new Error('killed before the delivery was recorded');
              };
            const value: unknown = Reflect.get(target, prop, target);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        }),
      },
      directory: principalDirectory(first.rt),
      channel: ALERTS,
      logger: silentLogger,
      minIntervalMs: 0,
      // Its hold on the alerts it took has run out by the time the bot is back.
      leaseMs: 0,
    });
    expect((await crashing.runOnce()).failed).toBeGreaterThan(0);
    const postedBeforeCrash = alertKeys(first.emulator);
    expect(postedBeforeCrash.size).toBeGreaterThan(0);
    await first.close();
    open.splice(0);

    // While the bot is down, another alert is written.
    const { table } = first;
    const second = await bot({ table, emulator });
    const other = aTrade({ tradeId: 'T-81002', counterpartyBic: 'DEUTDEFF500' });
    await ingestTrades(
      second.rt.deps,
      rowsOf(other, aCounterpartyRecordOf(other, { counterpartyBic: 'DEUTDEFF600' })),
    );

    const pass = await second.bot.notifier.runOnce();
    expect(pass.recovered).toBeGreaterThan(0);
    const keys = alertKeys(emulator);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    expect([...keys.keys()].filter((k) => k.startsWith('OB|REVIEW|'))).toHaveLength(2);
    expect(await pendingOutbox(second)).toBe(0);
    // A second pass posts nothing more.
    const again = await second.bot.notifier.runOnce();
    expect(again.posted).toBe(0);
    await emulator.close();
  }, 120_000);
});

describe('/settle-report and /settle-memory', () => {
  it('acks /settle-report within 3 s even when building the report takes longer, then delivers it with a CSV', async () => {
    const t = await bot({
      principals: [slackPerson('alice', { roles: ['viewer'], desks: ['EQ-US'] })],
      bot: {
        decorateWorker: (worker) => async (job) => {
          if (job.kind === 'report') await new Promise((r) => setTimeout(r, 3500));
          await worker(job);
        },
      },
    });
    await ingestTrades(t.rt.deps, rowsOf(aTrade({ tradeId: 'T-82001' })));
    const sent = await t.slack.sendSlashCommand(t.eventsUrl, {
      command: '/settle-report',
      text: '2026-11-24',
      user: slackUserOf('alice'),
      channel: 'C0OPS',
    });
    expect(sent.status).toBe(200);
    expect(sent.elapsedMs).toBeLessThan(3000);
    await t.bot.idle();
    const posts = t.emulator.responses.filter((r) => r.url === sent.responseUrl);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.response_type ?? 'ephemeral').toBe('ephemeral');
    expect(JSON.stringify(posts[0]?.body)).toContain('2026-11-24');
    const csv = t.emulator.files.at(-1);
    expect(csv?.name).toMatch(/settlement-report-2026-11-24-EQ-US\.csv/);
    expect(csv?.channel).toBe(`D${slackUserOf('alice').slice(1)}`);
  }, 60_000);

  it('shows the person their facts with Forget, and forgets', async () => {
    const t = await bot({ principals: [slackPerson('alice')] });
    await t.slack.sendEvent(
      t.eventsUrl,
      appMentionEvent({
        user: slackUserOf('alice'),
        channel: 'C0OPS',
        text: 'remember that I cover the EUR repo desk on Fridays',
        ts: '1764007300.000100',
        team: TEAM,
      }),
    );
    await t.bot.idle();
    const listed = await t.slack.sendSlashCommand(t.eventsUrl, {
      command: '/settle-memory',
      user: slackUserOf('alice'),
      channel: 'C0OPS',
    });
    await t.bot.idle();
    const view = t.emulator.responses.find((r) => r.url === listed.responseUrl);
    expect(JSON.stringify(view?.body)).toContain('EUR repo desk on Fridays');
    const [fact] = await factsOf(t, 'alice');
    if (fact === undefined) throw new Error('no fact kept');
    expect(JSON.stringify(view?.body)).toContain(forgetFactActionId(fact.factId));
    expect(JSON.stringify(view?.body)).toContain(ACTION_IDS.forgetAll);

    await t.slack.sendBlockActions(t.eventsUrl, {
      user: slackUserOf('alice'),
      channel: 'C0OPS',
      messageTs: '1764007300.000100',
      actionId: forgetFactActionId(fact.factId) ?? '',
      value: fact.factId,
      blocks: (view?.body.blocks as unknown[]) ?? [],
    });
    await t.bot.idle();
    expect(await factsOf(t, 'alice')).toStrictEqual([]);
  }, 60_000);
});

async function factsOf(t: TestBot, principalId: string) {
  const { DynamoDbLongTermMemory } = await import('../../../src/memory/index.ts');
  return new DynamoDbLongTermMemory(t.table.doc, t.table.tableName).list(principalId);
}
