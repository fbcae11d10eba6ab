import { createHash } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobQueue } from './job-queue.ts';

/** How SQS FIFO orders and deduplicates a job. */
export interface FifoKeys {
  /** Jobs of one group are delivered in order, one at a time (a conversation). */
  readonly groupId: string;
  /** A second send with this id within five minutes is dropped by SQS (a Slack retry). */
  readonly deduplicationId: string;
}

/** What SQS accepts as a group or deduplication id: up to 128 of these characters. */
const SQS_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** `value` as is when SQS accepts it, else its SHA-256 (hex): the same input always gives the same id. */
export function sqsId(value: string): string {
  return SQS_ID.test(value) ? value : createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * The job queue on AWS: each job one message on an SQS FIFO queue, its body the job as JSON, its group
 * and deduplication ids from `keysOf` (so one conversation's jobs stay ordered and a redelivered Slack
 * event is sent once). The worker function reads the queue.
 */
export class SqsJobQueue<J> implements JobQueue<J> {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly keysOf: (job: J) => FifoKeys,
  ) {}

  async enqueue(job: J): Promise<void> {
    const keys = this.keysOf(job);
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(job),
        MessageGroupId: sqsId(keys.groupId),
        MessageDeduplicationId: sqsId(keys.deduplicationId),
      }),
    );
  }
}
