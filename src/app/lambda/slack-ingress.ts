import type { SQSClient } from '@aws-sdk/client-sqs';
import { AwsLambdaReceiver } from '@slack/bolt';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { botJobFifoKeys, createBotApp, DynamoDbDeliveryLedger, SqsJobQueue } from '../../bot/index.ts';
import { type Config, ConfigError, loadConfig, type SlackConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { createSqsClient } from '../aws-clients.ts';
import { coldStart, functionLogger, openFunctionSettlement, readSlackSecrets } from '../serverless.ts';

export type FunctionUrlHandler = (
  event: LambdaFunctionURLEvent,
  context: unknown,
) => Promise<Exclude<LambdaFunctionURLResult, string>>;

export interface SlackIngressDeps {
  readonly config: Config;
  readonly slack: SlackConfig;
  readonly sqs: SQSClient;
  readonly logger: Logger;
}

/**
 * The Slack bot's ingress as a Lambda function behind a Function URL: Bolt's AWS Lambda receiver
 * verifies the request signature (401 otherwise) and runs the same listeners as `settleops start`,
 * which ack and enqueue each job on the SQS FIFO queue (SqsJobQueue); the answer goes back to Slack
 * once the job is on the queue, so nothing is left running when the function freezes.
 */
export async function createSlackIngressHandler(deps: SlackIngressDeps): Promise<FunctionUrlHandler> {
  const { config, slack, logger } = deps;
  const queueUrl = config.jobQueueUrl;
  if (queueUrl === undefined) throw new ConfigError(['SETTLEOPS_JOB_QUEUE_URL: is required for the ingress']);
  if (slack.signingSecret === undefined)
    throw new ConfigError(['SLACK_SIGNING_SECRET_ARN: is required for the ingress']);
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret });
  const rt = await openFunctionSettlement(config, logger);
  createBotApp({
    token: slack.botToken,
    receiver,
    ...(slack.apiUrl === undefined ? {} : { clientOptions: { slackApiUrl: slack.apiUrl } }),
    ingress: {
      ledger: new DynamoDbDeliveryLedger(rt.doc, rt.table),
      queue: new SqsJobQueue(deps.sqs, queueUrl, botJobFifoKeys),
      logger,
    },
  });
  const bolt = receiver.toHandler();
  return (event, context) => bolt(utf8Body(event) as unknown as Parameters<typeof bolt>[0], context);
}

/**
 * Function URLs hand a body they take for binary as base64, and Bolt decodes base64 as ASCII, which
 * would garble any non-ASCII character (and so the signature check): decode it as UTF-8 here.
 */
function utf8Body(event: LambdaFunctionURLEvent): LambdaFunctionURLEvent {
  if (!event.isBase64Encoded || typeof event.body !== 'string') return event;
  return { ...event, body: Buffer.from(event.body, 'base64').toString('utf8'), isBase64Encoded: false };
}

const boot = coldStart(async () => {
  const config = loadConfig();
  const logger = functionLogger(config, 'slack-ingress');
  const slack = await readSlackSecrets(config, { signing: true });
  const sqs = createSqsClient({ region: config.dynamodb.region });
  return createSlackIngressHandler({ config, slack, sqs, logger });
});

export const handler: FunctionUrlHandler = async (event, context) => (await boot())(event, context);
