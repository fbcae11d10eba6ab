/*
 * The output redactor for streamed text. Deltas are buffered and released only up to a safe
 * boundary, each released segment passed through the (whole-text) redactor, so a secret or an
 * account number split across deltas is never released unredacted.
 *
 * A safe boundary is the end of the last whitespace run in the buffer: every redaction pattern
 * (account numbers, AKIA…, xox…-, JWTs) is a run of non-space characters, so a token followed by
 * whitespace is complete and redacts the same alone as in the whole text. Three patterns can span
 * whitespace, and the boundary is moved back before them:
 *  - `-----BEGIN … KEY-----` blocks: held from `-----BEGIN` until their `-----END … KEY-----`
 *    (or the end of the text, which the redactor treats as the end of the block);
 *  - `Bearer <token>`: a trailing `Bearer ` is held until its token has arrived;
 *  - `aws_secret_access_key = <value>` (and the session-token forms): a trailing key name, with
 *    any `:`/`=`/quote, is held until its value has arrived.
 * Text without whitespace (a long URL, a key body) is held until whitespace or the end.
 */

/** Redacts one complete segment (the loop passes `Guardrails.redactOutput` with the turn's context). */
export type SegmentRedactor = (segment: string) => string;

const BEGIN = '-----BEGIN';
const KEY_HEADER = /^-----BEGIN [A-Z0-9 ]*-----/;
const KEY_END = /-----END [A-Z0-9 ]*KEY-----/g;
const TRAILING_BEARER = /\bBearer\s*$/i;
const TRAILING_SECRET_KEY =
  /\b(aws_?secret_?access_?key|secretAccessKey|aws_?session_?token)\b["']?\s*(?:[:=]\s*["']?)?$/i;

/** Index just past the last whitespace character (0 when there is none). */
function afterLastWhitespace(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) {
    if (/\s/.test(text[i] ?? '')) return i + 1;
  }
  return 0;
}

/**
 * Moves `cut` back to the start of the `-----BEGIN … KEY-----` block it falls inside, if any: a
 * block still open (no `-----END … KEY-----` yet) runs to the end of the buffer, and a closed one
 * contains spaces in its END line, so a cut there would split it.
 */
function outsideKeyBlocks(text: string, cut: number): number {
  let from = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, from);
    if (begin < 0 || begin >= cut) return cut;
    const header = KEY_HEADER.exec(text.slice(begin));
    if (header !== null && !header[0].endsWith('KEY-----')) {
      // A complete header that is not a key (a certificate, say): never redacted.
      from = begin + header[0].length;
      continue;
    }
    KEY_END.lastIndex = begin + BEGIN.length;
    const end = KEY_END.exec(text);
    if (end === null) return begin;
    from = end.index + end[0].length;
    if (cut < from) return begin;
  }
}

/**
 * The length of the prefix of `buffer` that can be released: redacting it alone gives the same
 * text as redacting it as part of the whole answer, whatever arrives next.
 */
export function safeBoundary(buffer: string): number {
  let cut = afterLastWhitespace(buffer);
  // Moving the cut back can expose another trailing key name or `Bearer`: repeat until stable.
  for (;;) {
    cut = outsideKeyBlocks(buffer, cut);
    const head = buffer.slice(0, cut);
    const trailing = TRAILING_BEARER.exec(head) ?? TRAILING_SECRET_KEY.exec(head);
    if (trailing === null || trailing.index === cut) return cut;
    cut = trailing.index;
  }
}

export class StreamRedactor {
  readonly #redact: SegmentRedactor;
  #buffer = '';

  constructor(redact: SegmentRedactor) {
    this.#redact = redact;
  }

  /** Text received but not yet released. */
  get pending(): string {
    return this.#buffer;
  }

  /** Adds a delta; returns the redacted text now safe to release (often `''`). */
  push(delta: string): string {
    this.#buffer += delta;
    const cut = safeBoundary(this.#buffer);
    if (cut === 0) return '';
    const segment = this.#buffer.slice(0, cut);
    this.#buffer = this.#buffer.slice(cut);
    return this.#redact(segment);
  }

  /** The end of the text: releases the rest, redacted. */
  flush(): string {
    const rest = this.#buffer;
    this.#buffer = '';
    return rest === '' ? '' : this.#redact(rest);
  }
}
