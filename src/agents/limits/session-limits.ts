import { CircuitBreakerRegistry } from './circuit-breaker.ts';
import { LoopDetector } from './loop-detector.ts';
import type { SessionLimitsStore } from './session-limits-store.ts';
import { InMemorySessionLimitsStore } from './session-limits-store.ts';
import { TokenBudget } from './token-budget.ts';
import { ToolCallCaps } from './tool-call-caps.ts';

/** Everything that bounds a turn's cost, as the loop takes it. */
export interface TurnLimits {
  /** Model calls per turn. Default 6. */
  readonly maxIterations: number;
  readonly tokenBudget: TokenBudget;
  readonly toolCaps: ToolCallCaps;
  readonly loopDetector: LoopDetector;
  /** Shared across sessions: breakers are about a downstream's health, not a conversation. */
  readonly breakers: CircuitBreakerRegistry;
}

export const DEFAULT_MAX_ITERATIONS = 6;
export const DEFAULT_SESSION_TOKEN_BUDGET = 200_000;

export interface CreateTurnLimitsOptions {
  readonly store?: SessionLimitsStore;
  readonly maxIterations?: number;
  readonly sessionTokenBudget?: number;
  readonly loopThreshold?: number;
  readonly breakers?: CircuitBreakerRegistry;
}

/** Builds the limits over one session store (in memory unless given). */
export function createTurnLimits(options: CreateTurnLimitsOptions = {}): TurnLimits {
  const store = options.store ?? new InMemorySessionLimitsStore();
  return {
    maxIterations: options.maxIterations ?? DEFAULT_MAX_ITERATIONS,
    tokenBudget: new TokenBudget({
      store,
      limitTokens: options.sessionTokenBudget ?? DEFAULT_SESSION_TOKEN_BUDGET,
    }),
    toolCaps: new ToolCallCaps({ store }),
    loopDetector: new LoopDetector({
      store,
      ...(options.loopThreshold === undefined ? {} : { threshold: options.loopThreshold }),
    }),
    breakers: options.breakers ?? new CircuitBreakerRegistry(),
  };
}
