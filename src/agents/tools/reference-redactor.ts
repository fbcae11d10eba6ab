import { mayViewAccount, mayViewDesk, type Principal } from '../../identity/index.ts';
import type { Trade } from '../../settlement/index.ts';

/*
 * The one redaction step every tool result passes before it reaches the model (applied by
 * `defineTool`, so no tool can skip it): it finds every reference to a settlement record in the
 * result — trade ids, trade refs, match ids, exception ids, wherever they sit (an id field or free
 * text) — resolves the trades they name, and withholds each reference to a record of a desk the
 * asker may not see, with the account numbers and counterparty BICs of those records.
 *
 * A match id names both of its trades and an exception id names its trade, so they are withheld
 * when any trade they name is. Strings that resolve to nothing are left alone: they name nothing,
 * so they reveal nothing. What the asker supplied in the tool input is never withheld, so the
 * redaction cannot become an oracle ("that id was withheld, so it exists on another desk").
 */

/** Replaces a withheld reference inside text. */
export const WITHHELD = '[withheld: not permitted]';

const REF_SOURCE = '(?:INTERNAL|COUNTERPARTY)#';
/** A trade id as the tools accept it, ending in a letter or digit (so a full stop is not taken along). */
const ID_BODY = '[A-Za-z0-9](?:[A-Za-z0-9._:/-]*[A-Za-z0-9])?';
const MATCH_ID = new RegExp(String.raw`M\|${REF_SOURCE}[^\s|@]+@\d+\|${REF_SOURCE}[^\s|@]+@\d+`, 'g');
const EXCEPTION_ID = new RegExp(String.raw`X\|${REF_SOURCE}[^\s|]+\|[A-Za-z0-9_]+`, 'g');
const TRADE_REF = new RegExp(`${REF_SOURCE}${ID_BODY}`, 'g');
/** A bare token that could be a trade id in free text: letters, digits and a hyphen (T-10042, C-GSCM-1). */
const BARE_TOKEN = new RegExp(ID_BODY, 'g');
const WHOLE_TRADE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
/** Dates and instants look like ids to the token scan; they never name a record. */
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;
/** Keys whose whole value is an identifier: `tradeId`, `matchId`, `exceptionIds`, `counterpartyRef`, `id`. */
const ID_KEY = /^(id|.*Ids?|.*Refs?)$/;

/** The references found in a value: each candidate string and the trade refs it depends on. */
export interface References {
  /** candidate string → the trade refs (`INTERNAL#T-1`) or bare ids (`T-1`) it names. */
  readonly candidates: ReadonlyMap<string, readonly string[]>;
}

/** The trade refs a bare id or a ref stands for. */
function refsOfId(id: string): string[] {
  if (id.startsWith('INTERNAL#') || id.startsWith('COUNTERPARTY#')) return [id];
  return WHOLE_TRADE_ID.test(id) && !DATE_LIKE.test(id) ? [`INTERNAL#${id}`, `COUNTERPARTY#${id}`] : [];
}

/** `INTERNAL#T-1` → `T-1`. */
function bareIdOf(name: string): string {
  return name.replace(/^(INTERNAL|COUNTERPARTY)#/, '');
}

/** Classifies one whole identifier string: match id, exception id, trade ref or bare trade id. */
function namesOf(s: string): string[] {
  if (s.startsWith('M|')) {
    return [...s.matchAll(TRADE_REF)].map((m) => m[0].replace(/@\d+$/, ''));
  }
  if (s.startsWith('X|')) {
    const m = s.match(TRADE_REF);
    return m === null ? [] : [m[0]];
  }
  return refsOfId(s).length > 0 ? [s] : [];
}

function addCandidate(out: Map<string, string[]>, s: string): void {
  if (out.has(s)) return;
  const names = namesOf(s);
  if (names.length > 0) out.set(s, names);
}

/** Every identifier a piece of free text mentions. */
function scanText(text: string, out: Map<string, string[]>): void {
  for (const re of [MATCH_ID, EXCEPTION_ID, TRADE_REF]) {
    for (const m of text.matchAll(re)) addCandidate(out, m[0]);
  }
  for (const m of text.matchAll(BARE_TOKEN)) {
    const token = m[0];
    // A trade id in prose carries a letter, a digit and a hyphen; plain words and numbers name nothing.
    if (/[A-Za-z]/.test(token) && /\d/.test(token) && token.includes('-') && !DATE_LIKE.test(token)) {
      addCandidate(out, token);
    }
  }
}

/** Finds every reference in a JSON-like value: whole values of id keys and identifiers in any text. */
export function collectReferences(value: unknown): References {
  const out = new Map<string, string[]>();
  const walk = (v: unknown, key: string | undefined): void => {
    if (typeof v === 'string') {
      if (key !== undefined && ID_KEY.test(key)) addCandidate(out, v.trim());
      scanText(v, out);
      return;
    }
    if (Array.isArray(v)) {
      for (const item of v) walk(item, key);
      return;
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        scanText(k, out);
        walk(item, k);
      }
    }
  };
  walk(value, undefined);
  return { candidates: out };
}

/** The trade refs to read to decide the references (bare ids expand to both sources). */
export function refsToResolve(refs: References): string[] {
  const all = new Set<string>();
  for (const names of refs.candidates.values()) {
    for (const n of names) for (const r of refsOfId(bareIdOf(n))) all.add(r);
  }
  return [...all].sort();
}

/** What to withhold: identifier strings, and account numbers / BICs of records the asker may not see. */
export interface Withheld {
  readonly ids: ReadonlySet<string>;
  readonly values: ReadonlySet<string>;
}

/**
 * Decides which references to withhold, given the trades they resolved to. A name is withheld when
 * at least one record answers to it and none of those records is on a desk the asker may see; a
 * candidate is withheld when any name in it is. `known` (the tool input) is never withheld.
 */
export function decideWithheld(
  refs: References,
  trades: readonly Pick<Trade, 'source' | 'tradeId' | 'desk' | 'account' | 'counterpartyBic'>[],
  principal: Pick<Principal, 'desks' | 'accounts'>,
  known: ReadonlySet<string>,
): Withheld {
  const byRef = new Map(trades.map((t) => [`${t.source}#${t.tradeId}`, t]));
  const hiddenName = (name: string): boolean => {
    if (known.has(name)) return false;
    const found = refsOfId(name).flatMap((r) => {
      const t = byRef.get(r);
      return t === undefined ? [] : [t];
    });
    return found.length > 0 && found.every((t) => !mayViewDesk(principal, t.desk));
  };
  const ids = new Set<string>();
  for (const [candidate, names] of refs.candidates) {
    if (known.has(candidate)) continue;
    if (names.some(hiddenName)) ids.add(candidate);
    for (const n of names) {
      if (hiddenName(n)) ids.add(n);
      if (hiddenName(bareIdOf(n))) ids.add(bareIdOf(n));
    }
  }
  const hidden = trades.filter((t) => !mayViewDesk(principal, t.desk));
  const visible = trades.filter((t) => mayViewDesk(principal, t.desk));
  const visibleBics = new Set(visible.flatMap((t) => [t.counterpartyBic, t.counterpartyBic.slice(0, 8)]));
  const values = new Set<string>();
  for (const t of hidden) {
    if (!mayViewAccount(principal, t.account) && !known.has(t.account)) values.add(t.account);
    for (const bic of new Set([t.counterpartyBic, t.counterpartyBic.slice(0, 8)])) {
      if (!visibleBics.has(bic) && !known.has(bic)) values.add(bic);
    }
  }
  for (const k of known) ids.delete(k);
  return { ids, values };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Applies a decision: an id field whose whole value is withheld becomes `null`; any other mention of
 * a withheld identifier, account or BIC in text becomes `[withheld: not permitted]`. Returns the new
 * value and how many mentions were withheld.
 */
export function applyWithheld(
  value: unknown,
  withheld: Withheld,
): { readonly value: unknown; readonly count: number } {
  const all = [...withheld.ids, ...withheld.values].sort((a, b) => b.length - a.length);
  if (all.length === 0) return { value, count: 0 };
  // Boundaries keep `T-1` from matching inside `T-10`; `#`, `|`, `@` and punctuation are boundaries.
  const pattern = new RegExp(`(?<![A-Za-z0-9_-])(?:${all.map(escapeRegex).join('|')})(?![A-Za-z0-9_-])`, 'g');
  let count = 0;
  const text = (s: string): string =>
    s.replace(pattern, () => {
      count++;
      return WITHHELD;
    });
  const walk = (v: unknown, key: string | undefined, inArray: boolean): unknown => {
    if (typeof v === 'string') {
      if (!inArray && key !== undefined && ID_KEY.test(key) && withheld.ids.has(v.trim())) {
        count++;
        return null;
      }
      return text(v);
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, key, true));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [text(k), walk(item, k, false)]));
    }
    return v;
  };
  return { value: walk(value, undefined, false), count };
}

/** Every string in a value (the tool input: what the asker already knows). */
export function stringsOf(value: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      out.add(v.trim());
      const refs = collectReferences(v);
      for (const [candidate, names] of refs.candidates) {
        out.add(candidate);
        for (const n of names) {
          out.add(n);
          out.add(bareIdOf(n));
        }
      }
    } else if (Array.isArray(v)) for (const item of v) walk(item);
    else if (v !== null && typeof v === 'object') for (const item of Object.values(v)) walk(item);
  };
  walk(value);
  return out;
}

/** The store read the redaction needs: trades by ref, in one batch. */
export interface TradeLookup {
  getTrades(refs: readonly string[]): Promise<readonly Trade[]>;
}

/**
 * Withholds from `value` every reference to a record the principal may not see (see the file
 * comment). One batched read of the trades the references name; a failed read throws, so the caller
 * fails closed.
 */
export async function redactReferences(
  value: unknown,
  options: {
    readonly principal: Pick<Principal, 'desks' | 'accounts'>;
    readonly store: TradeLookup;
    readonly input: unknown;
  },
): Promise<{ readonly value: unknown; readonly count: number }> {
  // Every desk visible: nothing can be withheld, and nothing needs reading.
  if (options.principal.desks === '*') return { value, count: 0 };
  const refs = collectReferences(value);
  const toRead = refsToResolve(refs);
  if (toRead.length === 0) return { value, count: 0 };
  const trades = await options.store.getTrades(toRead);
  return applyWithheld(value, decideWithheld(refs, trades, options.principal, stringsOf(options.input)));
}
