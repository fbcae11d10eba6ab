/**
 * Matching benchmark: `matchBatch` at 10k, 100k and 1M trades a side, and an all-pairs baseline at 10k.
 *
 *   npm run bench   (all benchmarks; this one runs as below)
 *   node --expose-gc --max-old-space-size=8192 bin/run-ts.js bench/matching.ts
 *
 * Data is synthetic and deterministic (seeded PRNG): most counterparty records are identical to our
 * booking, about 5 % carry a difference (within tolerance, near miss, rounding, holiday roll, BIC
 * branch, real breaks), about 2 % of our trades have no counterparty record and about 1 % of the
 * records have no booking. The number of ISINs grows with the book so a level-1 block holds about
 * four trades a side at every size. Records are built as a feed parser would build them (fresh
 * strings, counterparty records in their own arrival order). Generating the data is not timed.
 *
 * Timing: after a warm-up, each size is timed in several samples; a sample is the mean per-run time
 * of as many back-to-back runs as make up 300 ms (so the 10k figure, ~12 ms a run, is not one
 * scheduler tick's worth), each run on a freshly collected heap (--expose-gc; the collection and its
 * background sweep are not timed). The report gives the median, best and worst sample per size and
 * the scaling ratios of the medians (and of the bests): on a shared machine other processes only ever
 * add time, the median is the honest figure and the spread says how far to trust it.
 *
 * The naive baseline is `matchAllPairsBaseline`: every internal trade against every counterparty
 * record (the fast scorer on the pairs whose level-1 keys agree), then the same decisions; the
 * cost of `compareTrades` on every pair is estimated from a sample.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Prng } from '../src/seed/prng.ts';
import { CalendarRegistry } from '../src/settlement/calendar.ts';
import { isinCheckDigit } from '../src/settlement/identifiers.ts';
import { matchAllPairsBaseline } from '../src/settlement/matching/batch.ts';
import {
  blockKey,
  candidateBlockKey,
  compareTrades,
  DEFAULT_MATCHING_POLICY,
  type MatchBatchResult,
  type MatchingPolicy,
  matchBatch,
  type TradeRecord,
} from '../src/settlement/matching/index.ts';

const GOAL_1M_SECONDS = 20;
const GOAL_SPEEDUP = 10;
const GOAL_SCALING = 12;
const TRADES_PER_BLOCK_SIDE = 4;

interface Book {
  readonly internal: TradeRecord[];
  readonly counterparty: TradeRecord[];
}

function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

/** `mantissa / 10^scale` with exactly `scale` places. */
function written(mantissa: bigint, scale: number): string {
  const digits = mantissa.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** Trade date → T+1 settlement date; the last one settles on US Thanksgiving (2026-11-26). */
const DATES: ReadonlyArray<readonly [string, string]> = [
  ['2026-11-18', '2026-11-19'],
  ['2026-11-19', '2026-11-20'],
  ['2026-11-20', '2026-11-23'],
  ['2026-11-23', '2026-11-24'],
  ['2026-11-25', '2026-11-26'],
];
const BICS = ['DEUTDEFF', 'BNPAFRPP', 'CHASUS33', 'BARCGB22', 'UBSWCHZH', 'MIDLGB22', 'CITIUS33', 'NOMUJPJT'];
const DESKS = ['EQ-US-1', 'EQ-US-2', 'EQ-US-3'];

const FIELDS = [
  'tradeId',
  'source',
  'side',
  'isin',
  'quantity',
  'price',
  'currency',
  'tradeDate',
  'settlementDate',
  'account',
  'desk',
  'counterpartyBic',
  'placeOfSettlement',
  'settlementType',
  'netAmount',
] as const;
type Row = Record<(typeof FIELDS)[number], string>;

/**
 * A record as a feed parser would hand it over: every field a fresh string (never shared with the
 * other side's record), objects allocated in the order the feed delivers them.
 */
function fromFeed(row: Row): TradeRecord {
  const values = FIELDS.map((f) => row[f])
    .join(';')
    .split(';');
  const [
    tradeId,
    source,
    side,
    isin,
    quantity,
    price,
    currency,
    tradeDate,
    settlementDate,
    account,
    desk,
    bic,
    place,
    type,
    net,
  ] = values as [string, ...string[]];
  const record: TradeRecord = {
    tradeId,
    source: source as TradeRecord['source'],
    side: side as TradeRecord['side'],
    isin: isin as string,
    quantity: quantity as string,
    price: price as string,
    currency: currency as string,
    tradeDate: tradeDate as string,
    settlementDate: settlementDate as string,
    account: account as string,
    desk: desk as string,
    counterpartyBic: bic as string,
    placeOfSettlement: place as string,
    settlementType: type as TradeRecord['settlementType'],
  };
  if (net !== undefined && net !== '') record.netAmount = net;
  return record;
}

/** A deterministic book of `n` internal trades and about as many counterparty records. */
export function generateBook(n: number, seed = 42): Book {
  const random = seededRandom(seed);
  const int = (below: number) => Math.floor(random() * below);
  const isinCount = Math.max(1, Math.round(n / (TRADES_PER_BLOCK_SIDE * DATES.length * 2)));
  const isins = Array.from({ length: isinCount }, (_, i) => {
    const body = `US${String(i).padStart(9, '0')}`;
    return `${body}${isinCheckDigit(body)}`;
  });
  const internal: TradeRecord[] = [];
  const theirRows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const [tradeDate, settlementDate] = DATES[int(DATES.length)] as readonly [string, string];
    const qty = BigInt(1 + int(5000)) * 10n;
    const priceMantissa = BigInt(100000 + int(40000000)); // 10.0000 .. 4010.0000
    const net = (qty * priceMantissa + 50n) / 100n; // cents, half-up
    const ours: Row = {
      tradeId: `T-${i}`,
      source: 'INTERNAL',
      side: random() < 0.5 ? 'BUY' : 'SELL',
      isin: isins[int(isins.length)] as string,
      quantity: qty.toString(),
      price: written(priceMantissa, 4),
      currency: 'USD',
      tradeDate,
      settlementDate,
      account: `ACC-${int(50)}`,
      desk: DESKS[int(DESKS.length)] as string,
      counterpartyBic: BICS[int(BICS.length)] as string,
      placeOfSettlement: 'DTCYUS33',
      settlementType: 'DVP',
      netAmount: written(net, 2),
    };
    internal.push(fromFeed(ours));
    const roll = random();
    if (roll < 0.02) continue; // no counterparty record
    const theirs: Row = {
      ...ours,
      tradeId: `C-${i}`,
      source: 'COUNTERPARTY',
      side: ours.side === 'BUY' ? 'SELL' : 'BUY',
      account: `CP-${int(50)}`,
    };
    if (roll >= 0.95) applyDifference(theirs, int(10), priceMantissa, net);
    theirRows.push(theirs);
    if (random() < 0.01) {
      theirRows.push({ ...theirs, tradeId: `X-${i}`, quantity: String(qty + 10n), netAmount: '' });
    }
  }
  // The counterparty feed arrives in its own order.
  for (let i = theirRows.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [theirRows[i], theirRows[j]] = [theirRows[j] as Row, theirRows[i] as Row];
  }
  return { internal, counterparty: theirRows.map(fromFeed) };
}

function applyDifference(t: Row, kind: number, priceMantissa: bigint, net: bigint): void {
  switch (kind) {
    case 0: // within 1 bp
      t.price = written(priceMantissa + 1n, 4);
      break;
    case 1: // near miss (5 bp)
      t.price = written(priceMantissa + priceMantissa / 2000n + 1n, 4);
      break;
    case 2: // price break
      t.price = written(priceMantissa + priceMantissa / 50n + 1n, 4);
      break;
    case 3: // net amount within the T2S band
      t.netAmount = written(net + 100n, 2);
      break;
    case 4: // net amount near miss
      t.netAmount = written(net + 3000n, 2);
      break;
    case 5: // rounding: the counterparty quotes the price to cents
      t.price = written((priceMantissa + 50n) / 100n, 2);
      break;
    case 6: // BIC branch
      t.counterpartyBic = `${t.counterpartyBic}001`;
      break;
    case 7: // quantity break
      t.quantity = String(BigInt(t.quantity) + 10n);
      break;
    case 8: // settlement date: rolled over Thanksgiving, or a break
      t.settlementDate = t.settlementDate === '2026-11-26' ? '2026-11-27' : '2026-11-30';
      break;
    default: // net amount missing
      t.netAmount = '';
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 3 : 2);
}

function rate(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString('en-US');
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

function fingerprint(r: MatchBatchResult): string {
  return Array.from(r.results, (m) =>
    m.decision.kind === 'NO_CANDIDATE'
      ? `${m.internalRef}:-`
      : `${m.internalRef}:${m.decision.kind}:${m.decision.best.ref}:${m.decision.best.confidence}:${
          m.decision.kind === 'REVIEW' ? m.decision.ambiguousWith.join('+') : ''
        }`,
  ).join('\n');
}

/** Timed work per sample: short runs are repeated until they add up to this, then averaged. */
const SAMPLE_MS = 300;

interface SizeResult {
  readonly n: number;
  /** Per-run wall time of each sample (ms). */
  readonly samples: readonly number[];
  /** Runs averaged per sample. */
  readonly runsPerSample: number;
  readonly median: number;
  readonly best: number;
  readonly worst: number;
  readonly result: MatchBatchResult;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A full collection, then a pause until its concurrent tail is done. `gc()` returns once the heap is
 * marked and compacted, but V8 sweeps the freed pages on a background thread afterwards: about 20 ms
 * after a collection at 100k trades a side, 0.4 s at 1M. Timed right away, the run shares this 2-CPU
 * machine and its memory bandwidth with that sweeper and is billed for it (measured: ~10 % of a 100k
 * run, ~8–12 % of a 1M run, all of it in step 1). Waiting as long as the collection itself took covers
 * the sweep with room to spare; nothing else runs meanwhile.
 */
function collect(gc: () => void): void {
  const start = performance.now();
  gc();
  Atomics.wait(pause, 0, 0, Math.max(10, performance.now() - start));
}

/**
 * Times `matchBatch` on one generated book: `samples` samples, each the mean of as many runs as it
 * takes to reach `SAMPLE_MS` of timed work (one run at 1M, about twenty at 10k, so that a short run
 * is not at the mercy of one scheduler tick). With --expose-gc (npm run bench) every run starts from a
 * collected heap, so one run's garbage is not billed to the next; the collection (and its background
 * sweep, see `collect`) is not timed. Data generation is not timed; nothing is carried from one run to
 * the next.
 */
function runSize(
  n: number,
  samples: number,
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): SizeResult {
  const book = generateBook(n);
  const gc = (globalThis as { gc?: () => void }).gc;
  const perRun: number[] = [];
  let runsPerSample = 0;
  let last: MatchBatchResult | undefined;
  for (let s = 0; s < samples; s++) {
    let total = 0;
    let runs = 0;
    while (total < SAMPLE_MS || runs === 0) {
      last = undefined;
      if (gc !== undefined) collect(gc);
      const [result, ms] = timed(() => matchBatch(book.internal, book.counterparty, policy, calendars));
      total += ms;
      runs++;
      last = result;
    }
    perRun.push(total / runs);
    runsPerSample = Math.max(runsPerSample, runs);
  }
  return {
    n,
    samples: perRun,
    runsPerSample,
    median: median(perRun),
    best: Math.min(...perRun),
    worst: Math.max(...perRun),
    result: last as MatchBatchResult,
  };
}

/** Runs the benchmark and returns a printable report. */
export async function runMatchingBench(): Promise<string> {
  const policy = DEFAULT_MATCHING_POLICY;
  const calendars = new CalendarRegistry();
  const lines: string[] = [];
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 1e6);
  const gcExposed = typeof (globalThis as { gc?: unknown }).gc === 'function';
  lines.push(
    `Matching benchmark — node ${process.version}, ${cpus().length} CPUs, heap limit ${heapMb} MB, matchBatch single-threaded, heap collected before each run: ${gcExposed ? 'yes' : 'no (run with --expose-gc)'}; load average ${loadavg()[0]?.toFixed(2)} at start`,
  );

  // Warm-up: let the JIT see the hot path (every size's code paths) before anything is timed.
  runSize(20_000, 3, policy, calendars);

  const sizes: SizeResult[] = [];
  for (const [n, samples] of [
    [10_000, 9],
    [100_000, 9],
    [1_000_000, 5],
  ] as const) {
    sizes.push(runSize(n, samples, policy, calendars));
    await new Promise((resolve) => setImmediate(resolve));
  }

  lines.push('');
  lines.push(
    'matchBatch (level 1 blocks by ISIN, trade date and side; level 2 fast scorer; one-to-one decisions)',
  );
  lines.push(
    `  per-run wall time: median, best and worst of the samples (each sample ≥ ${SAMPLE_MS} ms of timed runs, averaged)`,
  );
  lines.push(
    '  trades/side  counterparty  samples×runs  median (s)   best (s)  worst (s)  trades/s (median)   comparisons     auto  review  exception    none  unpaired cpty',
  );
  for (const { n, samples, runsPerSample, median: med, best, worst, result } of sizes) {
    const s = result.stats;
    lines.push(
      `  ${n.toLocaleString('en-US').padStart(11)}  ${s.counterparty.toLocaleString('en-US').padStart(12)}  ${`${samples.length}×${runsPerSample}`.padStart(12)}  ${seconds(med).padStart(10)} ${seconds(best).padStart(10)} ${seconds(worst).padStart(10)}  ${rate(n, med).padStart(17)}  ${s.comparisons.toLocaleString('en-US').padStart(12)}  ${String(s.autoMatched).padStart(7)} ${String(s.review).padStart(7)} ${String(s.exception).padStart(10)}  ${String(s.noCandidate).padStart(6)}  ${String(s.unmatchedCounterparty).padStart(13)}`,
    );
  }
  const [s10k, s100k, s1m] = sizes as [SizeResult, SizeResult, SizeResult];
  const verdict = (r: number) => (r <= GOAL_SCALING ? 'met' : 'NOT MET');
  const m1 = s100k.median / s10k.median;
  const m2 = s1m.median / s100k.median;
  lines.push('');
  lines.push(
    `scaling (medians): 10k→100k time ×${m1.toFixed(2)} (${verdict(m1)}), 100k→1M time ×${m2.toFixed(2)} (${verdict(m2)}); goal ≤ ×${GOAL_SCALING} for 10× trades`,
  );
  lines.push(
    `scaling (bests):   10k→100k time ×${(s100k.best / s10k.best).toFixed(2)}, 100k→1M time ×${(s1m.best / s100k.best).toFixed(2)}`,
  );
  const c1 = s100k.result.stats.comparisons / s10k.result.stats.comparisons;
  const c2 = s1m.result.stats.comparisons / s100k.result.stats.comparisons;
  lines.push(
    `         level-2 comparisons ×${c1.toFixed(2)} and ×${c2.toFixed(2)}: the work itself grows linearly`,
  );
  lines.push(
    `1M × 1M: ${seconds(s1m.median)} s median, ${seconds(s1m.best)}–${seconds(s1m.worst)} s (goal ≤ ${GOAL_1M_SECONDS} s) — ${s1m.worst / 1000 <= GOAL_1M_SECONDS ? 'met' : 'NOT MET'}`,
  );

  // Naive baseline at 10k: every internal trade against every counterparty record.
  const book = generateBook(10_000);
  const [naive, naiveMs] = timed(() =>
    matchAllPairsBaseline(book.internal, book.counterparty, policy, calendars),
  );
  // Same book as the 10k size above (same seed); its median per-run time is the blocked figure.
  const blocked = matchBatch(book.internal, book.counterparty, policy, calendars);
  const blockedMs = s10k.median;
  const allPairs = book.internal.length * book.counterparty.length;
  // compareTrades on every pair (no level 1 at all), estimated from a sample.
  const sampleSize = 20_000;
  const random = seededRandom(99);
  const [, sampleMs] = timed(() => {
    for (let k = 0; k < sampleSize; k++) {
      const a = book.internal[Math.floor(random() * book.internal.length)] as TradeRecord;
      const b = book.counterparty[Math.floor(random() * book.counterparty.length)] as TradeRecord;
      if (candidateBlockKey(a) === blockKey(b) || k % 2 === 0) compareTrades(a, b, policy, calendars);
    }
  });
  const compareAllMs = (sampleMs / sampleSize) * allPairs;
  const same = fingerprint(naive) === fingerprint(blocked);
  lines.push('');
  lines.push(`all-pairs baseline at 10k (${allPairs.toLocaleString('en-US')} pairs):`);
  lines.push(
    `  naive, fast scorer + key check on every pair: ${seconds(naiveMs)} s (one run); blocked: ${seconds(blockedMs)} s; speedup ×${(naiveMs / blockedMs).toFixed(1)} against the 10k median (goal ≥ ×${GOAL_SPEEDUP}); same decisions: ${same ? 'yes' : 'NO'}`,
  );
  lines.push(
    `  naive with compareTrades on every pair (estimated from ${sampleSize.toLocaleString('en-US')} pairs, ${((sampleMs / sampleSize) * 1000).toFixed(1)} µs each): ~${seconds(compareAllMs)} s; speedup ~×${Math.round(compareAllMs / blockedMs).toLocaleString('en-US')}`,
  );
  lines.push(`  fast-path fallbacks to compareTrades at 1M: ${s1m.result.stats.fallbacks}`);

  // Results are typed columns read through views (`BatchResults`): what reading them all costs, apart.
  const [decided, readMs] = timed(() => {
    let n = 0;
    for (const r of s1m.result.results)
      if (r.decision.kind !== 'NO_CANDIDATE' && r.decision.best.confidence >= 0) n++;
    return n;
  });
  const [, refsMs] = timed(() => {
    let chars = 0;
    for (const r of s1m.result.results)
      chars += r.internalRef.length + (r.decision.kind === 'NO_CANDIDATE' ? 0 : r.decision.best.ref.length);
    return chars;
  });
  lines.push('');
  lines.push(
    `reading the 1M results afterwards (not in the times above): every decision and confidence ${seconds(readMs)} s (${decided.toLocaleString('en-US')} decided); with both trade refs built as strings ${seconds(refsMs)} s`,
  );
  lines.push(`load average ${loadavg()[0]?.toFixed(2)} at the end`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runMatchingBench());
}
