import { Dec } from './decimal.ts';
import type { ExceptionType, SettlementException, Trade } from './model.ts';
import { type AgeBuckets, ageBuckets, type OrphanSummary, summariseOrphans } from './orphans.ts';
import type { DayRecords, UnreadableRecord } from './store/settlement-store.ts';

/** The day's settlement picture for one trade date (and optionally one desk). */
export interface SettlementReport {
  readonly tradeDate: string;
  /** How the trade date was chosen: `given`, or `today in <time zone>` (the desk's market day). */
  readonly dateBasis: string;
  readonly desk: string | null;
  readonly generatedAt: string;
  readonly trades: { readonly internal: number; readonly counterparty: number };
  readonly matching: {
    readonly autoMatched: number;
    readonly approved: number;
    readonly pendingReview: number;
    readonly rejected: number;
    readonly unmatched: number;
    readonly inException: number;
  };
  /** Internal trades matched (auto or approved), percent with one decimal, as a string. */
  readonly matchRate: string;
  /**
   * Internal trades matched with no human touch, percent: auto-matched, never amended after booking
   * and no pairing of it rejected by a reviewer (a trade repaired by an amendment, then re-matched, is
   * matched but not STP).
   */
  readonly stpRate: string;
  readonly exceptions: {
    readonly open: number;
    readonly autoResolved: number;
    readonly resolved: number;
    readonly openByType: Readonly<Partial<Record<ExceptionType, number>>>;
    /** Open exceptions by time since raised. */
    readonly openByAge: AgeBuckets;
  };
  readonly sla: {
    readonly warnings: number;
    readonly breaches: number;
    /** Open, unbreached exceptions whose deadline is the soonest. */
    readonly nextDeadlines: ReadonlyArray<{
      readonly exceptionId: string;
      readonly deadline: string;
      readonly priority: string;
    }>;
  };
  readonly topCounterparties: ReadonlyArray<{ readonly bic: string; readonly openBreaks: number }>;
  /** Records of the day that could not be read and are not counted above (only when there are some). */
  readonly unreadable?: readonly UnreadableRecord[];
  /** Counterparty records nothing of ours has matched, by time since received; the oldest listed. */
  readonly orphans: OrphanSummary;
}

/** Pure: builds the report from the day's records (read through the byDay index). */
export function buildReport(
  day: DayRecords,
  opts: { tradeDate: string; desk?: string; now: string; dateBasis?: string },
): SettlementReport {
  const internal = day.trades.filter((t) => t.source === 'INTERNAL');
  const matchById = new Map(day.matches.map((m) => [m.matchId, m]));
  let autoMatched = 0;
  let straightThrough = 0;
  let approved = 0;
  let pendingReview = 0;
  let unmatched = 0;
  let inException = 0;
  for (const t of internal) {
    const m = t.matchId === undefined ? undefined : matchById.get(t.matchId);
    if (t.status === 'MATCHED' && m?.status === 'AUTO_MATCHED') {
      autoMatched++;
      if (untouched(t)) straightThrough++;
    } else if (t.status === 'MATCHED') approved++;
    else if (t.status === 'PENDING_REVIEW') pendingReview++;
    else if (t.status === 'EXCEPTION') inException++;
    else unmatched++;
  }
  const rejected = day.matches.filter((m) => m.status === 'REJECTED').length;

  const open = day.exceptions.filter((e) => e.status === 'OPEN' || e.status === 'ESCALATED');
  const openByType: Partial<Record<ExceptionType, number>> = {};
  const now = Date.parse(opts.now);
  for (const e of open) openByType[e.type] = (openByType[e.type] ?? 0) + 1;
  const openByAge = ageBuckets(
    open.map((e) => e.createdAt),
    now,
  );

  const orphans = summariseOrphans(
    day.trades.filter((t) => t.source === 'COUNTERPARTY' && t.status === 'UNMATCHED'),
    now,
    5,
  );

  const tradeByRef = new Map(day.trades.map((t) => [`${t.source}#${t.tradeId}`, t]));
  const breaksByBic = new Map<string, number>();
  for (const e of open) {
    const bic = tradeByRef.get(e.tradeRef)?.counterpartyBic;
    if (bic !== undefined) breaksByBic.set(bic, (breaksByBic.get(bic) ?? 0) + 1);
  }

  return {
    tradeDate: opts.tradeDate,
    dateBasis: opts.dateBasis ?? 'given',
    desk: opts.desk ?? null,
    generatedAt: opts.now,
    trades: { internal: internal.length, counterparty: day.trades.length - internal.length },
    matching: { autoMatched, approved, pendingReview, rejected, unmatched, inException },
    matchRate: percent(autoMatched + approved, internal.length),
    stpRate: percent(straightThrough, internal.length),
    exceptions: {
      open: open.length,
      autoResolved: day.exceptions.filter((e) => e.status === 'AUTO_RESOLVED').length,
      resolved: day.exceptions.filter((e) => e.status === 'RESOLVED').length,
      openByType,
      openByAge,
    },
    sla: {
      warnings: open.filter((e) => e.warnedAt !== undefined && e.breachedAt === undefined).length,
      breaches: day.exceptions.filter((e) => e.breachedAt !== undefined).length,
      nextDeadlines: soonest(
        open.filter((e) => e.breachedAt === undefined),
        5,
      ),
    },
    topCounterparties: [...breaksByBic.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 5)
      .map(([bic, openBreaks]) => ({ bic, openBreaks })),
    ...(day.unreadable === undefined || day.unreadable.length === 0 ? {} : { unreadable: day.unreadable }),
    orphans,
  };
}

/** No person touched the trade: never amended after booking, no pairing of it rejected by a reviewer. */
function untouched(t: Trade): boolean {
  return t.repairedBy === undefined && (t.rejectedCandidates ?? []).length === 0;
}

function soonest(list: readonly SettlementException[], n: number) {
  return [...list]
    .sort((a, b) => a.slaDeadline.localeCompare(b.slaDeadline) || a.exceptionId.localeCompare(b.exceptionId))
    .slice(0, n)
    .map((e) => ({ exceptionId: e.exceptionId, deadline: e.slaDeadline, priority: e.priority }));
}

/** `part / whole` as a percentage with one decimal (`"97.4"`), exact decimal arithmetic. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '0.0';
  return new Dec(part).times(100).div(whole).toDecimalPlaces(1, Dec.ROUND_HALF_UP).toFixed(1);
}
