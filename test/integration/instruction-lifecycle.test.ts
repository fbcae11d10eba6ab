import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SettlementInstruction } from '../../src/settlement/model.ts';
import { decideReview } from '../../src/settlement/services/decide-review.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { keys } from '../../src/settlement/store/items.ts';
import { approvalGateWith } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let clock: TestClock;
let deps: SettlementDeps;

beforeEach(async () => {
  table = await createTestTable();
  clock = new TestClock('2026-11-24T18:00:00.000Z');
  deps = settlementDeps(table.store, clock);
});

async function instructionsOf(tradeDate = '2026-11-24'): Promise<readonly SettlementInstruction[]> {
  return (await table.store.listDay(tradeDate)).instructions;
}

/** Live instructions: NEW, or without any status (as before instructions had a lifecycle). */
function live(list: readonly SettlementInstruction[]): string[] {
  return list.filter((i) => i.status !== 'CANCELLED' && i.status !== 'REPLACED').map((i) => i.instructionId);
}

async function outboxKinds(): Promise<string[]> {
  return (await table.store.listPendingOutbox({ limit: 100 })).items.map((o) => `${o.kind} ${o.entityId}`);
}

describe('settlement instructions', () => {
  it('cancels the instruction of a match superseded by an amendment, in the same commit, and keeps one live', async () => {
    const ours = aTrade({ tradeId: 'T-SI' });
    await ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours)));
    const first = (await table.store.getTrade('INTERNAL#T-SI'))?.matchId ?? '';
    clock.advanceMinutes(5);

    // A note-only amendment: the match is superseded, and the pair re-matches automatically.
    await ingestTrades(deps, rowsOf({ ...ours, note: 'booked late' }), { actor: 'principal:bob' });

    const second = (await table.store.getTrade('INTERNAL#T-SI'))?.matchId ?? '';
    expect(second).not.toBe(first);
    expect(await table.store.getInstruction(`SI|${first}`)).toMatchObject({
      status: 'CANCELLED',
      cancellation: { at: '2026-11-24T18:05:00.000Z', by: 'principal:bob', reason: 'MATCH_SUPERSEDED' },
    });
    expect(live(await instructionsOf())).toStrictEqual([`SI|${second}`]);
    expect(await outboxKinds()).toContain(`INSTRUCTION_CANCELLED SI|${first}`);
  });

  it('cancels it when the counterparty amends its record', async () => {
    const ours = aTrade({ tradeId: 'T-SI2' });
    const theirs = aCounterpartyRecordOf(ours);
    await ingestTrades(deps, rowsOf(ours, theirs));
    const first = (await table.store.getTrade('INTERNAL#T-SI2'))?.matchId ?? '';

    await ingestTrades(deps, rowsOf({ ...theirs, price: '101.26' }));

    expect((await table.store.getInstruction(`SI|${first}`))?.status).toBe('CANCELLED');
    expect(live(await instructionsOf())).toHaveLength(1);
  });

  it('cancels the instruction of an approved match when a trade is amended afterwards', async () => {
    const ours = aTrade({ tradeId: 'T-SI3', counterpartyBic: 'DEUTDEFF500' });
    await ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' })));
    const matchId = (await table.store.getTrade('INTERNAL#T-SI3'))?.matchId ?? '';
    await decideReview(
      deps,
      { matchId, decision: 'APPROVE', principalId: 'ops-ben' },
      await approvalGateWith(table, ['ops-ben']),
    );
    expect(live(await instructionsOf())).toStrictEqual([`SI|${matchId}`]);

    await ingestTrades(deps, rowsOf({ ...ours, quantity: '900' }), { actor: 'principal:bob' });

    expect((await table.store.getInstruction(`SI|${matchId}`))?.status).toBe('CANCELLED');
    expect(live(await instructionsOf())).toStrictEqual([]);
  });

  it('writes every new instruction as NEW and names it on our trade', async () => {
    const ours = aTrade({ tradeId: 'T-SI4' });
    await ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours)));

    const trade = await table.store.getTrade('INTERNAL#T-SI4');
    const instruction = await table.store.getInstruction(`SI|${trade?.matchId}`);
    expect(instruction?.status).toBe('NEW');
    expect(trade?.instructionId).toBe(instruction?.instructionId);
  });

  it('cancels an instruction stored before the lifecycle (no status, not named by its trade)', async () => {
    const ours = aTrade({ tradeId: 'T-SI5' });
    await ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours)));
    const matchId = (await table.store.getTrade('INTERNAL#T-SI5'))?.matchId ?? '';
    const legacy = async (key: { pk: string; sk: string }, attribute: string) =>
      table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: key,
          UpdateExpression: 'REMOVE #a',
          ExpressionAttributeNames: { '#a': attribute },
        }),
      );
    await legacy(keys.instruction(`SI|${matchId}`), 'status');
    await legacy(keys.trade('INTERNAL#T-SI5'), 'instructionId');

    await ingestTrades(deps, rowsOf({ ...ours, note: 'late' }), { actor: 'principal:bob' });

    expect((await table.store.getInstruction(`SI|${matchId}`))?.status).toBe('CANCELLED');
    expect(live(await instructionsOf())).toHaveLength(1);
  });
});
