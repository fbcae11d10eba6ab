import type { ModelPrice } from '../../config.ts';
import type { TraceStep } from './trace.ts';

export type { ModelPrice };

/** The offline planner's label (and model id in traces): never priced. */
export const OFFLINE_PLANNER_ID = 'offline-planner';

/**
 * Built-in on-demand list prices, USD per million tokens (Amazon Bedrock pricing page, standard
 * tier, us-east-1, as known when written). Keys are model-id prefixes without the cross-region
 * inference prefix (`us.`, `eu.`, `global.` …); the longest matching key wins. Override or add
 * models with SETTLEOPS_MODEL_PRICES. Estimates only: the bill is the truth.
 */
export const DEFAULT_MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  [OFFLINE_PLANNER_ID]: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  'anthropic.claude-3-haiku': { input: 0.25, output: 1.25, cacheRead: 0.03, cacheWrite: 0.3 },
  'anthropic.claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  'anthropic.claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  'anthropic.claude-3-5-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic.claude-3-7-sonnet': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic.claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  'anthropic.claude-opus-4': { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  'anthropic.claude-opus-4-5': { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 },
  'amazon.nova-micro': { input: 0.035, output: 0.14, cacheRead: 0.00875, cacheWrite: 0 },
  'amazon.nova-lite': { input: 0.06, output: 0.24, cacheRead: 0.015, cacheWrite: 0 },
  'amazon.nova-pro': { input: 0.8, output: 3.2, cacheRead: 0.2, cacheWrite: 0 },
};

// Cross-region inference profile ids carry a geography in front of the model id.
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/** The price of `modelId`: configured prices first, then the defaults; longest prefix wins. */
export function priceFor(
  modelId: string,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): ModelPrice | undefined {
  const bare = modelId.replace(PROFILE_PREFIX, '');
  for (const table of [overrides, DEFAULT_MODEL_PRICES]) {
    let best: string | undefined;
    for (const key of Object.keys(table)) {
      const k = key.replace(PROFILE_PREFIX, '');
      if ((bare === k || bare.startsWith(k)) && (best === undefined || k.length > best.length)) best = key;
    }
    if (best !== undefined) return table[best];
  }
  return undefined;
}

export interface CostEstimate {
  readonly usd: number;
  /** Models without a price; counted as 0. */
  readonly unpriced: readonly string[];
}

/**
 * The estimated cost of a turn's model steps, each at its own model's price (a fallback model is
 * priced as itself). Cache reads and writes are priced separately from plain input tokens, as
 * Bedrock reports them separately. Rounded to a millionth of a dollar.
 */
export function estimateCost(
  steps: readonly TraceStep[],
  overrides: Readonly<Record<string, ModelPrice>> = {},
): CostEstimate {
  let microUsd = 0;
  const unpriced = new Set<string>();
  for (const s of steps) {
    if (s.kind !== 'model') continue;
    const price = priceFor(s.modelId, overrides);
    if (price === undefined) {
      unpriced.add(s.modelId);
      continue;
    }
    // Prices are per million tokens, so tokens × price is already in micro-dollars.
    microUsd +=
      s.tokens.inputTokens * price.input +
      s.tokens.outputTokens * price.output +
      s.tokens.cacheRead * (price.cacheRead ?? price.input) +
      s.tokens.cacheWrite * (price.cacheWrite ?? price.input);
  }
  return { usd: Math.round(microUsd) / 1_000_000, unpriced: [...unpriced].sort() };
}
