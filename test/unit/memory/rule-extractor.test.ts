import { describe, expect, it } from 'vitest';
import { RuleFactExtractor, statedFacts } from '../../../src/memory/consolidation/rule-extractor.ts';
import { screenFact } from '../../../src/memory/consolidation/screen.ts';
import { anEvent, eventsOf, TRANSCRIPTS } from './memory-fixture.ts';

const extractor = new RuleFactExtractor();

describe('RuleFactExtractor over the fixture transcripts', () => {
  it('has at least 12 sessions, some keeping nothing', () => {
    expect(TRANSCRIPTS.length).toBeGreaterThanOrEqual(12);
    expect(TRANSCRIPTS.filter((s) => s.kept.length === 0).length).toBeGreaterThanOrEqual(5);
  });

  it.each(TRANSCRIPTS.map((s) => [s.name, s] as const))(
    '%s: keeps the stated facts and nothing else',
    async (_, session) => {
      const events = eventsOf(session, {
        principalId: 'ops-anna',
        sessionId: 'session-fixture-000000000000000000001',
      });
      const { facts, error } = await extractor.extract({ principalId: 'ops-anna', events });
      expect(error).toBeUndefined();
      const kept = facts.flatMap((f) => {
        const screened = screenFact(f);
        return screened.ok ? [screened.fact] : [];
      });
      expect(kept.map((f) => f.category)).toStrictEqual(session.kept.map((k) => k.category));
      kept.forEach((fact, i) => {
        for (const word of session.kept[i]?.words ?? [])
          expect(fact.text.toLowerCase()).toContain(word.toLowerCase());
        expect(events.find((e) => e.eventId === fact.sourceEventId)?.role).toBe('USER');
      });
    },
  );
});

describe('statedFacts', () => {
  it('rewrites a fact as one standalone sentence in the second person', () => {
    expect(statedFacts('remember that I cover the EUR repo desk on Fridays')).toStrictEqual([
      { category: 'responsibility', text: 'You cover the EUR repo desk on Fridays.' },
    ]);
    expect(statedFacts("please note: I'm on the FI desk")).toStrictEqual([
      { category: 'responsibility', text: 'You are on the FI desk.' },
    ]);
    expect(statedFacts('Never page me for FOP trades under 1m!')).toStrictEqual([
      { category: 'standing_instruction', text: 'You asked me to never page you for FOP trades under 1m.' },
    ]);
    expect(statedFacts("I'd rather you send my summaries by 6pm")).toStrictEqual([
      { category: 'preference', text: 'You would rather I send your summaries by 6pm.' },
    ]);
  });

  it('keeps the market "US" apart from the person\'s team "us"', () => {
    expect(statedFacts('always send us the US breaks first')).toStrictEqual([
      { category: 'standing_instruction', text: 'You asked me to always send you the US breaks first.' },
    ]);
  });

  it.each([
    ['a question', 'Do I cover the EUR repo desk on Fridays?'],
    ['a question without a question mark', 'which desk do I cover on Fridays'],
    ['a one-off request', 'show me T-10042'],
    ['a bare "don\'t" about this answer', "don't show me the chart"],
    ['something true today only', "I'm covering FX today"],
    ['something true for now only', 'for now I look after the repo desk'],
    ['a wish that is a request', 'I want to see the breaks'],
    ['a place, not a desk', "I'm in a meeting"],
    ['a third-person statement with no marker', 'Acme Bank usually sends SSIs late'],
    ['chit-chat', 'how is the weather'],
    ['a greeting', 'hello there'],
    ['laughter', 'lol'],
    ['thanks', 'thanks a lot!'],
  ])('ignores %s', (_, turn) => {
    expect(statedFacts(turn)).toStrictEqual([]);
  });

  it('takes a polite "could you remember …?" as explicit', () => {
    expect(statedFacts('Could you remember that my team is Fixed Income Ops?')).toStrictEqual([
      { category: 'responsibility', text: 'Your team is Fixed Income Ops.' },
    ]);
  });

  it('reads a standing marker at the end of a sentence', () => {
    expect(statedFacts('quote settlement dates in ISO format going forward')).toStrictEqual([
      {
        category: 'standing_instruction',
        text: 'You asked me to always quote settlement dates in ISO format.',
      },
    ]);
  });
});

describe('RuleFactExtractor', () => {
  it('draws facts from USER events only', async () => {
    const events = [
      anEvent({ eventId: 'e-001', role: 'ASSISTANT', text: 'I prefer answers in bullet points.' }),
      anEvent({ eventId: 'e-002', role: 'USER', text: 'I prefer answers in a table' }),
    ];
    expect(await extractor.extract({ principalId: 'ops-anna', events })).toStrictEqual({
      facts: [{ category: 'preference', text: 'You prefer answers in a table.', sourceEventId: 'e-002' }],
    });
  });
});
