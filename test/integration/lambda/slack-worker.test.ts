import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotWorker, openBotWorker } from '../../../src/app/bot-worker.ts';
import { createSlackWorkerHandler } from '../../../src/app/lambda/slack-worker.ts';
import { openSettlement, type SettlementRuntime } from '../../../src/app/settlement.ts';
import type { BotJob } from '../../../src/bot/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { type SlackEmulator, startSlackEmulator } from '../../../src/local/index.ts';
import { createJsonLogger, silentLogger } from '../../../src/logger.ts';
import { directoryOf, enrol } from '../../support/directory.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { slackPerson, slackUserOf, TEAM } from '../../support/slack-bot.ts';

const BOT_TOKEN = 'xoxb-test-settleops';

/** An SQS event as Lambda's event source mapping hands it over (FIFO: group and sequence attributes). */
function sqsEvent(bodies: ReadonlyArray<{ readonly id: string; readonly body: string }>): SQSEvent {
  return {
    Records: bodies.map(
      ({ id, body }, i): SQSRecord => ({
        messageId: id,
        receiptHandle: `receipt-${id}`,
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '1764007200000',
          SenderId: 'AROAEXAMPLE:settleops-ingress',
          ApproximateFirstReceiveTimestamp: '1764007200001',
          MessageGroupId: 'T0TEST:C0OPS',
          MessageDeduplicationId: id,
          SequenceNumber: String(18_000_000_000_000_000_000 + i),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:settleops-jobs.fifo',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

const question = (deliveryId: string, user: string, ts: string, text: string): BotJob => ({
  kind: 'question',
  deliveryId,
  teamId: TEAM,
  userId: user,
  channelId: 'C0OPS',
  ts,
  text,
  direct: false,
});

describe('the worker function on the SQS FIFO queue', () => {
  let emulator: SlackEmulator;
  let rt: SettlementRuntime;
  let worker: BotWorker;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    const table = await createTestTable();
    emulator = await startSlackEmulator({ botToken: BOT_TOKEN, teamId: TEAM });
    const config = loadConfig({
      DYNAMODB_ENDPOINT: table.endpoint,
      SETTLEOPS_TABLE: table.tableName,
      SETTLEOPS_DATA_DIR: await mkdtemp(join(tmpdir(), 'settleops-worker-')),
    });
    const now = new Date('2026-11-24T18:00:00.000Z');
    rt = await openSettlement(config, { now: () => now });
    await enrol(directoryOf(table), slackPerson('alice', { roles: ['approver'], desks: ['EQ-US'] }));
    worker = await openBotWorker(config, rt, {
      slack: new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl }),
      botUserId: emulator.botUserId,
      logger: silentLogger,
    });
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await rt?.close();
    await emulator?.close();
  });

  it('answers a question job in its thread, onboards an unknown user, and drops a message that is not a job', async () => {
    const logger = createJsonLogger({
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const handler = createSlackWorkerHandler(async () => ({ worker, logger }));
    const asked = question(
      'Ev0WORKER1',
      slackUserOf('alice'),
      '1764007200.000001',
      `<@${emulator.botUserId}> list the pending approvals`,
    );
    const stranger = question('Ev0WORKER2', 'U0STRANGER', '1764007200.000002', 'list the pending approvals');

    const response = await handler(
      sqsEvent([
        { id: 'm-1', body: JSON.stringify(asked) },
        { id: 'm-2', body: '{"kind":"question","text":"no one asked"}' },
        { id: 'm-3', body: JSON.stringify(stranger) },
      ]),
    );

    expect(response).toStrictEqual({ batchItemFailures: [] });
    const replies = emulator
      .messages('C0OPS')
      .filter((m) => m.thread_ts === '1764007200.000001' && m.user === emulator.botUserId);
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('offline planner');
    expect(emulator.ephemerals.filter((e) => e.user === 'U0STRANGER')).toHaveLength(1);
    expect(lines.filter((l) => l.level === 'error').map((l) => [l.msg, l.messageId])).toStrictEqual([
      ['unreadable job dropped', 'm-2'],
    ]);
  });

  it('reports a failed job and every job after it in the batch, so a conversation keeps its order', async () => {
    const handled: string[] = [];
    const handler = createSlackWorkerHandler(async () => ({
      worker: {
        handle: async (job: BotJob) => {
          handled.push(job.deliveryId);
          if (job.deliveryId === 'Ev0FAILS') throw new Error('Slack is away');
        },
      },
      logger: silentLogger,
    }));
    const jobs = ['Ev0OK', 'Ev0FAILS', 'Ev0LATER'].map((id, i) =>
      question(id, slackUserOf('alice'), `1764007300.00000${i}`, 'status of T-10042?'),
    );

    const response = await handler(sqsEvent(jobs.map((j, i) => ({ id: `n-${i}`, body: JSON.stringify(j) }))));

    expect(handled).toStrictEqual(['Ev0OK', 'Ev0FAILS']);
    expect(response).toStrictEqual({
      batchItemFailures: [{ itemIdentifier: 'n-1' }, { itemIdentifier: 'n-2' }],
    });
  });
});
