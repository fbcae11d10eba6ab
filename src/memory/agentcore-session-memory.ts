import { createHash } from 'node:crypto';
import {
  type BedrockAgentCoreClient,
  CreateEventCommand,
  type Event,
  ListEventsCommand,
} from '@aws-sdk/client-bedrock-agentcore';
import { checkActorId, checkLast, checkNewSessionEvent, checkSessionId } from './memory-input.ts';
import type { NewSessionEvent, SessionEvent, SessionMemory, TurnRole } from './session-memory.ts';

/** ListEvents' page size limit. */
const PAGE = 100;

/**
 * The client token sent to AgentCore: the caller's token bound to the actor and the session, so a
 * token reused by another actor or in another session can never return (or suppress) this turn.
 */
export function scopedClientToken(actorId: string, sessionId: string, clientToken: string): string {
  return createHash('sha256').update(`${actorId}\n${sessionId}\n${clientToken}`, 'utf8').digest('hex');
}

/**
 * Session memory over AgentCore Memory events: one `CreateEvent` a turn (a conversational payload,
 * the turn's instant as `eventTimestamp`, the scoped client token for idempotency), read back with
 * `ListEvents` (every page, payloads included) and ordered by timestamp here, whatever order the
 * service pages in; events of another actor or session, or without a USER/ASSISTANT conversational
 * payload, are dropped. Event expiry is the memory resource's `eventExpiryDuration`.
 */
export class AgentCoreSessionMemory implements SessionMemory {
  constructor(
    private readonly client: BedrockAgentCoreClient,
    private readonly memoryId: string,
  ) {}

  async append(event: NewSessionEvent): Promise<SessionEvent> {
    const e = checkNewSessionEvent(event);
    const out = await this.client.send(
      new CreateEventCommand({
        memoryId: this.memoryId,
        actorId: e.actorId,
        sessionId: e.sessionId,
        eventTimestamp: new Date(e.at),
        payload: [{ conversational: { content: { text: e.text }, role: e.role } }],
        clientToken: scopedClientToken(e.actorId, e.sessionId, e.clientToken),
      }),
    );
    const stored = out.event === undefined ? undefined : toSessionEvent(out.event);
    if (stored === undefined || stored.actorId !== e.actorId || stored.sessionId !== e.sessionId)
      throw new Error('AgentCore CreateEvent returned no conversational event of this actor and session');
    return stored;
  }

  async list(
    actorId: string,
    sessionId: string,
    options: { readonly last?: number } = {},
  ): Promise<SessionEvent[]> {
    checkActorId(actorId);
    checkSessionId(sessionId);
    const last = checkLast(options.last);
    const events: SessionEvent[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.client.send(
        new ListEventsCommand({
          memoryId: this.memoryId,
          actorId,
          sessionId,
          includePayloads: true,
          maxResults: PAGE,
          nextToken,
        }),
      );
      for (const raw of out.events ?? []) {
        const event = toSessionEvent(raw);
        if (event !== undefined && event.actorId === actorId && event.sessionId === sessionId)
          events.push(event);
      }
      nextToken = out.nextToken;
    } while (nextToken !== undefined && nextToken !== '');
    // Stable: events of one instant keep the service's order.
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return last === undefined ? events : events.slice(-last);
  }
}

function toSessionEvent(event: Event): SessionEvent | undefined {
  const turn = event.payload?.[0]?.conversational;
  const role = turn?.role;
  const text = turn?.content?.text;
  if (
    event.eventId === undefined ||
    event.actorId === undefined ||
    event.sessionId === undefined ||
    event.eventTimestamp === undefined ||
    (role !== 'USER' && role !== 'ASSISTANT') ||
    text === undefined
  )
    return undefined;
  return {
    eventId: event.eventId,
    actorId: event.actorId,
    sessionId: event.sessionId,
    role: role satisfies TurnRole,
    text,
    at: event.eventTimestamp.toISOString(),
  };
}
