import { createHash } from 'node:crypto';
import { FACT_TTL_DAYS, type MemoryFact } from '../facts.ts';
import type { FactWrite } from '../long-term-memory.ts';
import type { CandidateFact } from './candidate.ts';

export interface MergeOptions {
  readonly now: Date;
  /** The most facts one principal keeps; the least recently updated beyond it are deleted. */
  readonly maxFacts?: number;
  readonly principalId: string;
  /** The session the candidates were stated in. */
  readonly sessionId: string;
}

export interface MergeResult {
  /** Facts to put: the new ones and the existing ones restated. */
  readonly writes: readonly FactWrite[];
  /** Fact ids to delete to stay within `maxFacts` (never one of `writes`). */
  readonly deletes: readonly string[];
  readonly added: number;
  readonly updated: number;
  /** Existing facts compacted away (`deletes.length`). */
  readonly dropped: number;
  /** New candidates not written because the batch alone would pass `maxFacts`. */
  readonly overflow: number;
}

export const DEFAULT_MAX_FACTS = 50;

/** Two facts of one category are the same fact at this word-set Jaccard similarity or above. */
export const NEAR_DUPLICATE_SIMILARITY = 0.7;

const DAY_MS = 86_400_000;

interface Entry {
  fact: FactWrite;
  norm: string;
  words: ReadonlySet<string>;
  readonly isNew: boolean;
  touched: boolean;
}

/**
 * Curates screened candidates into a principal's existing facts (pure). A candidate that is a near
 * duplicate of a fact (same category and a word-set Jaccard similarity of at least 0.7, or one text
 * containing the other) updates that fact: same `factId`, the longer text when one contains the other
 * and otherwise the newer one, `updatedAt` = now and a fresh `expiresAt`. Duplicates within the batch
 * collapse the same way. A new fact gets a deterministic id (`newFactId`), so a rerun after a crash
 * rewrites the same ids instead of adding copies. Above `maxFacts`, the least recently updated facts
 * are deleted, never one written now.
 */
export function mergeFacts(
  existing: readonly MemoryFact[],
  candidates: readonly CandidateFact[],
  options: MergeOptions,
): MergeResult {
  const { now, principalId, sessionId } = options;
  const maxFacts = options.maxFacts ?? DEFAULT_MAX_FACTS;
  const foreign = existing.find((f) => f.principalId !== principalId);
  if (foreign !== undefined) {
    throw new Error(`mergeFacts: fact ${foreign.factId} does not belong to principal ${principalId}`);
  }
  const nowIso = now.toISOString();
  const entries: Entry[] = existing.map((fact) => {
    const norm = normaliseFactText(fact.text);
    const { principalId: _owner, ...write } = fact;
    return { fact: write, norm, words: contentWords(norm), isNew: false, touched: false };
  });
  let overflow = 0;

  for (const candidate of candidates) {
    const norm = normaliseFactText(candidate.text);
    const words = contentWords(norm);
    const source = { sessionId, eventId: candidate.sourceEventId };
    const expiresAt = new Date(now.getTime() + FACT_TTL_DAYS[candidate.category] * DAY_MS).toISOString();
    const match = nearestDuplicate(entries, candidate.category, norm, words);
    if (match !== undefined) {
      // Restated: keep the longer wording when one contains the other, else the newer one.
      const keepOld = contains(match.norm, norm);
      match.fact = {
        ...match.fact,
        ...(keepOld ? {} : { text: candidate.text, source }),
        updatedAt: nowIso,
        expiresAt,
      };
      if (!keepOld) {
        match.norm = norm;
        match.words = words;
      }
      match.touched = true;
      continue;
    }
    const writtenNow = entries.filter((e) => e.isNew || e.touched).length;
    if (writtenNow >= maxFacts) {
      overflow++;
      continue;
    }
    const fact: FactWrite = {
      factId: newFactId(principalId, sessionId, candidate.sourceEventId, candidate.category, norm),
      category: candidate.category,
      text: candidate.text,
      source,
      createdAt: nowIso,
      updatedAt: nowIso,
      expiresAt,
    };
    entries.push({ fact, norm, words, isNew: true, touched: true });
  }

  const excess = entries.length - maxFacts;
  const deletes =
    excess > 0
      ? entries
          .filter((e) => !e.touched)
          .sort(
            (a, b) =>
              a.fact.updatedAt.localeCompare(b.fact.updatedAt) || a.fact.factId.localeCompare(b.fact.factId),
          )
          .slice(0, excess)
          .map((e) => e.fact.factId)
      : [];
  return {
    writes: entries.filter((e) => e.touched).map((e) => e.fact),
    deletes,
    added: entries.filter((e) => e.isNew).length,
    updated: entries.filter((e) => e.touched && !e.isNew).length,
    dropped: deletes.length,
    overflow,
  };
}

function nearestDuplicate(
  entries: readonly Entry[],
  category: CandidateFact['category'],
  norm: string,
  words: ReadonlySet<string>,
): Entry | undefined {
  let best: Entry | undefined;
  let bestScore = 0;
  for (const e of entries) {
    if (e.fact.category !== category) continue;
    const score = contains(e.norm, norm) || contains(norm, e.norm) ? 1 : jaccard(e.words, words);
    if (score >= NEAR_DUPLICATE_SIMILARITY && score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

/** True when `inner`'s words appear, in order and whole, within `outer`. */
function contains(outer: string, inner: string): boolean {
  return inner.length > 0 && ` ${outer} `.includes(` ${inner} `);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Lower case, letters and digits only, single spaces: what two wordings of a fact are compared on. */
export function normaliseFactText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

// Words every fact shares ("You asked me to always …") would make unrelated facts look alike.
const STOPWORDS = new Set(
  'a an the and or of to in on at for by with from as is are be been was were you your yours asked me i my we our us it that this these those'.split(
    ' ',
  ),
);

function contentWords(norm: string): ReadonlySet<string> {
  return new Set(norm.split(' ').filter((w) => w.length > 0 && !STOPWORDS.has(w)));
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * `f-` + 26 characters of base32 (RFC 4648 alphabet, lower case) of the SHA-256 of the principal, the
 * session, the source event, the category and the normalised text: the same statement consolidated
 * twice gets the same id.
 */
export function newFactId(
  principalId: string,
  sessionId: string,
  sourceEventId: string,
  category: CandidateFact['category'],
  normalisedText: string,
): string {
  const digest = createHash('sha256')
    .update([principalId, sessionId, sourceEventId, category, normalisedText].join('\u0000'), 'utf8')
    .digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === 26) break;
  }
  return `f-${out}`;
}
