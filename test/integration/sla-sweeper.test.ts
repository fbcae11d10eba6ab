import { beforeEach, describe, expect, it } from 'vitest';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { viewTrade } from '../../src/settlement/services/trade-view.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

// US trade date 2026-11-24: deadline 21:00 New York = 2026-11-25T02:00Z. A break raised at 16:00Z
// has a 10-hour window, so its warning point (80 %) is 00:00Z.
const RAISED = '2026-11-24T16:00:00.000Z';
const BEFORE_WARNING = '2026-11-24T23:59:00.000Z';
const WARNING = '2026-11-25T00:00:00.000Z';
const PAST_DEADLINE = '2026-11-25T02:00:00.000Z';

const NO_ORPHANS = { count: 0, byAge: { under1h: 0, from1hTo4h: 0, over4h: 0 }, oldest: [] };

let table: TestTable;
let clock: TestClock;
let deps: SettlementDeps;

beforeEach(async () => {
  table = await createTestTable();
  clock = new TestClock(RAISED);
  deps = settlementDeps(table.store, clock);
});

async function aBreak(tradeId: string): Promise<string> {
  const ours = aTrade({ tradeId });
  await ingestTrades(
    deps,
    rowsOf(ours, aCounterpartyRecordOf(ours, { quantity: '900', netAmount: '91125.00' })),
  );
  const [view] = await viewTrade(table.store, tradeId);
  const open = view?.exceptions.filter((e) => e.status === 'ESCALATED') ?? [];
  if (open.length === 0) throw new Error('expected an open exception');
  return tradeId;
}

async function alerts(kind: string) {
  return (await table.store.listPendingOutbox({ limit: 1000 })).items.filter((o) => o.kind === kind);
}

describe('the SLA sweeper', () => {
  it('does nothing before the warning point', async () => {
    await aBreak('T-1');
    clock.set(BEFORE_WARNING);
    expect(await sweepSla(deps)).toStrictEqual({
      warned: 0,
      breached: 0,
      missingCounterparty: 0,
      matchedAtDeadline: 0,
      nearMisses: 0,
      skipped: 0,
      orphans: NO_ORPHANS,
      tradeDates: [],
    });
  });

  it('warns once at 80 % of the window and breaches once at the deadline, however often it runs', async () => {
    await aBreak('T-1');
    const exceptionCount = (await viewTrade(table.store, 'T-1'))[0]?.exceptions.length ?? 0;

    clock.set(WARNING);
    expect((await sweepSla(deps)).warned).toBe(exceptionCount);
    expect((await sweepSla(deps)).warned).toBe(0);
    clock.set(PAST_DEADLINE);
    expect((await sweepSla(deps)).breached).toBe(exceptionCount);
    // Their record broke against ours and is still unmatched past its deadline: reported as an orphan.
    expect(await sweepSla(deps)).toStrictEqual({
      warned: 0,
      breached: 0,
      missingCounterparty: 0,
      matchedAtDeadline: 0,
      nearMisses: 0,
      skipped: 0,
      orphans: {
        count: 1,
        byAge: { under1h: 0, from1hTo4h: 0, over4h: 1 },
        oldest: [{ ref: 'COUNTERPARTY#C-T-1', counterpartyBic: 'DEUTDEFF', receivedAt: RAISED }],
      },
      // The date with open work: the report snapshots the sweep schedule keeps warm.
      tradeDates: ['2026-11-24'],
    });

    expect(await alerts('SLA_WARNING')).toHaveLength(exceptionCount);
    expect(await alerts('SLA_BREACH')).toHaveLength(exceptionCount);
    const [view] = await viewTrade(table.store, 'T-1');
    for (const e of view?.exceptions ?? []) {
      expect(e.warnedAt).toBe(WARNING);
      expect(e.breachedAt).toBe(PAST_DEADLINE);
      expect(e.priority).toBe('P1');
    }
  });

  it('marks and alerts once per exception when sweepers run concurrently', async () => {
    for (let i = 0; i < 12; i++) await aBreak(`T-${i}`);
    clock.set(PAST_DEADLINE);

    const results = await Promise.all([sweepSla(deps), sweepSla(deps), sweepSla(deps)]);

    const breached = results.reduce((n, r) => n + r.breached, 0);
    const expected = (await table.store.listExceptionsByStatus('ESCALATED', { limit: 1000 })).items.length;
    expect(breached).toBe(expected);
    expect(await alerts('SLA_BREACH')).toHaveLength(expected);
    for (let i = 0; i < 12; i++) {
      const [view] = await viewTrade(table.store, `T-${i}`);
      for (const e of view?.exceptions ?? []) {
        const breaches = (await table.store.listAudit(e.exceptionId)).filter(
          (a) => a.action === 'SLA_BREACHED',
        );
        expect(breaches).toHaveLength(1);
      }
    }
  });

  it('raises CMIS once for an internal trade with no counterparty record by its deadline', async () => {
    await ingestTrades(deps, rowsOf(aTrade({ tradeId: 'T-LONELY' })));
    clock.set(BEFORE_WARNING);
    expect((await sweepSla(deps)).missingCounterparty).toBe(0);

    clock.set(PAST_DEADLINE);
    const [first, second] = await Promise.all([sweepSla(deps), sweepSla(deps)]);
    expect((first?.missingCounterparty ?? 0) + (second?.missingCounterparty ?? 0)).toBe(1);
    expect((await sweepSla(deps)).missingCounterparty).toBe(0);

    const [view] = await viewTrade(table.store, 'T-LONELY');
    expect(view?.trade.status).toBe('EXCEPTION');
    expect(view?.exceptions.map((e) => [e.type, e.reasonCode, e.status])).toStrictEqual([
      ['NO_COUNTERPARTY_INSTRUCTION', 'CMIS', 'ESCALATED'],
    ]);
    expect(
      (await alerts('EXCEPTIONS_RAISED')).filter((o) => o.entityId === 'INTERNAL#T-LONELY'),
    ).toHaveLength(1);
    // Raised at the deadline, it is born breached: the alert raising it is the only one.
    expect(view?.exceptions[0]?.breachedAt).toBe(PAST_DEADLINE);
    expect(view?.exceptions[0]?.priority).toBe('P1');
    await sweepSla(deps);
    expect(
      (await alerts('SLA_BREACH')).filter((o) => o.payload.tradeRef === 'INTERNAL#T-LONELY'),
    ).toStrictEqual([]);
  });

  it('resolves CMIS when the counterparty record finally arrives and matches', async () => {
    const ours = aTrade({ tradeId: 'T-LATE' });
    await ingestTrades(deps, rowsOf(ours));
    clock.set(PAST_DEADLINE);
    await sweepSla(deps);

    await ingestTrades(deps, rowsOf(aCounterpartyRecordOf(ours)));

    const [view] = await viewTrade(table.store, 'T-LATE');
    expect(view?.trade.status).toBe('MATCHED');
    expect(view?.exceptions.map((e) => [e.reasonCode, e.status, e.resolution?.how])).toStrictEqual([
      ['CMIS', 'RESOLVED', 'matched'],
    ]);
  });
});
