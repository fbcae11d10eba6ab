import { beforeEach, describe, expect, it } from 'vitest';
import { directoryApprovalGate } from '../../src/identity/approval-gate.ts';
import { removePrincipal } from '../../src/identity/directory-admin.ts';
import type { DynamoDbPrincipalDirectory } from '../../src/identity/dynamodb-principal-directory.ts';
import { InvalidActorError } from '../../src/settlement/actor.ts';
import {
  type ApprovalGate,
  decideReview as decide,
  type ReviewDecisionRequest,
} from '../../src/settlement/services/decide-review.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { viewTrade } from '../../src/settlement/services/trade-view.ts';
import { anApprover, directoryOf, enrol } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let deps: SettlementDeps;
let directory: DynamoDbPrincipalDirectory;
let gate: ApprovalGate;

/** Decides through the directory's approval gate, as the CLI and the bot do. */
function decideReview(_deps: SettlementDeps, req: ReviewDecisionRequest) {
  return decide(_deps, req, gate);
}

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
  directory = directoryOf(table);
  gate = directoryApprovalGate(directory);
  await enrol(directory, anApprover('ops-ben'), anApprover('ops-carla'), anApprover('ops-dan'));
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

  it('refuses the booker however the id is spelled (one canonical form)', async () => {
    const matchId = await pendingReview('principal:ops-ben');

    for (const spelling of ['OPS-BEN', ' ops-ben ', 'ＯＰＳ-ＢＥＮ']) {
      const outcome = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: spelling });
      expect(outcome.kind).toBe('SAME_PERSON');
    }
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
  });

  it('keeps the booker a maker after someone else amends only the note', async () => {
    const ours = aTrade({ tradeId: 'T-REVIEW', counterpartyBic: 'DEUTDEFF500' });
    const theirs = aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' });
    await ingestTrades(deps, rowsOf(ours), { actor: 'principal:ops-ben' });
    await ingestTrades(deps, rowsOf({ ...ours, note: 'checked with the desk' }), {
      actor: 'principal:ops-carla',
    });
    await ingestTrades(deps, rowsOf(theirs));
    const [view] = await viewTrade(table.store, 'T-REVIEW');
    const matchId = view?.match?.matchId as string;

    const byBen = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-ben' });
    const byCarla = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-carla' });

    expect(view?.trade.makers).toStrictEqual(['ops-ben']);
    expect(byBen.kind).toBe('SAME_PERSON');
    expect(byCarla.kind).toBe('DECIDED');
  });

  it('makes everyone who changed an economic field a maker', async () => {
    const ours = aTrade({ tradeId: 'T-REVIEW', counterpartyBic: 'DEUTDEFF500' });
    const theirs = aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' });
    await ingestTrades(deps, rowsOf({ ...ours, quantity: '999' }), { actor: 'principal:ops-ben' });
    await ingestTrades(deps, rowsOf(ours), { actor: 'principal:ops-carla' });
    await ingestTrades(deps, rowsOf(theirs));
    const [view] = await viewTrade(table.store, 'T-REVIEW');
    const matchId = view?.match?.matchId as string;

    const outcomes = await Promise.all(
      ['ops-ben', 'ops-carla'].map((p) =>
        decideReview(deps, { matchId, decision: 'APPROVE', principalId: p }),
      ),
    );

    expect(view?.trade.makers).toStrictEqual(['ops-ben', 'ops-carla']);
    expect(outcomes.map((o) => o.kind)).toStrictEqual(['SAME_PERSON', 'SAME_PERSON']);
    const amended = (await table.store.listAudit('INTERNAL#T-REVIEW')).find((r) => r.action === 'AMENDED');
    expect(amended?.details.makers).toStrictEqual(['ops-ben', 'ops-carla']);
  });

  it('refuses an approver the directory does not know, even for a trade the system booked', async () => {
    const matchId = await pendingReview();

    const outcome = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'mallory' });

    expect(outcome).toStrictEqual({ kind: 'UNKNOWN_APPROVER', principalId: 'mallory' });
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
  });

  it('refuses a removed principal as unknown', async () => {
    const matchId = await pendingReview();
    await removePrincipal({ directory, now: deps.now }, 'ops-dan', 'system:test-setup');

    const outcome = await decideReview(deps, { matchId, decision: 'REJECT', principalId: 'ops-dan' });

    expect(outcome).toStrictEqual({ kind: 'UNKNOWN_APPROVER', principalId: 'ops-dan' });
  });

  it('refuses a viewer and an approver of another desk as not entitled', async () => {
    const matchId = await pendingReview();
    await enrol(
      directory,
      anApprover('ops-vera', { roles: ['viewer'] }),
      anApprover('ops-fx', { desks: ['FX'] }),
    );

    const viewer = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-vera' });
    const otherDesk = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'ops-fx' });

    expect(viewer).toStrictEqual({
      kind: 'NOT_ENTITLED',
      reason: 'NOT_APPROVER',
      message: 'ops-vera does not hold the approver role',
    });
    expect(otherDesk).toStrictEqual({
      kind: 'NOT_ENTITLED',
      reason: 'DESK_NOT_HELD',
      message: 'ops-fx does not hold desk EQ-US',
    });
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
  });

  it('refuses a reason over 500 characters before writing, and the day stays readable', async () => {
    const matchId = await pendingReview();

    const outcome = await decideReview(deps, {
      matchId,
      decision: 'REJECT',
      principalId: 'ops-ben',
      reason: 'x'.repeat(501),
    });

    expect(outcome).toStrictEqual({
      kind: 'INVALID',
      field: 'reason',
      problem: 'is longer than 500 characters',
    });
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
    expect((await table.store.listDay('2026-11-24')).matches).toHaveLength(1);
  });

  it.each(['principal:', 'principal:x\ny', 'principal:ALICE', 'alice'])(
    'refuses to book trades as %j, writing nothing',
    async (actor) => {
      const trade = aTrade({ tradeId: 'T-ACTOR' });

      await expect(ingestTrades(deps, rowsOf(trade), { actor })).rejects.toThrow(InvalidActorError);

      expect(await table.store.getTrade('INTERNAL#T-ACTOR')).toBeUndefined();
    },
  );

  it('refuses an empty or multi-line principal id before reading anything', async () => {
    const matchId = await pendingReview();

    const empty = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: '' });
    const twoLines = await decideReview(deps, { matchId, decision: 'APPROVE', principalId: 'x\ny' });

    expect(empty).toStrictEqual({ kind: 'INVALID', field: 'principalId', problem: 'is empty' });
    expect(twoLines).toStrictEqual({
      kind: 'INVALID',
      field: 'principalId',
      problem: 'contains a control or invisible character',
    });
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
