/*
 * Said to the assistant, "I" is the person and "you" the assistant; said back by the assistant, the
 * two swap: "I'd rather you call me" → "you would rather I call you". Both directions are swapped in
 * one pass so a word is never swapped twice.
 */
const WORDS =
  /\b(?:I'm|I am|I've|I'd|I'll|I was|i(?!\.\w)|me|myself|my|mine|we're|we|us|our|ours|you're|you are|you've|you'd|you'll|yourself|yours|your|you)\b/gi;

const SWAP: Readonly<Record<string, string>> = {
  "i'm": 'you are',
  'i am': 'you are',
  "i've": 'you have',
  "i'd": 'you would',
  "i'll": 'you will',
  'i was': 'you were',
  i: 'you',
  me: 'you',
  myself: 'yourself',
  my: 'your',
  mine: 'yours',
  "we're": 'you are',
  we: 'you',
  us: 'you',
  our: 'your',
  ours: 'yours',
  "you're": 'I am',
  'you are': 'I am',
  "you've": 'I have',
  "you'd": 'I would',
  "you'll": 'I will',
  yourself: 'myself',
  yours: 'mine',
  your: 'my',
};

// "you" is the subject ("I" when said back) first in the phrase or after these words, the object
// ("me") elsewhere.
const SUBJECT_BEFORE = /\b(?:rather|that|if|when|whenever|unless|until|before|after|so)\s+$/i;

/**
 * A first-person phrase said to the assistant, as the assistant would say it back to the person:
 * "show me my breaks" → "show you your breaks", "I'd like you to use EUR" → "you would like me to use
 * EUR". The person's own wording is otherwise kept. "US" (a market) is left alone: only lower-case
 * "us", "we" and "our" are the person's team.
 */
export function toSecondPerson(phrase: string): string {
  return phrase.trim().replace(WORDS, (word, offset: number, whole: string) => {
    if (/^(?:US|WE|OUR|OURS)$/.test(word)) return word;
    const lower = word.toLowerCase();
    if (lower === 'you') {
      const before = whole.slice(0, offset);
      return before.trim() === '' || SUBJECT_BEFORE.test(before) ? 'I' : 'me';
    }
    return SWAP[lower] ?? word;
  });
}
