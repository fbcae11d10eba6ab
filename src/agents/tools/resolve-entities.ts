import { z } from 'zod';
import { mayViewAccount, mayViewDesk } from '../../identity/index.ts';
import { defineTool } from './define-tool.ts';
import { deskTimeZone } from './desk-zones.ts';
import { entityCandidates, todayIn } from './entity-candidates.ts';
import { NEW_YORK, newYorkDate } from './time.ts';
import type { RecordRef } from './tool.ts';

export interface ResolvedTrade {
  /** As the store knows it (`H4-INT` for a typed `h4-int`). */
  readonly tradeId: string;
  readonly source: 'INTERNAL' | 'COUNTERPARTY';
  readonly desk: string;
  readonly status: string;
  readonly typed: string;
}

export interface ResolvedEntitiesData {
  /** Today in New York (the default trade date of the tools) and the instant it was read. */
  readonly today: string;
  readonly trades: readonly ResolvedTrade[];
  readonly exceptions: ReadonlyArray<{
    readonly exceptionId: string;
    readonly tradeId: string;
    readonly desk: string;
  }>;
  readonly matches: ReadonlyArray<{ readonly matchId: string; readonly desk: string }>;
  readonly isins: readonly string[];
  readonly bics: readonly string[];
  /** Desks the asker may see that exist, each with its time zone and today's date there. */
  readonly desks: ReadonlyArray<{ readonly desk: string; readonly timeZone: string; readonly today: string }>;
  readonly accounts: readonly string[];
  readonly dates: ReadonlyArray<{ readonly typed: string; readonly date: string }>;
  /**
   * Tokens shaped like an id or a desk that name nothing the asker may see: missing and not
   * permitted are the same here, as in every tool.
   */
  readonly unresolved: readonly string[];
}

/** Trade dates a desk is looked for on when the question gives none: today and the three business days before. */
const DESK_LOOKBACK_DAYS = 4;

export const resolveEntities = defineTool({
  name: 'resolve_entities',
  description:
    'Finds what a question refers to, as the store knows it and as the asker may see it: trade ids ' +
    '(any case), exception and match ids, ISINs, BICs, desks, accounts and dates as typed ' +
    '("2026-11-24", "24 Nov", "yesterday", "T-1"). Call it first with the question text; it never ' +
    'reveals records of desks the asker may not see (they are reported unresolved, like missing ones).',
  input: z
    .object({
      text: z.string().trim().min(1).max(1000).describe('The question, as the user wrote it.'),
    })
    .strict(),
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 60,
  auditLevel: 'full',
  async execute({ text }, ctx) {
    const { store } = ctx.settlement;
    const now = ctx.settlement.now();
    const c = entityCandidates(text, now, NEW_YORK);
    const p = ctx.principal;

    const variants = (id: string) => [...new Set([id, id.toUpperCase()])];
    const tradeIds = c.ids.filter((id) => !/^[XM]\|/.test(id));
    const refs = tradeIds.flatMap((id) =>
      variants(id).flatMap((v) => [`INTERNAL#${v}`, `COUNTERPARTY#${v}`]),
    );
    const exceptionIds = c.ids.filter((id) => id.startsWith('X|'));
    const matchIds = c.ids.filter((id) => id.startsWith('M|'));
    const [found, exceptions, matches] = await Promise.all([
      refs.length === 0 ? [] : store.getTrades(refs),
      exceptionIds.length === 0 ? [] : store.getExceptions(exceptionIds),
      Promise.all(matchIds.map((m) => store.getMatch(m))),
    ]);

    const trades: ResolvedTrade[] = [];
    const resolvedTokens = new Set<string>();
    for (const typed of tradeIds) {
      for (const t of found) {
        if (!variants(typed).includes(t.tradeId) || !mayViewDesk(p, t.desk)) continue;
        if (trades.some((x) => x.tradeId === t.tradeId && x.source === t.source)) continue;
        trades.push({ tradeId: t.tradeId, source: t.source, desk: t.desk, status: t.status, typed });
        resolvedTokens.add(typed);
      }
    }
    // Ours before theirs for the same id, in the order the question names them.
    trades.sort(
      (a, b) => tradeIds.indexOf(a.typed) - tradeIds.indexOf(b.typed) || b.source.localeCompare(a.source),
    );
    const visibleExceptions = exceptions
      .filter((e) => mayViewDesk(p, e.desk))
      .map((e) => ({
        exceptionId: e.exceptionId,
        tradeId: e.tradeRef.slice(e.tradeRef.indexOf('#') + 1),
        desk: e.desk,
      }));
    for (const e of visibleExceptions) resolvedTokens.add(e.exceptionId);
    const visibleMatches = matches
      .filter((m) => m !== undefined && mayViewDesk(p, m.desk))
      .map((m) => ({ matchId: m?.matchId ?? '', desk: m?.desk ?? '' }));
    for (const m of visibleMatches) resolvedTokens.add(m.matchId);

    const dates = c.dates;
    // A token that names a visible trade is that trade, not a date (a trade may be called T-1).
    const dateList = dates.filter((d) => !resolvedTokens.has(d.typed));
    for (const d of dateList) resolvedTokens.add(d.typed);

    const lookDates = [...new Set([...dateList.map((d) => d.date), ...recentDates(now, DESK_LOOKBACK_DAYS)])];
    const desks: Array<{ desk: string; timeZone: string; today: string }> = [];
    for (const desk of c.desks) {
      if (!mayViewDesk(p, desk)) continue;
      // Entitled to a named list: the desk is theirs. Entitled to all: only a desk the store knows.
      let exists = p.desks !== '*';
      for (const d of lookDates) {
        if (exists) break;
        exists = await store.hasDeskDay(d, desk);
      }
      if (!exists) continue;
      const timeZone = deskTimeZone(desk);
      desks.push({ desk, timeZone, today: todayIn(now, timeZone).toISODate() ?? '' });
      resolvedTokens.add(desk);
    }
    const accounts = c.accounts.filter((a) => p.accounts !== '*' && mayViewAccount(p, a));
    for (const a of accounts) resolvedTokens.add(a);

    const unresolved = [
      ...tradeIds.filter(
        (id) =>
          !resolvedTokens.has(id) &&
          !c.isins.includes(id.toUpperCase()) &&
          !c.bics.includes(id.toUpperCase()) &&
          !accounts.includes(id.toUpperCase()),
      ),
      ...exceptionIds.filter((id) => !resolvedTokens.has(id)),
      ...matchIds.filter((id) => !resolvedTokens.has(id)),
      ...c.desks.filter((d) => !resolvedTokens.has(d) && !c.accounts.includes(d)),
    ].filter((id) => !dates.some((d) => d.typed === id));

    const data: ResolvedEntitiesData = {
      today: newYorkDate(now),
      trades,
      exceptions: visibleExceptions,
      matches: visibleMatches,
      isins: c.isins,
      bics: c.bics,
      desks,
      accounts,
      dates: dateList,
      unresolved,
    };
    const records: RecordRef[] = [
      ...trades.map((t): RecordRef => ({ kind: 'trade', id: `${t.source}#${t.tradeId}` })),
      ...visibleExceptions.map((e): RecordRef => ({ kind: 'exception', id: e.exceptionId })),
      ...visibleMatches.map((m): RecordRef => ({ kind: 'match', id: m.matchId })),
    ];
    return { ok: true, data, records };
  },
});

function recentDates(now: Date, n: number): string[] {
  const out: string[] = [];
  let d = todayIn(now, NEW_YORK);
  while (out.length < n) {
    if (d.weekday <= 5) out.push(d.toISODate() ?? '');
    d = d.minus({ days: 1 });
  }
  return out;
}
