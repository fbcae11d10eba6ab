import { mayViewAccount, mayViewDesk, type Principal } from '../../identity/index.ts';
import type { DayQuery, DayRecords, SettlementStore, TradeHeader } from '../../settlement/index.ts';
import type { ToolOutcome } from './tool.ts';

/*
 * Entitlement checks shared by every tool. A record of a desk the principal may not view is
 * reported exactly like a missing one, so the answer never tells that it exists.
 */

export type EntityKind = 'trade' | 'match' | 'exception' | 'audit trail';

/** The one answer for "does not exist" and "exists but not yours": same code, same text. */
export function notFoundOrNotPermitted(kind: EntityKind, id: string): ToolOutcome {
  return {
    ok: false,
    code: 'NOT_FOUND_OR_NOT_PERMITTED',
    message: `No ${kind} ${id} that you are permitted to see.`,
  };
}

export function invalidInput(message: string): ToolOutcome {
  return { ok: false, code: 'INVALID_INPUT', message };
}

/** Accounts with fewer characters than this are masked entirely (four shown of five would reveal it). */
const SHOW_LAST_FROM_LENGTH = 8;

/**
 * An account number as the principal may see it: in full when entitled to the account, otherwise
 * only its last four characters (`****7890`); short numbers are masked completely.
 */
export function maskAccount(account: string, principal: Pick<Principal, 'accounts'>): string {
  if (mayViewAccount(principal, account)) return account;
  if (account.length < SHOW_LAST_FROM_LENGTH) return '****';
  return `****${account.slice(-4)}`;
}

/** Masks every `account` value in free-form details (audit records carry the received input). */
export function maskAccountsIn(value: unknown, principal: Pick<Principal, 'accounts'>): unknown {
  if (Array.isArray(value)) return value.map((v) => maskAccountsIn(v, principal));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === 'account' && typeof v === 'string' ? maskAccount(v, principal) : maskAccountsIn(v, principal);
    }
    return out;
  }
  return value;
}

/** The desks a principal's query covers: all, a list, or none (a desk filter outside the entitlement). */
export type DeskScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'desks'; readonly desks: readonly string[] };

export function deskScope(principal: Pick<Principal, 'desks'>, desk: string | undefined): DeskScope {
  if (desk !== undefined) return { kind: 'desks', desks: mayViewDesk(principal, desk) ? [desk] : [] };
  if (principal.desks === '*') return { kind: 'all' };
  return { kind: 'desks', desks: [...principal.desks].sort() };
}

export function describeScope(scope: DeskScope): string | readonly string[] {
  return scope.kind === 'all' ? 'all desks' : scope.desks;
}

const EMPTY_DAY: DayRecords = { trades: [], matches: [], exceptions: [], instructions: [] };

/**
 * The day's records the principal may see, through the byDay index only: one Query for the whole
 * day (every desk), or one per permitted desk: without a `query`, everything but the settlement
 * instructions (no tool shows them); with one, only the trades and exceptions it asks for, each read
 * through the narrowest key the store has. Anything of another desk is dropped again after reading, so a
 * misfiled item never leaks.
 */
export async function readPermittedDay(
  store: SettlementStore,
  tradeDate: string,
  principal: Pick<Principal, 'desks'>,
  desk: string | undefined,
  query?: Omit<DayQuery, 'desk'>,
): Promise<{ readonly day: DayRecords; readonly scope: DeskScope }> {
  const scope = deskScope(principal, desk);
  const read = (d: string | undefined) =>
    query === undefined
      ? store.listDay(tradeDate, d, { instructions: false })
      : store.queryDay(tradeDate, d === undefined ? query : { ...query, desk: d });
  const days = scope.kind === 'all' ? [await read(undefined)] : await Promise.all(scope.desks.map(read));
  const allowed = (d: string) =>
    mayViewDesk(principal, d) && (scope.kind === 'all' || scope.desks.includes(d));
  const merged = days.reduce<DayRecords>(
    (acc, d) => ({
      trades: [...acc.trades, ...d.trades.filter((t) => allowed(t.desk))],
      matches: [...acc.matches, ...d.matches.filter((m) => allowed(m.desk))],
      exceptions: [...acc.exceptions, ...d.exceptions.filter((e) => allowed(e.desk))],
      instructions: [...acc.instructions, ...d.instructions.filter((i) => allowed(i.desk))],
      // Unreadable records were read through a permitted desk's query; only their ids and problems are kept.
      ...(acc.unreadable === undefined && d.unreadable === undefined
        ? {}
        : { unreadable: [...(acc.unreadable ?? []), ...(d.unreadable ?? [])] }),
    }),
    EMPTY_DAY,
  );
  return { day: merged, scope };
}

/**
 * The headers of a day's trades passing `filters` that the principal may see (as `readPermittedDay`:
 * one read for every desk or one per permitted desk, anything of another desk dropped after reading).
 */
export async function readPermittedTradeHeaders(
  store: SettlementStore,
  tradeDate: string,
  principal: Pick<Principal, 'desks'>,
  desk: string | undefined,
  filters: NonNullable<DayQuery['trades']>,
): Promise<{ readonly trades: readonly TradeHeader[]; readonly scope: DeskScope }> {
  const scope = deskScope(principal, desk);
  const found =
    scope.kind === 'all'
      ? [await store.queryDayTradeHeaders(tradeDate, undefined, filters)]
      : await Promise.all(scope.desks.map((d) => store.queryDayTradeHeaders(tradeDate, d, filters)));
  const allowed = (d: string) =>
    mayViewDesk(principal, d) && (scope.kind === 'all' || scope.desks.includes(d));
  return { trades: found.flat().filter((t) => allowed(t.desk)), scope };
}

/**
 * The headers of the trades under an ISIN or a counterparty firm over a range of trade dates that the
 * principal may see: one search (`searchTradeHeaders`), narrowed in the store to the permitted desks,
 * anything of another desk dropped again after reading.
 */
export async function searchPermittedTradeHeaders(
  store: SettlementStore,
  range: { readonly fromDate: string; readonly toDate: string },
  principal: Pick<Principal, 'desks'>,
  desk: string | undefined,
  filters: NonNullable<DayQuery['trades']>,
): Promise<{ readonly trades: readonly TradeHeader[]; readonly scope: DeskScope }> {
  const scope = deskScope(principal, desk);
  const found = await store.searchTradeHeaders(
    filters,
    scope.kind === 'all' ? range : { ...range, desks: scope.desks },
  );
  const allowed = (d: string) =>
    mayViewDesk(principal, d) && (scope.kind === 'all' || scope.desks.includes(d));
  return { trades: found.filter((t) => allowed(t.desk)), scope };
}
