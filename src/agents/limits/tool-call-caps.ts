import type { SessionLimitsStore } from './session-limits-store.ts';

export interface CapDecision {
  readonly allowed: boolean;
  /** This call's number in the session (the refused one included). */
  readonly count: number;
  readonly cap: number;
}

/** Per-session call caps per tool (`AgentTool.sessionCallCap`). */
export class ToolCallCaps {
  readonly #store: SessionLimitsStore;

  constructor(options: { readonly store: SessionLimitsStore }) {
    this.#store = options.store;
  }

  /** Counts the call and says whether it is within the cap. */
  async acquire(
    sessionId: string,
    tool: { readonly name: string; readonly sessionCallCap: number },
  ): Promise<CapDecision> {
    const count = await this.#store.incrementToolCalls(sessionId, tool.name);
    return { allowed: count <= tool.sessionCallCap, count, cap: tool.sessionCallCap };
  }
}
