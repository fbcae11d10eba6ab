import type { CalendarRegistry } from '../calendar.ts';
import { type FieldResult, type TradeSource, tradeRef } from '../model.ts';
import { compareTrades, type TradeRecord } from './compare.ts';
import { decisionKind, type MatchDecision, type ScoredCandidate } from './decide.ts';
import { FastScorer, zeros } from './fast-scorer.ts';
import type { MatchingPolicy } from './policy.ts';

/** The outcome for one of our trades. */
export interface BatchMatch {
  /** `INTERNAL#…` */
  readonly internalRef: string;
  readonly decision: MatchDecision;
}

export interface MatchBatchStats {
  readonly internal: number;
  readonly counterparty: number;
  /** Level-1 blocks holding at least one trade of each side. */
  readonly blocks: number;
  /** Level-2 pair comparisons made. */
  readonly comparisons: number;
  /** Comparisons that left the fast path for `compareTrades` (values beyond its exact integer range). */
  readonly fallbacks: number;
  readonly autoMatched: number;
  readonly review: number;
  readonly exception: number;
  readonly noCandidate: number;
  readonly unmatchedCounterparty: number;
}

export interface MatchBatchResult {
  /** One per internal trade, in input order. */
  readonly results: BatchMatch[];
  /** Counterparty refs not consumed by an auto-match, in input order. */
  readonly unmatchedCounterparty: string[];
  readonly stats: MatchBatchStats;
}

/**
 * Matches a batch (re-runs, the bench): level 1 groups both sides by block key in a Map, level 2
 * scores every pair inside a block, then pairs are decided one-to-one.
 *
 * One-to-one: a pair is auto-matched when each is the other's unambiguous best (confidence ≥
 * autoMatch, no other candidate within the ambiguity margin on either side); matched pairs are
 * removed and this repeats until nothing changes. The result does not depend on input order.
 * Every other trade is decided over the counterparty records left unconsumed: REVIEW, EXCEPTION or
 * NO_CANDIDATE as `decide` would; a trade that is the unambiguous best for its candidate but not
 * the other way round goes to REVIEW with the competing internal refs in `ambiguousWith`.
 *
 * `best.fields` is computed on first access (with `compareTrades`) and cached: most pairs are
 * exact and nobody reads their details.
 */
export function matchBatch(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): MatchBatchResult {
  return run(internal, counterparty, policy, calendars, false);
}

/**
 * Baseline for the benchmark and tests only: every internal trade against every counterparty record
 * (a pair is a candidate when its level-1 keys agree), then the same decisions. Never use it in the product.
 */
export function matchAllPairsBaseline(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): MatchBatchResult {
  return run(internal, counterparty, policy, calendars, true);
}

const NONE = 255;
const NO_CANDIDATE: MatchDecision = Object.freeze({ kind: 'NO_CANDIDATE' });

/** What lazy results need to materialise their details later. Inputs must not be mutated meanwhile. */
interface Batch {
  readonly internal: readonly TradeRecord[];
  readonly counterparty: readonly TradeRecord[];
  readonly policy: MatchingPolicy;
  readonly calendars: CalendarRegistry;
}

/**
 * A scored candidate whose ref and field details are materialised on first read. It keeps the batch
 * arrays and indices rather than the trades: building a million of these must not touch a million
 * trade objects.
 */
class LazyScoredCandidate implements ScoredCandidate {
  readonly confidence: number;
  readonly #batch: Batch;
  readonly #internal: number;
  readonly #counterparty: number;
  #ref: string | undefined;
  #fields: FieldResult[] | undefined;

  constructor(batch: Batch, internal: number, counterparty: number, confidence: number) {
    this.#batch = batch;
    this.#internal = internal;
    this.#counterparty = counterparty;
    this.confidence = confidence;
  }

  get ref(): string {
    this.#ref ??= tradeRef(this.#batch.counterparty[this.#counterparty] as TradeRecord);
    return this.#ref;
  }

  get fields(): FieldResult[] {
    const b = this.#batch;
    this.#fields ??= compareTrades(
      b.internal[this.#internal] as TradeRecord,
      b.counterparty[this.#counterparty] as TradeRecord,
      b.policy,
      b.calendars,
    ).fields;
    return this.#fields;
  }

  toJSON(): { ref: string; confidence: number; fields: FieldResult[] } {
    return { ref: this.ref, confidence: this.confidence, fields: this.fields };
  }
}

/** A batch result whose ref string is built on first read. */
class LazyBatchMatch implements BatchMatch {
  readonly decision: MatchDecision;
  readonly #internal: readonly TradeRecord[];
  readonly #index: number;
  #ref: string | undefined;

  constructor(internal: readonly TradeRecord[], index: number, decision: MatchDecision) {
    this.#internal = internal;
    this.#index = index;
    this.decision = decision;
  }

  get internalRef(): string {
    this.#ref ??= tradeRef(this.#internal[this.#index] as TradeRecord);
    return this.#ref;
  }

  toJSON(): { internalRef: string; decision: MatchDecision } {
    return { internalRef: this.internalRef, decision: this.decision };
  }
}

function checkSource(t: TradeRecord, expected: TradeSource, name: string, i: number): void {
  if (t.source !== expected)
    throw new TypeError(`${name}[${i}].source is ${String(t.source)}, expected ${expected}`);
}

function run(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
  allPairs: boolean,
): MatchBatchResult {
  const scorer = new FastScorer(policy, calendars);
  const batch: Batch = { internal, counterparty, policy, calendars };
  const ni = internal.length;
  const nc = counterparty.length;
  const ours = scorer.allocate(internal);
  const theirs = scorer.allocate(counterparty);

  // One pass per side (each trade object is read once): check the source, parse the trade for
  // level 2, and find its level-1 block. The index is keyed on the block key's parts — ISIN and
  // trade date give a slot, the side one of its two blocks (the source is the batch side): that is
  // `blockKey()` without building a string per trade. A counterparty record goes in block
  // (slot, its side); our trade looks in (slot, opposite side).
  const index = new Map<string, number[]>();
  const dateIds = new Map<string, number>();
  let slots = 0;
  const blockOfTheirs = zeros(nc);
  for (let c = 0; c < nc; c++) {
    const t = counterparty[c] as TradeRecord;
    checkSource(t, 'COUNTERPARTY', 'counterparty', c);
    scorer.prepareRow(theirs, c, t);
    if (allPairs) continue;
    // Per ISIN, slots by trade-date id: a short array (a batch spans few trade dates).
    let byDate = index.get(t.isin);
    if (byDate === undefined) {
      byDate = [];
      index.set(t.isin, byDate);
    }
    let date = dateIds.get(t.tradeDate);
    if (date === undefined) {
      date = dateIds.size;
      dateIds.set(t.tradeDate, date);
    }
    let slot = byDate[date];
    if (slot === undefined) {
      slot = slots++;
      byDate[date] = slot;
    }
    blockOfTheirs[c] = slot * 2 + (t.side === 'BUY' ? 0 : 1);
  }
  const blockOfOurs = zeros(ni);
  for (let i = 0; i < ni; i++) {
    const t = internal[i] as TradeRecord;
    checkSource(t, 'INTERNAL', 'internal', i);
    scorer.prepareRow(ours, i, t);
    if (allPairs) continue;
    const date = dateIds.get(t.tradeDate);
    const slot = date === undefined ? undefined : index.get(t.isin)?.[date];
    blockOfOurs[i] = slot === undefined ? -1 : slot * 2 + (t.side === 'BUY' ? 1 : 0);
  }
  // The baseline puts everything in one block and checks the key per pair instead.
  const blockCount = allPairs ? (ni > 0 && nc > 0 ? 1 : 0) : slots * 2;
  const ourStart = zeros(blockCount + 1);
  const theirStart = zeros(blockCount + 1);
  for (let i = 0; i < ni; i++) {
    const b = blockOfOurs[i] as number;
    if (b >= 0) ourStart[b + 1] = (ourStart[b + 1] as number) + 1;
  }
  for (let c = 0; c < nc; c++) {
    const b = blockOfTheirs[c] as number;
    theirStart[b + 1] = (theirStart[b + 1] as number) + 1;
  }
  for (let b = 0; b < blockCount; b++) {
    ourStart[b + 1] = (ourStart[b + 1] as number) + (ourStart[b] as number);
    theirStart[b + 1] = (theirStart[b + 1] as number) + (theirStart[b] as number);
  }
  const ourMembers = zeros(ourStart[blockCount] ?? 0);
  const theirMembers = zeros(nc);
  {
    const fillOurs = ourStart.slice(0, blockCount);
    for (let i = 0; i < ni; i++) {
      const b = blockOfOurs[i] as number;
      if (b < 0) continue;
      const at = fillOurs[b] as number;
      ourMembers[at] = i;
      fillOurs[b] = at + 1;
    }
    const fillTheirs = theirStart.slice(0, blockCount);
    for (let c = 0; c < nc; c++) {
      const b = blockOfTheirs[c] as number;
      const at = fillTheirs[b] as number;
      theirMembers[at] = c;
      fillTheirs[b] = at + 1;
    }
  }

  const results: BatchMatch[] = new Array(ni);
  const consumedGlobal = zeros(nc);
  const counts = { comparisons: 0, blocks: 0, autoMatched: 0, review: 0, exception: 0, noCandidate: 0 };
  const { autoMatch, ambiguityMargin: margin, candidateFloor: floor } = policy.thresholds;
  let scratch = new Scratch(16, 16);
  // Within one side the source is the same, so ref order is trade-id order.
  const theirId = (b: number, tStart: number) =>
    (counterparty[theirMembers[tStart + b] as number] as TradeRecord).tradeId;

  for (let block = 0; block < blockCount; block++) {
    const oStart = ourStart[block] as number;
    const bi = (ourStart[block + 1] as number) - oStart;
    const tStart = theirStart[block] as number;
    const bc = (theirStart[block + 1] as number) - tStart;
    if (bi === 0 || bc === 0) continue;
    counts.blocks++;
    if (!scratch.fits(bi, bc))
      scratch = new Scratch(Math.max(bi, scratch.rows * 2), Math.max(bc, scratch.cols * 2));
    scratch.reset(bi, bc);
    const { scores, matchOf, consumed } = scratch;

    // Level 2: every pair in the block.
    for (let a = 0; a < bi; a++) {
      const oi = ourMembers[oStart + a] as number;
      const row = a * bc;
      for (let b = 0; b < bc; b++) {
        const ci = theirMembers[tStart + b] as number;
        if (allPairs) {
          const o = internal[oi] as TradeRecord;
          const t = counterparty[ci] as TradeRecord;
          if (o.isin !== t.isin || o.tradeDate !== t.tradeDate || o.side === t.side) {
            scores[row + b] = NONE;
            continue;
          }
        }
        scores[row + b] = scorer.score(ours, oi, theirs, ci);
        counts.comparisons++;
      }
    }

    pairMutualBests(scratch, bi, bc, autoMatch, margin);

    // Decisions.
    for (let a = 0; a < bi; a++) {
      const oi = ourMembers[oStart + a] as number;
      const matched = matchOf[a] as number;
      if (matched >= 0) {
        const c = theirMembers[tStart + matched] as number;
        consumedGlobal[c] = 1;
        const best = new LazyScoredCandidate(batch, oi, c, scores[a * bc + matched] as number);
        results[oi] = new LazyBatchMatch(internal, oi, { kind: 'AUTO_MATCH', best });
        counts.autoMatched++;
        continue;
      }
      const row = a * bc;
      let best = -1;
      let bestCol = -1;
      for (let b = 0; b < bc; b++) {
        if (consumed[b] !== 0) continue;
        const s = scores[row + b] as number;
        if (s === NONE) continue;
        if (s > best || (s === best && theirId(b, tStart) < theirId(bestCol, tStart))) {
          best = s;
          bestCol = b;
        }
      }
      // Below the floor a record is another trade, not a broken copy of ours (as in `decide`).
      if (bestCol < 0 || best < floor) {
        results[oi] = new LazyBatchMatch(internal, oi, NO_CANDIDATE);
        counts.noCandidate++;
        continue;
      }
      const rivals: Rival[] = [];
      for (let b = 0; b < bc; b++) {
        if (b === bestCol || consumed[b] !== 0) continue;
        const s = scores[row + b] as number;
        if (s !== NONE && s >= floor && best - s <= margin) {
          rivals.push({
            ref: tradeRef(counterparty[theirMembers[tStart + b] as number] as TradeRecord),
            confidence: s,
          });
        }
      }
      if (rivals.length === 0 && best >= autoMatch) {
        // Our unambiguous best, but some other trade of ours is as good (or better) for that record.
        for (let other = 0; other < bi; other++) {
          if (other === a || (matchOf[other] as number) >= 0) continue;
          const s = scores[other * bc + bestCol] as number;
          if (s !== NONE && best - s <= margin) {
            rivals.push({
              ref: tradeRef(internal[ourMembers[oStart + other] as number] as TradeRecord),
              confidence: s,
            });
          }
        }
      }
      const candidate = new LazyScoredCandidate(batch, oi, theirMembers[tStart + bestCol] as number, best);
      const kind = decisionKind(best, rivals.length > 0, policy.thresholds);
      if (kind === 'REVIEW') {
        rivals.sort(byConfidenceThenRef);
        const ambiguousWith = rivals.map((r) => r.ref);
        results[oi] = new LazyBatchMatch(internal, oi, { kind, best: candidate, ambiguousWith });
        counts.review++;
      } else if (kind === 'EXCEPTION') {
        results[oi] = new LazyBatchMatch(internal, oi, { kind, best: candidate });
        counts.exception++;
      } else {
        // Unreachable: an unambiguous best both ways would have been paired above.
        throw new Error(
          `internal error: ${tradeRef(internal[oi] as TradeRecord)} left unpaired with an unambiguous best`,
        );
      }
    }
  }

  for (let i = 0; i < ni; i++) {
    if (results[i] === undefined) {
      results[i] = new LazyBatchMatch(internal, i, NO_CANDIDATE);
      counts.noCandidate++;
    }
  }
  const unmatchedCounterparty: string[] = [];
  for (let c = 0; c < nc; c++) {
    if (consumedGlobal[c] === 0) unmatchedCounterparty.push(tradeRef(counterparty[c] as TradeRecord));
  }

  return {
    results,
    unmatchedCounterparty,
    stats: {
      internal: ni,
      counterparty: nc,
      blocks: counts.blocks,
      comparisons: counts.comparisons,
      fallbacks: scorer.fallbacks,
      autoMatched: counts.autoMatched,
      review: counts.review,
      exception: counts.exception,
      noCandidate: counts.noCandidate,
      unmatchedCounterparty: unmatchedCounterparty.length,
    },
  };
}

/**
 * One-to-one auto-matching inside a block: repeatedly pairs trades and records that are each other's
 * unambiguous best at or above `autoMatch`, until a round pairs nothing. Pairing two such mutual
 * bests never disturbs another mutual pair, so the result is the same in any order.
 * Fills `scratch.matchOf` (row → column or −1) and `scratch.consumed`.
 */
function pairMutualBests(scratch: Scratch, bi: number, bc: number, autoMatch: number, margin: number): void {
  const { scores, matchOf, consumed, top1, top1Row, top2 } = scratch;
  for (let progress = true; progress; ) {
    progress = false;
    // Per record: the best and second-best score among our unpaired trades.
    for (let b = 0; b < bc; b++) {
      let best = -1;
      let bestRow = -1;
      let second = -1;
      if (consumed[b] === 0) {
        for (let a = 0; a < bi; a++) {
          if ((matchOf[a] as number) >= 0) continue;
          const s = scores[a * bc + b] as number;
          if (s === NONE) continue;
          if (s > best) {
            second = best;
            best = s;
            bestRow = a;
          } else if (s > second) second = s;
        }
      }
      top1[b] = best;
      top1Row[b] = bestRow;
      top2[b] = second;
    }
    for (let a = 0; a < bi; a++) {
      if ((matchOf[a] as number) >= 0) continue;
      const row = a * bc;
      let best = -1;
      let bestCol = -1;
      let second = -1;
      for (let b = 0; b < bc; b++) {
        if (consumed[b] !== 0) continue;
        const s = scores[row + b] as number;
        if (s === NONE) continue;
        if (s > best) {
          second = best;
          best = s;
          bestCol = b;
        } else if (s > second) second = s;
      }
      if (best < autoMatch || (second >= 0 && best - second <= margin)) continue;
      // The record's tops may still count trades paired earlier in this round: that only errs
      // towards "ambiguous", and the next round recomputes them.
      const rival = top1Row[bestCol] === a ? (top2[bestCol] as number) : (top1[bestCol] as number);
      if (rival >= 0 && best - rival <= margin) continue;
      matchOf[a] = bestCol;
      consumed[bestCol] = 1;
      progress = true;
    }
  }
}

interface Rival {
  readonly ref: string;
  readonly confidence: number;
}

function byConfidenceThenRef(a: Rival, b: Rival): number {
  if (a.confidence !== b.confidence) return b.confidence - a.confidence;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

/** Per-block working arrays, reused across blocks and grown when a block is larger. */
class Scratch {
  readonly scores: Uint8Array;
  readonly matchOf: Int32Array;
  readonly consumed: Uint8Array;
  readonly top1: Int16Array;
  readonly top1Row: Int32Array;
  readonly top2: Int16Array;

  constructor(
    readonly rows: number,
    readonly cols: number,
  ) {
    this.scores = new Uint8Array(rows * cols);
    this.matchOf = new Int32Array(rows);
    this.consumed = new Uint8Array(cols);
    this.top1 = new Int16Array(cols);
    this.top1Row = new Int32Array(cols);
    this.top2 = new Int16Array(cols);
  }

  fits(rows: number, cols: number): boolean {
    return rows <= this.rows && cols <= this.cols;
  }

  reset(rows: number, cols: number): void {
    this.matchOf.fill(-1, 0, rows);
    this.consumed.fill(0, 0, cols);
  }
}
