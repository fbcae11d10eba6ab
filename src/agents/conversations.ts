import type { Message } from './model/types.ts';

/** One conversation (an AgentCore Runtime session): whose it is and the turns kept as context. */
export interface Conversation {
  readonly principalId: string;
  readonly history: readonly Message[];
}

/**
 * Where conversations live between turns. The in-memory adapter serves one process (the embedded
 * default, tests); the identity-and-memory step adds AgentCore Memory and DynamoDB adapters, so a
 * follow-up reaches the same history on any runtime instance.
 */
export interface ConversationStore {
  get(sessionId: string): Promise<Conversation | undefined>;
  put(sessionId: string, conversation: Conversation): Promise<void>;
}

/** Process-local, bounded: past `maxSessions` the least recently used conversation is dropped. */
export class InMemoryConversationStore implements ConversationStore {
  readonly #sessions = new Map<string, Conversation>();
  readonly #maxSessions: number;

  constructor(options: { readonly maxSessions?: number } = {}) {
    this.#maxSessions = Math.max(1, options.maxSessions ?? 10_000);
  }

  async get(sessionId: string): Promise<Conversation | undefined> {
    const conversation = this.#sessions.get(sessionId);
    if (conversation !== undefined) {
      // Re-inserting keeps Map order = recency order.
      this.#sessions.delete(sessionId);
      this.#sessions.set(sessionId, conversation);
    }
    return conversation;
  }

  async put(sessionId: string, conversation: Conversation): Promise<void> {
    this.#sessions.delete(sessionId);
    this.#sessions.set(sessionId, conversation);
    while (this.#sessions.size > this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
  }
}
