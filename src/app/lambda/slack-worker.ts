import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseBotJob } from '../../bot/index.ts';
import { type Config, loadConfig } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { type BotWorker, openBotWorker } from '../bot-worker.ts';
import {
  botIdentity,
  coldStart,
  functionLogger,
  functionSlackClient,
  openFunctionSettlement,
  readSlackSecrets,
} from '../serverless.ts';

/**
 * The Slack bot's worker as a Lambda function on the SQS FIFO queue: each message is parsed back into a
 * job (zod) and handed to the same worker `settleops start` runs (src/app/bot-worker.ts). Failures are
 * reported per message (partial batch response); as the queue is FIFO, the messages after a failed one
 * are reported too, so a conversation's order survives the retry. A message that is not a job is
 * logged and dropped: retrying it cannot help.
 */
export function createSlackWorkerHandler(
  open: () => Promise<{ readonly worker: Pick<BotWorker, 'handle'>; readonly logger: Logger }>,
): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const { worker, logger } = await open();
    const batchItemFailures: Array<{ itemIdentifier: string }> = [];
    for (const record of event.Records) {
      if (batchItemFailures.length > 0) {
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      const parsed = parseBotJob(record.body);
      if (!parsed.ok) {
        logger.error('unreadable job dropped', { messageId: record.messageId, problems: parsed.problems });
        continue;
      }
      try {
        await worker.handle(parsed.job);
      } catch (error) {
        logger.error('job failed; SQS will deliver it again', {
          messageId: record.messageId,
          kind: parsed.job.kind,
          receiveCount: record.attributes.ApproximateReceiveCount,
          error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** The worker of this execution environment: the settlement core, Slack, the agent caller. */
export async function openFunctionWorker(config: Config): Promise<{ worker: BotWorker; logger: Logger }> {
  const logger = functionLogger(config, 'slack-worker');
  const rt = await openFunctionSettlement(config, logger);
  const slack = await readSlackSecrets(config, { signing: false });
  const { botUserId } = await botIdentity(slack);
  const worker = await openBotWorker(config, rt, { slack: functionSlackClient(slack), botUserId, logger });
  return { worker, logger };
}

export const handler = createSlackWorkerHandler(coldStart(() => openFunctionWorker(loadConfig())));
