/** Who said a turn: the person or the agent. */
export type TurnRole = 'USER' | 'ASSISTANT';

/** One turn of a session as stored (AgentCore Memory's conversational event). */
export interface SessionEvent {
  /** Assigned by the store; sorts in the order events were created within a session. */
  readonly eventId: string;
  /** The memory actor of the principal (see `memoryActorId`). */
  readonly actorId: string;
  readonly sessionId: string;
  readonly role: TurnRole;
  readonly text: string;
  /** ISO-8601 instant the turn happened. */
  readonly at: string;
}

export interface NewSessionEvent {
  readonly actorId: string;
  readonly sessionId: string;
  readonly role: TurnRole;
  readonly text: string;
  readonly at: string;
  /**
   * Idempotency key: appending twice with one client token stores one event and returns it both
   * times (a retried turn is never remembered twice).
   */
  readonly clientToken: string;
}

/**
 * Session (short-term) memory: the turns of one principal's session, as events. Adapters: AgentCore
 * Memory (`CreateEvent` / `ListEvents`) when `AGENTCORE_MEMORY_ID` is set, DynamoDB otherwise.
 * Reads are scoped by actor *and* session: nothing of another actor is ever returned.
 */
export interface SessionMemory {
  append(event: NewSessionEvent): Promise<SessionEvent>;
  /** The session's events oldest first; with `last`, only the most recent `last` of them. */
  list(actorId: string, sessionId: string, options?: { readonly last?: number }): Promise<SessionEvent[]>;
}
