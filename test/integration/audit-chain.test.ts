import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAllAudit, verifyEntityAudit } from '../../src/settlement/services/audit-verify.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { keys } from '../../src/settlement/store/items.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

const REF = 'INTERNAL#T-AUDIT';
let table: TestTable;

beforeEach(async () => {
  table = await createTestTable();
  const clock = new TestClock('2026-11-24T15:00:00.000Z');
  const deps = settlementDeps(table.store, clock);
  const ours = aTrade({ tradeId: 'T-AUDIT' });
  await ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours, { price: '102.50' })));
  clock.advanceMinutes(5);
  // An amendment adds a third record to the internal trade's chain.
  await ingestTrades(deps, rowsOf({ ...ours, account: 'ACC-8' }));
});

/** Edits a stored item behind the store's back, as a forger with table access would. */
async function tamper(
  key: { pk: string; sk: string },
  expression: string,
  values: Record<string, unknown>,
  names?: Record<string, string>,
): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: key,
      UpdateExpression: expression,
      ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
    }),
  );
}

/** Where the trade's first record is kept: its ingest receipt, and its position there. */
async function receiptOf(ref: string): Promise<{ key: { pk: string; sk: string }; index: number }> {
  const receiptId = (await table.store.getTrade(ref))?.auditReceipt;
  if (receiptId === undefined) throw new Error(`${ref} has no receipt`);
  const key = keys.receipt(receiptId);
  const item = (await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key }))).Item;
  const records = (item?.records ?? []) as Array<{ entityId: string }>;
  return { key, index: records.findIndex((r) => r.entityId === ref) };
}

describe('the audit chain', () => {
  it('verifies an untouched store', async () => {
    expect((await verifyEntityAudit(table.store, REF))?.problems).toStrictEqual([]);
    const all = await verifyAllAudit(table.store);
    expect(all.failures).toStrictEqual([]);
    expect(all.records).toBeGreaterThanOrEqual(all.entities);
  });

  it('keeps the first records of trades booked together in one receipt, read back per trade', async () => {
    const { index } = await receiptOf(REF);
    const records = await table.store.listAudit(REF);

    expect(index).toBeGreaterThanOrEqual(0);
    expect(records.map((r) => r.seq)).toStrictEqual(records.map((_, i) => i + 1));
    expect(records[0]?.action).toBe('INGESTED');
  });

  it('detects an edited record in an ingest receipt', async () => {
    const { key, index } = await receiptOf(REF);
    await tamper(key, `SET records[${index}].actor = :a`, { ':a': 'principal:mallory' });

    expect((await verifyEntityAudit(table.store, REF))?.problems).toStrictEqual([
      'record 1 was altered (its content does not match its hash)',
    ]);
    expect((await verifyAllAudit(table.store)).failures.map((f) => f.entityId)).toStrictEqual([REF]);
  });

  it('detects an edited record kept on its own', async () => {
    await tamper(keys.audit(REF, 2), 'SET actor = :a', { ':a': 'principal:mallory' });

    expect((await verifyEntityAudit(table.store, REF))?.problems).toStrictEqual([
      'record 2 was altered (its content does not match its hash)',
    ]);
    expect((await verifyAllAudit(table.store)).failures.map((f) => f.entityId)).toStrictEqual([REF]);
  });

  it('detects a removed receipt, for every trade whose first record it held', async () => {
    const { key } = await receiptOf(REF);
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: key }));

    expect((await verifyEntityAudit(table.store, REF))?.problems).toContain(
      'record 1 is missing (next found: 2)',
    );
    const failures = (await verifyAllAudit(table.store)).failures;
    expect(failures.map((f) => f.entityId).sort()).toStrictEqual(['COUNTERPARTY#C-T-AUDIT', REF].sort());
  });

  it('reports a record edited into another shape instead of failing the verification', async () => {
    await tamper(keys.audit(REF, 2), 'REMOVE #at', {}, { '#at': 'at' });

    const problems = (await verifyEntityAudit(table.store, REF))?.problems ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toBe(
      'an audit record is malformed: at: Invalid input: expected string, received undefined',
    );
    const all = await verifyAllAudit(table.store);
    expect(all.failures.map((f) => f.entityId)).toStrictEqual([REF]);
    expect(all.failures[0]?.problems).toContain(problems[0]);
  });

  it('reports a malformed receipt against every trade it speaks for', async () => {
    const { key, index } = await receiptOf(REF);
    await tamper(key, `SET records[${index}].seq = :bad`, { ':bad': 'one' });

    expect((await verifyEntityAudit(table.store, REF))?.problems[0]).toMatch(
      /^an audit record is malformed: /,
    );
    const failures = (await verifyAllAudit(table.store)).failures;
    expect(failures.map((f) => f.entityId).sort()).toStrictEqual(['COUNTERPARTY#C-T-AUDIT', REF].sort());
    for (const f of failures)
      expect(f.problems.some((p) => p.startsWith('an audit record is malformed'))).toBe(true);
  });

  it('detects a trade pointed at another receipt', async () => {
    await tamper(keys.trade(REF), 'SET auditReceipt = :r', { ':r': 'R|0000' });

    expect((await verifyEntityAudit(table.store, REF))?.problems).toContain(
      'record 1 is missing (next found: 2)',
    );
  });

  it('detects a record removed from the middle', async () => {
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.audit(REF, 2) }));

    const problems = (await verifyEntityAudit(table.store, REF))?.problems ?? [];
    expect(problems).toContain('record 2 is missing (next found: 3)');
    expect(problems).toContain('record 3 does not link to the record before it');
  });

  it('detects the newest record removed', async () => {
    const last = (await table.store.getTrade(REF))?.version ?? 0;
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.audit(REF, last) }));

    expect((await verifyEntityAudit(table.store, REF))?.problems).toStrictEqual([
      `the entity says its chain ends at record ${last}, the log ends at ${last - 1}`,
    ]);
  });

  it('detects a record rewritten with a recomputed hash of its own', async () => {
    // A forger who recomputes the edited record's hash still breaks the next record's link.
    const records = await table.store.listAudit(REF);
    const first = records[0];
    if (first === undefined) throw new Error('no audit');
    const { chainHash } = await import('../../src/settlement/audit-chain.ts');
    const forged = { ...first, actor: 'principal:mallory' };
    const { key, index } = await receiptOf(REF);
    await tamper(
      key,
      `SET records[${index}].actor = :a, records[${index}].#h = :h`,
      { ':a': forged.actor, ':h': chainHash(first.prevHash, forged) },
      { '#h': 'hash' },
    );

    expect((await verifyEntityAudit(table.store, REF))?.problems).toStrictEqual([
      'record 2 does not link to the record before it',
    ]);
  });
});
