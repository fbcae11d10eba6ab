/*
 * The prompt-injection screen for text that reaches the model: the user's question, and free text in
 * tool results (a trade's `note`, a counterparty's comment). The text is normalised first (Unicode
 * NFKC, invisible and control characters out, lookalike letters mapped, spaced letters joined,
 * digits-for-letters read, encoded payloads decoded: see `normaliseText`), then scored: each
 * weighted signal found in any view adds its weight once, a signal found only by undoing a trick adds
 * an obfuscation weight, and a score at or over the threshold is an injection. Bedrock Guardrails'
 * prompt-attack filter adds a model-based check when configured.
 */
import { COMPACT_SIGNALS, LINE_SIGNALS, PHRASE_SIGNALS, type Signal } from './injection-signals.ts';
import { normaliseText } from './normalise-text.ts';

/** A score at or over this is an injection. */
export const INJECTION_THRESHOLD = 0.5;
/** Added once when a signal shows only after undoing a trick: hiding a phrase is itself evidence. */
const HIDDEN_WEIGHT = 0.2;
/** Added once when the raw text used invisible characters, lookalikes or compatibility forms (with a signal). */
const TRICK_WEIGHT = 0.1;

/** One signal found, with the view it was found in (`text`, `base64 decoded`, `spaced letters joined`, …). */
export interface FoundSignal {
  readonly name: string;
  readonly weight: number;
  readonly view: string;
}

/** The screen's assessment of one text. */
export interface InjectionScore {
  /** 0 to 1: the sum of the distinct signals' weights (and obfuscation weights), capped at 1. */
  readonly score: number;
  readonly threshold: number;
  readonly signals: readonly FoundSignal[];
  /** Tricks undone in the raw text (`invisible characters`, `lookalike letters`, …). */
  readonly tricks: readonly string[];
}

export interface InjectionFinding extends InjectionScore {
  /** The names of the signals found (`override instructions`, `obfuscation`, …). */
  readonly patterns: readonly string[];
}

const round = (n: number): number => Math.round(n * 100) / 100;

function firstHit(
  signals: readonly Signal[],
  text: string,
  view: string,
  found: Map<string, FoundSignal>,
): void {
  for (const s of signals) {
    if (found.has(s.name)) continue;
    if (s.regex.test(text)) found.set(s.name, { name: s.name, weight: s.weight, view });
  }
}

/** Scores one text (see the file comment). Pure and synchronous; microseconds for a question. */
export function scoreInjection(text: string): InjectionScore {
  const n = normaliseText(text);
  const found = new Map<string, FoundSignal>();
  // Plain views first, so a signal is attributed to the plainest view that shows it.
  firstHit(PHRASE_SIGNALS, n.flat, 'text', found);
  firstHit(LINE_SIGNALS, n.lines, 'text', found);
  for (const v of n.views) {
    if (!v.hidden) continue;
    firstHit(PHRASE_SIGNALS, v.text, v.name, found);
    // A decoded payload is a text of its own: a role marker may open it.
    firstHit(LINE_SIGNALS, v.text, v.name, found);
  }
  for (const v of n.views) {
    firstHit(COMPACT_SIGNALS, v.text.replace(/[^a-z]/g, ''), v.hidden ? v.name : 'letters only', found);
  }
  const signals = [...found.values()];
  if (signals.length > 0) {
    if (signals.some((s) => s.view !== 'text')) {
      signals.push({ name: 'obfuscation', weight: HIDDEN_WEIGHT, view: 'hidden phrase' });
    }
    if (n.tricks.length > 0)
      signals.push({ name: 'tricks', weight: TRICK_WEIGHT, view: n.tricks.join(', ') });
  }
  const score = round(
    Math.min(
      1,
      signals.reduce((sum, s) => sum + s.weight, 0),
    ),
  );
  return { score, threshold: INJECTION_THRESHOLD, signals, tricks: n.tricks };
}

/** One line for a trace: `score 0.9 ≥ 0.5: override instructions 0.7 (text), obfuscation 0.2 (…)`. */
export function describeScore(s: InjectionScore): string {
  const verdict = s.score >= s.threshold ? '≥' : '<';
  const parts = s.signals.map((x) => `${x.name} ${x.weight}${x.view === 'text' ? '' : ` (${x.view})`}`);
  return `score ${s.score} ${verdict} ${s.threshold}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** Finds instruction-like content; `undefined` when the score stays under the threshold. */
export function detectInjection(text: string): InjectionFinding | undefined {
  const s = scoreInjection(text);
  if (s.score < s.threshold) return undefined;
  return { ...s, patterns: [...new Set(s.signals.map((x) => x.name))] };
}

export const UNTRUSTED_MARKER = '[untrusted record text; instruction-like content removed]';

/** Runs long enough to hide a sentence in an encoding. */
const ENCODED_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}|(?:%[0-9A-Fa-f]{2}){4,}/g;

/**
 * Neutralises one free-text value that scores as an injection: drops each sentence (and encoded
 * blob) that carries any signal and labels what is left as untrusted data, so the model reads it as a quotation, never
 * as a command. When the whole text scores but no single sentence does (a phrase split across
 * lines), nothing of it is kept.
 */
export function neutraliseText(text: string): { readonly text: string; readonly finding?: InjectionFinding } {
  const finding = detectInjection(text);
  if (finding === undefined) return { text };
  const withoutBlobs = text.replace(ENCODED_RUN, (blob) => (detectInjection(blob) === undefined ? blob : ''));
  const sentences = withoutBlobs.split(/(?<=[.!?;\n])\s+/).filter((s) => s.trim() !== '');
  // The text is flagged: every sentence that carries any signal goes, not only those over the line.
  const kept = sentences.filter((s) => scoreInjection(s).score === 0);
  const rest = kept.join(' ').trim();
  const keep = rest !== '' && detectInjection(rest) === undefined;
  return { text: keep ? `${UNTRUSTED_MARKER} "${rest}"` : UNTRUSTED_MARKER, finding };
}

/**
 * Walks a tool result and neutralises every string that scores as an injection. Returns the cleaned
 * value and one line per intervention (`note: score 0.9 ≥ 0.5: override instructions 0.7, …`).
 */
export function neutraliseToolResult(value: unknown): {
  readonly value: unknown;
  readonly interventions: string[];
} {
  const interventions: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      const result = neutraliseText(v);
      if (result.finding !== undefined) {
        interventions.push(`${path === '' ? '(value)' : path}: ${describeScore(result.finding)}`);
      }
      return result.text;
    }
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([key, item]) => [key, walk(item, path === '' ? key : `${path}.${key}`)]),
      );
    }
    return v;
  };
  return { value: walk(value, ''), interventions };
}
