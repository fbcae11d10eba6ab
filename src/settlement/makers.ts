import type { Trade, TradeInput } from './model.ts';

/*
 * The makers of a trade: every principal who booked it or changed one of its economic fields. Four
 * eyes: none of them may decide a match the trade is part of. System actors (`system:ingest`) are
 * never makers — a trade booked by a system has no maker, so its approver needs only to be an
 * entitled approver (see src/identity/can-approve.ts).
 */

/** Fields whose change makes the changer a maker: everything received except the free-text note. */
export function economicChanges(changedFields: readonly string[]): string[] {
  return changedFields.filter((f) => f !== 'note');
}

/** The principal id an actor names (`principal:alice` → `alice`), or undefined for system and agent actors. */
function principalIdOf(actor: string): string | undefined {
  return actor.startsWith('principal:') ? actor.slice('principal:'.length) : undefined;
}

/**
 * A trade's makers as principal ids. Trades stored before makers were kept fall back to the one
 * principal their `lastChangedBy` names.
 */
export function makersOf(trade: Pick<Trade, 'makers' | 'lastChangedBy'>): string[] {
  if (trade.makers !== undefined) return [...trade.makers];
  const last = principalIdOf(trade.lastChangedBy);
  return last === undefined ? [] : [last];
}

/** The makers of a trade just booked by `actor`. */
export function makersOfBooking(actor: string): string[] {
  const id = principalIdOf(actor);
  return id === undefined ? [] : [id];
}

/**
 * The makers after `actor` changed `changedFields` of `current`: a change of an economic field adds the
 * actor; a note-only change adds nobody and removes nobody.
 */
export function makersAfterChange(
  current: Pick<Trade, 'makers' | 'lastChangedBy'>,
  actor: string,
  changedFields: readonly (keyof TradeInput | string)[],
): string[] {
  const makers = makersOf(current);
  const id = principalIdOf(actor);
  if (id === undefined || economicChanges(changedFields).length === 0 || makers.includes(id)) return makers;
  return [...makers, id];
}
