import type { Match, Trade } from '../settlement/index.ts';
import { makersOf } from '../settlement/index.ts';
import { hasRole, mayViewDesk, type Principal } from './principal.ts';
import { normalisePrincipalId } from './principal-id.ts';

export type ApprovalRefusal = 'NOT_APPROVER' | 'DESK_NOT_HELD' | 'MAKER';

export type ApprovalCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: ApprovalRefusal; readonly message: string };

/**
 * Four eyes, as one function (the CLI's `review` and the bot's buttons call it through
 * `decideReview`): may `principal` approve or reject `match`, whose trades are `trades`?
 *
 * - the approver role (or admin) is needed: viewers may not decide;
 * - every desk involved (the match's and each trade's) must be one the principal holds;
 * - no maker of either trade may decide: everyone who booked it or changed an economic field of it
 *   (`Trade.makers`; a note-only amendment makes nobody a maker and removes nobody).
 *
 * A trade booked by a system (`ingest` without `--as`: `system:ingest`) has no maker; it still needs an
 * approver who is known to the directory and holds the desk — no one may approve by default.
 */
export function canApprove(
  principal: Pick<Principal, 'principalId' | 'roles' | 'desks'>,
  match: Pick<Match, 'matchId' | 'desk'>,
  trades: readonly Pick<Trade, 'source' | 'tradeId' | 'desk' | 'makers' | 'lastChangedBy'>[],
): ApprovalCheck {
  const who = normalisePrincipalId(principal.principalId);
  if (!hasRole(principal, 'approver')) {
    return { ok: false, reason: 'NOT_APPROVER', message: `${who} does not hold the approver role` };
  }
  const desks = [...new Set([match.desk, ...trades.map((t) => t.desk)])];
  const missing = desks.filter((d) => !mayViewDesk(principal, d));
  if (missing.length > 0) {
    return { ok: false, reason: 'DESK_NOT_HELD', message: `${who} does not hold desk ${missing.join(', ')}` };
  }
  const made = trades.filter((t) => makersOf(t).some((m) => normalisePrincipalId(m) === who));
  if (made.length > 0) {
    return {
      ok: false,
      reason: 'MAKER',
      message: `${who} booked or changed ${made.map((t) => `${t.source}#${t.tradeId}`).join(' and ')} (four eyes)`,
    };
  }
  return { ok: true };
}
