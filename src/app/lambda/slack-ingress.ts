import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AwsLambdaReceiver, type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { botJobFifoKeys, createBotApp, DynamoDbDeliveryLedger, SqsJobQueue } from '../../bot/index.ts';
import { ConfigError, loadConfig, type SlackConfig } from '../../config.ts';
import { isLoopbackUrl } from '../../local/index.ts';
import type { Logger } from '../../logger.ts';
import { createDynamoDbClients } from '../../settlement/index.ts';
import { createSqsClient } from '../aws-clients.ts';
import { type BotIdentity, botIdentity, coldStart, functionLogger, readSlackSecrets } from '../serverless.ts';

export type FunctionUrlResponse = Exclude<LambdaFunctionURLResult, string>;
export type FunctionUrlHandler = (
  event: LambdaFunctionURLEvent,
  context: unknown,
) => Promise<FunctionUrlResponse>;

export interface SlackIngressDeps {
  readonly slack: SlackConfig;
  /** Who the bot is (one auth.test per cold start). */
  readonly identity: BotIdentity;
  /** The delivery ledger's table (SETTLEOPS_TABLE) on this client. */
  readonly doc: DynamoDBDocumentClient;
  readonly table: string;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly logger: Logger;
}

/**
 * The Slack bot's ingress as a Lambda function behind a Function URL: Bolt's AWS Lambda receiver
 * verifies the request signature (401 otherwise) and runs the same listeners as `settleops start` —
 * ack, claim the delivery in the ledger, enqueue the job on the SQS FIFO queue (SqsJobQueue) — and
 * answers Slack once the job is on the queue, so nothing is left running when the function freezes.
 */
export function createSlackIngressHandler(deps: SlackIngressDeps): FunctionUrlHandler {
  const { slack } = deps;
  if (slack.signingSecret === undefined)
    throw new ConfigError(['SLACK_SIGNING_SECRET_ARN: is required for the ingress']);
  const receiver = new AwsLambdaReceiver({
    signingSecret: slack.signingSecret,
    logger: boltLogger(deps.logger),
  });
  createBotApp({
    token: slack.botToken,
    identity: deps.identity,
    receiver,
    ...(slack.apiUrl === undefined ? {} : { clientOptions: { slackApiUrl: slack.apiUrl } }),
    ingress: {
      ledger: new DynamoDbDeliveryLedger(deps.doc, deps.table),
      queue: new SqsJobQueue(deps.sqs, deps.queueUrl, botJobFifoKeys),
      logger: deps.logger,
    },
  });
  const bolt = receiver.toHandler();
  return async (event, context) =>
    (await bolt(utf8Body(event) as unknown as Parameters<typeof bolt>[0], context)) as FunctionUrlResponse;
}

/** Bolt's receiver logs (a refused signature, an unhandled request) as this function's JSON lines. */
function boltLogger(logger: Logger): BoltLogger {
  const text = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...m) => logger.debug(text(m), { source: 'bolt' }),
    info: (...m) => logger.info(text(m), { source: 'bolt' }),
    warn: (...m) => logger.warn(text(m), { source: 'bolt' }),
    error: (...m) => logger.error(text(m), { source: 'bolt' }),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/**
 * Function URLs hand a body they take for binary as base64, and Bolt decodes base64 as ASCII, which
 * would garble any non-ASCII character (and so the signature check): decode it as UTF-8 here.
 */
function utf8Body(event: LambdaFunctionURLEvent): LambdaFunctionURLEvent {
  if (!event.isBase64Encoded || typeof event.body !== 'string') return event;
  return { ...event, body: Buffer.from(event.body, 'base64').toString('utf8'), isBase64Encoded: false };
}

// Cold start: the Slack secrets, the bot's identity, the DynamoDB and SQS clients; no KMS, no agent.
const boot = coldStart(async () => {
  const config = loadConfig();
  const logger = functionLogger(config, 'slack-ingress');
  if (config.jobQueueUrl === undefined)
    throw new ConfigError(['SETTLEOPS_JOB_QUEUE_URL: is required for the ingress']);
  const slack = await readSlackSecrets(config, { signing: true });
  const { endpoint, region, table } = config.dynamodb;
  return createSlackIngressHandler({
    slack,
    identity: await botIdentity(slack),
    doc: createDynamoDbClients({ endpoint, region, local: isLoopbackUrl(endpoint) }).doc,
    table,
    sqs: createSqsClient({ region }),
    queueUrl: config.jobQueueUrl,
    logger,
  });
});

export const handler: FunctionUrlHandler = async (event, context) => (await boot())(event, context);
