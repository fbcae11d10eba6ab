/**
 * Slack bot benchmark (loopback only): the bot as `settleops start` runs it (Bolt's HTTP receiver,
 * the delivery ledger in DynamoDB Local, the worker, the agent through the local AgentCore endpoint
 * with the offline planner) against the Slack emulator.
 * 1. Ack latency: 200 signed app_mention events sent at once over open connections from a process of
 *    their own (bench/slack-sender.ts); each ack timed in the bot (arrival → end of response, the
 *    goal: p99 ≤ 50 ms) and at the sender (write → end of response, which adds the sender's own
 *    work and the two processes sharing the CPUs), with ingress alone (the worker held, as on AWS
 *    where it runs elsewhere) and with the worker answering all 200 in the same process.
 * 2. @mention → final answer: one question at a time, from sending the event to the placeholder
 *    being replaced by the answer (goal p95 ≤ 300 ms).
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startBot } from '../src/app/bot.ts';
import { openSettlement } from '../src/app/settlement.ts';
import { loadConfig } from '../src/config.ts';
import { addPrincipal, DynamoDbPrincipalDirectory } from '../src/identity/index.ts';
import { ensureDynamoDbLocal } from '../src/local/dynamodb-local/artifact.ts';
import { startDynamoDbLocal } from '../src/local/dynamodb-local/launcher.ts';
import { appMentionEvent, createSlackRequestClient, startSlackEmulator } from '../src/local/index.ts';
import { silentLogger } from '../src/logger.ts';
import { generateSettlementDay } from '../src/seed/index.ts';
import { ingestTrades } from '../src/settlement/index.ts';
import { summary } from './stats.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TOKEN = 'xoxb-bench-settleops';
const TEAM = 'T0BENCH';
const DATE = '2026-11-24';
const execFileAsync = promisify(execFile);
const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
const senderTs = fileURLToPath(new URL('./slack-sender.ts', import.meta.url));

export async function runSlackBench(): Promise<string> {
  const base = loadConfig();
  const engine = await startDynamoDbLocal({
    engineDir: await ensureDynamoDbLocal(base.cacheDir),
    storage: { kind: 'memory' },
  });
  const emulator = await startSlackEmulator({ botToken: TOKEN, teamId: TEAM });
  const config = loadConfig({
    DYNAMODB_ENDPOINT: engine.endpoint,
    SETTLEOPS_TABLE: 'bench-slack',
    SETTLEOPS_DATA_DIR: await mkdtemp(join(tmpdir(), 'settleops-bench-slack-')),
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: emulator.apiUrl,
    SLACK_ALERT_CHANNEL: 'C0ALERTS',
  });
  const now = new Date(`${DATE}T23:00:00.000Z`);
  const rt = await openSettlement(config, { now: () => now });
  try {
    const day = generateSettlementDay({ trades: 500, seed: 11, date: DATE });
    await ingestTrades(
      rt.deps,
      [...day.internal, ...day.counterparty].map((input, i) => ({ line: i + 2, input })),
    );
    const directory = new DynamoDbPrincipalDirectory(rt.doc, rt.table);
    await addPrincipal(
      { directory, now: () => now },
      {
        principalId: 'bench-analyst',
        roles: ['viewer'],
        desks: '*',
        accounts: [],
        slack: { teamId: TEAM, userId: 'U0ANALYST' },
      },
      'system:bench',
    );
    if (config.slack === undefined) throw new Error('no Slack configuration');
    // While `hold` is set, jobs wait (ingress alone is measured); then they run.
    let hold: Promise<void> | undefined;
    let release: () => void = () => {};
    // The bot's own view of each ack: from the request's arrival to the end of its response.
    const served: number[] = [];
    const bot = await startBot(config, { ...config.slack, port: 0 }, rt, {
      logger: silentLogger,
      alertIntervalMs: 0,
      observeAck: (ms) => served.push(ms),
      decorateWorker: (worker) => async (job) => {
        if (hold !== undefined) await hold;
        await worker(job);
      },
    });
    const slack = createSlackRequestClient({ signingSecret: SECRET, emulator });
    const url = `${bot.url}/slack/events`;
    try {
      let seq = 0;
      const ts = () => `1764007200.${String(++seq).padStart(6, '0')}`;
      const ids = day.internal.map((t) => t.tradeId);
      const question = (i: number) =>
        [
          `what's the status of ${ids[(i * 7) % ids.length] ?? 'T-10000'}?`,
          'list the pending approvals',
          'what is the STP rate today?',
        ][i % 3] ?? '';

      // Warm-up: JIT, the engine's first queries, the agent stack's first invocation.
      for (let i = 0; i < 10; i++) {
        await slack.sendEvent(
          url,
          appMentionEvent({ user: 'U0ANALYST', channel: 'C0WARM', text: question(i), ts: ts(), team: TEAM }),
        );
        await bot.idle();
      }

      // Slack sends from elsewhere: the 200 requests come from a process of their own.
      let burstNo = 0;
      const burst = async (): Promise<{
        acks: { status: number; elapsedMs: number }[];
        served: number[];
      }> => {
        served.length = 0;
        const out = await execFileAsync(process.execPath, [
          runTs,
          senderTs,
          url,
          SECRET,
          TEAM,
          'U0ANALYST',
          '200',
          String(1764009000 + ++burstNo * 1000),
        ]);
        const lines = out.stdout.trim().split('\n');
        const acks = (JSON.parse(lines.at(-1) ?? '[]') as { status: number; ms: number }[]).map((r) => ({
          status: r.status,
          elapsedMs: r.ms,
        }));
        return { acks, served: served.splice(0) };
      };
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const ingressOnly = await burst();
      hold = undefined;
      release();
      await bot.idle();
      const withWorker = await burst();
      await bot.idle();
      const ok = (acks: readonly { status: number }[]) => acks.filter((a) => a.status === 200).length;

      const answers: number[] = [];
      for (let i = 0; i < 100; i++) {
        const t = ts();
        const started = performance.now();
        await slack.sendEvent(
          url,
          appMentionEvent({ user: 'U0ANALYST', channel: 'C0ANSWER', text: question(i), ts: t, team: TEAM }),
        );
        await bot.idle();
        answers.push(performance.now() - started);
        const reply = emulator
          .messages('C0ANSWER')
          .find((m) => m.thread_ts === t && m.user === emulator.botUserId);
        if (reply === undefined || reply.text.includes('Working on it'))
          throw new Error(`no answer to ${question(i)}`);
      }
      return [
        `Ack latency, 200 signed events at once, ingress alone (HTTP 200 ${ok(ingressOnly.acks)}/200):`,
        `  in the bot (arrival → response end): ${summaryP99(ingressOnly.served)} (goal p99 ≤ 50 ms)`,
        `  at Slack's sender (write → response end): ${summaryP99(ingressOnly.acks.map((a) => a.elapsedMs))}`,
        `Ack latency, same burst, worker answering in the same process (HTTP 200 ${ok(withWorker.acks)}/200):`,
        `  in the bot: ${summaryP99(withWorker.served)}`,
        `  at Slack's sender: ${summaryP99(withWorker.acks.map((a) => a.elapsedMs))}`,
        `@mention → final answer, offline planner, 100 one at a time: ${summaryP99(answers)} (goal p95 ≤ 300 ms)`,
      ].join('\n');
    } finally {
      await bot.stop();
    }
  } finally {
    await rt.close();
    await emulator.close();
    await engine.stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runSlackBench());
}

function summaryP99(times: readonly number[]): string {
  return summary(times, [50, 95, 99]);
}
