import { readdirSync, readFileSync } from 'node:fs';
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConverseStreamAssembler, fromConverseOutput } from '../../../src/agents/model/bedrock-converse.ts';
import {
  type ConverseServer,
  converseClientFor,
  type ResponseTurn,
  startConverseServer,
} from '../../support/converse/index.ts';

/*
 * Recorded conversations (test/fixtures/converse/*.json): Converse and ConverseStream requests and
 * answers in the shapes the API reference publishes — streams with tool use in fragments, parallel
 * tool uses, guardrail interventions on input and on output, and each stop reason. Each is replayed
 * through the real `BedrockRuntimeClient` against the strict stand-in (the request must pass its
 * rules), and the answer through the model client's own reading of it (`ConverseStreamAssembler`,
 * `fromConverseOutput`): the stop reason as the loop sees it, tool uses, guardrail findings.
 */

interface Recording {
  readonly description: string;
  readonly source: string;
  readonly operation: 'Converse' | 'ConverseStream';
  readonly modelId: string;
  readonly guardrail?: { readonly id: string; readonly deniedTopics: { name: string; pattern: string }[] };
  readonly request: Omit<ConverseCommandInput, 'modelId'>;
  /** The model's turn; absent when the guardrail blocks the input before the model is called. */
  readonly response?: Omit<ResponseTurn, 'kind'>;
  readonly expect: {
    readonly stopReason: string;
    readonly message?: unknown;
    readonly events?: readonly string[];
    readonly model: Record<string, unknown>;
  };
}

const DIR = new URL('../../fixtures/converse/', import.meta.url);
const recordings = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => [file, JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as Recording] as const);

let server: ConverseServer;
let client: BedrockRuntimeClient;

beforeAll(async () => {
  server = await startConverseServer();
  client = converseClientFor(server);
});

afterAll(async () => {
  client.destroy();
  await server.close();
});

beforeEach(() => {
  server.reset();
});

describe('recorded Converse conversations replayed through the real SDK client', () => {
  it('has a recording of every stop reason', () => {
    expect(new Set(recordings.map(([, r]) => r.expect.stopReason))).toStrictEqual(
      new Set([
        'end_turn',
        'tool_use',
        'max_tokens',
        'stop_sequence',
        'guardrail_intervened',
        'content_filtered',
        'model_context_window_exceeded',
        'malformed_tool_use',
        'malformed_model_output',
      ]),
    );
  });

  it.each(recordings)('%s', async (_, recording) => {
    if (recording.guardrail !== undefined) {
      server.guardrail(recording.guardrail.id, {
        deniedTopics: recording.guardrail.deniedTopics.map((t) => ({
          name: t.name,
          pattern: new RegExp(t.pattern, 'i'),
        })),
      });
    }
    if (recording.response !== undefined)
      server.script(recording.modelId, { kind: 'response', ...recording.response });
    const input = { modelId: recording.modelId, ...recording.request };

    if (recording.operation === 'Converse') {
      const output = await client.send(new ConverseCommand(input));
      expect(output.stopReason).toBe(recording.expect.stopReason);
      expect(output.output?.message).toStrictEqual(recording.expect.message);
      expect(stripUndefined(fromConverseOutput(output, recording.modelId, 0))).toMatchObject(
        recording.expect.model,
      );
    } else {
      const output = await client.send(new ConverseStreamCommand(input as ConverseCommandInput));
      const kinds: string[] = [];
      const assembler = new ConverseStreamAssembler(() => {});
      for await (const event of output.stream ?? ([] as ConverseStreamOutput[])) {
        kinds.push(Object.entries(event).find(([, v]) => v !== undefined)?.[0] ?? '');
        assembler.add(event);
      }
      const assembled = assembler.result();
      expect(kinds).toStrictEqual(recording.expect.events);
      expect(assembled.stopReason).toBe(recording.expect.stopReason);
      if (recording.expect.message !== undefined)
        expect(assembled.output?.message).toStrictEqual(recording.expect.message);
      expect(stripUndefined(fromConverseOutput(assembled, recording.modelId, 0))).toMatchObject(
        recording.expect.model,
      );
    }
    expect(server.rejections()).toStrictEqual([]);
    expect(server.pending()).toStrictEqual({});
  });
});

function stripUndefined(value: unknown): Record<string, unknown> {
  const { message, ...rest } = JSON.parse(JSON.stringify(value)) as { message: { content: unknown } };
  return { ...rest, content: message.content };
}
