import type { MemoryFact } from './facts.ts';

/** True while `now` is before the fact's `expiresAt`. */
export function isLive(fact: Pick<MemoryFact, 'expiresAt'>, now: Date): boolean {
  return Date.parse(fact.expiresAt) > now.getTime();
}

/** Sort order of `list`: oldest first (created, then id). */
export function oldestFirst(a: MemoryFact, b: MemoryFact): number {
  return (
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    (a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : 0)
  );
}

/** Newest first (last stated, then created, then id): the tie-break of retrieval. */
export function newestFirst(a: MemoryFact, b: MemoryFact): number {
  return (
    Date.parse(b.updatedAt) - Date.parse(a.updatedAt) ||
    Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
    (a.factId < b.factId ? -1 : a.factId > b.factId ? 1 : 0)
  );
}
