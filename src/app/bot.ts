import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:net';
import { type App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import {
  type BotJob,
  createBotApp,
  createNotifier,
  DynamoDbAlertMessages,
  DynamoDbDeliveryLedger,
  InProcessJobQueue,
  type Notifier,
  notifierSlackClient,
} from '../bot/index.ts';
import type { Config, SlackConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ConsolidationDeps } from '../memory/index.ts';
import { openBotWorker } from './bot-worker.ts';
import { principalDirectory } from './identity.ts';
import type { SettlementRuntime } from './settlement.ts';

export interface RunningBot {
  readonly app: App;
  /** Where the HTTP receiver listens (`http://host:port`), undefined in Socket Mode. */
  readonly url: string | undefined;
  readonly queue: InProcessJobQueue<BotJob>;
  readonly notifier: Notifier;
  /** What memory consolidation runs with (the bot's own memory wiring). */
  readonly consolidation: ConsolidationDeps;
  /** Resolves once every request taken so far has been handled: listeners done, queue drained. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface BotOptions {
  readonly logger: Logger;
  /** Pause between alert posts (default ~1 per second per channel, as Slack allows). */
  readonly alertIntervalMs?: number;
  /** Web API retries (tests shorten them); the WebClient's defaults otherwise. */
  readonly retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  /**
   * Told how long each Slack request took from its arrival to the end of the HTTP response (the
   * ack as Slack's clock sees it, less the network); HTTP receiver only. For metrics and benchmarks.
   */
  readonly observeAck?: (ms: number) => void;
  /** Wraps the worker (tests slow it down to show ingress never waits for it). */
  readonly decorateWorker?: (worker: (job: BotJob) => Promise<void>) => (job: BotJob) => Promise<void>;
}

/**
 * The Slack bot's process, ingress and worker together (on AWS they are apart): Bolt with the HTTP
 * receiver on PORT (`POST /slack/events`, `GET /healthz`) or Socket Mode with SLACK_APP_TOKEN, the
 * delivery ledger in the settlement table, the in-process job queue, the worker (the agent through
 * AgentCore as the asker, decisions, reports, memory) and the outbox notifier. Every Web API call
 * goes to SLACK_API_URL when set.
 */
export async function startBot(
  config: Config,
  slack: SlackConfig,
  rt: SettlementRuntime,
  options: BotOptions,
): Promise<RunningBot> {
  const { logger } = options;
  const directory = principalDirectory(rt);
  let ready = false;
  const receiver = receiverOf(slack, () => ready);
  const queueRef: { queue?: InProcessJobQueue<BotJob> } = {};
  const clientOptions: WebClientOptions = {
    ...(slack.apiUrl === undefined ? {} : { slackApiUrl: slack.apiUrl }),
    ...(options.retryConfig === undefined ? {} : { retryConfig: options.retryConfig }),
  };
  // One auth.test at start-up: a bad token fails here, and the bot's ids go to Bolt.
  const auth = await new WebClient(slack.botToken, clientOptions).auth.test();
  if (auth.user_id === undefined || auth.bot_id === undefined)
    throw new Error('auth.test did not name the bot (user_id, bot_id): is SLACK_BOT_TOKEN a bot token?');
  const app = createBotApp({
    token: slack.botToken,
    identity: { botId: auth.bot_id, botUserId: auth.user_id },
    receiver,
    clientOptions,
    ingress: {
      ledger: new DynamoDbDeliveryLedger(rt.doc, rt.table),
      queue: { enqueue: async (job) => queueRef.queue?.enqueue(job) },
      logger,
    },
  });
  const bot = await openBotWorker(config, rt, { slack: app.client, botUserId: auth.user_id, logger });
  try {
    const worker = bot.handle;
    const queue = new InProcessJobQueue<BotJob>(options.decorateWorker?.(worker) ?? worker, logger);
    queueRef.queue = queue;
    const notifier = createNotifier({
      // Its own client: it retries itself, knowing which failures may have posted (see NOTIFIER_CLIENT_OPTIONS).
      slack: notifierSlackClient(slack.botToken, clientOptions),
      messages: new DynamoDbAlertMessages(rt.doc, rt.table),
      settlement: rt.deps,
      directory,
      channel: slack.alertChannel,
      logger,
      ...(options.alertIntervalMs === undefined ? {} : { minIntervalMs: options.alertIntervalMs }),
    });
    const started = (await (slack.appToken === undefined
      ? app.start({ port: slack.port, host: slack.host })
      : app.start())) as unknown;
    ready = true;
    const server = slack.appToken === undefined ? (started as Server) : undefined;
    const observeAck = options.observeAck;
    if (server !== undefined && observeAck !== undefined) {
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        if (req.method !== 'POST') return;
        const arrived = performance.now();
        res.once('finish', () => observeAck(performance.now() - arrived));
      });
    }
    const address = server?.address() ?? null;
    const url =
      address !== null && typeof address === 'object' ? `http://${slack.host}:${address.port}` : undefined;
    logger.info('slack bot started', { receiver: slack.appToken === undefined ? 'http' : 'socket', url });
    return {
      app,
      url,
      queue,
      notifier,
      consolidation: bot.memory.consolidation,
      async idle() {
        do {
          await app.tracker.settled();
          await queue.idle();
        } while (app.tracker.running > 0);
      },
      async stop() {
        ready = false;
        await app.stop();
        await queue.idle();
        await bot.close();
      },
    };
  } catch (error) {
    await bot.close();
    throw error;
  }
}

function receiverOf(slack: SlackConfig, ready: () => boolean): Receiver {
  const healthz = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: unknown, res: ServerResponse) => {
      res.writeHead(ready() ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ready() ? 'ok' : 'starting' }));
    },
  };
  if (slack.appToken !== undefined) {
    return new SocketModeReceiver({ appToken: slack.appToken, customRoutes: [healthz] });
  }
  if (slack.signingSecret === undefined)
    throw new Error('SLACK_SIGNING_SECRET is required for the HTTP receiver');
  return new HTTPReceiver({
    signingSecret: slack.signingSecret,
    endpoints: '/slack/events',
    customRoutes: [healthz],
  });
}
