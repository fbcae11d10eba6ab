import { DateTime } from 'luxon';
import { z } from 'zod';
import { mayViewDesk } from '../../identity/index.ts';
import {
  exceptionsOfTrade,
  Isin,
  isOpen,
  isValidBic,
  type Trade,
  type TradeHeader,
  TradeStatus,
  tradeRefsOf,
} from '../../settlement/index.ts';
import { defineTool, fields } from './define-tool.ts';
import {
  describeScope,
  notFoundOrNotPermitted,
  readPermittedTradeHeaders,
  searchPermittedTradeHeaders,
} from './entitlements.ts';
import { newYorkDate } from './time.ts';
import type { RecordRef } from './tool.ts';
import {
  byDeadline,
  type ExceptionRow,
  exceptionRow,
  type MatchBrief,
  matchBrief,
  type TradeListRow,
  type TradeRow,
  tradeListRow,
  tradeRow,
} from './views.ts';

export interface TradeStatusRecord extends TradeRow {
  readonly match: MatchBrief | null;
  /** The other side of the match, when the principal may see it. */
  readonly counterpart: { readonly source: string; readonly tradeId: string; readonly status: string } | null;
  readonly openExceptions: readonly ExceptionRow[];
  readonly closedExceptions: number;
}

export interface TradeStatusData {
  readonly tradeId: string;
  /** Our booking and/or the counterparty's record with this id (ids are unique per source). */
  readonly records: readonly TradeStatusRecord[];
}

export const getTradeStatus = defineTool({
  name: 'get_trade_status',
  description:
    'Status of one trade by id (ours, e.g. T-10042, or a counterparty record, e.g. C-GSCM-000123): ' +
    'lifecycle status, the match (confidence and the fields that were not exact), open exceptions ' +
    'with their SLA deadlines, and the matching deadline. Use for "status of T-…" and as the first ' +
    'step of "why is T-… not matched?".',
  input: z.object({ tradeId: fields.tradeId }).strict(),
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 30,
  auditLevel: 'full',
  async execute({ tradeId }, ctx) {
    const { store } = ctx.settlement;
    const now = ctx.settlement.now().toISOString();
    const found = await store.getTrades([...tradeRefsOf(tradeId)]);
    const visible = found
      .filter((t) => mayViewDesk(ctx.principal, t.desk))
      .sort((a, b) => a.source.localeCompare(b.source));
    if (visible.length === 0) return notFoundOrNotPermitted('trade', tradeId);

    const records: RecordRef[] = [];
    const out: TradeStatusRecord[] = [];
    for (const t of visible) {
      const ref = `${t.source}#${t.tradeId}`;
      records.push({ kind: 'trade', id: ref });
      const fetched = t.matchId === undefined ? undefined : await store.getMatch(t.matchId);
      const match = fetched !== undefined && mayViewDesk(ctx.principal, fetched.desk) ? fetched : undefined;
      const otherRef =
        match === undefined
          ? undefined
          : match.internalRef === ref
            ? match.counterpartyRef
            : match.internalRef;
      const [other, exceptions] = await Promise.all([
        otherRef === undefined ? undefined : store.getTrade(otherRef),
        t.source === 'INTERNAL' ? exceptionsOfTrade(store, t) : [],
      ]);
      const permitted = exceptions.filter((e) => mayViewDesk(ctx.principal, e.desk));
      const open = permitted.filter(isOpen).sort(byDeadline);
      if (match !== undefined) records.push({ kind: 'match', id: match.matchId });
      for (const e of open) records.push({ kind: 'exception', id: e.exceptionId });
      out.push({
        ...tradeRow(t, ctx.principal),
        match: match === undefined ? null : matchBrief(match),
        counterpart:
          other === undefined || !mayViewDesk(ctx.principal, other.desk)
            ? null
            : { source: other.source, tradeId: other.tradeId, status: other.status },
        openExceptions: open.map((e) => exceptionRow(e, now)),
        closedExceptions: permitted.length - open.length,
      });
    }
    const data: TradeStatusData = { tradeId, records: out };
    return { ok: true, data, records };
  },
});

/**
 * Trade ids in their natural order (T-9 before T-10). One collator for every comparison: a
 * `localeCompare` with options builds one per call, which cost ~50 ms sorting a firm's 500 trades.
 */
const BY_ID = new Intl.Collator('en', { numeric: true });

/** The most business days one search looks back over (`lastBusinessDays`). */
export const MAX_SEARCH_BUSINESS_DAYS = 10;

const FindTradesInput = z
  .object({
    isin: Isin.optional().describe('ISIN, 12 characters, e.g. US0378331005.'),
    counterpartyBic: z
      .string()
      .trim()
      .toUpperCase()
      .refine(isValidBic, 'is not a valid BIC (8 or 11 characters)')
      .optional()
      .describe('Counterparty firm BIC; 8 characters match every branch of the firm.'),
    status: TradeStatus.optional().describe('Lifecycle status.'),
    source: z
      .enum(['INTERNAL', 'COUNTERPARTY'])
      .optional()
      .describe('Only our bookings or only their records.'),
    tradeDate: fields.tradeDate.optional(),
    lastBusinessDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_SEARCH_BUSINESS_DAYS)
      .optional()
      .describe(
        'Instead of one trade date: today in New York and the business days (Monday to Friday) before ' +
          'it, this many in all, searched at once, with counts per day. Needs isin or counterpartyBic.',
      ),
    desk: fields.desk.optional(),
    limit: fields.limit(50, 20),
  })
  .strict()
  .refine(
    (i) =>
      i.isin !== undefined ||
      i.counterpartyBic !== undefined ||
      i.status !== undefined ||
      i.tradeDate !== undefined ||
      i.desk !== undefined,
    { message: 'give at least one filter: isin, counterpartyBic, status, tradeDate or desk' },
  )
  .refine((i) => i.lastBusinessDays === undefined || i.tradeDate === undefined, {
    message: 'give either tradeDate or lastBusinessDays, not both',
    path: ['lastBusinessDays'],
  })
  .refine(
    (i) => i.lastBusinessDays === undefined || i.isin !== undefined || i.counterpartyBic !== undefined,
    { message: 'lastBusinessDays needs isin or counterpartyBic', path: ['lastBusinessDays'] },
  );

/** Counts of the trades a search found. */
export interface FindTradesCounts {
  /** How many trades matched the filters (the list holds at most `limit`). */
  readonly total: number;
  readonly byStatus: Readonly<Partial<Record<Trade['status'], number>>>;
  /** Our bookings and the counterparties' records among them (both carry the counterparty BIC). */
  readonly bySource: { readonly INTERNAL: number; readonly COUNTERPARTY: number };
}

/** One trade date of a search over several business days. */
export interface FindTradesDay extends FindTradesCounts {
  readonly tradeDate: string;
}

export interface FindTradesData extends FindTradesCounts {
  /** The trade date searched; over several business days, the newest of them (today). */
  readonly tradeDate: string;
  /**
   * Only for a search over several business days (`lastBusinessDays`): every day searched, newest
   * first, empty ones included; the counts above are their sum.
   */
  readonly days?: readonly FindTradesDay[];
  readonly desks: string | readonly string[];
  readonly filters: Readonly<Record<string, string>>;
  /** Newest trade date first, then ours first, then theirs, by id. */
  readonly trades: readonly TradeListRow[];
}

export const findTrades = defineTool({
  name: 'find_trades',
  description:
    'Trades of one trade date (default: today in New York) filtered by ISIN, counterparty BIC, ' +
    'status, source and desk. Returns the total count, counts by status and up to `limit` trades. ' +
    'With `lastBusinessDays` instead of a date, an ISIN or BIC search covers today and the business ' +
    'days before it in one look-up, with counts per day.',
  input: FindTradesInput,
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 20,
  auditLevel: 'full',
  async execute(input, ctx) {
    const today = newYorkDate(ctx.settlement.now());
    const tradeDate = input.tradeDate ?? today;
    const bic = input.counterpartyBic;
    // The store filters (a BIC of 8 matches every branch); the exact checks below stay as the rule.
    // Headers of every hit for the counts; only the trades shown are read in full.
    const storeFilters = {
      ...(input.isin === undefined ? {} : { isin: input.isin }),
      ...(bic === undefined ? {} : { counterpartyBicPrefix: bic.slice(0, 8) }),
      ...(input.status === undefined ? {} : { status: input.status }),
      ...(input.source === undefined ? {} : { source: input.source }),
    };
    const dates =
      input.lastBusinessDays === undefined ? [tradeDate] : businessDaysTo(today, input.lastBusinessDays);
    const { trades: found, scope } =
      input.lastBusinessDays === undefined
        ? await readPermittedTradeHeaders(
            ctx.settlement.store,
            tradeDate,
            ctx.principal,
            input.desk,
            storeFilters,
          )
        : await searchPermittedTradeHeaders(
            ctx.settlement.store,
            { fromDate: dates.at(-1) ?? today, toDate: today },
            ctx.principal,
            input.desk,
            storeFilters,
          );
    const hits = found
      .filter(
        (t) =>
          (input.lastBusinessDays === undefined ? t.tradeDate === tradeDate : t.tradeDate <= today) &&
          (input.isin === undefined || t.isin === input.isin) &&
          (bic === undefined ||
            (bic.length === 8 ? t.counterpartyBic.slice(0, 8) === bic : t.counterpartyBic === bic)) &&
          (input.status === undefined || t.status === input.status) &&
          (input.source === undefined || t.source === input.source),
      )
      .sort(
        (a, b) =>
          b.tradeDate.localeCompare(a.tradeDate) ||
          b.source.localeCompare(a.source) ||
          BY_ID.compare(a.tradeId, b.tradeId),
      );
    const shownRefs = hits.slice(0, input.limit).map((t) => `${t.source}#${t.tradeId}`);
    const full = new Map(
      (await ctx.settlement.store.getTrades(shownRefs))
        .filter((t) => mayViewDesk(ctx.principal, t.desk))
        .map((t) => [`${t.source}#${t.tradeId}`, t]),
    );
    const shown = shownRefs.map((r) => full.get(r)).filter((t): t is Trade => t !== undefined);
    const filters: Record<string, string> = {};
    if (input.isin !== undefined) filters.isin = input.isin;
    if (bic !== undefined) filters.counterpartyBic = bic;
    if (input.status !== undefined) filters.status = input.status;
    if (input.source !== undefined) filters.source = input.source;
    if (input.desk !== undefined) filters.desk = input.desk;
    // A day with hits outside the business days (a weekend booking) is listed too.
    const days = [...new Set([...dates, ...hits.map((t) => t.tradeDate)])].sort((a, b) => b.localeCompare(a));
    const data: FindTradesData = {
      tradeDate,
      ...(input.lastBusinessDays === undefined
        ? {}
        : {
            days: days.map((d) => ({ tradeDate: d, ...countsOf(hits.filter((t) => t.tradeDate === d)) })),
          }),
      desks: describeScope(scope),
      filters,
      ...countsOf(hits),
      trades: shown.map((t) => tradeListRow(t, ctx.principal)),
    };
    return { ok: true, data, records: shown.map((t) => ({ kind: 'trade', id: `${t.source}#${t.tradeId}` })) };
  },
});

function countsOf(hits: readonly TradeHeader[]): FindTradesCounts {
  const byStatus: Partial<Record<Trade['status'], number>> = {};
  for (const t of hits) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  return {
    total: hits.length,
    byStatus,
    bySource: {
      INTERNAL: hits.filter((t) => t.source === 'INTERNAL').length,
      COUNTERPARTY: hits.filter((t) => t.source === 'COUNTERPARTY').length,
    },
  };
}

/** `today` and the business days (Monday to Friday) before it, `n` in all, newest first. */
export function businessDaysTo(today: string, n: number): string[] {
  const out = [today];
  let d = DateTime.fromISO(today, { zone: 'UTC' });
  while (out.length < n) {
    d = d.minus({ days: 1 });
    if (d.weekday <= 5) out.push(d.toISODate() ?? '');
  }
  return out;
}
