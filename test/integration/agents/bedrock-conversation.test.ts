import { describe, expect, it } from 'vitest';
import { createTurnLimits } from '../../../src/agents/limits/session-limits.ts';
import {
  type RunTurnOptions,
  runTurn,
  streamTurn,
  type TurnEvent,
} from '../../../src/agents/loop/run-turn.ts';
import { MemoryTraceSink } from '../../../src/agents/loop/trace.ts';
import type { Message } from '../../../src/agents/model/types.ts';
import type { ToolOutcome } from '../../../src/agents/tools/tool.ts';
import {
  field,
  internalError,
  NOVA,
  STRONG,
  streamedTextTurn,
  streamedToolUseTurn,
  testBedrockClient,
  textTurn,
  toolUseTurn,
  truncatedToolUseTurn,
  useConverseServer,
} from '../../support/converse/index.ts';
import {
  openExceptionsTool,
  principal,
  toolContext,
  tradeStatusTool,
} from '../../unit/agents/loop/test-tools.ts';

/*
 * Whole conversations through the real `BedrockRuntimeClient` against the strict Converse stand-in:
 * what Bedrock would refuse fails here, so these show the loop and the model client keep its rules
 * over many turns, on each model family, through errors and cut streams.
 */

const stand = useConverseServer();

const SYSTEM = 'You are SettleOps. Answer settlement questions with the tools.';

const turnOptions = (sessionId: string) => ({
  system: SYSTEM,
  tools: [tradeStatusTool(), openExceptionsTool()],
  toolContext: () => toolContext(principal(), sessionId),
  limits: createTurnLimits(),
});

async function streamed(options: Omit<RunTurnOptions, 'onProgress'>) {
  const events: TurnEvent[] = [];
  for await (const event of streamTurn(options)) events.push(event);
  const last = events.at(-1);
  if (last?.type !== 'done') throw new Error('the stream did not end with done');
  return { result: last.result, deltas: events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])) };
}

/** A busy desk's open exceptions: about 31,000 tokens of tool result a call. */
function busyDeskTool() {
  const exceptions = Array.from({ length: 400 }, (_, i) => ({
    exceptionId: `X-${1000 + i}`,
    tradeId: `T-${20000 + i}`,
    type: 'PRICE_MISMATCH',
    code: 'DDEA',
    note: `Counterparty booked a price outside tolerance on line ${i}; chase before the 21:00 cut-off, desk EQ-US.`.padEnd(
      210,
      '.',
    ),
  }));
  return openExceptionsTool({
    sessionCallCap: 50,
    async run(): Promise<ToolOutcome> {
      return { ok: true, data: { exceptions }, records: [{ kind: 'exception', id: 'X-1000' }] };
    },
  });
}

describe('a conversation kept within Bedrock’s rules', () => {
  it('answers a seventh tool-using turn in one thread: history trimmed by whole turns to fit the window', async () => {
    const { client } = testBedrockClient(stand.server);
    const sessionId = 'session-seventh-turn-000000000000001';
    let history: Message[] = [];
    const results = [];
    for (let turn = 1; turn <= 7; turn++) {
      stand.server.script(
        STRONG,
        toolUseTurn([{ toolUseId: `tu-${turn}`, name: 'list_open_exceptions', input: { desk: 'EQ-US' } }], {
          text: 'Looking at the open exceptions.',
        }),
        textTurn(`Turn ${turn}: 400 exceptions are open on EQ-US, all price mismatches.`),
      );
      const trace = new MemoryTraceSink();
      const result = await runTurn({
        ...turnOptions(sessionId),
        tools: [busyDeskTool()],
        model: client,
        history,
        question: `How many exceptions are open on EQ-US now (${turn})?`,
        trace,
      });
      results.push({ result, trace });
      // The conversation so far, as the loop documents it: each turn's messages appended.
      history = [...history, ...result.messages];
    }

    expect(stand.server.rejections()).toStrictEqual([]);
    expect(results.map(({ result }) => result.stopReason)).toStrictEqual(Array(7).fill('end_turn'));
    expect(results.at(-1)?.result.text).toBe(
      'Turn 7: 400 exceptions are open on EQ-US, all price mismatches.',
    );
    // The last request starts with a person's question (never an assistant message or an orphan
    // tool result) and dropped the oldest turns whole; the trace says so.
    const lastBody = stand.server.requests.at(-1)?.body;
    expect(field(lastBody, 'messages', 0, 'role')).toBe('user');
    expect(field(lastBody, 'messages', 0, 'content', 0, 'text')).toMatch(/^How many exceptions are open/);
    const trims =
      results
        .at(-1)
        ?.trace.ofType('limit')
        .filter((e) => e.limit === 'history_trimmed') ?? [];
    expect(trims.length).toBeGreaterThan(0);
    expect(trims[0]?.detail).toMatch(/^dropped \d+ of 6 earlier turns/);
  });

  it('drops a blank text block before sending the assistant message back', async () => {
    // Claude can answer with an empty or whitespace text block next to a tool use (Anthropic's
    // "Handling stop reasons": empty responses); Converse refuses blank text when it is sent back.
    stand.server.script(
      STRONG,
      {
        kind: 'response',
        stopReason: 'tool_use',
        content: [
          { text: '\n\n' },
          { toolUse: { toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } } },
        ],
      },
      textTurn('T-10042 is UNMATCHED.'),
    );
    const { client } = testBedrockClient(stand.server);

    const result = await runTurn({
      ...turnOptions('session-blank-text-00000000000000001'),
      model: client,
      history: [],
      question: 'Status of T-10042?',
    });

    expect(stand.server.rejections()).toStrictEqual([]);
    expect(result).toMatchObject({ text: 'T-10042 is UNMATCHED.', stopReason: 'end_turn' });
    expect(field(stand.server.requests[1]?.body, 'messages', 1)).toStrictEqual({
      role: 'assistant',
      content: [{ toolUse: { toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } } }],
    });
  });

  it('runs Amazon Nova with tools: no cache point among the tool specs', async () => {
    stand.server.script(
      NOVA,
      toolUseTurn([{ toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } }]),
      textTurn('T-10042 is UNMATCHED.'),
    );
    const { client } = testBedrockClient(stand.server, { strongModelId: NOVA, fastModelId: NOVA });

    const result = await runTurn({
      ...turnOptions('session-nova-tools-00000000000000001'),
      model: client,
      history: [],
      question: 'Status of T-10042?',
    });

    expect(stand.server.rejections()).toStrictEqual([]);
    expect(result).toMatchObject({ text: 'T-10042 is UNMATCHED.', stopReason: 'end_turn', answeredBy: NOVA });
    const tools = field(stand.server.requests[0]?.body, 'toolConfig', 'tools') as unknown[];
    expect(tools.every((t) => typeof t === 'object' && t !== null && 'toolSpec' in t)).toBe(true);
  });

  it('retries a 500 InternalServerException, then answers', async () => {
    stand.server.script(STRONG, internalError(), textTurn('Recovered after an internal error.'));
    const { client, sleeps } = testBedrockClient(stand.server);

    const result = await runTurn({
      ...turnOptions('session-internal-error-000000000001'),
      model: client,
      history: [],
      question: 'Status of T-10042?',
    });

    expect(result).toMatchObject({ text: 'Recovered after an internal error.', stopReason: 'end_turn' });
    expect(stand.server.callsFor(STRONG)).toHaveLength(2);
    expect(sleeps).toStrictEqual([50]);
  });

  it('reports a tool input cut off at max_tokens as truncated, and runs no tool', async () => {
    stand.server.script(
      STRONG,
      truncatedToolUseTurn({ toolUseId: 'tu-1', name: 'get_trade_status' }, ['{"trade', 'Id": "T-1'], {
        textDeltas: ['Let me ', 'check.'],
      }),
    );
    const { client } = testBedrockClient(stand.server);
    const trace = new MemoryTraceSink();

    const { result } = await streamed({
      ...turnOptions('session-truncated-tool-000000000001'),
      model: client,
      history: [],
      question: 'Status of T-10042?',
      trace,
    });

    expect(result.stopReason).toBe('max_tokens');
    expect(result.text).toMatch(/output length limit/);
    expect(result.text).not.toMatch(/filtered/);
    expect(trace.ofType('tool_call')).toStrictEqual([]);
  });

  it('does not take a stream cut before messageStop for a complete answer', async () => {
    stand.server.script(STRONG, {
      ...streamedTextTurn(['T-10042 is ', 'UNMATCHED ', 'because the price']),
      cutAfterEvents: 3,
    });
    const { client } = testBedrockClient(stand.server);

    const { result, deltas } = await streamed({
      ...turnOptions('session-stream-cut-0000000000000001'),
      model: client,
      history: [],
      question: 'Why is T-10042 not matched?',
    });

    expect(result.stopReason).not.toBe('end_turn');
    expect(result.text).toMatch(/^T-10042 is UNMATCHED \n\n.*incomplete/s);
    expect(deltas.join('')).toBe(result.text);
  });

  it('streams a tool call on Nova too', async () => {
    stand.server.script(
      NOVA,
      streamedToolUseTurn({ toolUseId: 'tu-1', name: 'get_trade_status', input: { tradeId: 'T-10042' } }, [
        '{"tradeId"',
        ': "T-10042"}',
      ]),
      streamedTextTurn(['T-10042 is ', 'UNMATCHED.']),
    );
    const { client } = testBedrockClient(stand.server, { strongModelId: NOVA, fastModelId: NOVA });

    const { result } = await streamed({
      ...turnOptions('session-nova-stream-0000000000000001'),
      model: client,
      history: [],
      question: 'Status of T-10042?',
    });

    expect(stand.server.rejections()).toStrictEqual([]);
    expect(result.text).toBe('T-10042 is UNMATCHED.');
  });
});
