import { describe, expect, it } from 'vitest';
import { createTurnLimits } from '../../../../src/agents/limits/session-limits.ts';
import { runTurn, type TurnProgress } from '../../../../src/agents/loop/run-turn.ts';
import type { ModelClient, ModelRequest, ModelResponse } from '../../../../src/agents/model/types.ts';
import { principal, toolContext, tradeStatusTool } from './test-tools.ts';

type Scripted = { readonly deltas: readonly string[]; readonly stopReason: 'end_turn' | 'max_tokens' };

/** A streaming model (no network): each response's text goes out in the given deltas. */
class StreamingModel implements ModelClient {
  readonly label = 'streaming test model';
  readonly isLanguageModel = true;
  readonly #script: Scripted[];
  constructor(script: Scripted[]) {
    this.#script = script;
  }
  async converse(): Promise<ModelResponse> {
    throw new Error('the streaming path must use converseStream');
  }
  async converseStream(_request: ModelRequest, onText: (delta: string) => void): Promise<ModelResponse> {
    const next = this.#script.shift();
    if (next === undefined) throw new Error('script exhausted');
    for (const delta of next.deltas) onText(delta);
    return {
      message: { role: 'assistant', content: [{ text: next.deltas.join('') }] },
      stopReason: next.stopReason,
      usage: {
        inputTokens: 1,
        outputTokens: 1,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        estimated: false,
      },
      modelId: 'stream-model',
      latencyMs: 1,
    };
  }
}

async function run(model: ModelClient, withProgress = true) {
  const events: TurnProgress[] = [];
  const result = await runTurn({
    model,
    system: 'sys',
    history: [],
    question: 'Status of T-10042?',
    tools: [tradeStatusTool()],
    toolContext: () => toolContext(principal(), 'session-stream-unit-000000000000000001'),
    limits: createTurnLimits(),
    ...(withProgress ? { onProgress: (e: TurnProgress) => events.push(e) } : {}),
  });
  const deltas = events.flatMap((e) => (e.type === 'text' ? [e.delta] : []));
  return { result, deltas };
}

describe('runTurn with a streaming model', () => {
  it('forwards redacted partial text; done text is the concatenation', async () => {
    const { result, deltas } = await run(
      new StreamingModel([
        { deltas: ['\nPays ', 'xoxb-1234', '56789abc to 98765', '43210 now.'], stopReason: 'end_turn' },
      ]),
    );
    expect(deltas).toStrictEqual(['Pays ', '[redacted slack token] to ', '****3210 ', 'now.']);
    expect(result.text).toBe(deltas.join(''));
  });

  it('appends the max-tokens note as a last delta', async () => {
    const { result, deltas } = await run(
      new StreamingModel([{ deltas: ['Half an ', 'answer'], stopReason: 'max_tokens' }]),
    );
    expect(result.text).toBe(
      'Half an answer\n\n(The answer was cut short at the output length limit. Ask a narrower question for the rest.)',
    );
    expect(deltas.join('')).toBe(result.text);
  });

  it('uses converse (one text event) without a progress listener', async () => {
    const model: ModelClient = {
      label: 'plain',
      isLanguageModel: true,
      converse: async () => ({
        message: { role: 'assistant', content: [{ text: ' Done. ' }] },
        stopReason: 'end_turn',
        usage: {
          inputTokens: 1,
          outputTokens: 1,
          cacheReadInputTokens: 0,
          cacheWriteInputTokens: 0,
          estimated: false,
        },
        modelId: 'plain',
        latencyMs: 1,
      }),
    };
    const { result } = await run(model, false);
    expect(result.text).toBe('Done.');
  });
});
