import { shiftDays } from '../calendar.ts';
import { type ExceptionDraft, missingCounterpartyDraft, nearMissDraft } from '../exceptions.ts';
import { bestNearMiss, NEAR_MISS_DAYS, nearMissKey } from '../matching/near-miss.ts';
import type { OutboxRecord, SettlementException, Trade } from '../model.ts';
import { type OrphanSummary, summariseOrphans } from '../orphans.ts';
import { ChangeSet } from '../store/change-set.ts';
import type { Page } from '../store/settlement-store.ts';
import { nowIso, type SettlementDeps, SYSTEM } from './deps.ts';
import { exceptionsOfTrade, syncExceptions } from './exception-sync.ts';
import { exceptionsAlert } from './match-plan.ts';
import { matchTrade, tradeRefOf } from './match-trade.ts';

export interface SweepResult {
  readonly warned: number;
  readonly breached: number;
  readonly missingCounterparty: number;
  /** Trades due for CMIS that matched their record at the last moment instead (see `matchedFirst`). */
  readonly matchedAtDeadline: number;
  /** Of `missingCounterparty`: trades whose record was found with a wrong direction, ISIN or trade date. */
  readonly nearMisses: number;
  /** Items another sweeper (or a concurrent change) handled first. */
  readonly skipped: number;
  /** Counterparty records still unmatched past their deadline (reported on every pass until matched). */
  readonly orphans: OrphanSummary;
  /**
   * The trade dates of everything the pass met (trades and exceptions due, orphans), sorted: the
   * dates with open work, whose report snapshots `refreshReportSnapshots` keeps warm.
   */
  readonly tradeDates: readonly string[];
}

const ORPHANS_LISTED = 10;

/**
 * Instead of CMIS, the near miss that explains it: a record of the same counterparty firm and quantity
 * that misses our level-1 key on the direction (DELN), the security (DSEC) or the trade date (DTRD).
 * One index query (`listNearMisses`), no scan.
 */
export async function missingCounterpartyFinding(
  deps: Pick<SettlementDeps, 'store'>,
  trade: Trade,
): Promise<{ draft: ExceptionDraft; counterpartyRef: string | undefined }> {
  const candidates = await deps.store.listNearMisses(
    nearMissKey(trade),
    shiftDays(trade.tradeDate, -NEAR_MISS_DAYS),
    shiftDays(trade.tradeDate, NEAR_MISS_DAYS),
  );
  const near = bestNearMiss(trade, candidates);
  if (near === undefined)
    return { draft: missingCounterpartyDraft(trade.matchDeadline), counterpartyRef: undefined };
  const ref = tradeRefOf(near.record);
  return {
    draft: nearMissDraft(near.miss.kind, ref, near.miss.ours, near.miss.theirs),
    counterpartyRef: ref,
  };
}

/**
 * A trade still waiting for matching (`needsMatching`: a rejected review sent it back, or a re-match
 * failed) is matched before CMIS is raised: its record may be in the store, and "no counterparty
 * instruction" would then be false. Gives the trade as it now stands if it is still unmatched;
 * `decided` if this matching decided it (matched, review or a break); `gone` if something else did.
 */
async function matchedFirst(
  deps: SettlementDeps,
  trade: Trade,
): Promise<{ readonly unmatched: Trade } | 'decided' | 'gone'> {
  if (!trade.needsMatching) return { unmatched: trade };
  const ref = tradeRefOf(trade);
  const outcome = await matchTrade(deps, ref);
  if (outcome.kind === 'AUTO_MATCHED' || outcome.kind === 'PENDING_REVIEW' || outcome.kind === 'EXCEPTION')
    return 'decided';
  const now = await deps.store.getTrade(ref);
  return now?.status === 'UNMATCHED' ? { unmatched: now } : 'gone';
}

/**
 * One pass of the SLA sweeper. Finds, through the due index, internal trades still without a
 * counterparty record past their deadline (raises CMIS) and exceptions past their warning point or
 * deadline (marks them and writes one alert). Each mark is a conditional write together with its
 * alert, so two sweepers running at once produce one mark and one alert per item.
 */
export async function sweepSla(
  deps: SettlementDeps,
  options: { readonly onProgress?: (committed: number) => void } = {},
): Promise<SweepResult> {
  const now = nowIso(deps);
  let committed = 0;
  const commit = async (cs: ChangeSet) => {
    const result = await deps.store.commit(cs);
    options.onProgress?.(++committed);
    return result;
  };
  let warned = 0;
  let breached = 0;
  let missingCounterparty = 0;
  let matchedAtDeadline = 0;
  let nearMisses = 0;
  let skipped = 0;
  const tradeDates = new Set<string>();

  for await (const due of drain((cursor) => deps.store.listMatchDue(now, pageOptions(cursor)))) {
    if (due.source !== 'INTERNAL' || due.status !== 'UNMATCHED') continue;
    tradeDates.add(due.tradeDate);
    const found = await matchedFirst(deps, due);
    if (found === 'decided') matchedAtDeadline++;
    if (found === 'gone') skipped++;
    if (typeof found === 'string') continue;
    const trade = found.unmatched;
    const finding = await missingCounterpartyFinding(deps, trade);
    const cs = new ChangeSet();
    const next = cs.update(
      'trade',
      trade,
      { ...trade, status: 'EXCEPTION', needsMatching: false, hasExceptions: true, updatedAt: now },
      {
        action: 'COUNTERPARTY_MISSING',
        actor: SYSTEM.sweeper,
        details: {
          deadline: trade.matchDeadline,
          reasonCode: finding.draft.reasonCode,
          ...(finding.counterpartyRef === undefined ? {} : { nearMiss: finding.counterpartyRef }),
        },
        at: now,
      },
    );
    const { escalated } = syncExceptions(cs, deps, {
      internal: trade,
      counterpartyRef: finding.counterpartyRef,
      drafts: [finding.draft],
      existing: await exceptionsOfTrade(deps.store, trade),
      resolveOthersAs: undefined,
      actor: SYSTEM.sweeper,
      at: now,
    });
    if (escalated.length > 0) cs.outbox(exceptionsAlert(next, escalated, now));
    if ((await commit(cs)).ok) {
      missingCounterparty++;
      if (finding.counterpartyRef !== undefined) nearMisses++;
    } else skipped++;
  }

  for await (const e of drain((cursor) => deps.store.listSlaDue(now, pageOptions(cursor)))) {
    tradeDates.add(e.tradeDate);
    const breach = e.breachedAt === undefined && now >= e.slaDeadline;
    const warn = !breach && e.warnedAt === undefined && now >= e.slaWarnAt;
    if (!breach && !warn) continue;
    const cs = new ChangeSet();
    const priority = deps.sla.priority(e.notional, e.currency, now, e.slaDeadline);
    const next: Omit<SettlementException, 'version' | 'auditHash'> = breach
      ? { ...e, breachedAt: now, priority: 'P1' }
      : { ...e, warnedAt: now, priority };
    cs.update('exception', e, next, {
      action: breach ? 'SLA_BREACHED' : 'SLA_WARNING',
      actor: SYSTEM.sweeper,
      details: { deadline: e.slaDeadline, priority: next.priority },
      at: now,
    });
    cs.outbox(slaAlert(e, breach ? 'SLA_BREACH' : 'SLA_WARNING', now, next.priority));
    if ((await commit(cs)).ok) {
      if (breach) breached++;
      else warned++;
    } else {
      skipped++;
    }
  }
  const orphans = await orphansDue(deps, now, tradeDates);
  return {
    warned,
    breached,
    missingCounterparty,
    matchedAtDeadline,
    nearMisses,
    skipped,
    orphans,
    tradeDates: [...tradeDates].sort(),
  };
}

/** Counterparty records unmatched past their deadline, by age since received (the byDue index). */
async function orphansDue(
  deps: Pick<SettlementDeps, 'store'>,
  now: string,
  tradeDates: Set<string>,
): Promise<OrphanSummary> {
  const all: Trade[] = [];
  for await (const t of drain((cursor) => deps.store.listOrphansDue(now, pageOptions(cursor))))
    if (t.status === 'UNMATCHED') {
      all.push(t);
      tradeDates.add(t.tradeDate);
    }
  return summariseOrphans(all, Date.parse(now), ORPHANS_LISTED);
}

function slaAlert(
  e: SettlementException,
  kind: 'SLA_WARNING' | 'SLA_BREACH',
  at: string,
  priority: string,
): OutboxRecord {
  return {
    outboxId: `OB|${kind}|${e.exceptionId}`,
    kind,
    entityId: e.exceptionId,
    desk: e.desk,
    payload: {
      exceptionId: e.exceptionId,
      tradeRef: e.tradeRef,
      type: e.type,
      reasonCode: e.reasonCode,
      deadline: e.slaDeadline,
      priority,
    },
    createdAt: at,
    status: 'PENDING',
  };
}

function pageOptions(cursor: string | undefined): { limit: number; cursor?: string } {
  return cursor === undefined ? { limit: 100 } : { limit: 100, cursor };
}

/** Every item of a paged query, page by page. */
async function* drain<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.cursor;
  } while (cursor !== undefined);
}
