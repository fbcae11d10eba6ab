/**
 * `text` shortened to at most `max` characters (UTF-16 units, which Slack never counts lower), ending
 * with `marker`. A cut never splits a surrogate pair or an HTML entity (`&amp;`) that escaping made.
 */
export function truncateText(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, Math.max(0, max - marker.length))) + marker;
}

/** The largest index ≤ `at` where `text` may be cut without splitting a pair or an entity. */
export function safeCut(text: string, at: number): number {
  let cut = Math.min(at, text.length);
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && code >= 0xd800 && code <= 0xdbff) cut--;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < 6) {
    const end = text.indexOf(';', amp);
    if (end >= cut && end - amp < 6) cut = amp;
  }
  return cut;
}

/**
 * `text` in pieces of at most `max` characters, cut at a paragraph break when one is in reach, else a
 * line break, else a space, else anywhere safe. No piece is empty or only whitespace.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.replace(/^\s*\n/, '').trimEnd();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const floor = Math.floor(max / 3);
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep);
      if (at > floor) {
        cut = at;
        break;
      }
    }
    if (cut < 0) cut = safeCut(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece.trim() !== '') pieces.push(piece);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim() !== '') pieces.push(rest);
  return pieces;
}
