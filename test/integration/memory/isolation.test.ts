import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentResponse } from '../../../src/agents/contract.ts';
import { consolidateIdleSessions, memoryActorId } from '../../../src/memory/index.ts';
import { startTestAgentStack, type TestAgentStack } from '../../support/agent-stack.ts';
import { type SeededDay, seedDay } from '../../support/offline-driver.ts';

/**
 * Isolation under concurrency (issue 10's must-show, kept as a regression test): 20 principals, each in
 * three concurrent sessions through the real runtime path, each telling the agent a secret only they
 * know — one to remember for good, one said in passing in each session — and later asking for it back.
 * No answer, session memory, long-term memory or trace of one principal holds another's secret.
 */
const ADJECTIVES =
  'amber azure cobalt coral crimson ebony golden indigo ivory jade lilac maroon olive onyx pearl ruby saffron scarlet silver teal'.split(
    ' ',
  );
const NOUNS =
  'badger falcon heron lynx marten osprey otter puffin raven wren bison condor ferret gecko ibex jackal kestrel lemur mink newt'.split(
    ' ',
  );
const PEOPLE = Array.from({ length: 20 }, (_, i) => ({
  principalId: `isolated-${String(i).padStart(2, '0')}`,
  desk: `${ADJECTIVES[i]} ${NOUNS[i]}`,
  passing: [0, 1, 2].map((s) => `${NOUNS[i]}${ADJECTIVES[(i + 7 * s + 3) % 20]}`),
}));
const everySecret = (p: (typeof PEOPLE)[number]) => [p.desk, ...p.passing];

let seeded: SeededDay;
let agent: TestAgentStack;

beforeAll(async () => {
  seeded = await seedDay({ trades: 60 });
  agent = await startTestAgentStack({
    table: seeded.table,
    settlement: seeded.deps,
    principals: PEOPLE.map((p) => ({
      principalId: p.principalId,
      roles: ['viewer'],
      desks: '*',
      accounts: [],
    })),
  });
}, 120_000);

afterAll(async () => {
  await agent?.close();
});

describe('20 principals in concurrent sessions', () => {
  it('keep every secret to its owner: answers, session memory, long-term memory and traces', async () => {
    const responses = new Map<string, AgentResponse[]>(PEOPLE.map((p) => [p.principalId, []]));
    const keep = (id: string, r: AgentResponse) => {
      responses.get(id)?.push(r);
      return r;
    };
    const threads = (id: string) => [0, 1, 2].map((s) => `${id}-thread-${s}`);

    // Everyone at once: three sessions each, interleaved.
    await Promise.all(
      PEOPLE.flatMap((p) =>
        threads(p.principalId).map(async (thread, s) => {
          if (s === 0) {
            const kept = keep(
              p.principalId,
              await agent.ask(p.principalId, `remember that I cover the ${p.desk} desk on Fridays`, {
                thread,
              }),
            );
            expect(kept.answer).toContain(p.desk);
          }
          keep(
            p.principalId,
            await agent.ask(p.principalId, `fyi the codename of this thread is ${p.passing[s]}`, { thread }),
          );
          keep(p.principalId, await agent.ask(p.principalId, 'list the pending approvals', { thread }));
        }),
      ),
    );

    // Later, everyone asks for it back, in new threads.
    await Promise.all(
      PEOPLE.map(async (p) => {
        const recall = keep(
          p.principalId,
          await agent.ask(p.principalId, 'which desk do I cover on Fridays?'),
        );
        expect(recall.answer).toContain(p.desk);
        const all = keep(p.principalId, await agent.ask(p.principalId, 'what do you remember about me?'));
        expect(all.answer).toContain(p.desk);
      }),
    );
    // And idle sessions are consolidated (nothing more should be kept from the passing remarks).
    await consolidateIdleSessions(agent.consolidation, { all: true });

    for (const p of PEOPLE) {
      const others = PEOPLE.filter((o) => o !== p).flatMap(everySecret);
      const leak = (text: string) => others.find((secret) => text.includes(secret));
      // Answers.
      for (const r of responses.get(p.principalId) ?? []) expect(leak(r.answer)).toBeUndefined();
      // Session memory, every session of theirs.
      for (const thread of threads(p.principalId)) {
        const events = await agent.sessions.list(
          memoryActorId(p.principalId),
          agent.session(p.principalId, thread),
        );
        expect(events.length).toBeGreaterThan(0);
        expect(leak(JSON.stringify(events))).toBeUndefined();
        expect(JSON.stringify(events)).toContain(p.passing[threads(p.principalId).indexOf(thread)]);
      }
      // Long-term memory: their own fact, nobody else's.
      const facts = await agent.facts.list(p.principalId);
      expect(facts.map((f) => f.text).join(' ')).toContain(p.desk);
      expect(leak(JSON.stringify(facts))).toBeUndefined();
      // Traces of their questions.
      for (const r of responses.get(p.principalId) ?? []) {
        if (r.traceId === 'none') continue;
        const trace = await agent.traces.get(r.traceId);
        expect(trace?.principalId).toBe(p.principalId);
        expect(leak(JSON.stringify(trace))).toBeUndefined();
      }
    }
  }, 300_000);
});
