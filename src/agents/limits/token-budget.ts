import type { Usage } from '../model/types.ts';
import type { SessionLimitsStore } from './session-limits-store.ts';

export interface BudgetState {
  readonly used: number;
  readonly limit: number;
  readonly exceeded: boolean;
}

/**
 * Tokens counted against the budget: everything the model read or wrote, cache reads and writes
 * included (they are billed, if at a different rate). Estimated usage (offline planner) counts too.
 */
export function tokensOf(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
}

/** A token budget per session, fed from Converse `usage` (or the offline planner's estimate). */
export class TokenBudget {
  readonly #store: SessionLimitsStore;
  readonly limit: number;

  constructor(options: { readonly store: SessionLimitsStore; readonly limitTokens: number }) {
    if (!(options.limitTokens > 0)) throw new RangeError('limitTokens must be positive');
    this.#store = options.store;
    this.limit = options.limitTokens;
  }

  async charge(sessionId: string, usage: Usage): Promise<BudgetState> {
    const used = await this.#store.addTokens(sessionId, tokensOf(usage));
    return { used, limit: this.limit, exceeded: used >= this.limit };
  }

  async state(sessionId: string): Promise<BudgetState> {
    const used = (await this.#store.snapshot(sessionId)).tokensUsed;
    return { used, limit: this.limit, exceeded: used >= this.limit };
  }
}
