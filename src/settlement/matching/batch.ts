import type { CalendarRegistry } from '../calendar.ts';
import { type FieldResult, type TradeSource, tradeRef } from '../model.ts';
import { compareTrades, type TradeRecord } from './compare.ts';
import { decisionKind, type MatchDecision, type ScoredCandidate } from './decide.ts';
import { DenseIds } from './dense-ids.ts';
import { FastScorer, type PreparedSide } from './fast-scorer.ts';
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
  readonly results: BatchResults;
  /** Counterparty refs not consumed by an auto-match, in input order. */
  readonly unmatchedCounterparty: string[];
  readonly stats: MatchBatchStats;
}

/**
 * Matches two whole books in memory (the benchmark measures it): level 1 groups both sides by block
 * (ISIN, trade date, side), level 2 scores every pair inside a block, then pairs are decided
 * one-to-one.
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
 *
 * Scaling: the work is linear in the number of trades (blocks are small), and so is the memory the
 * matcher adds to its inputs — typed arrays of about 55 bytes a trade (~55 MB at a million a side,
 * under V8's 64 MB external-memory trigger for a full collection), plus the results. Trade objects are
 * read in input order; what is read by block (records, scores) is laid out in block order. See `run`.
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
  /** Per trade of ours: `kind · KIND + confidence`. */
  readonly outcome: Uint16Array;
  /** Per trade of ours: its best record's index in `counterparty` (unused for NO_CANDIDATE). */
  readonly bestOf: Int32Array;
  /** The competing refs of each trade of ours that went to REVIEW. */
  readonly rivalsOf: ReadonlyMap<number, readonly string[]>;
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

/**
 * The outcomes of a batch, one per internal trade in input order. They are kept as numbers in typed
 * arrays (a few bytes a trade); `at` and iteration build a small view object per read, whose ref and
 * decision are built on their first read. A batch of a million trades a side is thus not a million
 * long-lived result objects for the garbage collector to copy out of its young generation (at that
 * size, building them took ~8 % of the run): a caller that walks the results and writes each decision
 * somewhere lets every view die young. Keep a view if you read it twice (its `best.fields` is computed once per view).
 */
export class BatchResults implements Iterable<BatchMatch> {
  readonly #batch: Batch;

  /** @internal Built by `matchBatch`. */
  constructor(batch: Batch) {
    this.#batch = batch;
  }

  get length(): number {
    return this.#batch.internal.length;
  }

  /** The result of `internal[i]`. */
  at(i: number): BatchMatch {
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new RangeError(`no result ${i}: the batch has ${this.length} internal trades`);
    return new LazyBatchMatch(this.#batch, i);
  }

  *[Symbol.iterator](): Iterator<BatchMatch> {
    for (let i = 0; i < this.length; i++) yield new LazyBatchMatch(this.#batch, i);
  }

  toJSON(): BatchMatch[] {
    return [...this];
  }
}

/** A view of one result (see `BatchResults`). */
class LazyBatchMatch implements BatchMatch {
  readonly #batch: Batch;
  readonly #index: number;
  #ref: string | undefined;
  #decision: MatchDecision | undefined;

  constructor(batch: Batch, index: number) {
    this.#batch = batch;
    this.#index = index;
  }

  get internalRef(): string {
    this.#ref ??= tradeRef(this.#batch.internal[this.#index] as TradeRecord);
    return this.#ref;
  }

  get decision(): MatchDecision {
    this.#decision ??= materialise(this.#batch, this.#index);
    return this.#decision;
  }

  toJSON(): { internalRef: string; decision: MatchDecision } {
    return { internalRef: this.internalRef, decision: this.decision };
  }
}

function materialise(b: Batch, i: number): MatchDecision {
  const o = b.outcome[i] as number;
  const kind = (o / KIND) | 0;
  if (kind === K_NONE) return NO_CANDIDATE;
  const best = new LazyScoredCandidate(b, i, b.bestOf[i] as number, o % KIND);
  if (kind === K_AUTO) return { kind: 'AUTO_MATCH', best };
  if (kind === K_EXCEPTION) return { kind: 'EXCEPTION', best };
  return { kind: 'REVIEW', best, ambiguousWith: [...(b.rivalsOf.get(i) ?? [])] };
}

/**
 * One small object of every class the hot path allocates, replaced after each batch. V8 keeps a
 * hidden class (a map) only while some object has it: a class's maps hang off its constructor through
 * weak transitions. Between two batches nothing of the matcher is alive, so a full collection in between
 * would collect its maps and throw away all optimised code built on them (deoptimisation, reason "weak
 * objects"), and the next batch would start over in the interpreter: at 10k trades a side that doubled
 * the time of a run. These few objects keep the maps, hence the code, alive.
 */
const exemplars: unknown[] = [];

function keepHiddenClasses(policy: MatchingPolicy, calendars: CalendarRegistry): void {
  const scorer = new FastScorer(policy, calendars);
  const empty: Batch = {
    internal: [],
    counterparty: [],
    policy,
    calendars,
    outcome: new Uint16Array(0),
    bestOf: new Int32Array(0),
    rivalsOf: new Map(),
  };
  exemplars.length = 0;
  exemplars.push(
    scorer,
    scorer.allocate([]),
    new Scratch(1, 1),
    new DenseIds(1),
    new SlotTable(1, 1, 1),
    new LazyScoredCandidate(empty, 0, 0, 0),
    new LazyBatchMatch(empty, 0),
    new BatchResults(empty),
  );
}

function checkSource(t: TradeRecord, expected: TradeSource, name: string, i: number): void {
  if (t.source !== expected)
    throw new TypeError(`${name}[${i}].source is ${String(t.source)}, expected ${expected}`);
}

/*
 * Per block, `BLOCK` integers in one Int32Array (what is read together sits together):
 *   T_START  its first record in block order;
 *   T_COUNT  how many records;
 *   O_START  its first trade of ours in block order (the next block's O_START ends them; a sentinel
 *            block closes the last one);
 *   SCORES   where its score matrix (our trades × its records, row-major) starts — while our side is
 *            scored, where the next trade's row goes.
 */
const T_START = 0;
const T_COUNT = 1;
const O_START = 2;
const SCORES = 3;
const BLOCK = 4;

/* An outcome per trade of ours, `kind * KIND + confidence` in a Uint16Array. */
const KIND = 128;
const K_NONE = 0;
const K_AUTO = 1;
const K_REVIEW = 2;
const K_EXCEPTION = 3;

/**
 * The steps (trade objects are read in input order — only tie-breaks and the refs of REVIEW rivals
 * read one at random — and each step's typed arrays are laid out so that what it reads together is
 * adjacent):
 *   1. the level-1 block of every trade, from its key fields;
 *   2. both sides grouped by block (counting sorts, stable: input order within a block);
 *   3. the counterparty side parsed for level 2 (`FastScorer`), each record stored at its place in
 *      block order;
 *   4. our side parsed, each trade scored against its block's records as it is read, the scores stored
 *      block by block;
 *   5. block by block, the one-to-one decisions, kept as an outcome per trade;
 *   6. the results built in input order.
 */
function run(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
  allPairs: boolean,
): MatchBatchResult {
  const ni = internal.length;
  const nc = counterparty.length;
  const scorer = new FastScorer(policy, calendars);

  const theirPlace = new Int32Array(nc);
  const ourBlock = new Int32Array(ni);
  const blockCount = allPairs
    ? oneBlock(internal, counterparty, theirPlace, ourBlock)
    : findBlocks(internal, counterparty, theirPlace, ourBlock);

  const info = new Int32Array((blockCount + 1) * BLOCK);
  const theirMembers = new Int32Array(nc);
  const ourMembers = new Int32Array(ni);
  groupByBlock(theirPlace, info, T_START, T_COUNT, theirMembers, true);
  // Our counts are kept in SCORES until the score matrices are laid out.
  groupByBlock(ourBlock, info, O_START, SCORES, ourMembers, false);
  let pairs = 0;
  for (let k = 0; k < blockCount * BLOCK; k += BLOCK) {
    const ours = info[k + SCORES] as number;
    info[k + SCORES] = pairs;
    pairs += ours * (info[k + T_COUNT] as number);
  }
  const scores = new Uint8Array(pairs);

  const theirs = scorer.allocate(counterparty, theirMembers);
  for (let c = 0; c < nc; c++) {
    const place = theirPlace[c] as number;
    if (place >= 0) scorer.prepareRow(theirs, place, counterparty[c] as TradeRecord);
  }

  const comparisons = allPairs
    ? scoreAllPairs(scorer, internal, counterparty, ourBlock, info, theirs, theirMembers, scores)
    : scoreOurs(scorer, internal, ourBlock, info, theirs, scores);

  // Arrays that are done with take new jobs: the best record per trade of ours, the records consumed.
  const bestOf = ourBlock.fill(-1);
  const consumed = theirPlace.fill(0);
  const outcome = new Uint16Array(ni);
  const rivalsOf = new Map<number, string[]>();
  decideBlocks(
    internal,
    counterparty,
    policy,
    info,
    blockCount,
    theirMembers,
    ourMembers,
    scores,
    bestOf,
    outcome,
    consumed,
    rivalsOf,
  );

  const counts = [0, 0, 0, 0];
  for (let i = 0; i < ni; i++) {
    const kind = ((outcome[i] as number) / KIND) | 0;
    counts[kind] = (counts[kind] as number) + 1;
  }
  const unmatchedCounterparty: string[] = [];
  for (let c = 0; c < nc; c++) {
    if (consumed[c] === 0) unmatchedCounterparty.push(tradeRef(counterparty[c] as TradeRecord));
  }

  keepHiddenClasses(policy, calendars);
  let blocks = 0;
  for (let k = 0; k < blockCount * BLOCK; k += BLOCK) {
    if (info[k + T_COUNT] !== 0 && info[k + BLOCK + O_START] !== info[k + O_START]) blocks++;
  }
  return {
    results: new BatchResults({ internal, counterparty, policy, calendars, outcome, bestOf, rivalsOf }),
    unmatchedCounterparty,
    stats: {
      internal: ni,
      counterparty: nc,
      blocks,
      comparisons,
      fallbacks: scorer.fallbacks,
      autoMatched: counts[K_AUTO] as number,
      review: counts[K_REVIEW] as number,
      exception: counts[K_EXCEPTION] as number,
      noCandidate: counts[K_NONE] as number,
      unmatchedCounterparty: unmatchedCounterparty.length,
    },
  };
}

/**
 * Step 1: the level-1 block of every trade; returns the number of blocks. The index is keyed on the
 * block key's parts — ISIN and trade date give a slot, the side one of its two blocks (the source is
 * the batch side): `blockKey()` without building a string per trade. A record goes in block (slot, its
 * side) and `theirBlock[c]` gets it; our trade looks in (slot, opposite side), or in no block (−1)
 * when the slot does not exist.
 *
 * ISINs get dense ids (`DenseIds`, a table that stays in cache), trade dates ids from a small Map (a
 * batch spans few dates), and a slot is found in a table indexed by ISIN and date ids — dense when the
 * batch's ISINs × dates are few enough (always, but for a batch spanning many dates), else a Map.
 * A record's ISIN id and date·2 + side wait in `theirBlock` and in `ourBlock` (not yet used; a scratch
 * array when there are more records than trades of ours) until the slots are known.
 */
function findBlocks(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  theirBlock: Int32Array,
  ourBlock: Int32Array,
): number {
  const nc = counterparty.length;
  const isins = new DenseIds(Math.min(nc, 1 << 16));
  const dateIds = new Map<string, number>();
  const dateSide = nc <= ourBlock.length ? ourBlock : new Int32Array(nc);
  for (let c = 0; c < nc; c++) {
    const t = counterparty[c] as TradeRecord;
    checkSource(t, 'COUNTERPARTY', 'counterparty', c);
    let date = dateIds.get(t.tradeDate);
    if (date === undefined) {
      date = dateIds.size;
      dateIds.set(t.tradeDate, date);
    }
    theirBlock[c] = isins.intern(t.isin);
    dateSide[c] = date * 2 + (t.side === 'BUY' ? 0 : 1);
  }
  const slots = new SlotTable(isins.size, dateIds.size, nc);
  for (let c = 0; c < nc; c++) {
    const ds = dateSide[c] as number;
    theirBlock[c] = slots.intern(theirBlock[c] as number, ds >> 1, ds & 1) * 2 + (ds & 1);
  }
  for (let i = 0; i < internal.length; i++) {
    const t = internal[i] as TradeRecord;
    checkSource(t, 'INTERNAL', 'internal', i);
    const date = dateIds.get(t.tradeDate);
    const isin = date === undefined ? -1 : isins.find(t.isin);
    const found = isin < 0 ? -1 : slots.find(isin, date as number);
    // Our BUY pairs with their SELL (side 1), and the other way round.
    const side = t.side === 'BUY' ? 1 : 0;
    ourBlock[i] = found >= 0 && (found & (1 << side)) !== 0 ? (found >> 2) * 2 + side : -1;
  }
  return slots.size * 2;
}

/**
 * Slots (0, 1, 2 … in first-seen order) per (ISIN id, date id), each kept with the sides its records
 * are on (so a trade of ours whose block would be empty is known to have none without another look-up):
 * in an Int32Array over all pairs when there are at most four of them per record (a batch of one or a
 * few trade dates), else in a Map.
 */
class SlotTable {
  readonly #dates: number;
  /** Per (ISIN, date): slot · 4 + a bit per side holding records; −1 for none. */
  readonly #dense: Int32Array | undefined;
  readonly #sparse = new Map<number, number>();
  size = 0;

  constructor(isins: number, dates: number, records: number) {
    this.#dates = dates;
    this.#dense = isins * dates <= 4 * records + 1024 ? new Int32Array(isins * dates).fill(-1) : undefined;
  }

  /** The slot of a record of `side` (0 or 1) in (isin, date). */
  intern(isin: number, date: number, side: number): number {
    const key = isin * this.#dates + date;
    const dense = this.#dense;
    let found = dense === undefined ? (this.#sparse.get(key) ?? -1) : (dense[key] as number);
    if (found < 0) found = this.size++ * 4;
    found |= 1 << side;
    if (dense === undefined) this.#sparse.set(key, found);
    else dense[key] = found;
    return found >> 2;
  }

  /** Slot · 4 + the sides holding records, or −1. */
  find(isin: number, date: number): number {
    const key = isin * this.#dates + date;
    const dense = this.#dense;
    return dense === undefined ? (this.#sparse.get(key) ?? -1) : (dense[key] as number);
  }
}

/** Step 1 of the baseline: everything in one block (the key is checked per pair instead). */
function oneBlock(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  theirBlock: Int32Array,
  ourBlock: Int32Array,
): number {
  for (let c = 0; c < counterparty.length; c++)
    checkSource(counterparty[c] as TradeRecord, 'COUNTERPARTY', 'counterparty', c);
  for (let i = 0; i < internal.length; i++)
    checkSource(internal[i] as TradeRecord, 'INTERNAL', 'internal', i);
  const block = internal.length > 0 && counterparty.length > 0 ? 0 : -1;
  theirBlock.fill(block);
  ourBlock.fill(block);
  return block + 1;
}

/**
 * Step 2: groups items by block (a counting sort, stable: input order within a block). On return
 * block b's items are `members[info[b·BLOCK + start] …]`, `info[b·BLOCK + count]` of them, and the
 * sentinel block's `start` is the number placed; items of block −1 are left out. With `toPlace`,
 * `blocks[k]` is replaced by item k's place in `members` (−1 stays −1).
 */
function groupByBlock(
  blocks: Int32Array,
  info: Int32Array,
  start: number,
  count: number,
  members: Int32Array,
  toPlace: boolean,
): void {
  const n = blocks.length;
  for (let k = 0; k < n; k++) {
    const b = blocks[k] as number;
    if (b >= 0) info[b * BLOCK + count] = (info[b * BLOCK + count] as number) + 1;
  }
  let at = 0;
  for (let k = 0; k < info.length; k += BLOCK) {
    info[k + start] = at;
    at += info[k + count] as number;
  }
  // Each item takes its block's next place, `start` moving on; then it is moved back.
  for (let k = 0; k < n; k++) {
    const b = blocks[k] as number;
    if (b < 0) continue;
    const place = info[b * BLOCK + start] as number;
    members[place] = k;
    info[b * BLOCK + start] = place + 1;
    if (toPlace) blocks[k] = place;
  }
  for (let k = 0; k < info.length; k += BLOCK)
    info[k + start] = (info[k + start] as number) - (info[k + count] as number);
}

/** Trades of ours parsed per chunk in step 4 (the chunk's rows take 28 bytes a trade). */
const CHUNK = 1 << 16;

/**
 * Step 4: our trades, parsed in input order a chunk at a time, then the chunk scored in block order:
 * each trade against its block's records (rows `T_START …` of `theirs`), its row of scores written at
 * the block's SCORES, which moves on. Within a block, trades keep input order. Scoring in block order
 * reads the block table and the records' rows and writes the score matrices front to back, where input
 * order jumped between blocks at random: at 1M trades a side those arrays are ~40 MB, far beyond L2, and
 * that made this step ~30 % dearer per trade than at 100k (in block order: ~5–15 %). Returns the number
 * of comparisons.
 */
function scoreOurs(
  scorer: FastScorer,
  internal: readonly TradeRecord[],
  ourBlock: Int32Array,
  info: Int32Array,
  theirs: PreparedSide,
  scores: Uint8Array,
): number {
  const size = Math.min(CHUNK, internal.length);
  const chunk: TradeRecord[] = new Array(size);
  const rows = scorer.allocate(chunk);
  // block · CHUNK + entry: sorted, block order with input order within a block (exact: < 2^53).
  const order = new Float64Array(size);
  let comparisons = 0;
  for (let from = 0; from < internal.length; from += CHUNK) {
    const to = Math.min(internal.length, from + CHUNK);
    let n = 0;
    for (let i = from; i < to; i++) {
      // A trade of ours has a block only if the block holds records (`findBlocks`).
      const block = ourBlock[i] as number;
      if (block < 0) continue;
      const t = internal[i] as TradeRecord;
      chunk[n] = t;
      scorer.prepareRow(rows, n, t);
      order[n] = block * CHUNK + n;
      n++;
    }
    const sorted = order.subarray(0, n).sort();
    for (let j = 0; j < n; j++) {
      const key = sorted[j] as number;
      const entry = key % CHUNK;
      const k = ((key - entry) / CHUNK) * BLOCK;
      const tStart = info[k + T_START] as number;
      const bc = info[k + T_COUNT] as number;
      const at = info[k + SCORES] as number;
      info[k + SCORES] = at + bc;
      for (let b = 0; b < bc; b++) scores[at + b] = scorer.score(rows, entry, theirs, tStart + b);
      comparisons += bc;
    }
  }
  return comparisons;
}

/** The single entry of a side holding one trade. */
const ONE = new Int32Array(1);

/** Step 4 of the baseline: every pair of the one block, the level-1 key checked per pair. */
function scoreAllPairs(
  scorer: FastScorer,
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  ourBlock: Int32Array,
  info: Int32Array,
  theirs: PreparedSide,
  theirMembers: Int32Array,
  scores: Uint8Array,
): number {
  const current: TradeRecord[] = [];
  const one = scorer.allocate(current, ONE);
  const bc = info[T_COUNT] as number;
  let comparisons = 0;
  for (let i = 0; i < internal.length; i++) {
    if ((ourBlock[i] as number) < 0) continue;
    const at = info[SCORES] as number;
    info[SCORES] = at + bc;
    const t = internal[i] as TradeRecord;
    current[0] = t;
    scorer.prepareRow(one, 0, t);
    for (let b = 0; b < bc; b++) {
      const o = counterparty[theirMembers[b] as number] as TradeRecord;
      if (o.isin !== t.isin || o.tradeDate !== t.tradeDate || o.side === t.side) {
        scores[at + b] = NONE;
        continue;
      }
      scores[at + b] = scorer.score(one, 0, theirs, b);
      comparisons++;
    }
  }
  return comparisons;
}

/**
 * Step 5: block by block, the one-to-one decisions. Per trade of ours: `outcome` (kind and
 * confidence), `bestOf` (the record), and for REVIEW the competing refs in `rivalsOf`; `consumed`
 * marks the records taken by an auto-match.
 */
function decideBlocks(
  internal: readonly TradeRecord[],
  counterparty: readonly TradeRecord[],
  policy: MatchingPolicy,
  info: Int32Array,
  blockCount: number,
  theirMembers: Int32Array,
  ourMembers: Int32Array,
  scores: Uint8Array,
  bestOf: Int32Array,
  outcome: Uint16Array,
  consumed: Int32Array,
  rivalsOf: Map<number, string[]>,
): void {
  const { autoMatch, ambiguityMargin: margin, candidateFloor: floor } = policy.thresholds;
  let scratch = new Scratch(16, 16);
  for (let k = 0; k < blockCount * BLOCK; k += BLOCK) {
    const bc = info[k + T_COUNT] as number;
    const oStart = info[k + O_START] as number;
    const bi = (info[k + BLOCK + O_START] as number) - oStart;
    if (bi === 0 || bc === 0) continue;
    const tStart = info[k + T_START] as number;
    // After step 4, SCORES is the end of the block's matrix.
    const from = (info[k + SCORES] as number) - bi * bc;
    if (!scratch.fits(bi, bc))
      scratch = new Scratch(Math.max(bi, scratch.rows * 2), Math.max(bc, scratch.cols * 2));
    scratch.reset(bi, bc);
    const { scores: block, matchOf, consumed: taken } = scratch;
    for (let p = 0; p < bi * bc; p++) block[p] = scores[from + p] as number;

    pairMutualBests(scratch, bi, bc, autoMatch, margin);

    for (let a = 0; a < bi; a++) {
      const oi = ourMembers[oStart + a] as number;
      const matched = matchOf[a] as number;
      if (matched >= 0) {
        const c = theirMembers[tStart + matched] as number;
        consumed[c] = 1;
        bestOf[oi] = c;
        outcome[oi] = K_AUTO * KIND + (block[a * bc + matched] as number);
        continue;
      }
      const row = a * bc;
      let best = -1;
      let bestCol = -1;
      for (let b = 0; b < bc; b++) {
        if (taken[b] !== 0) continue;
        const s = block[row + b] as number;
        if (s === NONE) continue;
        // Ties: the lowest ref; within one side the source is the same, so that is the lowest trade id.
        if (
          s > best ||
          (s === best &&
            recordId(counterparty, theirMembers, tStart + b) <
              recordId(counterparty, theirMembers, tStart + bestCol))
        ) {
          best = s;
          bestCol = b;
        }
      }
      // Below the floor a record is another trade, not a broken copy of ours (as in `decide`).
      if (bestCol < 0 || best < floor) continue;
      const rivals: Rival[] = [];
      for (let b = 0; b < bc; b++) {
        if (b === bestCol || taken[b] !== 0) continue;
        const s = block[row + b] as number;
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
          const s = block[other * bc + bestCol] as number;
          if (s !== NONE && best - s <= margin) {
            rivals.push({
              ref: tradeRef(internal[ourMembers[oStart + other] as number] as TradeRecord),
              confidence: s,
            });
          }
        }
      }
      bestOf[oi] = theirMembers[tStart + bestCol] as number;
      const kind = decisionKind(best, rivals.length > 0, policy.thresholds);
      if (kind === 'REVIEW') {
        outcome[oi] = K_REVIEW * KIND + best;
        rivals.sort(byConfidenceThenRef);
        rivalsOf.set(oi, rivals.map(refOf));
      } else if (kind === 'EXCEPTION') {
        outcome[oi] = K_EXCEPTION * KIND + best;
      } else {
        // Unreachable: an unambiguous best both ways would have been paired above.
        throw new Error(
          `internal error: ${tradeRef(internal[oi] as TradeRecord)} left unpaired with an unambiguous best`,
        );
      }
    }
  }
}

function recordId(counterparty: readonly TradeRecord[], members: Int32Array, place: number): string {
  return (counterparty[members[place] as number] as TradeRecord).tradeId;
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

function refOf(r: Rival): string {
  return r.ref;
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
