import { describe, expect, it } from 'vitest';
import { createTurnLimits } from '../../../src/agents/limits/session-limits.ts';
import { runTurn, streamTurn } from '../../../src/agents/loop/run-turn.ts';
import { MemoryTraceSink } from '../../../src/agents/loop/trace.ts';
import { BedrockConverseClient } from '../../../src/agents/model/bedrock-converse.ts';
import type { Message, ModelRequest } from '../../../src/agents/model/types.ts';
import { createModelClient } from '../../../src/app/agent.ts';
import { loadConfig } from '../../../src/config.ts';
import {
  converseClientFor,
  FAST,
  field,
  LLAMA,
  NOVA,
  SONNET_45,
  STRONG,
  streamedTextTurn,
  testBedrockClient,
  textTurn,
  toolUseTurn,
  useConverseServer,
} from '../../support/converse/index.ts';
import { principal, toolContext, tradeStatusTool } from '../../unit/agents/loop/test-tools.ts';

/*
 * Each model family within its capabilities (src/agents/model/model-capabilities.ts), checked by the
 * stand-in's own family rules: cache points, tool choice, streamed tool use, the output limit, and
 * prompt caching that pays only above the family's minimum prefix.
 */

const stand = useConverseServer({
  // Small windows for the context-window tests (the families' real ones are 200K+ tokens).
  server: { models: { [SONNET_45]: { contextWindow: 10_500 } } },
  staticCredentials: true,
});

const TOOL_SPEC = {
  name: 'get_trade_status',
  description: 'Status of one trade by id.',
  inputSchema: {
    json: { type: 'object', properties: { tradeId: { type: 'string' } }, required: ['tradeId'] },
  },
};

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are SettleOps.',
  messages: [{ role: 'user', content: [{ text: 'Status of T-10042?' }] }],
  tools: [TOOL_SPEC],
  tier: 'strong',
  maxTokens: 256,
  ...overrides,
});

/** A system prompt of real instructions, repeated: about `tokens` tokens by the stand-in's count. */
const longSystem = (tokens: number) =>
  'Answer only from the tools; cite trade, exception and match ids; give New York and UTC times. '.repeat(
    Math.ceil((tokens * 4) / 94),
  );

describe('model families within their capabilities', () => {
  it('sends a Llama model no cache point and no toolChoice, and runs its tool calls through Converse', async () => {
    stand.server.script(
      LLAMA,
      toolUseTurn([{ toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } }]),
      textTurn('T-10042 is UNMATCHED.'),
    );
    const { client } = testBedrockClient(stand.server, { strongModelId: LLAMA, fastModelId: LLAMA });
    const events = [];

    for await (const event of streamTurn({
      model: client,
      system: 'You are SettleOps.',
      history: [],
      question: 'Status of T-10042?',
      tools: [tradeStatusTool()],
      toolContext: () => toolContext(principal(), 'session-llama-00000000000000000001'),
      limits: createTurnLimits(),
    })) {
      events.push(event);
    }

    expect(stand.server.rejections()).toStrictEqual([]);
    // Llama 3.1 takes tools only through Converse, not ConverseStream.
    expect(stand.server.requests.map((r) => r.streaming)).toStrictEqual([false, false]);
    expect(JSON.stringify(stand.server.requests.map((r) => r.body))).not.toContain('cachePoint');
    expect(events.at(-1)).toMatchObject({ type: 'done', result: { text: 'T-10042 is UNMATCHED.' } });
  });

  it('sends toolChoice only to models that take it', async () => {
    stand.server.script(
      STRONG,
      toolUseTurn([{ toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-1' } }]),
    );
    stand.server.script(LLAMA, textTurn('Llama answers in text.'));
    const claude = testBedrockClient(stand.server).client;
    const llama = testBedrockClient(stand.server, { strongModelId: LLAMA, fastModelId: LLAMA }).client;

    await claude.converse(request({ toolChoice: 'any' }));
    await llama.converse(request({ toolChoice: 'any' }));

    expect(stand.server.rejections()).toStrictEqual([]);
    expect(field(stand.server.requests[0]?.body, 'toolConfig', 'toolChoice')).toStrictEqual({ any: {} });
    expect(field(stand.server.requests[1]?.body, 'toolConfig', 'toolChoice')).toBeUndefined();
  });

  it('asks no more output tokens than the model can give', async () => {
    stand.server.script(FAST, textTurn('Short.'));
    const { client } = testBedrockClient(stand.server);

    await client.converse(request({ tier: 'fast', maxTokens: 20_000 }));

    expect(stand.server.rejections()).toStrictEqual([]);
    // Claude 3.5 Haiku writes at most 8,192 tokens.
    expect(field(stand.server.requests[0]?.body, 'inferenceConfig')).toStrictEqual({ maxTokens: 8_192 });
  });

  it('caches a prefix above the family minimum (Sonnet 4: 1,024) and reports the reads honestly', async () => {
    const system = longSystem(1_500);
    stand.server.script(STRONG, textTurn('First.'), textTurn('Second.'));
    const { client } = testBedrockClient(stand.server);

    const first = await client.converse(request({ system }));
    const second = await client.converse(request({ system }));

    expect(stand.server.requests.map((r) => r.checkpoints?.map((c) => c.effective))).toStrictEqual([
      [true],
      [true],
    ]);
    const prefix = stand.server.requests[0]?.checkpoints?.[0]?.prefixTokens ?? 0;
    expect(prefix).toBeGreaterThan(1_024);
    expect(first.usage).toMatchObject({ cacheWriteInputTokens: prefix, cacheReadInputTokens: 0 });
    expect(second.usage).toMatchObject({ cacheWriteInputTokens: 0, cacheReadInputTokens: prefix });
  });

  it('caches nothing below the family minimum (Claude 3.5 Haiku: 2,048), whatever the cache point', async () => {
    stand.server.script(FAST, textTurn('First.'), textTurn('Second.'));
    const { client } = testBedrockClient(stand.server);

    await client.converse(request({ system: longSystem(1_500), tier: 'fast' }));
    const second = await client.converse(request({ system: longSystem(1_500), tier: 'fast' }));

    expect(stand.server.requests.map((r) => r.checkpoints?.map((c) => c.effective))).toStrictEqual([
      [false],
      [false],
    ]);
    expect(second.usage).toMatchObject({ cacheWriteInputTokens: 0, cacheReadInputTokens: 0 });
  });

  it('takes capability overrides from BEDROCK_MODEL_CAPABILITIES', async () => {
    stand.server.script(NOVA, textTurn('No cache point.'));
    const config = loadConfig({
      BEDROCK_MODEL_ID: NOVA,
      BEDROCK_ENDPOINT: stand.server.url,
      BEDROCK_MODEL_CAPABILITIES: JSON.stringify({ 'amazon.nova-pro': { cachePoints: [] } }),
    });
    const model = createModelClient(config);

    await model.converse(request({ tools: [] }));

    expect(stand.server.rejections()).toStrictEqual([]);
    expect(field(stand.server.requests[0]?.body, 'system')).toStrictEqual([{ text: 'You are SettleOps.' }]);
  });

  it('refuses at start-up a guardrail on a model that cannot take it', () => {
    expect(
      () =>
        new BedrockConverseClient({
          client: converseClientFor(stand.server),
          strongModelId: STRONG,
          fastModelId: FAST,
          guardrail: { id: 'gr-settleops', version: '1' },
          capabilities: { 'anthropic.claude-3-5-haiku': { guardrails: false } },
          retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        }),
    ).toThrow(/does not take Bedrock Guardrails/);
  });
});

describe('the context window', () => {
  /** Earlier turns of about `tokens` tokens each, as the agent service sends them (text only). */
  const thread = (turns: number, tokens: number): Message[] =>
    Array.from({ length: turns }, (_, i) => [
      { role: 'user' as const, content: [{ text: `Question ${i}: what is open on EQ-US?` }] },
      {
        role: 'assistant' as const,
        content: [{ text: `Answer ${i}: ${'open exception X-1 on T-10042; '.repeat(tokens / 8)}` }],
      },
    ]).flat();

  it('retries once without the earlier turns when the model stops at its context window, then answers', async () => {
    stand.server.script(
      SONNET_45,
      streamedTextTurn(['Partial']),
      streamedTextTurn(['T-10042 is ', 'UNMATCHED.']),
    );
    // The client believes in a 200K window; the service counts 10.5K: the estimate was off.
    const { client } = testBedrockClient(stand.server, { strongModelId: SONNET_45 });
    const trace = new MemoryTraceSink();

    const result = await runTurn({
      model: client,
      system: 'You are SettleOps.',
      history: thread(4, 2_500),
      question: 'Status of T-10042?',
      tools: [],
      toolContext: () => toolContext(principal(), 'session-window-retry-0000000000001'),
      limits: createTurnLimits(),
      trace,
    });

    expect(
      stand.server.requests.map((r) => r.outcome?.kind === 'answered' && r.outcome.stopReason),
    ).toStrictEqual(['model_context_window_exceeded', 'end_turn']);
    expect(result).toMatchObject({ text: 'T-10042 is UNMATCHED.', stopReason: 'end_turn' });
    expect(field(stand.server.requests[1]?.body, 'messages')).toStrictEqual([
      { role: 'user', content: [{ text: 'Status of T-10042?' }] },
    ]);
    expect(trace.ofType('limit').map((e) => [e.limit, e.detail])).toStrictEqual([
      [
        'history_trimmed',
        'context window exceeded (stopReason model_context_window_exceeded): retrying without the 4 earlier turns',
      ],
    ]);
  });

  it('tells the person the thread is full when even the question alone does not fit', async () => {
    const { client } = testBedrockClient(stand.server, {
      strongModelId: SONNET_45,
      // The client knows the window this time: the history is trimmed before the call.
      capabilities: { 'anthropic.claude-sonnet-4-5': { contextWindowTokens: 12_000 } },
    });
    const trace = new MemoryTraceSink();

    const result = await runTurn({
      model: client,
      system: 'You are SettleOps.',
      history: thread(2, 2_000),
      question: `Explain these breaks: ${'T-10042 price 101.25 against 101.20; '.repeat(1_600)}`,
      tools: [],
      toolContext: () => toolContext(principal(), 'session-window-full-00000000000001'),
      limits: createTurnLimits(),
      trace,
    });

    expect(result.stopReason).toBe('context_full');
    expect(result.text).toMatch(/context is full.*Start a new thread/);
    expect(result.text).not.toMatch(/narrower/);
    // Rejected as "Input is too long" once: with no earlier turn left, nothing is retried.
    expect(stand.server.rejections().map((r) => r.outcome)).toStrictEqual([
      {
        kind: 'rejected',
        rejection: {
          status: 400,
          errorType: 'ValidationException',
          message: 'Input is too long for requested model.',
        },
      },
    ]);
    expect(trace.ofType('limit').map((e) => e.limit)).toStrictEqual(['history_trimmed', 'context_full']);
  });
});
