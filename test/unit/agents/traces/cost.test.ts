import { describe, expect, it } from 'vitest';
import { estimateCost, priceFor } from '../../../../src/agents/traces/cost.ts';
import type { ModelStep } from '../../../../src/agents/traces/trace.ts';

function modelStep(modelId: string, tokens: Partial<ModelStep['tokens']>): ModelStep {
  return {
    kind: 'model',
    at: '2026-06-01T12:00:00.000Z',
    latencyMs: 10,
    modelId,
    stopReason: 'end_turn',
    tokens: { inputTokens: 0, outputTokens: 0, cacheRead: 0, cacheWrite: 0, ...tokens },
    estimated: false,
  };
}

describe('priceFor', () => {
  it('matches inference profile ids by model id prefix, longest first', () => {
    expect(priceFor('us.anthropic.claude-sonnet-4-20250514-v1:0')).toStrictEqual({
      input: 3,
      output: 15,
      cacheRead: 0.3,
      cacheWrite: 3.75,
    });
    expect(priceFor('global.anthropic.claude-opus-4-5-20251101-v1:0')?.input).toBe(5);
    expect(priceFor('anthropic.claude-opus-4-1-20250805-v1:0')?.input).toBe(15);
  });

  it('prefers configured prices', () => {
    expect(priceFor('us.amazon.nova-pro-v1:0', { 'amazon.nova-pro': { input: 1, output: 2 } })).toStrictEqual(
      {
        input: 1,
        output: 2,
      },
    );
  });

  it('knows nothing of unknown models', () => {
    expect(priceFor('acme.model-x')).toBeUndefined();
  });
});

describe('estimateCost', () => {
  it('prices each model step at its own model, cache reads and writes separately', () => {
    const steps = [
      modelStep('us.anthropic.claude-3-5-haiku-20241022-v1:0', { inputTokens: 1000, outputTokens: 200 }),
      modelStep('us.anthropic.claude-sonnet-4-20250514-v1:0', {
        inputTokens: 500,
        outputTokens: 300,
        cacheRead: 2000,
        cacheWrite: 1000,
      }),
    ];
    // haiku: 1000×0.8 + 200×4 = 1600 µ$; sonnet: 500×3 + 300×15 + 2000×0.3 + 1000×3.75 = 10350 µ$
    expect(estimateCost(steps)).toStrictEqual({ usd: 0.01195, unpriced: [] });
  });

  it('costs nothing for the offline planner', () => {
    expect(
      estimateCost([modelStep('offline-planner', { inputTokens: 2500, outputTokens: 120 })]),
    ).toStrictEqual({
      usd: 0,
      unpriced: [],
    });
  });

  it('names models it cannot price and counts them as 0', () => {
    expect(estimateCost([modelStep('acme.model-x', { inputTokens: 10 })])).toStrictEqual({
      usd: 0,
      unpriced: ['acme.model-x'],
    });
  });

  it('defaults cache prices to the input price', () => {
    const overrides = { 'acme.model-x': { input: 2, output: 4 } };
    expect(estimateCost([modelStep('acme.model-x', { cacheRead: 1_000_000 })], overrides).usd).toBe(2);
  });
});
