/**
 * Text from outside (file headers, questions, trace details) made safe to print to a terminal: every
 * control character (C0, DEL, C1 — which start escape sequences that can recolour, retitle or rewrite
 * the screen) and every invisible formatting character (zero-width, bidirectional overrides) is
 * written as a visible escape (`\x1b`, `\n`, `\u202e`). Everything else is left as it is.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeOne);
}

// C0 controls, DEL, C1 controls, and Unicode format characters (Cf): zero-width, bidi controls, BOM.
const UNPRINTABLE = /\p{Cc}|\p{Cf}/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}
