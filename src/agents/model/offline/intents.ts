import { type Reading, readQuestion } from './language.ts';

/*
 * The offline planner's intent vocabulary: for each intent, the phrases that speak for it with a
 * weight. A question scores each intent by the phrases it contains (words may be inflected, one
 * unrelated word may sit between the words of a phrase, spelling slips are corrected first); the best
 * intent above the threshold wins, and a tie asks which one was meant. Keep it small: a new way of
 * saying something is one line here.
 */

export type IntentName =
  | 'status'
  | 'why'
  | 'duplicate'
  | 'explain_match'
  | 'explain_exception'
  | 'audit'
  | 'rerun'
  | 'propose'
  | 'open_exceptions'
  | 'sla_status'
  | 'pending_reviews'
  | 'report'
  | 'find_trades';

/** What the question names, as the resolver found it (only counts matter for scoring). */
export interface EntityPresence {
  readonly trades: number;
  readonly exceptions: number;
  readonly matches: number;
  readonly isins: number;
  readonly bics: number;
  readonly desks: number;
}

type Needs = 'record' | 'trade' | 'exception' | 'none' | 'any';

interface IntentDef {
  readonly name: IntentName;
  /** `record`: a trade, match or exception must be named; `none`: applies when no trade is named; `any`: always. */
  readonly needs: Needs;
  readonly phrases: ReadonlyArray<readonly [string, number]>;
  /** Added when the entity the intent is about is named. */
  readonly bonus?: (e: EntityPresence) => number;
}

/** Phrases are space-separated cue words; a cue word matches its inflections (match → matched, matching). */
export const INTENTS: readonly IntentDef[] = [
  {
    name: 'status',
    needs: 'trade',
    bonus: () => 2.5,
    phrases: [
      ['status', 3],
      ['state', 2],
      ['where', 1.5],
      ['check', 1.5],
      ['update', 1.5],
      ['tell about', 1],
      ['information', 1.5],
      ['detail', 1.5],
      ['lowdown', 2],
      ['look', 1],
      ['going on', 1.5],
      ['happening', 1],
      ['progress', 1.5],
      ['settled', 1],
      ['confirmed', 1],
      ['settlement instruction', 1.5],
      ['how is', 1],
    ],
  },
  {
    name: 'why',
    needs: 'trade',
    phrases: [
      ['why', 3],
      ['wrong', 3],
      ['not match', 3],
      ['no match', 3],
      ['never match', 3],
      ['without match', 3],
      ['unmatched', 3],
      ['stuck', 3],
      ['break', 2.5],
      ['broken', 2.5],
      ['problem', 2.5],
      ['issue', 2.5],
      ['holding', 3],
      ['hold up', 3],
      ['fail', 2.5],
      ['how come', 3],
      ['explain', 1.5],
      ['reason', 2.5],
      ['block', 3],
      ['mismatch', 2.5],
      ['discrepancy', 2.5],
      ['exception', 2],
      ['error', 3],
      ['waiting', 1],
      ['fix', 1.5],
    ],
  },
  {
    name: 'duplicate',
    needs: 'trade',
    phrases: [
      ['duplicate', 4.5],
      ['twice', 4.5],
      ['double', 3.5],
      ['ambiguous', 4.5],
      ['rival', 3.5],
      ['same trade', 2],
      ['another booking', 3],
      ['two bookings', 3.5],
      ['equally good', 3.5],
    ],
  },
  {
    name: 'explain_match',
    needs: 'record',
    phrases: [
      ['field by field', 4.5],
      ['field field', 3],
      ['compare', 3.5],
      ['comparison', 3.5],
      ['side by side', 3.5],
      ['confidence', 3.5],
      ['score', 3.5],
      ['tolerance', 3],
      ['explain match', 2],
      ['which fields', 3],
      ['match detail', 2],
    ],
  },
  {
    name: 'explain_exception',
    needs: 'exception',
    bonus: () => 2.5,
    phrases: [
      ['explain', 2],
      ['why', 2],
      ['what', 0.5],
      ['detail', 1.5],
      ['resolve', 1.5],
      ['deadline', 1.5],
    ],
  },
  {
    name: 'audit',
    needs: 'record',
    phrases: [
      ['audit', 4.5],
      ['history', 4.5],
      ['trail', 3.5],
      ['who changed', 4],
      ['who touched', 4],
      ['who amended', 4],
      ['who booked', 4],
      ['who did', 3],
      ['change log', 4.5],
      ['log', 2.5],
      ['chain', 2.5],
      ['timeline', 4],
      ['lifecycle', 2.5],
      ['event', 2.5],
      ['tampered', 3],
    ],
  },
  {
    name: 'rerun',
    needs: 'trade',
    phrases: [
      ['rerun', 5],
      ['rematch', 5],
      ['match again', 5],
      ['run matching', 4],
      ['retry', 3.5],
      ['try matching', 4],
    ],
  },
  {
    name: 'propose',
    needs: 'exception',
    phrases: [
      ['propose', 5],
      ['proposal', 5],
      ['suggest fix', 3],
      ['raise request', 3],
    ],
  },
  {
    name: 'open_exceptions',
    needs: 'none',
    phrases: [
      ['exception', 3],
      ['break', 3],
      ['broken', 3],
      ['mismatch', 3],
      ['discrepancy', 3],
      ['open', 1.5],
      ['outstanding', 2],
      ['breach', 3],
      ['overdue', 3],
      ['late', 2],
      ['at risk', 2.5],
      ['unconfirmed', 3],
      ['missing', 2.5],
      ['fail', 2.5],
      ['item', 1],
      ['issue', 2],
      ['problem', 2],
      ['stuck', 3],
      ['unmatched', 1.5],
      ['not match', 1.5],
      ['error', 1.5],
      ['blown', 2],
      ['warned', 2],
      ['warning', 2],
      ['older', 1],
      ['aged', 1],
      ['sla', 1],
      ['deadline', 0.5],
      ['ddea', 3],
      ['dqua', 3],
      ['ncrr', 3],
      ['ddat', 3],
      ['cmis', 3],
      ['dept', 3],
      ['icag', 3],
      ['dmon', 3],
      ['no confirmation', 3],
      ['not confirmed', 3],
    ],
  },
  {
    name: 'sla_status',
    needs: 'none',
    phrases: [
      ['sla', 2],
      ['deadline', 3],
      ['cut off', 2.5],
      ['status', 0.5],
      ['clock', 2],
      ['time left', 2.5],
    ],
  },
  {
    name: 'pending_reviews',
    needs: 'any',
    phrases: [
      ['pending', 2.5],
      ['approval', 2.5],
      ['approve', 2.5],
      ['approver', 2.5],
      ['review', 2.5],
      ['sign off', 3],
      ['queue', 1.5],
      ['decision', 2],
      ['decide', 2],
      ['waiting', 2],
      ['await', 2],
      ['who approve', 4],
      ['who sign', 4],
      ['four eyes', 2],
      ['needs eyes', 2],
    ],
  },
  {
    name: 'report',
    needs: 'none',
    phrases: [
      ['report', 4],
      ['stp', 4],
      ['match rate', 4],
      ['rate', 2],
      ['numbers', 3],
      ['kpi', 3],
      ['summary', 3],
      ['summarise', 3],
      ['dashboard', 3],
      ['statistics', 3],
      ['figures', 3],
      ['how did', 3],
      ['how are we', 2],
      ['end of day', 2],
      ['overview', 3],
      ['performance', 3],
      ['recap', 3],
      ['breakdown', 2],
      ['%', 1.5],
      ['percent', 1.5],
    ],
  },
  {
    name: 'find_trades',
    needs: 'none',
    bonus: (e) => (e.isins > 0 || e.bics > 0 ? 3 : e.desks > 0 ? 1.5 : 0),
    phrases: [
      ['trade', 1.5],
      ['booking', 1.5],
      ['deal', 1.5],
      ['position', 1.5],
      ['bought', 1.5],
      ['sold', 1.5],
      ['did we', 1],
      ['everything', 1],
      ['list', 0.5],
      ['unmatched', 1.5],
      ['not match', 1],
      ['matched', 0.5],
    ],
  },
];

/** The vocabulary spelling slips are corrected to: every cue word and its usual inflections. */
export const VOCABULARY: ReadonlySet<string> = new Set(
  INTENTS.flatMap((i) => i.phrases.flatMap(([p]) => p.split(' '))).flatMap((w) => [
    w,
    `${w}s`,
    `${w}es`,
    `${w.replace(/e$/, '')}ed`,
    `${w.replace(/e$/, '')}ing`,
  ]),
);

/** True when `word` is `cue` or one of its inflections (`match`: matched, matches, matching). */
export function wordMatches(word: string, cue: string): boolean {
  if (word === cue) return true;
  if (cue.length < 4) return word === `${cue}s` || word === `${cue}es`;
  // The stem: a final e goes (approve → approval), as does the last letter of a long cue
  // (exception → exceptions, exceptional); a short cue stays whole, so "break" is not "breach".
  const stem = cue.length >= 6 && (cue.endsWith('e') || cue.length > 6) ? cue.slice(0, -1) : cue;
  return word.length <= cue.length + 5 && word.startsWith(stem);
}

/** True when the cue words appear in order, at most one other word between two of them. */
export function hasPhrase(words: readonly string[], phrase: string): boolean {
  const cues = phrase.split(' ');
  for (let start = 0; start < words.length; start++) {
    if (!wordMatches(words[start] ?? '', cues[0] ?? '')) continue;
    let at = start;
    let ok = true;
    for (const cue of cues.slice(1)) {
      if (wordMatches(words[at + 1] ?? '', cue)) at += 1;
      else if (wordMatches(words[at + 2] ?? '', cue)) at += 2;
      else {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

function applies(needs: Needs, e: EntityPresence): boolean {
  switch (needs) {
    case 'trade':
      return e.trades > 0;
    case 'exception':
      return e.exceptions > 0;
    case 'record':
      return e.trades + e.matches + e.exceptions > 0;
    case 'none':
      return e.trades === 0;
    case 'any':
      return true;
  }
}

export interface IntentScore {
  readonly name: IntentName;
  readonly score: number;
}

export type Classification =
  | { readonly kind: 'intent'; readonly intent: IntentName; readonly scores: readonly IntentScore[] }
  | {
      readonly kind: 'tie';
      readonly intents: readonly [IntentName, IntentName];
      readonly scores: readonly IntentScore[];
    }
  | {
      readonly kind: 'none';
      readonly likely: IntentName | undefined;
      readonly scores: readonly IntentScore[];
    };

/** The score the best intent must reach. */
export const THRESHOLD = 2.5;

/** Scores every intent that applies to what the question names, best first. */
export function scoreIntents(reading: Reading, e: EntityPresence): IntentScore[] {
  const scores: IntentScore[] = [];
  for (const def of INTENTS) {
    if (!applies(def.needs, e)) continue;
    let score = def.bonus?.(e) ?? 0;
    // A word counts once per intent, for its heaviest phrase.
    const used = new Map<string, number>();
    for (const [phrase, weight] of def.phrases) {
      if (!hasPhrase(reading.words, phrase)) continue;
      const key = phrase.split(' ')[0] ?? phrase;
      used.set(key, Math.max(used.get(key) ?? 0, weight));
    }
    for (const w of used.values()) score += w;
    scores.push({ name: def.name, score: Math.round(score * 100) / 100 });
  }
  return scores.sort((a, b) => b.score - a.score);
}

/** The best intent above the threshold; a tie between the best two; or none (with the likeliest). */
export function classify(
  question: string,
  entityTokens: readonly string[],
  e: EntityPresence,
): { readonly reading: Reading; readonly result: Classification } {
  const reading = readQuestion(question, entityTokens, VOCABULARY);
  const scores = scoreIntents(reading, e);
  const [best, second] = scores;
  if (best === undefined || best.score < THRESHOLD) {
    const likely = best !== undefined && best.score > 0 ? best.name : undefined;
    return { reading, result: { kind: 'none', likely, scores } };
  }
  if (second !== undefined && second.score === best.score) {
    // "status" is what a bare trade id means; any other reading that ties with it is more specific.
    if (best.name === 'status' || second.name === 'status') {
      const specific = best.name === 'status' ? second.name : best.name;
      return { reading, result: { kind: 'intent', intent: specific, scores } };
    }
    return { reading, result: { kind: 'tie', intents: [best.name, second.name], scores } };
  }
  return { reading, result: { kind: 'intent', intent: best.name, scores } };
}
