const SWAPS: readonly (readonly [RegExp, string])[] = [
  [/\b[Ii](?:'m| am)\b/g, 'you are'],
  [/\b[Ii]'ve\b/g, 'you have'],
  [/\b[Ii]'d\b/g, 'you would'],
  [/\b[Ii]'ll\b/g, 'you will'],
  [/\b[Ii] was\b/g, 'you were'],
  [/\bI\b|\bi\b(?!\.)/g, 'you'],
  [/\b(?:me|myself)\b/gi, 'you'],
  [/\bmy\b/gi, 'your'],
  [/\bmine\b/gi, 'yours'],
  // Lower case only: "US" is a market, "us" is the person's team.
  [/\bwe're\b/g, 'you are'],
  [/\b(?:we|us)\b/g, 'you'],
  [/\bour\b/g, 'your'],
  [/\bours\b/g, 'yours'],
];

/**
 * A first-person phrase said to the assistant, as the assistant would say it back to the person:
 * "show me my breaks" → "show you your breaks". The person's own wording is otherwise kept.
 */
export function toSecondPerson(phrase: string): string {
  return SWAPS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), phrase.trim());
}
