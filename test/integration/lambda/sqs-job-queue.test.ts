import { QueueDoesNotExist } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../../src/app/aws-clients.ts';
import { SqsJobQueue } from '../../../src/bot/index.ts';
import { type LocalSqsEndpoint, startLocalSqs } from '../../../src/local/index.ts';

interface Job {
  readonly conversation: string;
  readonly delivery: string;
  readonly n: number;
}

let sqs: LocalSqsEndpoint;
let client: ReturnType<typeof createSqsClient>;
beforeAll(async () => {
  sqs = await startLocalSqs({ queues: ['jobs.fifo'] });
  client = createSqsClient({ region: 'us-east-1', endpoint: sqs.url });
});
afterAll(async () => {
  client?.destroy();
  await sqs?.close();
});

const keys = (j: Job) => ({ groupId: j.conversation, deduplicationId: j.delivery });

describe('SqsJobQueue through the real SQS client', () => {
  it('sends each job as JSON with its group and deduplication ids; a resend of one delivery is dropped', async () => {
    const queue = new SqsJobQueue<Job>(client, sqs.queueUrl('jobs.fifo'), keys);
    const before = sqs.messages.length;

    await queue.enqueue({ conversation: 'T1:C1:1.1', delivery: 'Ev1', n: 1 });
    await queue.enqueue({ conversation: 'T1:C1:1.1', delivery: 'Ev1', n: 1 });
    await queue.enqueue({ conversation: 'T1:C1:1.1', delivery: 'Ev2', n: 2 });

    expect(
      sqs.messages.slice(before).map((m) => [m.messageGroupId, m.messageDeduplicationId, JSON.parse(m.body)]),
    ).toStrictEqual([
      ['T1:C1:1.1', 'Ev1', { conversation: 'T1:C1:1.1', delivery: 'Ev1', n: 1 }],
      ['T1:C1:1.1', 'Ev2', { conversation: 'T1:C1:1.1', delivery: 'Ev2', n: 2 }],
    ]);
  });

  it('hashes an id SQS would refuse (too long, or characters outside its set) to the same 64 hex digits every time', async () => {
    const queue = new SqsJobQueue<Job>(client, sqs.queueUrl('jobs.fifo'), keys);
    const before = sqs.messages.length;
    const long = `T1:${'C'.repeat(200)}`;

    await queue.enqueue({ conversation: long, delivery: 'évènement 1', n: 3 });
    await queue.enqueue({ conversation: long, delivery: 'évènement 2', n: 4 });

    const sent = sqs.messages.slice(before);
    expect(sent.map((m) => /^[0-9a-f]{64}$/.test(m.messageGroupId ?? ''))).toStrictEqual([true, true]);
    expect(sent[0]?.messageGroupId).toBe(sent[1]?.messageGroupId);
    expect(sent[0]?.messageDeduplicationId).not.toBe(sent[1]?.messageDeduplicationId);
  });

  it("fails with SQS's own error for a queue that does not exist", async () => {
    const queue = new SqsJobQueue<Job>(client, sqs.queueUrl('missing.fifo'), keys);

    await expect(queue.enqueue({ conversation: 'c', delivery: 'd', n: 5 })).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });
});
