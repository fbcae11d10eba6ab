/*
 * The offline planner's reading of a question: lower case, contractions and ops abbreviations
 * spelled out ("qty", "px", "cpty", "SSI"), near-miss spellings of the vocabulary corrected, and the
 * entities the resolver found taken out (so "h4-int" does not read as the word "int"). Pure.
 */

/** Ops shorthand → words. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  qty: 'quantity',
  qtys: 'quantity',
  px: 'price',
  prc: 'price',
  cpty: 'counterparty',
  ctpy: 'counterparty',
  cparty: 'counterparty',
  cp: 'counterparty',
  cpties: 'counterparty',
  ccy: 'currency',
  ssi: 'settlement instruction',
  ssis: 'settlement instruction',
  confo: 'confirmation',
  confos: 'confirmation',
  conf: 'confirmation',
  confs: 'confirmation',
  exc: 'exception',
  excs: 'exception',
  excp: 'exception',
  excps: 'exception',
  exs: 'exception',
  brk: 'break',
  brks: 'break',
  sd: 'settlement date',
  vd: 'value date',
  amt: 'amount',
  amnt: 'amount',
  pls: 'please',
  plz: 'please',
  pse: 'please',
  thx: 'thanks',
  u: 'you',
  r: 'are',
  w: 'with',
  wrt: 'about',
  abt: 'about',
  info: 'information',
  stat: 'status',
  stats: 'statistics',
  approvals: 'approval',
  appr: 'approval',
  dupe: 'duplicate',
  dupes: 'duplicate',
  dup: 'duplicate',
  dups: 'duplicate',
  rerun: 'rerun',
  rematch: 'rematch',
  eod: 'end of day report',
  kpi: 'kpi',
  kpis: 'kpi',
  mi: 'report',
  recs: 'records',
  yday: 'yesterday',
  tmrw: 'tomorrow',
  asap: 'now',
  nb: 'note',
  cutoff: 'cut off',
  signoff: 'sign off',
  whats: 'what is',
  wats: 'what is',
  wheres: 'where is',
  hows: 'how is',
  whos: 'who is',
  thats: 'that is',
  im: 'i am',
  isnt: 'is not',
  arent: 'are not',
  hasnt: 'has not',
  havent: 'have not',
  didnt: 'did not',
  doesnt: 'does not',
  dont: 'do not',
  wont: 'will not',
  cant: 'can not',
  cannot: 'can not',
  wasnt: 'was not',
  werent: 'were not',
};

/** Words never "corrected" into vocabulary: everyday words that sit one letter from a cue word. */
const COMMON = new Set(
  `what where when which while there their these those thing think about above after again against
  could would should shall might today yesterday tomorrow please thanks there here other another
  every everything anything something nothing right wrong going doing being having given still
  trade trades booked booking bookings price prices them they then than that this with from into
  onto have has had does done show tell give list find check look much many more most less least
  whole total count number numbers quick asap need needs needed know known sure mean means ever
  never also just only over under some same such your yours ours mine pending pendings`.split(/\s+/),
);

export interface Reading {
  /** The words of the question, normalised, entity tokens removed. */
  readonly words: readonly string[];
  /** `' w1 w2 … '`, for phrase look-ups. */
  readonly text: string;
}

/** Optimal string alignment distance, bounded: returns `max + 1` as soon as it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Number.POSITIVE_INFINITY;
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, ((rows[i - 2] as number[])[j - 2] ?? 0) + 1);
      row[j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
  }
  return (rows[a.length] as number[])[b.length] ?? max + 1;
}

/**
 * A word the vocabulary does not hold, corrected to the one vocabulary word it is a typo of (one
 * edit for 5–7 letters, two from 8), or left as it is when none or several are that close.
 */
function correct(word: string, vocabulary: ReadonlySet<string>): string {
  if (word.length < 5 || vocabulary.has(word) || COMMON.has(word) || /\d/.test(word)) return word;
  for (const v of vocabulary) if (v.length >= 4 && word.startsWith(v)) return word;
  const max = word.length >= 8 ? 2 : 1;
  let found: string | undefined;
  let bestDistance = max + 1;
  let tie = false;
  for (const v of vocabulary) {
    if (v.length < 4) continue;
    const d = editDistance(word, v, max);
    if (d < bestDistance) {
      found = v;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && v !== found) tie = true;
  }
  return found === undefined || tie ? word : found;
}

/**
 * Reads a question: `entityTokens` (as typed) are removed first; `vocabulary` is the set of cue
 * words typos are corrected to.
 */
export function readQuestion(
  question: string,
  entityTokens: readonly string[],
  vocabulary: ReadonlySet<string>,
): Reading {
  let q = ` ${question.toLowerCase()} `;
  for (const t of [...entityTokens].sort((a, b) => b.length - a.length)) {
    if (t === '') continue;
    q = q.split(t.toLowerCase()).join(' ');
  }
  q = q
    .replace(/[’`]/g, "'")
    .replace(/n't\b/g, ' not')
    .replace(/\bcan not\b/g, 'can not')
    .replace(/'s\b/g, '')
    .replace(/'re\b/g, ' are')
    .replace(/'ve\b/g, ' have')
    .replace(/'ll\b/g, ' will')
    .replace(/'d\b/g, ' would')
    .replace(/\bre-(run|match)/g, 're$1')
    .replace(/\b(cut|sign|write)-(off)\b/g, '$1 $2')
    .replace(/\bt\+\d\b/g, ' ');
  const raw = q.split(/[^a-z0-9%]+/).filter((w) => w !== '');
  const words: string[] = [];
  for (const w of raw) {
    const expanded = ABBREVIATIONS[w];
    if (expanded !== undefined) words.push(...expanded.split(' '));
    else words.push(correct(w, vocabulary));
  }
  return { words, text: ` ${words.join(' ')} ` };
}
