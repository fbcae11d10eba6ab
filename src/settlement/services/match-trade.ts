import { blockKey, candidateBlockKey, oppositeSide } from '../matching/index.ts';
import type { SettlementException, Trade } from '../model.ts';
import { ChangeSet } from '../store/change-set.ts';
import { isCandidate } from '../store/items.ts';
import { inParallel } from './concurrency.ts';
import { MAX_ATTEMPTS, nowIso, type SettlementDeps } from './deps.ts';
import { exceptionIdsOf } from './exception-sync.ts';
import {
  type MatchOutcome,
  type MatchOutcomeKind,
  type MatchPlan,
  planMatch,
  tradeRefOf,
} from './match-plan.ts';

export { type MatchOutcome, type MatchOutcomeKind, tradeRefOf } from './match-plan.ts';

/**
 * Level 1 then level 2 for one trade: candidates from its block, each compared field by field,
 * then the deterministic decision (auto-match, review, exception). All the writes of a decision
 * commit in one transaction conditional on the versions read; a lost race re-reads and retries.
 */
export async function matchTrade(
  deps: SettlementDeps,
  ref: string,
  options: { readonly force?: boolean } = {},
): Promise<MatchOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const trade = await deps.store.getTrade(ref);
    if (trade === undefined) return { kind: 'NOT_FOUND', ref };
    const skip = skipReason(trade, options.force === true);
    if (skip !== undefined) return skip;
    const [candidates, peers] = await Promise.all([
      deps.store.listBlock(candidateBlockKey(trade)),
      deps.store.listBlock(blockKey(trade)),
    ]);
    const internals = [trade, ...candidates].filter((t) => t.source === 'INTERNAL' && t.hasExceptions);
    const exceptions = await deps.store.getExceptions(
      internals.flatMap((t) => exceptionIdsOf(tradeRefOf(t))),
    );
    const byTrade = groupByTrade(exceptions);
    const plan = planMatch(deps, trade, candidates, peers, (ref) => byTrade.get(ref) ?? [], nowIso(deps));
    if (!(await deps.store.commit(plan.changes)).ok) continue;
    if (plan.judgeFrom !== undefined) {
      const fromInternal = await matchTrade(deps, plan.judgeFrom, { force: true });
      return fromInternal.kind === 'EXCEPTION' ? { ...fromInternal, ref } : plan.outcome;
    }
    return plan.outcome;
  }
  return { kind: 'CONFLICT', ref };
}

/** ISIN, trade date and the direction of our side: the trades that can ever be compared with each other. */
function pairGroup(t: Trade): string {
  const ourSide = t.source === 'INTERNAL' ? t.side : oppositeSide(t.side);
  return `${t.isin}|${t.tradeDate}|${ourSide}`;
}

function skipReason(trade: Trade, force: boolean): MatchOutcome | undefined {
  const ref = tradeRefOf(trade);
  if (!isCandidate(trade)) return { kind: 'NOT_OPEN', ref, status: trade.status };
  if (!trade.needsMatching && !force) return { kind: 'UP_TO_DATE', ref };
  return undefined;
}

/** Exceptions grouped by the trade they were raised on. */
function groupByTrade(list: readonly SettlementException[]): Map<string, SettlementException[]> {
  const byTrade = new Map<string, SettlementException[]>();
  for (const e of list) byTrade.set(e.tradeRef, [...(byTrade.get(e.tradeRef) ?? []), e]);
  return byTrade;
}

export type MatchTally = Record<MatchOutcomeKind, number>;

export function emptyTally(): MatchTally {
  return {
    NOT_FOUND: 0,
    NOT_OPEN: 0,
    UP_TO_DATE: 0,
    AUTO_MATCHED: 0,
    PENDING_REVIEW: 0,
    EXCEPTION: 0,
    NO_CANDIDATE: 0,
    CONFLICT: 0,
  };
}

const TRANSACTION_ITEMS = 100;
/** How many times a group's waiting trades are matched again after its first pass (see `matchMany`). */
const SETTLING_PASSES = 3;

function isDecision(o: MatchOutcome): boolean {
  return o.kind === 'AUTO_MATCHED' || o.kind === 'PENDING_REVIEW' || o.kind === 'EXCEPTION';
}

/**
 * Matches many trades with the decisions `matchTrade` would take one by one, in far fewer round
 * trips: each level-1 block is read once, decisions are planned against an in-memory view that
 * follows its own writes, and the writes of many decisions go out in one transaction (never two
 * writes to one item in a transaction). If a transaction loses a race with another writer, none
 * of it was written, and those trades and the rest are matched one by one from fresh reads.
 *
 * `known` are trades the caller has just written (their current versions), saving the reads.
 */
export async function matchMany(
  deps: SettlementDeps,
  refs: readonly string[],
  options: {
    readonly known?: readonly Trade[];
    readonly concurrency?: number;
    /** Called after each committed transaction with how many trades are decided so far. */
    readonly onProgress?: (decided: number, total: number) => void;
  } = {},
): Promise<MatchTally> {
  const known = options.known ?? [];
  const concurrency = options.concurrency ?? 8;
  const view = new Map(known.map((t) => [tradeRefOf(t), t]));
  for (const t of await deps.store.getTrades(refs.filter((r) => !view.has(r)))) view.set(tradeRefOf(t), t);

  // Level 1, once per block: the candidates of every trade to match, and its peers (its own block).
  const blocks = new Map<string, Set<string>>();
  const blockKeys = new Set<string>();
  for (const r of refs) {
    const t = view.get(r);
    if (t !== undefined) blockKeys.add(candidateBlockKey(t)).add(blockKey(t));
  }
  await inParallel([...blockKeys], concurrency, async (key) => {
    for (const t of await deps.store.listBlock(key)) {
      const mine = view.get(tradeRefOf(t));
      if (mine === undefined || mine.version < t.version) view.set(tradeRefOf(t), t);
    }
  });
  const place = (t: Trade) => {
    const key = blockKey(t);
    const members = blocks.get(key) ?? new Set<string>();
    if (isCandidate(t)) members.add(tradeRefOf(t));
    else members.delete(tradeRefOf(t));
    blocks.set(key, members);
  };
  for (const t of view.values()) place(t);

  const withExceptions = [...view.values()].filter((t) => t.source === 'INTERNAL' && t.hasExceptions);
  const exceptions = groupByTrade(
    await deps.store.getExceptions(withExceptions.flatMap((t) => exceptionIdsOf(tradeRefOf(t)))),
  );
  const apply = (plan: MatchPlan) => {
    for (const t of plan.trades) {
      view.set(tradeRefOf(t), t);
      place(t);
    }
    for (const e of plan.exceptions) {
      const others = (exceptions.get(e.tradeRef) ?? []).filter((x) => x.exceptionId !== e.exceptionId);
      exceptions.set(e.tradeRef, [...others, e]);
    }
  };

  const results: Array<MatchOutcome | undefined> = new Array(refs.length);
  let decided = 0;
  // Trades of one ISIN, trade date and direction only ever meet each other: each such group is
  // planned in order on its own and the groups commit in parallel.
  const groups = new Map<string, number[]>();
  refs.forEach((ref, i) => {
    const t = view.get(ref);
    const key = t === undefined ? `?${ref}` : pairGroup(t);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [i]);
    else members.push(i);
  });

  const extra = emptyTally();
  await inParallel([...groups.values()], concurrency, async (indexes) => {
    let pending = new ChangeSet();
    let pendingItems = new Set<string>();
    let pendingResults: Array<[index: number, outcome: MatchOutcome]> = [];
    let pendingExtra: MatchOutcome[] = [];
    let lost = false;
    const flush = async () => {
      if (pending.size > 0 && !(await deps.store.commit(pending)).ok) {
        lost = true;
      } else {
        for (const [i, outcome] of pendingResults) results[i] = outcome;
        for (const outcome of pendingExtra) extra[outcome.kind]++;
        decided += pendingResults.length;
        options.onProgress?.(decided, refs.length);
      }
      pending = new ChangeSet();
      pendingItems = new Set();
      pendingResults = [];
      pendingExtra = [];
    };
    /** Plans `start` (and the internal trade it is judged from) into the pending transaction. */
    const settle = async (start: string): Promise<MatchOutcome | undefined> => {
      let ref: string | undefined = start;
      let force = false;
      let first: MatchOutcome | undefined;
      while (ref !== undefined && !lost) {
        const trade = view.get(ref);
        const skip = trade === undefined ? ({ kind: 'NOT_FOUND', ref } as const) : skipReason(trade, force);
        if (trade === undefined || skip !== undefined) {
          first ??= skip;
          break;
        }
        const members = (key: string) => [...(blocks.get(key) ?? [])].flatMap((r) => view.get(r) ?? []);
        const plan = planMatch(
          deps,
          trade,
          members(candidateBlockKey(trade)),
          members(blockKey(trade)),
          (r) => exceptions.get(r) ?? [],
          nowIso(deps),
        );
        const items = plan.changes.itemKeys();
        if (items.some((k) => pendingItems.has(k)) || pending.size + items.length > TRANSACTION_ITEMS)
          await flush();
        if (lost) break;
        pending.append(plan.changes);
        for (const k of items) pendingItems.add(k);
        apply(plan);
        // A counterparty record judged from an internal trade's side reports that side's exception.
        if (first === undefined || plan.outcome.kind === 'EXCEPTION') first = { ...plan.outcome, ref: start };
        ref = plan.judgeFrom;
        force = true;
      }
      return first;
    };
    for (const i of indexes) {
      if (lost) break;
      const first = await settle(refs[i] as string);
      if (first !== undefined && !lost) pendingResults.push([i, first]);
    }
    // A decision late in the group can leave a trade handled earlier — or one stored by an earlier
    // ingest, not in `refs` — with a counterpart it did not have then (a record the first booking it
    // was judged against passed over). Such trades still carry `needsMatching`: they are matched again
    // until a pass decides nothing, so the end state does not depend on the order the trades arrived
    // in, nor on where an interrupted run stopped (which the SLA sweeper would otherwise settle later).
    const sample = indexes.map((i) => view.get(refs[i] as string)).find((t) => t !== undefined);
    for (let pass = 0; pass < SETTLING_PASSES && sample !== undefined && !lost; pass++) {
      const waiting = [
        ...new Set([
          ...(blocks.get(blockKey(sample)) ?? []),
          ...(blocks.get(candidateBlockKey(sample)) ?? []),
        ]),
      ]
        .flatMap((r) => view.get(r) ?? [])
        .filter((t) => t.needsMatching)
        .map(tradeRefOf)
        // Our bookings first: judged from the internal side, all candidates are weighed.
        .sort(
          (a, b) =>
            Number(a.startsWith('COUNTERPARTY#')) - Number(b.startsWith('COUNTERPARTY#')) ||
            (a < b ? -1 : a > b ? 1 : 0),
        );
      let decidedNow = 0;
      for (const ref of waiting) {
        if (lost) break;
        const outcome = await settle(ref);
        if (outcome !== undefined && isDecision(outcome)) {
          pendingExtra.push(outcome);
          decidedNow++;
        }
      }
      if (decidedNow === 0) break;
    }
    if (!lost) await flush();
  });

  // Whatever a lost race left undecided is matched one by one from fresh reads.
  const tally = extra;
  for (let i = 0; i < refs.length; i++) {
    const outcome = results[i] ?? (await matchTrade(deps, refs[i] as string));
    tally[outcome.kind]++;
  }
  return tally;
}
