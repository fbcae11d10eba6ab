import { App, type Receiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { registerAnswerActions } from './listeners/answer-actions.ts';
import { registerCommands } from './listeners/commands.ts';
import type { IngressDeps } from './listeners/ingress.ts';
import { registerQuestions } from './listeners/questions.ts';
import { registerReviewActions } from './listeners/review-actions.ts';

export interface BotAppOptions {
  readonly token: string;
  /** HTTP, Socket Mode or Lambda: chosen by the composition root. */
  readonly receiver: Receiver;
  readonly clientOptions?: WebClientOptions;
  readonly ingress: IngressDeps;
}

/**
 * The Bolt app: thin listeners (ack, parse with zod, enqueue) over any receiver, so the same
 * handlers serve HTTP, Socket Mode and Lambda; the slow part runs in the worker behind the queue.
 */
export function createBotApp(options: BotAppOptions): App {
  const app = new App({
    token: options.token,
    receiver: options.receiver,
    ...(options.clientOptions === undefined ? {} : { clientOptions: options.clientOptions }),
    // The bot's token is checked by the first Web API call, not by an auth.test at construction.
    tokenVerificationEnabled: false,
  });
  registerQuestions(app, options.ingress);
  registerReviewActions(app, options.ingress);
  registerAnswerActions(app, options.ingress);
  registerCommands(app, options.ingress);
  app.error(async (error) => {
    options.ingress.logger.error('bolt error', { error });
  });
  return app;
}
