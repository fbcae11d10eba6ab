import { asksAboutMemory, factsInContext } from '../../session-context.ts';

/** A first-person question that a remembered fact may answer ("which desk do I cover on Fridays?"). */
const FIRST_PERSON_QUESTION =
  /\b(?:do|did|am|should|must|was)\s+i\b|\bmy\b|\bi\s+(?:cover|look\s+after|prefer)\b/i;

const STOP = new Set(
  'a an and are as at be by do did does for from have i in is it me my of on or the to was what when where which who why will with you your am should must'.split(
    ' ',
  ),
);

function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1 && !STOP.has(w))
      .map((w) => w.replace(/s$/, '')),
  );
}

/**
 * The offline planner's answer from the asker's own remembered facts (given in the request's context),
 * or undefined when the question is not about them. Only the asker's facts are ever in the context.
 */
export function recallAnswer(question: string, context: string | undefined): string | undefined {
  const facts = factsInContext(context);
  const aboutMemory = asksAboutMemory(question);
  if (!aboutMemory && (!FIRST_PERSON_QUESTION.test(question) || /\d/.test(question))) return undefined;
  const asked = words(question);
  const scored = facts
    .map((f) => ({ f, score: [...words(f.text)].filter((w) => asked.has(w)).length }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!aboutMemory) {
    if (best === undefined || best.score < 2) return undefined;
    return `From what you asked me to remember: ${best.f.text}`;
  }
  if (facts.length === 0) {
    return 'I do not remember anything about you yet. Tell me "remember that …" to keep a standing fact — what you cover, a preference, a standing instruction or a note on a counterparty — and see or forget it with /settle-memory.';
  }
  const specific = best !== undefined && best.score >= 2 ? [best.f] : facts;
  return [
    specific.length === 1 && facts.length > 1
      ? 'From what you asked me to remember:'
      : 'What you asked me to remember:',
    ...specific.map((f) => `• ${f.text}`),
    'See or forget these with /settle-memory (or `settleops memory list`).',
  ].join('\n');
}
