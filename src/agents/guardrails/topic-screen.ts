/*
 * A topic screen: SettleOps answers settlement-operations questions only. Settlement vocabulary (or
 * an identifier: trade id, ISIN, BIC) keeps a question on topic; clear off-topic requests (weather,
 * sport, poems, trivia, unrelated coding help) get a short refusal. Ambiguous words ("match",
 * "report") keep a question on topic only when no off-topic word is present. Anything else passes, because
 * follow-ups ("and the other one?") carry no vocabulary and the model's instructions cover the rest.
 */

/**
 * Words that only settlement questions use: they win over any off-topic word. Words shared with
 * other subjects ("match", "report", "status") are left out on purpose, so "who won the football
 * match?" is refused while "match status of T-10042" still passes (no off-topic word in it).
 */
const STRONG_TERMS =
  /\b(trades?|settle(d|s|ment|ments)?|unsettled|unmatched|exceptions?|sla|isin|cusip|sedol|bic|swift|counterpart(y|ies)|cpty|desks?|custod(y|ian)|depositor(y|ies)|csd|dtc|dtcc|ctm|euroclear|clearstream|t2s|dvp|fop|rvp|affirm(ed|ation)?s?|allocations?|csdr|stp|nostro|notional|net amount|trade date|value date|mt54\d|sese|iso 20022|reason code|ingest(ion)?)\b/i;

// Record ids as the store has them, in any case: `T-10042`, `H4-INT`, `gscm12-ext`, `C-GSCM-000123`.
const IDENTIFIERS =
  /\bT-\d{3,}\b|\b[A-Za-z]*\d[A-Za-z0-9]*-[A-Za-z0-9]+\b|\b[A-Za-z]+-[A-Za-z]*\d[A-Za-z0-9-]*\b|\b[A-Z]{2}[A-Z0-9]{9}\d\b|\b[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?\b/;

const OFF_TOPIC: readonly { readonly name: string; readonly regex: RegExp }[] = [
  { name: 'weather', regex: /\b(weather|forecast|temperature|rain(ing)?|snow(ing)?|sunny)\b/i },
  {
    name: 'sport',
    regex:
      /\b(football|soccer|basketball|baseball|cricket|tennis|golf|rugby|hockey|nba|nfl|world cup|premier league|super bowl|olympics|who won the)\b/i,
  },
  {
    name: 'creative writing',
    regex: /\b(poem|poetry|haiku|limerick|song lyrics|short story|sonnet|rap)\b|\btell me a joke\b|\bjoke\b/i,
  },
  {
    name: 'food and travel',
    regex: /\b(recipe|cook(ing)?|restaurant|vacation|holiday plans?|hotel|flight to)\b/i,
  },
  {
    name: 'general knowledge',
    regex:
      /\b(capital (city )?of|who (was|is) the (first|president|king|queen|ceo)|how (tall|old|far|big) is|meaning of life|history of|population of|translate)\b/i,
  },
  {
    name: 'coding help',
    regex:
      /\b(python|javascript|typescript|java|rust|golang|c\+\+|sql query|regex|react|leetcode|algorithm|write (me )?(a |some )?(code|function|script|program))\b/i,
  },
  { name: 'entertainment', regex: /\b(movies?|films?|netflix|tv show|celebrity|music|horoscope|dating)\b/i },
  { name: 'investment advice', regex: /\b(should i (buy|sell)|stock tips?|crypto|bitcoin|price target)\b/i },
];

export type TopicVerdict =
  | { readonly onTopic: true }
  | { readonly onTopic: false; readonly category: string };

export function screenTopic(text: string): TopicVerdict {
  if (STRONG_TERMS.test(text) || IDENTIFIERS.test(text)) return { onTopic: true };
  const hit = OFF_TOPIC.find((t) => t.regex.test(text));
  return hit === undefined ? { onTopic: true } : { onTopic: false, category: hit.name };
}
