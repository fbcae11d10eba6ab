/*
 * Lexical relevance (BM25) over a small set of texts: what the DynamoDB adapter and the local
 * AgentCore Memory endpoint use where AgentCore ranks by embedding similarity.
 */

const STOP_WORDS = new Set(
  (
    'a about above after again all am an and any are as at be because been before being below between both ' +
    'but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers herself him himself his how i if in into is it its itself just me more most my myself no nor ' +
    'not now of off on once only or other our ours ourselves out over own same she should so some such than ' +
    'that the their theirs them themselves then there these they this those through to too under until up ' +
    'very was we were what when where which while who whom why will with would you your yours yourself ' +
    'yourselves remember know tell please'
  ).split(' '),
);

/** Lower-case word tokens of `text`, stop-words dropped, a plural `s` folded (`desks` → `desk`). */
export function tokenise(text: string): string[] {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

export interface Scored<T> {
  readonly item: T;
  readonly score: number;
}

const K1 = 1.2;
const B = 0.75;

/**
 * BM25 score of each item's text against `query` (IDF computed within `items`), highest first; only
 * items that share at least one word with the query (score > 0). Ties keep the order of `items`.
 */
export function rankByRelevance<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  query: string,
): Scored<T>[] {
  const terms = [...new Set(tokenise(query))];
  if (terms.length === 0 || items.length === 0) return [];
  const docs = items.map((item) => {
    const tf = new Map<string, number>();
    const tokens = tokenise(textOf(item));
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    return { item, tf, length: tokens.length };
  });
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / docs.length || 1;
  const idf = new Map(
    terms.map((t) => {
      const df = docs.filter((d) => d.tf.has(t)).length;
      return [t, Math.log(1 + (docs.length - df + 0.5) / (df + 0.5))];
    }),
  );
  return docs
    .map((d, index) => {
      let score = 0;
      for (const t of terms) {
        const f = d.tf.get(t) ?? 0;
        if (f === 0) continue;
        score += ((idf.get(t) ?? 0) * (f * (K1 + 1))) / (f + K1 * (1 - B + (B * d.length) / avgLength));
      }
      return { item: d.item, score, index };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map(({ item, score }) => ({ item, score }));
}
