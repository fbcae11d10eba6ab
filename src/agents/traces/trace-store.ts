import type { TokenCounts, Trace } from './trace.ts';

/** Accumulated usage of one scope (a session, or a principal on a UTC day). */
export interface Usage extends TokenCounts {
  readonly invocations: number;
  readonly estimatedCostUsd: number;
}

export type UsageScope =
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'principal-day'; readonly principalId: string; readonly day: string };

/**
 * Where traces are kept, with the usage they add up to. `put` writes a trace once, at the end of
 * its turn, and adds its totals to the session's and the principal's daily usage.
 */
export interface TraceStore {
  put(trace: Trace): Promise<void>;
  get(traceId: string): Promise<Trace | undefined>;
  usage(scope: UsageScope): Promise<Usage>;
}

export const NO_USAGE: Usage = {
  invocations: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheRead: 0,
  cacheWrite: 0,
  estimatedCostUsd: 0,
};

/** The usage scopes a trace counts towards. */
export function usageScopes(trace: Trace): readonly UsageScope[] {
  return [
    { kind: 'session', sessionId: trace.sessionId },
    { kind: 'principal-day', principalId: trace.principalId, day: trace.startedAt.slice(0, 10) },
  ];
}

export function addUsage(u: Usage, trace: Trace): Usage {
  return {
    invocations: u.invocations + 1,
    inputTokens: u.inputTokens + trace.totals.inputTokens,
    outputTokens: u.outputTokens + trace.totals.outputTokens,
    cacheRead: u.cacheRead + trace.totals.cacheRead,
    cacheWrite: u.cacheWrite + trace.totals.cacheWrite,
    estimatedCostUsd: Math.round((u.estimatedCostUsd + trace.estimatedCostUsd) * 1_000_000) / 1_000_000,
  };
}

export function usageKey(scope: UsageScope): string {
  return scope.kind === 'session'
    ? `SESSION#${scope.sessionId}`
    : `PRINCIPAL#${scope.principalId}#${scope.day}`;
}

/** In memory (tests, and processes without DynamoDB). */
export class InMemoryTraceStore implements TraceStore {
  readonly #traces = new Map<string, Trace>();
  readonly #usage = new Map<string, Usage>();

  async put(trace: Trace): Promise<void> {
    this.#traces.set(trace.traceId, structuredClone(trace));
    for (const scope of usageScopes(trace)) {
      const key = usageKey(scope);
      this.#usage.set(key, addUsage(this.#usage.get(key) ?? NO_USAGE, trace));
    }
  }

  async get(traceId: string): Promise<Trace | undefined> {
    const t = this.#traces.get(traceId);
    return t === undefined ? undefined : structuredClone(t);
  }

  async usage(scope: UsageScope): Promise<Usage> {
    return this.#usage.get(usageKey(scope)) ?? NO_USAGE;
  }
}
