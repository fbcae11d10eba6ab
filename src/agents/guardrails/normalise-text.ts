/*
 * Normalisation before the injection screen: the same text seen through several views, so an
 * instruction hidden by formatting tricks reads like the plain phrase it is. The views only feed the
 * screen; what the model and the user see is never rewritten by them.
 */

/** One way of reading the text. `hidden`: a view that undoes a trick (decoding, joining letters…). */
export interface TextView {
  readonly name: string;
  readonly text: string;
  readonly hidden: boolean;
}

export interface NormalisedText {
  /** NFKC, invisible and control characters removed, lookalike letters mapped, lower case, one space. */
  readonly flat: string;
  /** As `flat`, but line breaks kept (for role markers such as `system:` at the start of a line). */
  readonly lines: string;
  /** Every view to screen: `flat` first, then the views that undo a trick. */
  readonly views: readonly TextView[];
  /** Tricks found in the raw text (`zero-width characters`, `lookalike letters`, …). */
  readonly tricks: readonly string[];
}

/**
 * Zero-width and other invisible format characters (ZWSP/ZWNJ/ZWJ, bidi controls, word joiner,
 * soft hyphen, variation selectors, BOM, Hangul fillers) — dropped, so `Ig<ZWSP>nore` reads `Ignore`.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each listed character is removed on its own, joiners and selectors included.
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
/** Unicode tag characters: invisible, and able to spell ASCII ("ASCII smuggling"). */
const TAGS = /[\u{e0000}-\u{e007f}]/gu;
/** C0/C1 control characters other than tab and line breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this expression's job.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Cyrillic and Greek letters that look like Latin ones (the common confusables, not the full table). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ԛ: 'q',
  ԝ: 'w',
  А: 'A',
  В: 'B',
  Е: 'E',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: 'O',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
  І: 'I',
  Ј: 'J',
  Ѕ: 'S',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  ν: 'v',
  χ: 'x',
  Α: 'A',
  Β: 'B',
  Ε: 'E',
  Ζ: 'Z',
  Η: 'H',
  Ι: 'I',
  Κ: 'K',
  Μ: 'M',
  Ν: 'N',
  Ο: 'O',
  Ρ: 'P',
  Τ: 'T',
  Υ: 'Y',
  Χ: 'X',
};
const LOOKALIKE_RE = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

/** Letters spaced out or dotted (`i g n o r e`, `i.g.n.o.r.e`): at least three in a row. */
const SPACED_LETTERS = /(?<![\p{L}\p{N}])(?:\p{L}[ .\-_*·|]{1,2}){2,}\p{L}(?![\p{L}\p{N}])/gu;
const SPACED_SEPARATORS = /[ .\-_*·|]/g;

/** Digits and symbols standing for letters, in a token that also has letters (`1gn0r3`, `5y573m`). */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '!': 'i',
};
const LEET_TOKEN = /[a-z0-9@$!]*[a-z][a-z0-9@$!]*/g;

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_RUN = /\b(?:[0-9a-fA-F]{2}){8,}\b/g;
const URL_ESCAPES = /%[0-9A-Fa-f]{2}[\s\S]*?%[0-9A-Fa-f]{2}/;

/** Most characters printable text: a decoded blob that is binary carries no sentence. */
function looksLikeText(s: string): boolean {
  if (s.length < 6) return false;
  const printable = s.replace(/[^\x20-\x7e\n\t\u00a0-\uffff]/g, '').length;
  const letters = s.replace(/[^A-Za-z]/g, '').length;
  return printable / s.length > 0.95 && letters / s.length > 0.5 && /\s/.test(s);
}

function decodeBase64Runs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BASE64_RUN)) {
    const blob = m[0].replace(/-/g, '+').replace(/_/g, '/');
    const decoded = Buffer.from(blob, 'base64').toString('utf8');
    if (looksLikeText(decoded)) out.push(decoded);
  }
  return out;
}

function decodeHexRuns(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(HEX_RUN)) {
    const decoded = Buffer.from(m[0], 'hex').toString('utf8');
    if (looksLikeText(decoded)) out.push(decoded);
  }
  return out;
}

function decodeUrl(text: string): string | undefined {
  if (!URL_ESCAPES.test(text)) return undefined;
  try {
    const decoded = decodeURIComponent(text.replace(/\+/g, ' '));
    return decoded === text ? undefined : decoded;
  } catch {
    return undefined;
  }
}

function decodeTags(text: string): string | undefined {
  const tags = [...text.matchAll(TAGS)];
  if (tags.length === 0) return undefined;
  return tags
    .map((m) => String.fromCodePoint((m[0].codePointAt(0) ?? 0xe0000) - 0xe0000))
    .join('')
    .replace(/[^\x20-\x7e]/g, '');
}

function rot13(text: string): string {
  return text.replace(/[a-z]/g, (c) => String.fromCharCode(((c.charCodeAt(0) - 97 + 13) % 26) + 97));
}

/** NFKC, invisible/control characters out, lookalikes mapped; reports the tricks it undid. */
function clean(raw: string, tricks: Set<string>): string {
  let text = raw.normalize('NFKC');
  if (text !== raw && raw.normalize('NFC') !== text) tricks.add('compatibility characters');
  const withoutInvisible = text.replace(INVISIBLE, '').replace(TAGS, '');
  if (withoutInvisible !== text) tricks.add('invisible characters');
  text = withoutInvisible.replace(CONTROL, ' ');
  const mapped = text.replace(LOOKALIKE_RE, (c) => LOOKALIKES[c] ?? c);
  // Mixed scripts in one word is the trick; a whole word in Cyrillic is just Cyrillic.
  if (mapped !== text && /[a-z][\u0400-\u04ff\u0370-\u03ff]|[\u0400-\u04ff\u0370-\u03ff][a-z]/i.test(text)) {
    tricks.add('lookalike letters');
  }
  return mapped;
}

const flatten = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Normalises text for the injection screen: Unicode NFKC; zero-width, invisible, tag and control
 * characters removed; Cyrillic/Greek lookalikes mapped to Latin; whitespace collapsed; spaced-out
 * letters joined; digits-for-letters read as letters; base64, hex, URL-encoded, tag-character and
 * ROT13 payloads decoded (base64/hex only when the result reads as text). `depth` bounds decoding
 * of decoded text.
 */
export function normaliseText(raw: string, depth = 2): NormalisedText {
  const tricks = new Set<string>();
  const cleaned = clean(raw, tricks);
  const flat = flatten(cleaned);
  const lines = cleaned
    .toLowerCase()
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .join('\n');
  const views: TextView[] = [{ name: 'text', text: flat, hidden: false }];
  const add = (name: string, text: string | undefined): void => {
    if (text === undefined) return;
    const t = flatten(text);
    if (t !== '' && t !== flat && !views.some((v) => v.text === t))
      views.push({ name, text: t, hidden: true });
  };

  const joined = cleaned.replace(SPACED_LETTERS, (run) => run.replace(SPACED_SEPARATORS, ''));
  if (joined !== cleaned) add('spaced letters joined', joined);
  add(
    'digits read as letters',
    flat.replace(LEET_TOKEN, (token) =>
      /[0-9@$!]/.test(token) ? token.replace(/[0-9@$!]/g, (c) => LEET[c] ?? c) : token,
    ),
  );
  add('rot13', rot13(flat));

  const decoded: Array<[string, string]> = [
    ...decodeBase64Runs(cleaned).map((d): [string, string] => ['base64 decoded', d]),
    ...decodeHexRuns(cleaned).map((d): [string, string] => ['hex decoded', d]),
  ];
  const url = decodeUrl(cleaned);
  if (url !== undefined) decoded.push(['url decoded', url]);
  const tags = decodeTags(raw);
  if (tags !== undefined && tags !== '') decoded.push(['tag characters decoded', tags]);
  for (const [name, text] of decoded) {
    if (depth <= 0) {
      add(name, text);
      continue;
    }
    // Decoded text may hide a second trick (base64 of spaced letters): normalise it too.
    for (const v of normaliseText(text, depth - 1).views) add(v.hidden ? `${name}, ${v.name}` : name, v.text);
  }
  return { flat, lines, views, tricks: [...tricks] };
}
