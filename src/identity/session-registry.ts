/** Where a session came from (a Slack thread, or the CLI). */
export interface SessionOrigin {
  readonly teamId: string;
  readonly channelId: string;
  readonly threadTs: string;
}

/** One AgentCore Runtime / Memory session and the one principal it belongs to. */
export interface SessionRecord {
  readonly sessionId: string;
  readonly principalId: string;
  readonly origin?: SessionOrigin;
  /** ISO-8601 instants. */
  readonly createdAt: string;
  readonly lastActiveAt: string;
  /** Turns answered in the session so far. */
  readonly turns: number;
  /** Turns already consolidated into long-term memory (≤ turns). */
  readonly consolidatedTurns: number;
}

export type SessionClaim =
  | { readonly ok: true; readonly session: SessionRecord }
  /** The session exists and belongs to someone else: nothing changed. */
  | { readonly ok: false; readonly reason: 'OWNED_BY_ANOTHER' };

/**
 * The session registry: records who owns each session (first claim wins, atomically) so a session is
 * never used by another principal, and which sessions have turns not yet consolidated.
 */
export interface SessionRegistry {
  /** Creates the session for `principalId`, or confirms it is already theirs. */
  claim(input: {
    readonly sessionId: string;
    readonly principalId: string;
    readonly origin?: SessionOrigin;
    readonly at: string;
  }): Promise<SessionClaim>;
  get(sessionId: string): Promise<SessionRecord | undefined>;
  /** One more turn answered at `at` (only by the owner; another principal's touch changes nothing). */
  recordTurn(sessionId: string, principalId: string, at: string): Promise<void>;
  /** Sessions with unconsolidated turns whose last activity is at or before `idleSince`, oldest first. */
  idle(
    idleSince: string,
    options?: { readonly principalId?: string; readonly limit?: number },
  ): Promise<SessionRecord[]>;
  /** Marks turns up to `throughTurns` consolidated (never moves backwards). */
  markConsolidated(sessionId: string, throughTurns: number): Promise<void>;
}
