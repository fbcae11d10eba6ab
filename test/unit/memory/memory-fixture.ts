import { readFileSync } from 'node:fs';
import { memoryActorId, type SessionEvent, type TurnRole } from '../../../src/memory/index.ts';

/** A session of test/fixtures/memory-transcripts.json: its turns and the facts it must leave. */
export interface TranscriptSession {
  readonly name: string;
  readonly turns: readonly { readonly role: TurnRole; readonly text: string }[];
  readonly kept: readonly { readonly category: string; readonly words: readonly string[] }[];
}

export const TRANSCRIPTS: readonly TranscriptSession[] = (
  JSON.parse(readFileSync(new URL('../../fixtures/memory-transcripts.json', import.meta.url), 'utf8')) as {
    sessions: TranscriptSession[];
  }
).sessions;

/** The session's turns as stored events of `principalId` (event ids `<sessionId>-e<n>`). */
export function eventsOf(
  session: Pick<TranscriptSession, 'turns'>,
  options: { readonly principalId: string; readonly sessionId: string; readonly start?: string },
): SessionEvent[] {
  const start = Date.parse(options.start ?? '2026-03-13T09:00:00.000Z');
  return session.turns.map((turn, i) => ({
    eventId: `${options.sessionId}-e${String(i + 1).padStart(3, '0')}`,
    actorId: memoryActorId(options.principalId),
    sessionId: options.sessionId,
    role: turn.role,
    text: turn.text,
    at: new Date(start + i * 60_000).toISOString(),
  }));
}

/** An event with defaults (`ops-anna`, a USER turn). */
export function anEvent(overrides: Partial<SessionEvent> = {}): SessionEvent {
  return {
    eventId: 'e-001',
    actorId: memoryActorId('ops-anna'),
    sessionId: 'session-ops-anna-0000000000000000000001',
    role: 'USER',
    text: 'remember that I cover the EUR repo desk on Fridays',
    at: '2026-03-13T09:00:00.000Z',
    ...overrides,
  };
}
