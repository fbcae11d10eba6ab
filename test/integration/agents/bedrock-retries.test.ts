import { describe, expect, it } from 'vitest';
import { ModelCallError } from '../../../src/agents/model/bedrock-converse.ts';
import { RetryBudget } from '../../../src/agents/model/retry-budget.ts';
import type { ModelRequest } from '../../../src/agents/model/types.ts';
import {
  connectionReset,
  FAST,
  internalError,
  modelError,
  modelNotReady,
  modelTimeout,
  type ScriptedTurn,
  STRONG,
  type StreamExceptionType,
  serviceUnavailable,
  streamedTextTurn,
  streamedToolUseTurn,
  testBedrockClient,
  textTurn,
  throttled,
  useConverseServer,
} from '../../support/converse/index.ts';

/*
 * What the Bedrock client retries, and what not, against the stand-in's realistic failures (HTTP
 * errors with `x-amzn-errortype`, in-stream exceptions, TCP resets, streams cut before
 * `messageStop`). Retries sleep a recorded full-jitter delay (random fixed at 0.5), never for real.
 */

const stand = useConverseServer();

const REQUEST: ModelRequest = {
  system: 'You are SettleOps.',
  messages: [{ role: 'user', content: [{ text: 'Status of T-10042?' }] }],
  tools: [],
  tier: 'strong',
  maxTokens: 256,
};

const TOOL_SPEC = {
  name: 'get_trade_status',
  description: 'Status of one trade by id.',
  inputSchema: {
    json: { type: 'object', properties: { tradeId: { type: 'string' } }, required: ['tradeId'] },
  },
};

describe('retries as the Bedrock docs ask', () => {
  it.each<[string, ScriptedTurn]>([
    ['429 ThrottlingException', throttled()],
    ['500 InternalServerException', internalError()],
    ['503 ServiceUnavailableException', serviceUnavailable()],
    ['429 ModelNotReadyException', modelNotReady()],
    ['a connection reset (ECONNRESET)', connectionReset()],
  ])('retries %s on the same model, after a full-jitter wait', async (_, failure) => {
    stand.server.script(STRONG, failure, textTurn('Second attempt.'));
    const { client, sleeps } = testBedrockClient(stand.server);

    const response = await client.converse(REQUEST);

    expect(response.message.content).toStrictEqual([{ text: 'Second attempt.' }]);
    expect(response.modelId).toBe(STRONG);
    expect(stand.server.callsFor(STRONG)).toHaveLength(2);
    expect(sleeps).toStrictEqual([50]);
  });

  it.each<StreamExceptionType>([
    'modelStreamErrorException',
    'internalServerException',
    'throttlingException',
    'serviceUnavailableException',
  ])('retries a stream that fails with %s before any text', async (streamException) => {
    stand.server.script(
      STRONG,
      { ...streamedTextTurn(['never ', 'sent']), failAfterEvents: 1, streamException },
      streamedTextTurn(['Second ', 'try.']),
    );
    const { client, sleeps } = testBedrockClient(stand.server);
    const deltas: string[] = [];

    const response = await client.converseStream(REQUEST, (d) => deltas.push(d));

    expect(deltas.join('')).toBe('Second try.');
    expect(response.stopReason).toBe('end_turn');
    expect(sleeps).toStrictEqual([50]);
  });

  it('retries a stream reset or cut before messageStop when nothing was shown yet', async () => {
    const toolUse = { toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } };
    stand.server.script(
      STRONG,
      { ...streamedToolUseTurn(toolUse, ['{"tradeId": ', '"T-10042"}']), resetAfterEvents: 2 },
      { ...streamedToolUseTurn(toolUse, ['{"tradeId": ', '"T-10042"}']), cutAfterEvents: 3 },
      streamedToolUseTurn(toolUse, ['{"tradeId": ', '"T-10042"}']),
    );
    const { client, sleeps } = testBedrockClient(stand.server);

    const response = await client.converseStream({ ...REQUEST, tools: [TOOL_SPEC] }, () => {});

    expect(response.stopReason).toBe('tool_use');
    expect(response.message.content).toStrictEqual([{ toolUse }]);
    expect(stand.server.callsFor(STRONG)).toHaveLength(3);
    expect(sleeps).toStrictEqual([50, 100]);
  });

  it('does not retry once text was shown: a stream reset mid-answer is an incomplete answer', async () => {
    stand.server.script(STRONG, {
      ...streamedTextTurn(['T-10042 is ', 'UNMATCHED ', 'because']),
      resetAfterEvents: 3,
    });
    const { client, sleeps } = testBedrockClient(stand.server);
    const deltas: string[] = [];

    await expect(client.converseStream(REQUEST, (d) => deltas.push(d))).rejects.toSatisfy(
      (e) => e instanceof ModelCallError && e.reason === 'incomplete',
    );
    expect(deltas.join('')).toBe('T-10042 is UNMATCHED ');
    expect(sleeps).toStrictEqual([]);
    expect(stand.server.callsFor(FAST)).toHaveLength(0);
  });

  it.each<[string, ScriptedTurn]>([
    ['424 ModelErrorException', modelError()],
    ['408 ModelTimeoutException', modelTimeout()],
  ])('does not retry %s, nor ask the other model', async (_, failure) => {
    stand.server.script(STRONG, failure);
    const { client, sleeps } = testBedrockClient(stand.server);

    await expect(client.converse(REQUEST)).rejects.toSatisfy(
      (e) => e instanceof ModelCallError && e.reason === 'refused' && !e.transient,
    );
    expect(stand.server.requests).toHaveLength(1);
    expect(sleeps).toStrictEqual([]);
  });

  it('does not retry an in-stream validationException', async () => {
    stand.server.script(STRONG, {
      ...streamedTextTurn(['never']),
      failAfterEvents: 1,
      streamException: 'validationException',
    });
    const { client } = testBedrockClient(stand.server);

    await expect(client.converseStream(REQUEST, () => {})).rejects.toSatisfy(
      (e) => e instanceof ModelCallError && e.reason === 'refused',
    );
    expect(stand.server.requests).toHaveLength(1);
  });

  it('does not retry a request Bedrock refuses as invalid', async () => {
    const { client } = testBedrockClient(stand.server);

    await expect(client.converse({ ...REQUEST, messages: [] })).rejects.toSatisfy(
      (e) => e instanceof ModelCallError && e.reason === 'refused',
    );
    expect(stand.server.rejections()).toHaveLength(1);
    expect(stand.server.requests).toHaveLength(1);
  });

  it('stops retrying when the retry budget is spent, and asks no other model', async () => {
    stand.server.script(STRONG, throttled(), throttled(), textTurn('never reached'));
    const retryBudget = new RetryBudget({ capacity: 5, retryCost: 5 });
    const { client, sleeps } = testBedrockClient(stand.server, { retryBudget });

    await expect(client.converse(REQUEST)).rejects.toSatisfy(
      (e) => e instanceof ModelCallError && e.transient,
    );
    expect(stand.server.callsFor(STRONG)).toHaveLength(2);
    expect(stand.server.callsFor(FAST)).toHaveLength(0);
    expect(sleeps).toStrictEqual([50]);
    expect(retryBudget.available).toBe(0);
  });

  it('draws the wait at random up to the backoff ceiling (full jitter)', async () => {
    stand.server.script(STRONG, internalError(), internalError(), textTurn('Third attempt.'));
    const { client, sleeps } = testBedrockClient(stand.server, { random: () => 0.999 });

    await client.converse(REQUEST);

    // min(cap, base · 2^attempt) = 100, then 200; the draw is just under each.
    expect(sleeps).toStrictEqual([99, 199]);
  });
});
