import { describe, expect, it } from 'vitest';
import { toConverseInput, toConverseStreamInput } from '../../../../src/agents/model/converse-request.ts';
import { capabilitiesFor } from '../../../../src/agents/model/model-capabilities.ts';
import type { ModelRequest } from '../../../../src/agents/model/types.ts';

const SPEC = {
  name: 'get_trade_status',
  description: 'Status of one trade.',
  inputSchema: { json: { type: 'object', properties: { tradeId: { type: 'string' } } } },
};

const request = (overrides: Partial<ModelRequest> = {}): ModelRequest => ({
  system: 'You are SettleOps.',
  context: '<user_memory>\n- [preference] EQ-US first\n</user_memory>',
  messages: [
    { role: 'user', content: [{ text: 'Earlier question' }] },
    { role: 'assistant', content: [{ text: 'Earlier answer' }] },
    { role: 'user', content: [{ text: 'Status of T-10042?' }] },
    {
      role: 'assistant',
      content: [
        { text: '  ' },
        { toolUse: { toolUseId: 't1', name: 'get_trade_status', input: { tradeId: 'T-10042' } } },
      ],
    },
    {
      role: 'user',
      content: [
        { toolResult: { toolUseId: 't1', content: [{ json: { status: 'UNMATCHED' } }], status: 'success' } },
      ],
    },
  ],
  tools: [SPEC],
  tier: 'strong',
  maxTokens: 1_024,
  ...overrides,
});

const CLAUDE = 'us.anthropic.claude-sonnet-4-20250514-v1:0';
const NOVA = 'us.amazon.nova-lite-v1:0';

describe('toConverseInput', () => {
  it('puts one cache point after the system prompt, before the per-person context (Claude)', () => {
    const input = toConverseInput(CLAUDE, request());

    expect(input.system).toStrictEqual([
      { text: 'You are SettleOps.' },
      { cachePoint: { type: 'default' } },
      { text: '<user_memory>\n- [preference] EQ-US first\n</user_memory>' },
    ]);
    expect(input.toolConfig?.tools).toStrictEqual([
      {
        toolSpec: {
          name: 'get_trade_status',
          description: 'Status of one trade.',
          inputSchema: { json: SPEC.inputSchema.json },
        },
      },
    ]);
  });

  it('never puts a cache point among Nova’s tools, and none at all for a model without caching', () => {
    const nova = toConverseInput(NOVA, request());
    const unknown = toConverseInput('us.example.model-v1:0', request());

    expect(JSON.stringify(nova.toolConfig)).not.toContain('cachePoint');
    expect(nova.system?.[1]).toStrictEqual({ cachePoint: { type: 'default' } });
    expect(JSON.stringify(unknown)).not.toContain('cachePoint');
  });

  it('leaves blank text blocks out', () => {
    const input = toConverseInput(CLAUDE, request());

    expect(input.messages?.[3]).toStrictEqual({
      role: 'assistant',
      content: [{ toolUse: { toolUseId: 't1', name: 'get_trade_status', input: { tradeId: 'T-10042' } } }],
    });
  });

  it('sends the question of this turn as guardContent when a guardrail is set, and the rest as text', () => {
    const input = toConverseInput(CLAUDE, request(), {
      capabilities: capabilitiesFor(CLAUDE),
      guardrail: { id: 'gr-1', version: '2' },
    });

    expect(input.messages?.map((m) => m.content?.map((b) => Object.keys(b)[0]))).toStrictEqual([
      ['text'],
      ['text'],
      ['guardContent'],
      ['toolUse'],
      ['toolResult'],
    ]);
    expect(input.messages?.[2]?.content).toStrictEqual([
      { guardContent: { text: { text: 'Status of T-10042?' } } },
    ]);
    expect(input.guardrailConfig).toStrictEqual({
      guardrailIdentifier: 'gr-1',
      guardrailVersion: '2',
      trace: 'enabled',
    });
    expect(
      toConverseStreamInput(CLAUDE, request(), { guardrail: { id: 'gr-1', version: '2' } }).guardrailConfig,
    ).toStrictEqual({
      guardrailIdentifier: 'gr-1',
      guardrailVersion: '2',
      trace: 'enabled',
      streamProcessingMode: 'sync',
    });
  });

  it('sends no guardrail to a model that cannot take it', () => {
    const caps = { ...capabilitiesFor(CLAUDE), guardrails: false };
    const input = toConverseInput(CLAUDE, request(), {
      capabilities: caps,
      guardrail: { id: 'gr-1', version: '2' },
    });

    expect(input.guardrailConfig).toBeUndefined();
    expect(JSON.stringify(input.messages)).not.toContain('guardContent');
  });

  it('caps maxTokens at the model’s output limit and sends toolChoice only where supported', () => {
    const haiku = toConverseInput(
      'anthropic.claude-3-5-haiku-20241022-v1:0',
      request({ maxTokens: 50_000, toolChoice: { tool: 'get_trade_status' } }),
    );
    const unknown = toConverseInput('us.example.model-v1:0', request({ toolChoice: 'any' }));

    expect(haiku.inferenceConfig).toStrictEqual({ maxTokens: 8_192 });
    expect(haiku.toolConfig?.toolChoice).toStrictEqual({ tool: { name: 'get_trade_status' } });
    expect(unknown.toolConfig?.toolChoice).toBeUndefined();
  });
});
