/** What the limits remember about one session. */
export interface SessionLimitsSnapshot {
  readonly tokensUsed: number;
  /** Calls per tool name. */
  readonly toolCalls: Readonly<Record<string, number>>;
  /** Calls per canonical (tool, arguments) signature. */
  readonly callSignatures: Readonly<Record<string, number>>;
}

/**
 * Per-session counters behind the token budget, the tool caps and the loop detector. Every write is
 * an atomic increment that returns the new value, so a DynamoDB adapter can map each one to a single
 * `UpdateItem … ADD` (with a TTL on the session item) without read-modify-write races.
 */
export interface SessionLimitsStore {
  addTokens(sessionId: string, tokens: number): Promise<number>;
  incrementToolCalls(sessionId: string, toolName: string): Promise<number>;
  incrementSignature(sessionId: string, signature: string): Promise<number>;
  snapshot(sessionId: string): Promise<SessionLimitsSnapshot>;
}

interface MutableState {
  tokensUsed: number;
  toolCalls: Map<string, number>;
  callSignatures: Map<string, number>;
}

/** The in-memory store: process-local, lost on restart. Good for one process and for tests. */
export class InMemorySessionLimitsStore implements SessionLimitsStore {
  readonly #sessions = new Map<string, MutableState>();

  #state(sessionId: string): MutableState {
    let state = this.#sessions.get(sessionId);
    if (state === undefined) {
      state = { tokensUsed: 0, toolCalls: new Map(), callSignatures: new Map() };
      this.#sessions.set(sessionId, state);
    }
    return state;
  }

  async addTokens(sessionId: string, tokens: number): Promise<number> {
    const state = this.#state(sessionId);
    state.tokensUsed += tokens;
    return state.tokensUsed;
  }

  async incrementToolCalls(sessionId: string, toolName: string): Promise<number> {
    const calls = this.#state(sessionId).toolCalls;
    const next = (calls.get(toolName) ?? 0) + 1;
    calls.set(toolName, next);
    return next;
  }

  async incrementSignature(sessionId: string, signature: string): Promise<number> {
    const signatures = this.#state(sessionId).callSignatures;
    const next = (signatures.get(signature) ?? 0) + 1;
    signatures.set(signature, next);
    return next;
  }

  async snapshot(sessionId: string): Promise<SessionLimitsSnapshot> {
    const state = this.#sessions.get(sessionId);
    if (state === undefined) return { tokensUsed: 0, toolCalls: {}, callSignatures: {} };
    return {
      tokensUsed: state.tokensUsed,
      toolCalls: Object.fromEntries(state.toolCalls),
      callSignatures: Object.fromEntries(state.callSignatures),
    };
  }

  /** Forgets a session (end of conversation, tests). */
  clear(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }
}
