import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OfflinePlanner } from '../../../src/agents/model/offline-planner.ts';
import type { Principal } from '../../../src/identity/index.ts';
import { type HiddenDay, seedHiddenDay } from '../../support/hidden-day.ts';
import { ask, toolContext } from '../../support/offline-driver.ts';
import { type EvalSet, fillPlaceholders, judge, leaksOf, type Verdict } from '../../support/ops-eval.ts';

/*
 * Issue 12's evaluation: questions as the operations floor writes them, over a day whose ids are not
 * the demo's, through the product's turn loop. Accuracy is asserted on the tuning set; the held-out
 * paraphrases (written before tuning) are measured and reported, with a floor well below it.
 */

function load(name: string): EvalSet {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as EvalSet;
}

const TUNING = load('ops-questions.json');
const HELD_OUT = load('ops-questions-heldout.json');
const VIEWER: Principal = { principalId: 'uk-viewer', roles: ['viewer'], desks: ['EQ-UK'], accounts: [] };

let seeded: HiddenDay;
const planner = new OfflinePlanner();

beforeAll(async () => {
  seeded = await seedHiddenDay();
});

async function run(set: EvalSet): Promise<Array<{ question: string; verdict: Verdict }>> {
  const out: Array<{ question: string; verdict: Verdict }> = [];
  for (const raw of set.questions) {
    const q = fillPlaceholders(raw, seeded.day);
    const turn = await ask(planner, q.question, toolContext(seeded.deps));
    out.push({
      question: q.question,
      verdict: await judge(
        q,
        { answer: turn.answer, messages: turn.result.messages },
        seeded.deps,
        seeded.day,
      ),
    });
  }
  return out;
}

function accuracy(results: ReadonlyArray<{ verdict: Verdict }>): number {
  return results.filter((r) => r.verdict.ok).length / results.length;
}

describe('the offline planner on the operations floor’s own words', () => {
  it('has at least 150 evaluation questions and 30 held-out paraphrases', () => {
    expect(TUNING.questions.length).toBeGreaterThanOrEqual(150);
    expect(HELD_OUT.questions.length).toBeGreaterThanOrEqual(30);
  });

  it('answers at least 95 % of the evaluation set right (intent, entities and facts)', async () => {
    const results = await run(TUNING);
    const wrong = results
      .filter((r) => !r.verdict.ok)
      .map((r) => `${r.question}: ${r.verdict.problems.join('; ')}`);
    console.log(
      `evaluation set: ${results.length - wrong.length}/${results.length} right\n${wrong.join('\n')}`,
    );
    expect(accuracy(results)).toBeGreaterThanOrEqual(0.95);
  }, 120_000);

  it('answers every question quoted in issue 12 right', async () => {
    const quoted = { about: '', questions: TUNING.questions.slice(0, 9) };
    const results = await run(quoted);
    expect(results.filter((r) => !r.verdict.ok).map((r) => [r.question, r.verdict.problems])).toStrictEqual(
      [],
    );
  });

  it('reports its accuracy on the held-out paraphrases', async () => {
    const results = await run(HELD_OUT);
    const wrong = results
      .filter((r) => !r.verdict.ok)
      .map((r) => `${r.question}: ${r.verdict.problems.join('; ')}`);
    console.log(
      `held-out set: ${results.length - wrong.length}/${results.length} right\n${wrong.join('\n')}`,
    );
    expect(accuracy(results)).toBeGreaterThanOrEqual(0.75);
  }, 60_000);

  it('leaks nothing of another desk to a viewer of one desk, on any question', async () => {
    const leaks: string[] = [];
    for (const raw of [...TUNING.questions, ...HELD_OUT.questions]) {
      const q = fillPlaceholders(raw, seeded.day);
      const turn = await ask(planner, q.question, toolContext(seeded.deps, VIEWER));
      for (const leak of leaksOf(turn.answer, q.question, seeded.day, ['EQ-UK']))
        leaks.push(`${q.question}: ${leak}`);
    }
    expect(leaks).toStrictEqual([]);
  }, 120_000);
});
