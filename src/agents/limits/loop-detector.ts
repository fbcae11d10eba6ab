import { createHash } from 'node:crypto';
import type { SessionLimitsStore } from './session-limits-store.ts';

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` are the same arguments. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, v]) => [key, sortKeys(v)]));
  }
  return value;
}

export function callSignature(toolName: string, args: unknown): string {
  return createHash('sha256').update(toolName).update('\u0000').update(canonicalJson(args)).digest('hex');
}

export interface LoopDecision {
  /** How many times this exact call has been seen in the session, this one included. */
  readonly repeats: number;
  readonly loop: boolean;
}

/**
 * Detects a model going round in circles: the same tool with the same canonical arguments seen
 * `threshold` times (3 by default) in a session is a loop, and the turn ends.
 */
export class LoopDetector {
  readonly #store: SessionLimitsStore;
  readonly threshold: number;

  constructor(options: { readonly store: SessionLimitsStore; readonly threshold?: number }) {
    this.#store = options.store;
    this.threshold = options.threshold ?? 3;
  }

  async observe(sessionId: string, toolName: string, args: unknown): Promise<LoopDecision> {
    const repeats = await this.#store.incrementSignature(sessionId, callSignature(toolName, args));
    return { repeats, loop: repeats >= this.threshold };
  }
}
