import { createHash } from 'node:crypto';
import type { AgentRequest, AgentResponse } from '../contract.ts';

/** One invocation: the caller's request id within an AgentCore session. */
export interface InvocationKey {
  readonly sessionId: string;
  readonly requestId: string;
}

/** How a finished invocation ended: what a repeat of it is answered with. */
export type InvocationOutcome =
  | { readonly ok: true; readonly response: AgentResponse }
  /** `message` is the safe one the caller was sent (internals stay in the logs). */
  | { readonly ok: false; readonly message: string };

/** What is kept of an invocation while it runs and after. */
export interface InvocationRecord {
  readonly key: InvocationKey;
  /** Who ran it: a repeat by anyone else is refused and learns nothing. */
  readonly principalId: string;
  /** Of the request (question, origin): the same request id with another request is refused. */
  readonly fingerprint: string;
  readonly startedAt: string;
  /** Until when the runner answers for it; a RUNNING record past this was abandoned (a crash). */
  readonly leaseUntil: string;
  readonly state: 'RUNNING' | 'DONE' | 'FAILED';
  /** Set once DONE or FAILED. */
  readonly outcome?: InvocationOutcome;
}

export type LedgerClaim =
  | { readonly claimed: true }
  /** Someone claimed it first: what is stored. */
  | { readonly claimed: false; readonly record: InvocationRecord };

/**
 * Where the runtime records the invocations it runs, so that each runs once. `claim` is atomic: of
 * concurrent claims of one key exactly one wins; the others get the stored record.
 */
export interface InvocationLedger {
  claim(input: {
    readonly key: InvocationKey;
    readonly principalId: string;
    readonly fingerprint: string;
    readonly leaseMs: number;
  }): Promise<LedgerClaim>;
  get(key: InvocationKey): Promise<InvocationRecord | undefined>;
  /** Records how the claimed invocation ended; only the claimant's RUNNING record changes. */
  finish(key: InvocationKey, principalId: string, outcome: InvocationOutcome): Promise<void>;
}

/** The fingerprint of a request without its request id: the question and where it came from. */
export function requestFingerprint(request: Omit<AgentRequest, 'requestId'>): string {
  const canonical = JSON.stringify([
    request.question,
    request.slack === undefined
      ? null
      : [request.slack.teamId, request.slack.channelId, request.slack.userId, request.slack.threadTs ?? null],
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}
