import { App, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { registerAnswerActions } from './listeners/answer-actions.ts';
import { registerCommands } from './listeners/commands.ts';
import type { IngressDeps } from './listeners/ingress.ts';
import { registerQuestions } from './listeners/questions.ts';
import { registerReviewActions } from './listeners/review-actions.ts';

/** Counts the listeners still running (Bolt acks events before they finish). */
export interface ListenerTracker {
  readonly running: number;
  /** Resolves once no listener is running. */
  settled(): Promise<void>;
}

export interface BotAppOptions {
  readonly token: string;
  /**
   * Who the bot is (from one `auth.test` at start-up). Bolt needs both ids: without them, when token
   * verification is off, Bolt 5.1 calls `auth.test` again for every incoming request, before the
   * ack — a Web API round trip on Slack's 3-second clock, and a rate-limited method.
   */
  readonly identity: { readonly botId: string; readonly botUserId: string };
  /** HTTP, Socket Mode or Lambda: chosen by the composition root. */
  readonly receiver: Receiver;
  readonly clientOptions?: WebClientOptions;
  readonly ingress: IngressDeps;
}

/**
 * The Bolt app: thin listeners (ack, parse with zod, enqueue) over any receiver, so the same
 * handlers serve HTTP, Socket Mode and Lambda; the slow part runs in the worker behind the queue.
 */
export function createBotApp(options: BotAppOptions): App & { readonly tracker: ListenerTracker } {
  const app = new App({
    token: options.token,
    botId: options.identity.botId,
    botUserId: options.identity.botUserId,
    receiver: options.receiver,
    // No conversation context is used; Bolt's default in-memory store would run on every request.
    convoStore: false,
    ...(options.clientOptions === undefined ? {} : { clientOptions: options.clientOptions }),
    // The composition root checked the token (its auth.test gave `identity`).
    tokenVerificationEnabled: false,
  });
  let running = 0;
  let waiting: Array<() => void> = [];
  app.use(async ({ next }) => {
    running++;
    try {
      await next();
    } finally {
      running--;
      if (running === 0) {
        const done = waiting;
        waiting = [];
        for (const resolve of done) resolve();
      }
    }
  });
  registerQuestions(app, options.ingress);
  registerReviewActions(app, options.ingress);
  registerAnswerActions(app, options.ingress);
  registerCommands(app, options.ingress);
  app.error(async (error) => {
    options.ingress.logger.error('bolt error', { error });
  });
  const tracker: ListenerTracker = {
    get running() {
      return running;
    },
    settled: () => (running === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve))),
  };
  return Object.assign(app, { tracker });
}
