import { describe, expect, it } from 'vitest';
import {
  closeUntrusted,
  openUntrusted,
  untrustedTag,
} from '../../../src/agents/guardrails/untrusted-data.ts';
import { createTurnLimits } from '../../../src/agents/limits/session-limits.ts';
import { runTurn, streamTurn, type TurnEvent } from '../../../src/agents/loop/run-turn.ts';
import { MemoryTraceSink } from '../../../src/agents/loop/trace.ts';
import type { BedrockConverseOptions } from '../../../src/agents/model/bedrock-converse.ts';
import {
  FAST,
  field,
  guardrailTurn,
  maxTokensTurn,
  reportedUsage,
  STRONG,
  serviceUnavailable,
  testBedrockClient,
  textTurn,
  throttled,
  toolUseTurn,
  useConverseServer,
} from '../../support/converse/index.ts';
import {
  openExceptionsTool,
  principal,
  toolContext,
  tradeStatusTool,
} from '../../unit/agents/loop/test-tools.ts';

const stand = useConverseServer({ guardrails: { 'gr-settleops': { deniedTopics: [] } } });

const bedrock = (overrides: Partial<BedrockConverseOptions> = {}) =>
  testBedrockClient(stand.server, overrides);

/** A body field, read without trusting its shape. */

const baseTurn = (sessionId: string) => ({
  system: 'You are SettleOps. Answer settlement questions with the tools.',
  history: [],
  tools: [tradeStatusTool(), openExceptionsTool()],
  toolContext: () => toolContext(principal(), sessionId),
  limits: createTurnLimits(),
});

describe('Bedrock Converse through the real SDK client', () => {
  it('runs a multi-tool conversation: two tools, then an answer', async () => {
    stand.server.script(
      STRONG,
      toolUseTurn([{ toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } }], {
        text: 'Let me look that up.',
      }),
      toolUseTurn([{ toolUseId: 'tu-2', name: 'list_open_exceptions', input: { desk: 'EQ-US' } }]),
      textTurn('T-10042 is unmatched: exception X-1 (DDEA, price mismatch) is open.'),
    );
    const { client } = bedrock();
    const trace = new MemoryTraceSink();

    const result = await runTurn({
      ...baseTurn('session-multi-tool-000000000000000001'),
      model: client,
      question: 'Why is T-10042 not matched?',
      trace,
    });

    expect(result).toMatchObject({
      text: 'T-10042 is unmatched: exception X-1 (DDEA, price mismatch) is open.',
      stopReason: 'end_turn',
      iterations: 3,
      answeredBy: STRONG,
    });
    expect(result.records).toStrictEqual([
      { kind: 'trade', id: 'T-10042' },
      { kind: 'exception', id: 'X-1' },
    ]);
    // The usage Bedrock reported for the three calls, summed.
    expect(result.usage).toStrictEqual(reportedUsage(stand.server.requests));
    expect(stand.server.callsFor(STRONG)).toHaveLength(3);

    // The third request carries both tool results, in Converse's wire shape.
    // Each result travels between its untrusted-data markers.
    const third = stand.server.requests[2]?.body;
    const tag = untrustedTag(
      toolContext(principal(), 'session-multi-tool-000000000000000001').traceId,
      'tu-1',
    );
    expect(field(third, 'messages', 2)).toStrictEqual({
      role: 'user',
      content: [
        {
          toolResult: {
            toolUseId: 'tu-1',
            status: 'success',
            content: [
              { text: openUntrusted('get_trade_status', tag) },
              { json: { tradeId: 'T-10042', desk: 'EQ-US', account: 'EQUS-GROWTH-01', status: 'UNMATCHED' } },
              { text: closeUntrusted(tag) },
            ],
          },
        },
      ],
    });
    expect(field(third, 'messages', 3, 'content', 0)).toStrictEqual({
      toolUse: { toolUseId: 'tu-2', name: 'list_open_exceptions', input: { desk: 'EQ-US' } },
    });
    expect(field(third, 'messages', 4, 'content', 0, 'toolResult', 'status')).toBe('success');

    expect(trace.ofType('tool_call').map((e) => [e.name, e.ok, e.args])).toStrictEqual([
      ['get_trade_status', true, { level: 'full', args: { tradeId: 'T-10042' } }],
      ['list_open_exceptions', true, { level: 'metadata', argKeys: ['desk'], size: 16 }],
    ]);
    expect(trace.ofType('model_call').map((e) => [e.modelId, e.stopReason])).toStrictEqual([
      [STRONG, 'tool_use'],
      [STRONG, 'tool_use'],
      [STRONG, 'end_turn'],
    ]);
  });

  it('returns the validation error to the model, which corrects its tool input', async () => {
    stand.server.script(
      STRONG,
      toolUseTurn([{ toolUseId: 'tu-bad', name: 'get_trade_status', input: { tradeId: '10042' } }]),
      toolUseTurn([{ toolUseId: 'tu-good', name: 'get_trade_status', input: { tradeId: 'T-10042' } }]),
      textTurn('T-10042 is UNMATCHED.'),
    );
    const { client } = bedrock();

    const result = await runTurn({
      ...baseTurn('session-malformed-input-0000000000001'),
      model: client,
      question: 'Status of trade 10042?',
    });

    expect(result.text).toBe('T-10042 is UNMATCHED.');
    expect(result.records).toStrictEqual([{ kind: 'trade', id: 'T-10042' }]);
    const second = stand.server.requests[1]?.body;
    expect(field(second, 'messages', 2, 'content', 0)).toStrictEqual({
      toolResult: {
        toolUseId: 'tu-bad',
        status: 'error',
        content: [
          {
            text: 'Invalid input for get_trade_status: tradeId: must look like T-10042. Correct the input and call the tool again.',
          },
        ],
      },
    });
    expect(field(stand.server.requests[2]?.body, 'messages', 4, 'content', 0, 'toolResult', 'status')).toBe(
      'success',
    );
  });

  it('retries a throttled model with full jitter, then falls back to the other model', async () => {
    stand.server.script(STRONG, throttled(), throttled(), throttled());
    stand.server.script(FAST, textTurn('Answered by the fast model.'));
    const { client, sleeps } = bedrock();

    const result = await runTurn({
      ...baseTurn('session-throttle-fallback-000000000001'),
      model: client,
      question: 'How many open exceptions on EQ-US?',
    });

    expect(result).toMatchObject({
      text: 'Answered by the fast model.',
      stopReason: 'end_turn',
      answeredBy: FAST,
    });
    expect(stand.server.callsFor(STRONG)).toHaveLength(3);
    expect(stand.server.callsFor(FAST)).toHaveLength(1);
    // random() = 0.5: half of min(cap, base·2^attempt) for attempts 0 and 1.
    expect(sleeps).toStrictEqual([50, 100]);
  });

  it('retries a 503 ServiceUnavailableException on the same model', async () => {
    stand.server.script(STRONG, serviceUnavailable(), textTurn('Recovered.'));
    const { client, sleeps } = bedrock();

    const response = await client.converse({
      system: 's',
      messages: [{ role: 'user', content: [{ text: 'Status of T-10042?' }] }],
      tools: [],
      tier: 'strong',
      maxTokens: 64,
    });

    expect(response.modelId).toBe(STRONG);
    expect(stand.server.callsFor(STRONG)).toHaveLength(2);
    expect(stand.server.callsFor(FAST)).toHaveLength(0);
    expect(sleeps).toStrictEqual([50]);
  });

  it('routes the fast tier to the fast model and falls back to the strong one', async () => {
    stand.server.script(FAST, throttled());
    stand.server.script(STRONG, textTurn('Strong model answer.'));
    const { client } = bedrock({ retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 1_000 } });

    const response = await client.converse({
      system: 's',
      messages: [{ role: 'user', content: [{ text: 'hi' }] }],
      tools: [],
      tier: 'fast',
      maxTokens: 64,
    });

    expect(response.modelId).toBe(STRONG);
    expect(stand.server.requests.map((r) => r.modelId)).toStrictEqual([FAST, STRONG]);
  });

  it('ends the turn with a clear message when every model is throttled', async () => {
    stand.server.script(STRONG, throttled(), throttled());
    stand.server.script(FAST, throttled());
    const { client } = bedrock({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100 } });
    const trace = new MemoryTraceSink();

    const result = await runTurn({
      ...baseTurn('session-all-throttled-0000000000000001'),
      model: client,
      question: 'Status of T-10042?',
      trace,
    });

    expect(result.stopReason).toBe('model_error');
    expect(result.text).toContain('throttled');
    expect(trace.ofType('limit').map((e) => e.limit)).toStrictEqual(['model_error']);
  });

  it('handles a max_tokens stop with a clear message', async () => {
    stand.server.script(STRONG, maxTokensTurn('T-10042 is unmatched because the price differs by'));
    const { client } = bedrock();

    const result = await runTurn({
      ...baseTurn('session-max-tokens-00000000000000000001'),
      model: client,
      question: 'Explain the break on T-10042 in detail.',
      maxTokens: 64,
    });

    expect(result.stopReason).toBe('max_tokens');
    expect(result.text).toBe(
      'T-10042 is unmatched because the price differs by\n\n(The answer was cut short at the output length limit. Ask a narrower question for the rest.)',
    );
    expect(field(stand.server.requests[0]?.body, 'inferenceConfig')).toStrictEqual({ maxTokens: 64 });
  });

  it('puts one cache point after the system prompt, which covers the tool specs before it', async () => {
    stand.server.script(STRONG, textTurn('ok'));
    const { client } = bedrock();

    await runTurn({
      ...baseTurn('session-cache-points-0000000000000001'),
      model: client,
      question: 'Status of T-10042?',
    });

    const body = stand.server.requests[0]?.body;
    expect(field(body, 'system')).toStrictEqual([
      { text: 'You are SettleOps. Answer settlement questions with the tools.' },
      { cachePoint: { type: 'default' } },
    ]);
    // Claude reads the cache prefix tools → system → messages: the tools need no point of their own.
    const tools = field(body, 'toolConfig', 'tools');
    expect(Array.isArray(tools) ? tools.length : 0).toBe(2);
    expect(field(tools, 0, 'toolSpec', 'name')).toBe('get_trade_status');
    expect(field(tools, 0, 'toolSpec', 'inputSchema', 'json', 'required')).toStrictEqual(['tradeId']);
    expect(field(tools, 1, 'toolSpec', 'name')).toBe('list_open_exceptions');
    expect(field(body, 'guardrailConfig')).toBeUndefined();
    // A prompt this short is under Claude Sonnet 4's 1,024-token minimum: nothing is cached.
    expect(stand.server.requests[0]?.checkpoints).toStrictEqual([
      { prefixTokens: expect.any(Number), effective: false },
    ]);
    expect(stand.server.requests[0]?.outcome).toMatchObject({
      usage: { cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    });
  });

  it('sends guardrailConfig when a guardrail is configured and maps its intervention', async () => {
    stand.server.script(STRONG, guardrailTurn('Sorry, I cannot help with that.'));
    const { client } = bedrock({ guardrail: { id: 'gr-settleops', version: '3' } });
    const trace = new MemoryTraceSink();

    const result = await runTurn({
      ...baseTurn('session-guardrail-config-00000000000001'),
      model: client,
      question: 'Status of T-10042?',
      trace,
    });

    expect(field(stand.server.requests[0]?.body, 'guardrailConfig')).toStrictEqual({
      guardrailIdentifier: 'gr-settleops',
      guardrailVersion: '3',
      trace: 'enabled',
    });
    expect(result).toMatchObject({
      stopReason: 'guardrail_intervened',
      text: 'Sorry, I cannot help with that.',
    });
    expect(trace.ofType('guardrail')).toStrictEqual([
      {
        type: 'guardrail',
        at: expect.any(String),
        stage: 'model',
        kind: 'bedrock_guardrail',
        detail: 'bedrock-guardrails: GUARDRAIL_INTERVENED',
      },
    ]);
  });

  it('streams progress per tool and the final text', async () => {
    stand.server.script(
      STRONG,
      toolUseTurn([{ toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } }]),
      textTurn('T-10042 is UNMATCHED.'),
    );
    const { client } = bedrock();
    const events: TurnEvent[] = [];

    for await (const event of streamTurn({
      ...baseTurn('session-streaming-00000000000000000001'),
      model: client,
      question: 'Status of T-10042?',
    })) {
      events.push(event);
    }

    // The client streams (ConverseStream): the text comes as redacted partial deltas, cut at words.
    expect(
      events.map((e) => (e.type === 'done' ? 'done' : `${e.type}: ${'message' in e ? e.message : e.delta}`)),
    ).toStrictEqual(['progress: Looking up trade status…', 'text: T-10042 is ', 'text: UNMATCHED.', 'done']);
    expect(stand.server.requests.every((r) => r.path.endsWith('/converse-stream'))).toBe(true);
  });
});
