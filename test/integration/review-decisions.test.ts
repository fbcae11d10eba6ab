import { beforeEach, describe, expect, it } from 'vitest';
import { decideReview } from '../../src/settlement/services/decide-review.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { viewTrade } from '../../src/settlement/services/trade-view.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let deps: SettlementDeps;

/** A pair in the review band (counterparty BIC differs only in its branch). */
async function pendingReview(actor?: string): Promise<string> {
  const ours = aTrade({ tradeId: 'T-REVIEW', counterpartyBic: 'DEUTDEFF500' });
  const theirs = aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' });
  await ingestTrades(deps, rowsOf(ours, theirs), actor === undefined ? {} : { actor });
  const [view] = await viewTrade(table.store, 'T-REVIEW');
  const matchId = view?.match?.matchId;
  if (matchId === undefined || view?.match?.status !== 'PENDING_REVIEW') throw new Error('no pending review');
  return matchId;
}

beforeEach(async () => {
  table = await createTestTable();
  deps = settlementDeps(table.store, new TestClock('2026-11-24T18:00:00.000Z'));
});

describe('deciding a match under review', () => {
  it('approves once: trades matched, instruction written, decider and time recorded', async () => {
    const matchId = await pendingReview();

    const outcome = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-ben' });

    expect(outcome.kind).toBe('DECIDED');
    const match = await table.store.getMatch(matchId);
    expect(match?.status).toBe('APPROVED');
    expect(match?.decision).toStrictEqual({ by: 'principal:ops-ben', at: '2026-11-24T18:00:00.000Z' });
    const [view] = await viewTrade(table.store, 'T-REVIEW');
    expect(view?.trade.status).toBe('MATCHED');
    expect(await table.store.getInstruction(`SI|${matchId}`)).toBeDefined();
    const decided = (await table.store.listPendingOutbox({ limit: 100 })).items.filter(
      (o) => o.kind === 'REVIEW_DECIDED',
    );
    expect(decided.map((o) => o.payload.status)).toStrictEqual(['APPROVED']);
  });

  it('lets exactly one of two concurrent decisions win', async () => {
    const matchId = await pendingReview();

    const outcomes = await Promise.all([
      decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-ben' }),
      decideReview(deps, { matchId, decision: 'REJECT', principalId: 'ops-carla' }),
      decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-dan' }),
    ]);

    expect(outcomes.filter((o) => o.kind === 'DECIDED')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'ALREADY_DECIDED')).toHaveLength(2);
    const match = await table.store.getMatch(matchId);
    const winner = outcomes.find((o) => o.kind === 'DECIDED');
    expect(winner?.kind === 'DECIDED' ? winner.match : undefined).toStrictEqual(match);
    const audit = await table.store.listAudit(matchId);
    expect(audit.filter((a) => a.action === 'APPROVED' || a.action === 'REJECTED')).toHaveLength(1);
    const decided = (await table.store.listPendingOutbox({ limit: 100 })).items.filter(
      (o) => o.kind === 'REVIEW_DECIDED',
    );
    expect(decided).toHaveLength(1);
  });

  it('answers a repeated click with who decided first, changing nothing', async () => {
    const matchId = await pendingReview();
    await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-ben' });
    const before = await table.store.getMatch(matchId);

    const again = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-ben' });

    expect(again).toStrictEqual({ kind: 'ALREADY_DECIDED', match: before });
  });

  it('refuses a decision by the person who booked the trade (four eyes)', async () => {
    const matchId = await pendingReview('principal:ops-ben');

    const outcome = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-ben' });

    expect(outcome.kind).toBe('SAME_PERSON');
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
  });

  it('turns a rejection into exceptions and never proposes the pair again', async () => {
    const matchId = await pendingReview();

    await decideReview(deps, { matchId, decision: 'REJECT', principalId: 'ops-ben', reason: 'wrong branch' });

    const [view] = await viewTrade(table.store, 'T-REVIEW');
    expect(view?.trade.status).toBe('EXCEPTION');
    expect(view?.exceptions.map((e) => [e.reasonCode, e.status])).toStrictEqual([['IEXE', 'ESCALATED']]);
    expect((await table.store.getMatch(matchId))?.decision?.reason).toBe('wrong branch');
    // Re-ingesting the same records does not bring the rejected pair back.
    const ours = aTrade({ tradeId: 'T-REVIEW', counterpartyBic: 'DEUTDEFF500' });
    const again = await ingestTrades(
      deps,
      rowsOf(ours, aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' })),
    );
    expect(again.matching.PENDING_REVIEW + again.matching.AUTO_MATCHED).toBe(0);
  });

  it('reports an unknown match as not found', async () => {
    expect(
      await decideReview(deps, { matchId: 'M|nope', decision: 'APPROVE', principalId: 'ops-ben' }),
    ).toStrictEqual({
      kind: 'NOT_FOUND',
    });
  });
});
