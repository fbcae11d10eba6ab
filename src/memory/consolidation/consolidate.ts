import type { SessionRecord, SessionRegistry } from '../../identity/index.ts';
import { memoryActorId } from '../actor-id.ts';
import type { FactWrite, LongTermMemory } from '../long-term-memory.ts';
import type { SessionEvent, SessionMemory } from '../session-memory.ts';
import { type CandidateFact, type FactExtractor, userTurns } from './candidate.ts';
import { mergeFacts } from './curate.ts';
import { type ScreenReason, screenFact } from './screen.ts';

export type ConsolidationLog = (message: string, fields: Readonly<Record<string, unknown>>) => void;

export interface ConsolidationDeps {
  readonly registry: SessionRegistry;
  readonly sessions: SessionMemory;
  readonly facts: LongTermMemory;
  readonly extractor: FactExtractor;
  readonly now: () => Date;
  /** Minutes without a turn before a session counts as finished (default 15). */
  readonly idleMinutes?: number;
  /** The most facts a principal keeps (default 50). */
  readonly maxFacts?: number;
  readonly log?: ConsolidationLog;
}

export interface ConsolidationSummary {
  /** Sessions consolidated (and marked so). */
  readonly sessions: number;
  readonly added: number;
  readonly updated: number;
  /** Facts compacted away to stay within the per-principal limit. */
  readonly dropped: number;
  /** Candidates the screen (or the source check) refused. */
  readonly refused: number;
  /** Sessions left for the next run: the extractor failed or a store call threw. */
  readonly failed: number;
}

export const DEFAULT_IDLE_MINUTES = 15;

/**
 * Explicit consolidation of finished sessions into long-term memory: for each session idle for
 * `idleMinutes` (or every session with new turns, with `all`, the CLI's `--now`), optionally of one
 * principal: the person's turns not yet consolidated are read, facts extracted, screened, merged with
 * the principal's facts and written, then the session is marked consolidated through its turns. A
 * second run finds nothing new and adds nothing. A session whose extraction or writes fail is logged
 * and left unmarked, so the next run tries it again (fact ids are deterministic: nothing doubles).
 */
export async function consolidateIdleSessions(
  deps: ConsolidationDeps,
  options: { readonly principalId?: string; readonly all?: boolean } = {},
): Promise<ConsolidationSummary> {
  const now = deps.now();
  const idleMs = (deps.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000;
  const idleSince = new Date(options.all === true ? now.getTime() : now.getTime() - idleMs).toISOString();
  const records = await deps.registry.idle(
    idleSince,
    options.principalId === undefined ? {} : { principalId: options.principalId },
  );
  const total = { sessions: 0, added: 0, updated: 0, dropped: 0, refused: 0, failed: 0 };
  for (const record of records) {
    try {
      const outcome = await consolidateSession(deps, record, now);
      if (outcome === undefined) {
        total.failed++;
        continue;
      }
      total.sessions++;
      total.added += outcome.added;
      total.updated += outcome.updated;
      total.dropped += outcome.dropped;
      total.refused += outcome.refused;
    } catch (error) {
      total.failed++;
      deps.log?.('consolidation of a session failed; it is retried on the next run', {
        sessionId: record.sessionId,
        principalId: record.principalId,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  }
  return total;
}

interface SessionOutcome {
  readonly added: number;
  readonly updated: number;
  readonly dropped: number;
  readonly refused: number;
}

async function consolidateSession(
  deps: ConsolidationDeps,
  record: SessionRecord,
  now: Date,
): Promise<SessionOutcome | undefined> {
  const events = await deps.sessions.list(memoryActorId(record.principalId), record.sessionId);
  // Turn k of the session is its k-th USER event: turns already consolidated are never read again
  // (a fact forgotten since must not come back), nor a turn not yet recorded.
  const pending = userTurns(events)
    .filter((e) => e.sessionId === record.sessionId)
    .slice(record.consolidatedTurns, record.turns);
  if (pending.length > 0) {
    const kept = await extractAndKeep(deps, record.principalId, record.sessionId, pending, now);
    if (kept === undefined) return undefined;
    await deps.registry.markConsolidated(record.sessionId, record.turns);
    return kept;
  }
  await deps.registry.markConsolidated(record.sessionId, record.turns);
  return { added: 0, updated: 0, dropped: 0, refused: 0 };
}

interface Kept extends SessionOutcome {
  readonly writes: readonly FactWrite[];
  readonly refusals: readonly Refusal[];
}

/** A candidate not kept, and why (its text is not repeated: it may be what must not be stored). */
export interface Refusal {
  readonly sourceEventId: string;
  readonly category: CandidateFact['category'];
  readonly reason: ScreenReason | 'NOT_A_USER_TURN_OF_THE_SESSION';
}

async function extractAndKeep(
  deps: ConsolidationDeps,
  principalId: string,
  sessionId: string,
  turns: readonly SessionEvent[],
  now: Date,
): Promise<Kept | undefined> {
  const extraction = await deps.extractor.extract({ principalId, events: turns });
  if (extraction.error !== undefined) {
    deps.log?.('fact extraction failed; the session is left for the next run', {
      sessionId,
      principalId,
      error: extraction.error,
    });
    return undefined;
  }
  const sources = new Set(turns.map((t) => t.eventId));
  const accepted: CandidateFact[] = [];
  const refusals: Refusal[] = [];
  for (const candidate of extraction.facts) {
    const { sourceEventId, category } = candidate;
    if (!sources.has(sourceEventId)) {
      refusals.push({ sourceEventId, category, reason: 'NOT_A_USER_TURN_OF_THE_SESSION' });
      continue;
    }
    const screened = screenFact(candidate);
    if (screened.ok) accepted.push(screened.fact);
    else refusals.push({ sourceEventId, category, reason: screened.reason });
  }
  for (const r of refusals) deps.log?.('a candidate fact was refused', { sessionId, principalId, ...r });
  const merged = mergeFacts(await deps.facts.list(principalId), accepted, {
    now,
    principalId,
    sessionId,
    ...(deps.maxFacts === undefined ? {} : { maxFacts: deps.maxFacts }),
  });
  if (merged.writes.length > 0) await deps.facts.put(principalId, merged.writes);
  if (merged.deletes.length > 0) await deps.facts.delete(principalId, merged.deletes);
  if (merged.overflow > 0) {
    deps.log?.('facts over the per-principal limit were not kept', {
      sessionId,
      principalId,
      overflow: merged.overflow,
    });
  }
  return {
    added: merged.added,
    updated: merged.updated,
    dropped: merged.dropped,
    refused: refusals.length,
    writes: merged.writes,
    refusals,
  };
}

export type RememberOutcome =
  | {
      readonly ok: true;
      /** The facts written (new or restated); empty when every candidate was refused. */
      readonly kept: readonly FactWrite[];
      readonly refused: readonly Refusal[];
      /** Whether the session is now marked consolidated through this turn. */
      readonly marked: boolean;
    }
  | {
      readonly ok: false;
      readonly reason:
        | 'UNKNOWN_SESSION'
        | 'NOT_OWNER'
        | 'NOT_A_USER_TURN'
        | 'EVENT_NOT_IN_SESSION'
        | 'NOTHING_TO_REMEMBER'
        | 'EXTRACTION_FAILED';
    };

/**
 * An explicit "remember that …" turn, consolidated at once: only that event is read, its facts
 * screened and merged into the principal's own facts. When every earlier turn of the session is
 * already consolidated and this turn has been recorded (`recordTurn`), the session is marked
 * consolidated through it, so the idle run never reads it again; otherwise the idle run restates it
 * (same fact, refreshed). Refused: a session that is not the principal's, an event that is not one of
 * the principal's USER turns in that session.
 */
export async function rememberNow(
  deps: Omit<ConsolidationDeps, 'idleMinutes'>,
  input: { readonly principalId: string; readonly sessionId: string; readonly event: SessionEvent },
): Promise<RememberOutcome> {
  const { principalId, sessionId, event } = input;
  const record = await deps.registry.get(sessionId);
  if (record === undefined) return { ok: false, reason: 'UNKNOWN_SESSION' };
  if (record.principalId !== principalId) return { ok: false, reason: 'NOT_OWNER' };
  if (event.role !== 'USER' || event.actorId !== memoryActorId(principalId)) {
    return { ok: false, reason: 'NOT_A_USER_TURN' };
  }
  const turns = userTurns(await deps.sessions.list(memoryActorId(principalId), sessionId));
  const index = turns.findIndex((t) => t.eventId === event.eventId && t.sessionId === sessionId);
  if (index < 0) return { ok: false, reason: 'EVENT_NOT_IN_SESSION' };
  const stored = turns[index] ?? event;
  const kept = await extractAndKeep(deps, principalId, sessionId, [stored], deps.now());
  if (kept === undefined) return { ok: false, reason: 'EXTRACTION_FAILED' };
  if (kept.writes.length === 0 && kept.refusals.length === 0)
    return { ok: false, reason: 'NOTHING_TO_REMEMBER' };
  const marked = index === record.consolidatedTurns && index + 1 <= record.turns;
  if (marked) await deps.registry.markConsolidated(sessionId, index + 1);
  return { ok: true, kept: kept.writes, refused: kept.refusals, marked };
}

/**
 * Forgets facts of one principal: the given ids, or all of them. Returns how many existed. Only the
 * principal's own namespace is touched (the port scopes every call by principal).
 */
export async function forgetFacts(
  facts: LongTermMemory,
  principalId: string,
  which: { readonly factIds: readonly string[] } | { readonly all: true },
): Promise<number> {
  const ids =
    'all' in which ? (await facts.list(principalId)).map((f) => f.factId) : [...new Set(which.factIds)];
  return ids.length === 0 ? 0 : facts.delete(principalId, ids);
}
