import { describe, expect, it } from 'vitest';
import { createTurnLimits } from '../../../src/agents/limits/session-limits.ts';
import { type RunTurnOptions, streamTurn, type TurnEvent } from '../../../src/agents/loop/run-turn.ts';
import { MemoryTraceSink } from '../../../src/agents/loop/trace.ts';
import { type BedrockConverseOptions, ModelCallError } from '../../../src/agents/model/bedrock-converse.ts';
import {
  FAST,
  field,
  reportedUsage,
  STRONG,
  streamedTextTurn,
  streamedToolUseTurn,
  testBedrockClient,
  throttled,
  useConverseServer,
} from '../../support/converse/index.ts';
import { principal, toolContext, tradeStatusTool } from '../../unit/agents/loop/test-tools.ts';

/*
 * The Bedrock path streamed end to end: the real `BedrockRuntimeClient` speaks ConverseStream to the
 * local stand.server (event-stream frames over h2c), `BedrockConverseClient.converseStream` assembles the
 * answer, and the loop forwards redacted partial text as `text` events.
 */

const stand = useConverseServer({ guardrails: { 'gr-settleops': { deniedTopics: [] } } });

const bedrock = (overrides: Partial<BedrockConverseOptions> = {}) =>
  testBedrockClient(stand.server, overrides);

async function collect(
  options: Omit<RunTurnOptions, 'onProgress' | 'system' | 'history' | 'tools' | 'toolContext' | 'limits'> & {
    readonly sessionId: string;
  },
) {
  const { sessionId, ...rest } = options;
  const events: TurnEvent[] = [];
  for await (const event of streamTurn({
    system: 'You are SettleOps. Answer settlement questions with the tools.',
    history: [],
    tools: [tradeStatusTool()],
    toolContext: () => toolContext(principal(), sessionId),
    limits: createTurnLimits(),
    ...rest,
  })) {
    events.push(event);
  }
  const last = events.at(-1);
  if (last?.type !== 'done') throw new Error('the stream did not end with done');
  const deltas = events.flatMap((e) => (e.type === 'text' ? [e.delta] : []));
  return { events, deltas, result: last.result };
}

describe('Bedrock ConverseStream through the real SDK client', () => {
  it('streams partial text in several events before done, and done repeats them', async () => {
    stand.server.script(
      STRONG,
      streamedTextTurn(['T-10042 is ', 'UNMATCHED: exception ', 'X-1 (price ', 'mismatch) is open.']),
    );
    const { client } = bedrock();

    const { events, deltas, result } = await collect({
      sessionId: 'session-stream-text-00000000000000001',
      model: client,
      question: 'Why is T-10042 not matched?',
    });

    expect(deltas.length).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)?.type).toBe('done');
    expect(result.text).toBe('T-10042 is UNMATCHED: exception X-1 (price mismatch) is open.');
    expect(deltas.join('')).toBe(result.text);
    expect(result.stopReason).toBe('end_turn');
    expect(result.usage).toStrictEqual(reportedUsage(stand.server.requests));
    expect(stand.server.requests.map((r) => r.path)).toStrictEqual([
      `/model/${encodeURIComponent(STRONG)}/converse-stream`,
    ]);
    // Same request mapping as converse: cache point after the system prompt.
    expect(field(stand.server.requests[0]?.body, 'system', 1)).toStrictEqual({
      cachePoint: { type: 'default' },
    });
  });

  it('parses a tool call streamed in fragments, runs it, and masks an account split across deltas', async () => {
    stand.server.script(
      STRONG,
      streamedToolUseTurn(
        { toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } },
        ['{"trade', 'Id": "T-1', '0042"}'],
        { textDeltas: ['Let me ', 'check.'] },
      ),
      streamedTextTurn(['T-10042 settles to EQUS-GRO', 'WTH-01 and pays account 12345', '67890 on T+2.']),
    );
    const { client } = bedrock();
    const trace = new MemoryTraceSink();

    const { events, deltas, result } = await collect({
      sessionId: 'session-stream-tool-00000000000000001',
      model: client,
      question: 'Status of T-10042?',
      trace,
    });

    expect(result.records).toStrictEqual([{ kind: 'trade', id: 'T-10042' }]);
    expect(trace.ofType('tool_call').map((e) => [e.name, e.ok, e.args])).toStrictEqual([
      ['get_trade_status', true, { level: 'full', args: { tradeId: 'T-10042' } }],
    ]);
    // The assembled tool use went back to the model with its parsed input and the tool's result.
    const second = stand.server.requests[1]?.body;
    expect(field(second, 'messages', 1)).toStrictEqual({
      role: 'assistant',
      content: [
        { text: 'Let me check.' },
        { toolUse: { toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } } },
      ],
    });
    expect(field(second, 'messages', 2, 'content', 0, 'toolResult', 'status')).toBe('success');

    // Thinking aloud is forwarded, the progress line, then the answer, masked.
    expect(result.text).toBe(
      'Let me check.\n\nT-10042 settles to ****H-01 and pays account ****7890 on T+2.',
    );
    expect(deltas.join('')).toBe(result.text);
    const order = events.map((e) => e.type);
    expect(order.indexOf('progress')).toBeGreaterThan(order.indexOf('text'));
    expect(order.lastIndexOf('text')).toBeGreaterThan(order.indexOf('progress'));
    for (const delta of deltas) {
      expect(delta).not.toMatch(/EQUS|12345/);
    }
    expect(trace.ofType('guardrail')).toMatchObject([
      { stage: 'output', kind: 'redaction', detail: 'account×2' },
    ]);
    expect(result.usage).toStrictEqual(reportedUsage(stand.server.requests));
  });

  it('retries a 429 before the stream starts, then falls back to the other model', async () => {
    stand.server.script(STRONG, throttled(), throttled(), throttled());
    stand.server.script(FAST, streamedTextTurn(['Answered by ', 'the fast ', 'model.']));
    const { client, sleeps } = bedrock();

    const { deltas, result } = await collect({
      sessionId: 'session-stream-fallback-0000000000001',
      model: client,
      question: 'How many open exceptions on EQ-US?',
    });

    expect(result).toMatchObject({ text: 'Answered by the fast model.', answeredBy: FAST });
    expect(deltas.join('')).toBe(result.text);
    expect(sleeps).toStrictEqual([50, 100]);
    expect(stand.server.callsFor(STRONG)).toHaveLength(3);
    expect(stand.server.callsFor(FAST)).toHaveLength(1);
  });

  it('retries an exception that arrives in the stream before any text', async () => {
    stand.server.script(
      STRONG,
      { ...streamedTextTurn(['never ', 'sent']), failAfterEvents: 1 },
      streamedTextTurn(['Second ', 'try.']),
    );
    const { client, sleeps } = bedrock();

    const { result } = await collect({
      sessionId: 'session-stream-early-fail-00000000001',
      model: client,
      question: 'Status of T-10042?',
    });

    expect(result.text).toBe('Second try.');
    expect(sleeps).toHaveLength(1);
  });

  it('does not retry once text has been streamed: the failure is the turn’s model error', async () => {
    stand.server.script(STRONG, {
      ...streamedTextTurn(['T-10042 is ', 'UNMATCHED ', 'because']),
      failAfterEvents: 3,
    });
    const { client, sleeps } = bedrock();

    const { deltas, result } = await collect({
      sessionId: 'session-stream-late-fail-000000000001',
      model: client,
      question: 'Status of T-10042?',
    });

    expect(result.stopReason).toBe('model_error');
    expect(sleeps).toStrictEqual([]);
    expect(stand.server.callsFor(STRONG)).toHaveLength(1);
    expect(stand.server.callsFor(FAST)).toHaveLength(0);
    expect(result.text.startsWith('T-10042 is UNMATCHED \n\n')).toBe(true);
    expect(deltas.join('')).toBe(result.text);
  });

  it('sends the guardrail with stream processing mode sync', async () => {
    stand.server.script(STRONG, streamedTextTurn(['All ', 'good.']));
    const { client } = bedrock({ guardrail: { id: 'gr-settleops', version: '3' } });

    const response = await client.converseStream(
      {
        system: 'sys',
        messages: [{ role: 'user', content: [{ text: 'hi' }] }],
        tools: [],
        tier: 'strong',
        maxTokens: 64,
      },
      () => {},
    );

    expect(response.message).toStrictEqual({ role: 'assistant', content: [{ text: 'All good.' }] });
    expect(field(stand.server.requests[0]?.body, 'guardrailConfig')).toStrictEqual({
      guardrailIdentifier: 'gr-settleops',
      guardrailVersion: '3',
      trace: 'enabled',
      streamProcessingMode: 'sync',
    });
  });

  it('reports a throttled stream as a transient ModelCallError when every model is busy', async () => {
    stand.server.script(STRONG, throttled(), throttled(), throttled());
    stand.server.script(FAST, throttled());
    const { client } = bedrock();
    const deltas: string[] = [];

    await expect(
      client.converseStream(
        {
          system: 'sys',
          messages: [{ role: 'user', content: [{ text: 'hi' }] }],
          tools: [],
          tier: 'strong',
          maxTokens: 64,
        },
        (d) => deltas.push(d),
      ),
    ).rejects.toSatisfy((e) => e instanceof ModelCallError && e.transient);
    expect(deltas).toStrictEqual([]);
  });
});
