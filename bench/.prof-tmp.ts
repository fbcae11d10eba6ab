import { generateBook } from '/work/main/bench/matching.ts';
import { CalendarRegistry } from '/work/main/src/settlement/calendar.ts';
import { DEFAULT_MATCHING_POLICY, matchBatch } from '/work/main/src/settlement/matching/index.ts';

const n = Number(process.argv[2] ?? 1000000);
const book = generateBook(n);
const cal = new CalendarRegistry();
matchBatch(book.internal.slice(0, 20000), book.counterparty.slice(0, 20000), DEFAULT_MATCHING_POLICY, cal);
globalThis.gc?.();
const t = performance.now();
const r = matchBatch(book.internal, book.counterparty, DEFAULT_MATCHING_POLICY, cal);
console.log(n, (performance.now() - t).toFixed(0), 'ms', r.stats.comparisons);
