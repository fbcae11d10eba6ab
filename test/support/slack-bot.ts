import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BotOptions, type RunningBot, startBot } from '../../src/app/bot.ts';
import { openSettlement, type SettlementRuntime } from '../../src/app/settlement.ts';
import { loadConfig } from '../../src/config.ts';
import type { NewPrincipal } from '../../src/identity/index.ts';
import {
  createSlackRequestClient,
  type SlackEmulator,
  type SlackRequestClient,
  startSlackEmulator,
} from '../../src/local/index.ts';
import { silentLogger } from '../../src/logger.ts';
import { directoryOf, enrol } from './directory.ts';
import { createTestTable, type TestTable } from './dynamodb.ts';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const BOT_TOKEN = 'xoxb-test-settleops';
export const TEAM = 'T0TEST';
export const ALERTS = 'C0ALERTS';

export interface TestBot {
  readonly table: TestTable;
  readonly emulator: SlackEmulator;
  readonly slack: SlackRequestClient;
  readonly rt: SettlementRuntime;
  readonly bot: RunningBot;
  /** `POST` Slack's requests here. */
  readonly eventsUrl: string;
  close(): Promise<void>;
}

/** A person with a Slack user in team T0TEST (`U0` + the id upper-cased). */
export function slackPerson(principalId: string, overrides: Partial<NewPrincipal> = {}): NewPrincipal {
  return {
    principalId,
    roles: ['approver'],
    desks: ['EQ-US'],
    accounts: [],
    displayName: principalId.replace(/^./, (c) => c.toUpperCase()),
    slack: { teamId: TEAM, userId: slackUserOf(principalId) },
    ...overrides,
  };
}

export function slackUserOf(principalId: string): string {
  return `U0${principalId.replace(/[^a-z0-9]/gi, '').toUpperCase()}`;
}

/**
 * The Slack bot as `settleops start` runs it (HTTP receiver on a loopback port, the worker, the
 * notifier, the agent through the local AgentCore endpoint), against a fresh DynamoDB Local table and
 * the Slack emulator, with `principals` in the directory. The settlement clock is fixed at `now`.
 */
export async function startTestBot(
  options: {
    readonly principals?: readonly NewPrincipal[];
    readonly now?: string;
    /** Reuse a table and an emulator (a restart of the bot over the same store and Slack). */
    readonly table?: TestTable;
    readonly emulator?: SlackEmulator;
    readonly bot?: Omit<BotOptions, 'logger'>;
  } = {},
): Promise<TestBot> {
  const table = options.table ?? (await createTestTable());
  const emulator = options.emulator ?? (await startSlackEmulator({ botToken: BOT_TOKEN, teamId: TEAM }));
  const dir = await mkdtemp(join(tmpdir(), 'settleops-bot-'));
  const config = loadConfig({
    DYNAMODB_ENDPOINT: table.endpoint,
    SETTLEOPS_TABLE: table.tableName,
    SETTLEOPS_DATA_DIR: dir,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emulator.apiUrl,
    SLACK_ALERT_CHANNEL: ALERTS,
  });
  if (config.slack === undefined) throw new Error('no Slack configuration');
  const now = new Date(options.now ?? '2026-11-24T18:00:00.000Z');
  const rt = await openSettlement(config, { now: () => now });
  await enrol(directoryOf(table), ...(options.principals ?? []));
  const bot = await startBot(config, { ...config.slack, port: 0 }, rt, {
    logger: silentLogger,
    alertIntervalMs: 0,
    retryConfig: { retries: 5, factor: 1, minTimeout: 10, maxTimeout: 50 },
    ...options.bot,
  });
  return {
    table,
    emulator,
    slack: createSlackRequestClient({ signingSecret: SIGNING_SECRET, emulator }),
    rt,
    bot,
    eventsUrl: `${bot.url}/slack/events`,
    async close() {
      await bot.stop();
      await rt.close();
      if (options.emulator === undefined) await emulator.close();
    },
  };
}
