import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WebClient } from '@slack/web-api';
import { type Config, ConfigError, type SlackConfig, slackConfigWithSecrets } from '../config.ts';
import { createJsonLogger, type Logger } from '../logger.ts';
import { createSecretsManagerClient } from './aws-clients.ts';
import { openSettlement, type SettlementRuntime } from './settlement.ts';

/**
 * A value made once per Lambda execution environment (the cold start) and reused by every invocation
 * after it. A failed attempt is not kept: the next invocation tries again.
 */
export function coldStart<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (made === undefined) {
      made = make().catch((error: unknown) => {
        made = undefined;
        throw error;
      });
    }
    return made;
  };
}

/** The logger every function writes with: one JSON object a line (CloudWatch metric filters read them). */
export function functionLogger(config: Config, fn: string): Logger {
  return createJsonLogger({ level: config.logLevel, fields: { fn } });
}

/** The settlement core of a function: the provisioned table, the audit key from KMS, never a local file. */
export function openFunctionSettlement(config: Config, logger: Logger): Promise<SettlementRuntime> {
  return openSettlement(config, { log: (message) => logger.info(message) });
}

/**
 * The Slack credentials of a function, read from Secrets Manager (SLACK_BOT_TOKEN_ARN, and
 * SLACK_SIGNING_SECRET_ARN when `signing`), checked, and never logged. Called once per cold start.
 */
export async function readSlackSecrets(
  config: Config,
  options: { readonly signing: boolean; readonly client?: SecretsManagerClient },
): Promise<SlackConfig> {
  const secrets = config.slackSecrets;
  if (secrets?.botTokenArn === undefined)
    throw new ConfigError(['SLACK_BOT_TOKEN_ARN: is required for this function']);
  if (options.signing && secrets.signingSecretArn === undefined)
    throw new ConfigError(['SLACK_SIGNING_SECRET_ARN: is required for this function']);
  const client = options.client ?? createSecretsManagerClient({ region: config.dynamodb.region });
  try {
    const read = async (arn: string): Promise<string> => {
      const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
      if (out.SecretString === undefined) throw new ConfigError([`secret ${arn}: has no string value`]);
      return out.SecretString.trim();
    };
    const [botToken, signingSecret] = await Promise.all([
      read(secrets.botTokenArn),
      options.signing && secrets.signingSecretArn !== undefined
        ? read(secrets.signingSecretArn)
        : Promise.resolve(undefined),
    ]);
    return slackConfigWithSecrets(secrets, { botToken, signingSecret });
  } finally {
    if (options.client === undefined) client.destroy();
  }
}

/**
 * The Slack Web API client of a function. Fewer retries than the WebClient's default (about 30
 * minutes): a function has minutes at most, and work left undone is retried by its trigger.
 */
export function functionSlackClient(slack: SlackConfig): WebClient {
  return new WebClient(slack.botToken, {
    ...(slack.apiUrl === undefined ? {} : { slackApiUrl: slack.apiUrl }),
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 10_000 },
  });
}

/** Who the bot is: its user id and bot id, as Bolt needs them (see createBotApp). */
export interface BotIdentity {
  readonly botId: string;
  readonly botUserId: string;
}

/** One auth.test (per cold start): a bad token fails here, before any request is taken. */
export async function botIdentity(slack: SlackConfig): Promise<BotIdentity> {
  const auth = await functionSlackClient(slack).auth.test();
  if (auth.user_id === undefined || auth.bot_id === undefined)
    throw new ConfigError(['SLACK_BOT_TOKEN_ARN: auth.test did not name the bot (user_id, bot_id)']);
  return { botId: auth.bot_id, botUserId: auth.user_id };
}
