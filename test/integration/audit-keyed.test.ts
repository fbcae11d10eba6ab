import { randomBytes } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditTrailData } from '../../src/agents/tools/audit-tools.ts';
import { type AuditContent, chainHash, GENESIS_HASH } from '../../src/settlement/audit-chain.ts';
import { hmacChainKey } from '../../src/settlement/chain-key.ts';
import { verifyAllAudit, verifyEntityAudit } from '../../src/settlement/services/audit-verify.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { writeAuditDigest } from '../../src/settlement/services/write-audit-digest.ts';
import { DynamoDbSettlementStore } from '../../src/settlement/store/dynamodb-settlement-store.ts';
import { keys } from '../../src/settlement/store/items.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { MemoryDigestLog } from '../support/memory-digest-log.ts';
import { runTool, toolContext } from '../support/offline-driver.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

const REF = 'INTERNAL#T-KEYED';
const chainKey = hmacChainKey(randomBytes(32), 'test');
let table: TestTable;
let keyed: DynamoDbSettlementStore;
let clock: TestClock;

beforeEach(async () => {
  table = await createTestTable();
  keyed = new DynamoDbSettlementStore(table.doc, table.tableName, { chainKey });
  clock = new TestClock('2026-11-24T15:00:00.000Z');
});

async function bookPair(store: DynamoDbSettlementStore): Promise<void> {
  const ours = aTrade({ tradeId: 'T-KEYED' });
  await ingestTrades(
    settlementDeps(store, clock),
    rowsOf(ours, aCounterpartyRecordOf(ours, { price: '104.00' })),
  );
}

describe('keyed audit chains', () => {
  it('signs every record, in receipts too, and verifies them', async () => {
    await bookPair(keyed);

    const records = await keyed.listAudit(REF);
    expect(records.every((r) => r.mac !== undefined)).toBe(true);
    expect(await verifyEntityAudit(keyed, REF, { chainKey })).toMatchObject({
      problems: [],
      signing: 'keyed',
      stateBound: true,
    });
  });

  it('reports chains written before keys as legacy, not as tampered', async () => {
    await bookPair(table.store);

    const all = await verifyAllAudit(table.store, { chainKey });

    expect(all.failures).toStrictEqual([]);
    expect(all.legacy).toHaveLength(all.entities);
    expect(all.legacy).toContain(REF);
  });

  it('verifies records of code before state binding by their hashes, reported as legacy', async () => {
    await bookPair(table.store);
    // Rewrite the chain as the code before state binding wrote it: no state hash in any record.
    let prev = GENESIS_HASH;
    for (const r of await table.store.listAudit(REF)) {
      const { stateHash: _s, ...old } = r;
      const hash = chainHash(prev, old as AuditContent);
      const key = r.seq === 1 ? undefined : keys.audit(REF, r.seq);
      if (key !== undefined) {
        await table.doc.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: key,
            UpdateExpression: 'REMOVE stateHash SET #h = :h, prevHash = :p',
            ExpressionAttributeNames: { '#h': 'hash' },
            ExpressionAttributeValues: { ':h': hash, ':p': prev },
          }),
        );
      } else {
        const receiptId = String((await table.store.getTrade(REF))?.auditReceipt);
        const item = await table.doc.send(
          new GetCommand({ TableName: table.tableName, Key: keys.receipt(receiptId) }),
        );
        const index = ((item.Item?.records ?? []) as Array<{ entityId: string }>).findIndex(
          (x) => x.entityId === REF,
        );
        await table.doc.send(
          new UpdateCommand({
            TableName: table.tableName,
            Key: keys.receipt(receiptId),
            UpdateExpression: `REMOVE records[${index}].stateHash SET records[${index}].#h = :h`,
            ExpressionAttributeNames: { '#h': 'hash' },
            ExpressionAttributeValues: { ':h': hash },
          }),
        );
      }
      prev = hash;
    }
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.trade(REF),
        UpdateExpression: 'SET auditHash = :h',
        ExpressionAttributeValues: { ':h': prev },
      }),
    );

    expect(await verifyEntityAudit(table.store, REF, { chainKey })).toMatchObject({
      problems: [],
      signing: 'legacy',
      stateBound: false,
    });
    expect((await verifyAllAudit(table.store, { chainKey })).legacy).toContain(REF);
  });

  it('detects a signature stripped from the newest record', async () => {
    await bookPair(keyed);
    const last = (await keyed.getTrade(REF))?.version ?? 0;
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.audit(REF, last),
        UpdateExpression: 'REMOVE mac',
      }),
    );

    expect((await verifyEntityAudit(keyed, REF, { chainKey }))?.findings).toStrictEqual([
      {
        code: 'UNSIGNED',
        message: `record ${last} is unsigned though record ${last - 1} before it is signed`,
      },
    ]);
  });

  it("tells the agent's audit tool a chain rewritten without the key is not intact", async () => {
    await bookPair(keyed);
    const record = (await keyed.listAudit(REF)).at(-1);
    if (record === undefined) throw new Error('no audit');
    const forged = { ...record, actor: 'principal:ops-zed' };
    const hash = chainHash(record.prevHash, forged);
    for (const [key, expression] of [
      [keys.audit(REF, record.seq), 'SET actor = :a, #h = :h'],
      [keys.trade(REF), 'SET auditHash = :h'],
    ] as const)
      await table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: key,
          UpdateExpression: expression,
          ...(expression.includes('#h') ? { ExpressionAttributeNames: { '#h': 'hash' } } : {}),
          ExpressionAttributeValues: expression.includes(':a')
            ? { ':a': forged.actor, ':h': hash }
            : { ':h': hash },
        }),
      );
    const deps = { ...settlementDeps(keyed, clock), audit: { chainKey, digests: new MemoryDigestLog() } };

    const out = await runTool('get_audit_trail', { entityId: REF }, toolContext(deps));

    expect(out.ok && (out.data as AuditTrailData).trails[0]?.verification).toStrictEqual({
      intact: false,
      problems: [`record ${record.seq}'s signature does not verify: written without the audit key`],
    });
  });

  it('detects records signed with another key', async () => {
    await bookPair(keyed);

    const other = hmacChainKey(randomBytes(32), 'other');
    const codes = (await verifyEntityAudit(keyed, REF, { chainKey: other }))?.findings.map((f) => f.code);

    expect(new Set(codes)).toStrictEqual(new Set(['SIGNATURE_INVALID']));
  });
});

describe('audit digests', () => {
  it('are written for every chain head and agree with the table as it grows', async () => {
    const digests = new MemoryDigestLog();
    await bookPair(keyed);
    const first = await writeAuditDigest(keyed, { chainKey, digests }, clock.now().toISOString());
    clock.advanceMinutes(5);
    await ingestTrades(settlementDeps(keyed, clock), rowsOf(aTrade({ tradeId: 'T-KEYED', note: 'later' })));
    const second = await writeAuditDigest(keyed, { chainKey, digests }, clock.now().toISOString());

    expect(first).toMatchObject({ kind: 'WRITTEN', seq: 1, entities: 3, changed: 3 });
    expect(second).toMatchObject({ kind: 'WRITTEN', seq: 2, changed: 2 });
    expect((await verifyAllAudit(keyed, { chainKey, digests })).failures).toStrictEqual([]);
  });

  it('are written once each by writers racing, the log staying one chain', async () => {
    const digests = new MemoryDigestLog();
    await bookPair(keyed);

    const outcomes = await Promise.all(
      [1, 2, 3].map(() => writeAuditDigest(keyed, { chainKey, digests }, clock.now().toISOString())),
    );

    expect(outcomes.map((o) => (o.kind === 'WRITTEN' ? o.seq : o.kind)).sort()).toStrictEqual([1, 2, 3]);
    expect((await verifyAllAudit(keyed, { chainKey, digests })).digest?.problems).toStrictEqual([]);
  });

  it('are never appended to a log that does not verify', async () => {
    const digests = new MemoryDigestLog();
    await bookPair(keyed);
    await writeAuditDigest(keyed, { chainKey, digests }, clock.now().toISOString());
    digests.entries[0] = (digests.entries[0] as string).replace('"seq":1', '"seq":7');

    const outcome = await writeAuditDigest(keyed, { chainKey, digests }, clock.now().toISOString());

    expect(outcome).toStrictEqual({
      kind: 'LOG_BROKEN',
      location: 'memory',
      problems: [
        'digest entry 1 says it is digest 7',
        "digest 1's signature does not verify (edited without the audit key)",
      ],
    });
    expect(digests.entries).toHaveLength(1);
  });
});
