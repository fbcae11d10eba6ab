import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConverseServer,
  converseClientFor,
  DEFAULT_BLOCKED_MESSAGING,
  FAST,
  LLAMA,
  NOVA,
  STRONG,
  startConverseServer,
  streamedTextTurn,
  textTurn,
} from '../../support/converse/index.ts';

/*
 * The stand-in itself, through the real SDK client: it refuses what Bedrock refuses (a
 * `ValidationException` the SDK deserialises, with the service's message), so a client that breaks a
 * rule fails its test.
 */

let server: ConverseServer;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  server = await startConverseServer();
  server.guardrail('gr-topics', {
    deniedTopics: [{ name: 'Investment advice', pattern: /should I (buy|sell)/i }],
  });
  client = converseClientFor(server);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  server.reset();
});

const TOOL = {
  toolSpec: {
    name: 'get_trade_status',
    description: 'Status of one trade.',
    inputSchema: { json: { type: 'object', properties: { tradeId: { type: 'string' } } } },
  },
};
const user = (text: string) => ({ role: 'user' as const, content: [{ text }] });
const assistant = (text: string) => ({ role: 'assistant' as const, content: [{ text }] });
const toolUse = (id: string) => ({
  toolUse: { toolUseId: id, name: 'get_trade_status', input: { tradeId: 'T-1' } },
});
const toolResult = (id: string) => ({
  toolResult: { toolUseId: id, content: [{ json: { status: 'UNMATCHED' } }] },
});

async function refusal(input: Omit<ConverseCommandInput, 'modelId'>, modelId = STRONG): Promise<string> {
  server.script(modelId, textTurn('not reached'));
  try {
    await client.send(new ConverseCommand({ modelId, ...input }));
  } catch (error) {
    const e = error as Error & { $metadata?: { httpStatusCode?: number } };
    return `${e.$metadata?.httpStatusCode} ${e.name}: ${e.message}`;
  }
  return 'accepted';
}

describe('the Converse stand-in refuses what Bedrock refuses', () => {
  it.each<[string, Omit<ConverseCommandInput, 'modelId'>, string]>([
    [
      'a conversation that starts with the assistant',
      { messages: [assistant('hi'), user('hi')] },
      'A conversation must start with a user message',
    ],
    [
      'two user messages in a row',
      { messages: [user('a'), user('b')] },
      'must alternate between user and assistant roles',
    ],
    [
      'a blank text block',
      { messages: [user('q'), assistant('  \n'), user('q2')] },
      'The text field in the ContentBlock object at messages.1.content.0 is blank',
    ],
    [
      'an empty message',
      { messages: [{ role: 'user', content: [] }] },
      'The content field in the Message object at messages.0 is empty',
    ],
    [
      'tool blocks without toolConfig',
      {
        messages: [
          user('q'),
          { role: 'assistant', content: [toolUse('t1')] },
          { role: 'user', content: [toolResult('t1')] },
        ],
      },
      'The toolConfig field must be defined',
    ],
    [
      'a tool result whose tool use is gone (history cut mid-turn)',
      {
        messages: [{ role: 'user', content: [toolResult('t1')] }, assistant('a')],
        toolConfig: { tools: [TOOL] },
      },
      'The number of toolResult blocks at messages.0.content exceeds the number of toolUse blocks of previous turn.',
    ],
    [
      'a tool use left unanswered',
      {
        messages: [
          user('q'),
          { role: 'assistant', content: [toolUse('t1'), toolUse('t2')] },
          { role: 'user', content: [toolResult('t1')] },
        ],
        toolConfig: { tools: [TOOL] },
      },
      'Expected toolResult blocks at messages.2.content for the following Ids: t2',
    ],
    [
      'a tool name Bedrock does not accept',
      {
        messages: [user('q')],
        toolConfig: { tools: [{ toolSpec: { ...TOOL.toolSpec, name: 'get trade status' } }] },
      },
      'must be 1-64 characters of [a-zA-Z0-9_-]',
    ],
    [
      'a toolConfig without tools',
      { messages: [user('q')], toolConfig: { tools: [] } },
      "Value at 'toolConfig.tools' failed to satisfy constraint",
    ],
    [
      'a toolChoice naming a tool not offered',
      {
        messages: [user('q')],
        toolConfig: { tools: [TOOL], toolChoice: { tool: { name: 'rerun_matching' } } },
      },
      'The tool named in toolConfig.toolChoice.tool is not in toolConfig.tools.',
    ],
    [
      'more than four cache points',
      {
        messages: [user('q')],
        system: Array.from({ length: 5 }, () => [
          { text: 's' },
          { cachePoint: { type: 'default' as const } },
        ]).flat(),
      },
      'A maximum of 4 cache points may be provided. Found 5.',
    ],
    [
      'more output tokens than the model writes',
      { messages: [user('q')], inferenceConfig: { maxTokens: 100_000 } },
      'exceeds the model limit of 64000',
    ],
    [
      'an input longer than the context window',
      { messages: [user('x '.repeat(420_000))] },
      'Input is too long for requested model.',
    ],
    [
      'a guardrail that does not exist',
      {
        messages: [user('q')],
        guardrailConfig: { guardrailIdentifier: 'gr-missing', guardrailVersion: '1' },
      },
      'The guardrail identifier or version provided in the request does not exist.',
    ],
  ])('refuses %s', async (_, input, message) => {
    expect(await refusal(input)).toMatch(
      new RegExp(`^400 ValidationException: .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });

  it('refuses per family: a cache point among Nova’s tools, caching on Llama, toolChoice any on Llama', async () => {
    expect(
      await refusal(
        { messages: [user('q')], toolConfig: { tools: [TOOL, { cachePoint: { type: 'default' } }] } },
        NOVA,
      ),
    ).toBe(
      '400 ValidationException: Malformed input request: #/toolConfig/tools/1: extraneous key [cachePoint] is not permitted, please reformat your input and try again.',
    );
    expect(
      await refusal(
        { messages: [user('q')], system: [{ text: 's' }, { cachePoint: { type: 'default' } }] },
        LLAMA,
      ),
    ).toMatch(/unsupported model or your request did not allow prompt caching/);
    expect(
      await refusal({ messages: [user('q')], toolConfig: { tools: [TOOL], toolChoice: { any: {} } } }, LLAMA),
    ).toMatch(/doesn't support the toolConfig.toolChoice.any field/);
    expect(await refusal({ messages: [user('q')] }, 'us.example.unknown-model-v1:0')).toBe(
      '400 ValidationException: The provided model identifier is invalid.',
    );
  });

  it('refuses a request body over its size limit', async () => {
    const small = await startConverseServer({ maxRequestBytes: 2_000 });
    const smallClient = converseClientFor(small);
    try {
      await expect(
        smallClient.send(new ConverseCommand({ modelId: STRONG, messages: [user('x'.repeat(3_000))] })),
      ).rejects.toThrow(/exceeds the stand-in's limit of 2000 bytes/);
    } finally {
      smallClient.destroy();
      await small.close();
    }
  });

  it('refuses tool use over ConverseStream for a family that only takes it through Converse', async () => {
    server.script(LLAMA, streamedTextTurn(['not reached']));
    await expect(
      client.send(
        new ConverseStreamCommand({ modelId: LLAMA, messages: [user('q')], toolConfig: { tools: [TOOL] } }),
      ),
    ).rejects.toThrow("This model doesn't support tool use in streaming mode.");
  });

  it('reports prompt-cache usage only above the family minimum, and reads what it wrote', async () => {
    const system = [
      { text: 'Rules for settlement operations. '.repeat(160) },
      { cachePoint: { type: 'default' as const } },
    ];
    server.script(STRONG, textTurn('one'), textTurn('two'));
    server.script(FAST, textTurn('one'));
    const first = await client.send(new ConverseCommand({ modelId: STRONG, system, messages: [user('q')] }));
    const second = await client.send(
      new ConverseCommand({ modelId: STRONG, system, messages: [user('q2')] }),
    );
    const haiku = await client.send(new ConverseCommand({ modelId: FAST, system, messages: [user('q')] }));

    const prefix = server.requests[0]?.checkpoints?.[0]?.prefixTokens ?? 0;
    expect(prefix).toBeGreaterThan(1_024);
    expect(prefix).toBeLessThan(2_048);
    expect(first.usage).toMatchObject({ cacheWriteInputTokens: prefix, cacheReadInputTokens: 0 });
    expect(second.usage).toMatchObject({ cacheWriteInputTokens: 0, cacheReadInputTokens: prefix });
    expect(haiku.usage).toMatchObject({ cacheWriteInputTokens: 0, cacheReadInputTokens: 0 });
  });

  it('evaluates only guardContent when the request has some, and the whole thread otherwise', async () => {
    const thread = [user('Should I buy Vodafone before settlement?'), assistant('I cannot advise.')];
    const guardrailConfig = {
      guardrailIdentifier: 'gr-topics',
      guardrailVersion: '1',
      trace: 'enabled' as const,
    };
    server.script(STRONG, textTurn('T-10042 is UNMATCHED.'));

    const wholeThread = await client.send(
      new ConverseCommand({
        modelId: STRONG,
        guardrailConfig,
        messages: [...thread, user('Status of T-10042?')],
      }),
    );
    const onlyQuestion = await client.send(
      new ConverseCommand({
        modelId: STRONG,
        guardrailConfig,
        messages: [
          ...thread,
          { role: 'user', content: [{ guardContent: { text: { text: 'Status of T-10042?' } } }] },
        ],
      }),
    );

    expect(wholeThread.stopReason).toBe('guardrail_intervened');
    expect(wholeThread.output?.message?.content).toStrictEqual([{ text: DEFAULT_BLOCKED_MESSAGING }]);
    expect(wholeThread.trace?.guardrail?.inputAssessment?.['gr-topics']?.topicPolicy?.topics).toStrictEqual([
      { name: 'Investment advice', type: 'DENY', action: 'BLOCKED', detected: true },
    ]);
    expect(onlyQuestion.stopReason).toBe('end_turn');
    expect(server.requests.map((r) => r.guarded)).toStrictEqual([
      ['Should I buy Vodafone before settlement?', 'I cannot advise.', 'Status of T-10042?'],
      ['Status of T-10042?'],
    ]);
  });

  it('sends in-stream exceptions the SDK raises by name, and streams cut before messageStop', async () => {
    server.script(
      STRONG,
      { ...streamedTextTurn(['a', 'b']), failAfterEvents: 2, streamException: 'modelStreamErrorException' },
      { ...streamedTextTurn(['a', 'b']), cutAfterEvents: 2 },
    );
    const events = async () => {
      const out = await client.send(new ConverseStreamCommand({ modelId: STRONG, messages: [user('q')] }));
      const seen: string[] = [];
      for await (const event of out.stream ?? ([] as ConverseStreamOutput[]))
        seen.push(Object.keys(event)[0] ?? '');
      return seen;
    };

    await expect(events()).rejects.toMatchObject({ name: 'ModelStreamErrorException' });
    expect(await events()).toStrictEqual(['messageStart', 'contentBlockDelta']);
  });
});
