import { beforeAll, describe, expect, it } from 'vitest';
import { describeResult } from '../../../src/agents/model/offline/compose.ts';
import type { ExplainMatchData } from '../../../src/agents/tools/match-tools.ts';
import type { ToolOutcome } from '../../../src/agents/tools/tool.ts';
import type { Principal } from '../../../src/identity/index.ts';
import type { SettlementDeps } from '../../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../../src/settlement/services/ingest-trades.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { runTool, toolContext } from '../../support/offline-driver.ts';
import { rowsOf, settlementDeps, TestClock } from '../../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../../support/trade-factory.ts';

// Two bookings equally good for one counterparty record, on two desks: the record's pair waits for
// review naming the other booking. Who asks decides what of that rival they are told.
const EU_VIEWER: Principal = { principalId: 'eu-viewer', roles: ['viewer'], desks: ['EQ-EU'], accounts: [] };
const BOTH: Principal = { principalId: 'lead', roles: ['viewer'], desks: ['EQ-EU', 'EQ-US'], accounts: [] };

let deps: SettlementDeps;
const ours = aTrade({ tradeId: 'T-EU-1', desk: 'EQ-EU' });
const twin = aTrade({ tradeId: 'T-US-7', desk: 'EQ-US' });
const record = aCounterpartyRecordOf(ours, { tradeId: 'C-77', desk: 'EQ-EU' });

beforeAll(async () => {
  const table = await createTestTable();
  deps = settlementDeps(table.store, new TestClock('2026-11-24T15:00:00.000Z'));
  await ingestTrades(deps, rowsOf(ours, twin, record));
});

function explained(out: ToolOutcome): ExplainMatchData {
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  return out.data as ExplainMatchData;
}

describe('explain_match on a match held for review by an equally good booking', () => {
  it('names the rival booking, as a possible duplicate, to someone who may see its desk', async () => {
    const input = { tradeId: ours.tradeId };
    const out = await runTool('explain_match', input, toolContext(deps, BOTH));
    const data = explained(out);
    expect(data).toMatchObject({
      status: 'PENDING_REVIEW',
      decision: 'REVIEW',
      ambiguousWith: [{ tradeId: 'T-US-7', kind: 'our booking' }],
      ambiguousOutsideYourDesks: 0,
    });
    expect(describeResult({ name: 'explain_match', input, ...out }, 'why').join('\n')).toContain(
      'Equally good candidates: T-US-7 (another of our bookings: a possible duplicate) — so this was not auto-matched.',
    );
  });

  it('counts it without naming it for someone who may not see its desk', async () => {
    const input = { tradeId: ours.tradeId };
    const out = await runTool('explain_match', input, toolContext(deps, EU_VIEWER));
    expect(explained(out)).toMatchObject({ ambiguousWith: [], ambiguousOutsideYourDesks: 1 });
    expect(JSON.stringify(out)).not.toContain('T-US-7');
    const text = describeResult({ name: 'explain_match', input, ...out }, 'why').join('\n');
    expect(text).toContain(
      'Equally good candidates: 1 on desks you may not see — so this was not auto-matched.',
    );
    expect(text).not.toContain('T-US-7');
  });
});
