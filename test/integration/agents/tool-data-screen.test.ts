import { beforeAll, describe, expect, it } from 'vitest';
import { neutraliseToolResult } from '../../../src/agents/guardrails/injection-screen.ts';
import { TOOL_CATALOG } from '../../../src/agents/tools/catalog.ts';
import { LOCAL_ADMIN } from '../../../src/identity/index.ts';
import { SEEDED_DATE, type SeededDay, seedDay, toolContext } from '../../support/offline-driver.ts';
import { inputPools, inputsFor } from '../../support/tool-walk.ts';

/*
 * The injection screen reads every string of every tool result. Ordinary settlement data (ids,
 * actors such as `system:ingest`, reason texts, resolution hints, decision rules) must pass it
 * untouched, or answers lose their facts: a false-positive check over a seeded day.
 */

let seeded: SeededDay;
let pools: Record<string, readonly unknown[]>;

beforeAll(async () => {
  seeded = await seedDay({ trades: 120 });
  const day = await seeded.table.store.listDay(SEEDED_DATE);
  const desks = [...new Set(day.trades.map((t) => t.desk))];
  pools = inputPools([day], { tradeDate: SEEDED_DATE, desks, per: 6 });
});

describe('the injection screen over the tool results of a seeded day', () => {
  it('intervenes on nothing, for every tool of the catalog', async () => {
    const interventions: string[] = [];
    let answered = 0;
    for (const tool of TOOL_CATALOG.filter((t) => t.risk === 'read' || t.name === 'propose_resolution')) {
      for (const input of inputsFor(tool, pools)) {
        const outcome = await tool.run(input, toolContext(seeded.deps, LOCAL_ADMIN));
        if (!outcome.ok) continue;
        answered++;
        for (const line of neutraliseToolResult(outcome.data).interventions) {
          interventions.push(`${tool.name} ${JSON.stringify(input)} ${line}`);
        }
      }
    }
    expect(answered).toBeGreaterThan(50);
    expect(interventions).toStrictEqual([]);
  });
});
