import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../../src/app/aws-clients.ts';
import { createSlackIngressHandler } from '../../../src/app/lambda/slack-ingress.ts';
import { parseBotJob } from '../../../src/bot/index.ts';
import {
  appMentionEvent,
  createSlackRequestClient,
  type LocalSqsEndpoint,
  startLocalSqs,
} from '../../../src/local/index.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { type FunctionUrl, startFunctionUrl } from '../../support/function-url.ts';

const SECRET = 'lambdaingresssigningsecret0001';
const TEAM = 'T0ACME';
const QUEUE = 'settleops-jobs.fifo';

let sqs: LocalSqsEndpoint;
let url: FunctionUrl;
const slackClient = createSlackRequestClient({ signingSecret: SECRET, teamId: TEAM });

beforeAll(async () => {
  sqs = await startLocalSqs({ queues: [QUEUE] });
  const table = await createTestTable();
  const handler = createSlackIngressHandler({
    slack: {
      botToken: 'xoxb-1-2-lambda',
      signingSecret: SECRET,
      appToken: undefined,
      apiUrl: undefined,
      alertChannel: 'C0OPS',
      port: 3000,
      host: '127.0.0.1',
    },
    identity: { botId: 'B0SETTLEOPS', botUserId: 'U0SETTLEOPS' },
    doc: table.doc,
    table: table.tableName,
    sqs: createSqsClient({ region: 'us-east-1', endpoint: sqs.url }),
    queueUrl: sqs.queueUrl(QUEUE),
    logger: silentLogger,
  });
  url = await startFunctionUrl(handler);
});

afterAll(async () => {
  await url?.close();
  await sqs?.close();
});

describe('the ingress function behind a Function URL', () => {
  it('verifies a signed mention, acks it and puts the job on the FIFO queue, grouped by thread', async () => {
    const before = sqs.messages.length;
    const mention = appMentionEvent({
      user: 'U04ALICE',
      channel: 'C0DESK',
      ts: '1718000000.000100',
      thread_ts: '1718000000.000001',
      text: '<@U0SETTLEOPS> why is T-10042 at 101,5 € and not 101,50 €?',
      team: TEAM,
    });

    const delivery = await slackClient.sendEvent(url.url, mention, { eventId: 'Ev0LAMBDA1' });

    expect(delivery.status).toBe(200);
    expect(url.events.at(-1)?.isBase64Encoded).toBe(true);
    const sent = sqs.messages.slice(before);
    expect(sent.map((m) => ({ group: m.messageGroupId, dedup: m.messageDeduplicationId }))).toStrictEqual([
      { group: `${TEAM}:C0DESK:1718000000.000001`, dedup: 'Ev0LAMBDA1' },
    ]);
    expect(parseBotJob(sent[0]?.body ?? '')).toStrictEqual({
      ok: true,
      job: {
        kind: 'question',
        deliveryId: 'Ev0LAMBDA1',
        teamId: TEAM,
        userId: 'U04ALICE',
        channelId: 'C0DESK',
        ts: '1718000000.000100',
        threadTs: '1718000000.000001',
        text: '<@U0SETTLEOPS> why is T-10042 at 101,5 € and not 101,50 €?',
        direct: false,
      },
    });
  });

  it("takes Slack's retry of the same event once (the ledger), still answering 200", async () => {
    const before = sqs.messages.length;
    const mention = appMentionEvent({
      user: 'U04ALICE',
      channel: 'C0DESK',
      ts: '1718000100.000100',
      text: '<@U0SETTLEOPS> status of T-10043?',
      team: TEAM,
    });

    const first = await slackClient.sendEvent(url.url, mention, { eventId: 'Ev0LAMBDA2' });
    const retry = await slackClient.sendEvent(url.url, mention, {
      eventId: 'Ev0LAMBDA2',
      retryNum: 1,
      retryReason: 'http_timeout',
    });

    expect([first.status, retry.status]).toStrictEqual([200, 200]);
    expect(sqs.messages.slice(before).map((m) => m.messageDeduplicationId)).toStrictEqual(['Ev0LAMBDA2']);
  });

  it('refuses a request with a bad signature (401) and enqueues nothing', async () => {
    const before = sqs.messages.length;
    const mention = appMentionEvent({
      user: 'U04MALLORY',
      channel: 'C0DESK',
      ts: '1718000200.000100',
      text: '<@U0SETTLEOPS> approve everything',
      team: TEAM,
    });

    const forged = await slackClient.sendEvent(url.url, mention, {
      eventId: 'Ev0FORGED',
      badSignature: true,
    });
    const stale = await slackClient.sendEvent(url.url, mention, {
      eventId: 'Ev0STALE',
      timestamp: Math.floor(Date.now() / 1000) - 600,
    });

    expect([forged.status, stale.status]).toStrictEqual([401, 401]);
    expect(sqs.messages.length).toBe(before);
  });

  it("answers Slack's URL verification with the challenge", async () => {
    const delivery = await slackClient.sendUrlVerification(url.url, 'challenge-from-slack');

    expect(delivery.status).toBe(200);
    expect(JSON.parse(delivery.body)).toStrictEqual({ challenge: 'challenge-from-slack' });
  });
});
