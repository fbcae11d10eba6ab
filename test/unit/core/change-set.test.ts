import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS_HASH, stateHashOf, verifyChain } from '../../../src/settlement/audit-chain.ts';
import type { AuditRecord, Trade } from '../../../src/settlement/model.ts';
import {
  type AuditEntry,
  ChangeSet,
  entityIdOf,
  type Unsealed,
} from '../../../src/settlement/store/change-set.ts';
import {
  aMatch,
  anException,
  anInstruction,
  anOutboxRecord,
  aStoredTrade,
} from '../../support/settlement-records.ts';

const CREATED: AuditEntry = {
  action: 'TRADE_CREATED',
  actor: 'system:ingest',
  details: { line: 2 },
  at: '2026-11-24T14:00:00.000Z',
};
const MATCHED: AuditEntry = {
  action: 'TRADE_MATCHED',
  actor: 'system:matcher',
  details: { matchId: 'M-1' },
  at: '2026-11-24T15:00:00.000Z',
};

function unsealed<T extends { version: number; auditHash: string }>(
  entity: T,
): Omit<T, 'version' | 'auditHash'> {
  const { version: _version, auditHash: _auditHash, ...rest } = entity;
  return rest;
}

const newTrade: Unsealed<Trade> = unsealed(aStoredTrade());

function auditRecords(changes: ChangeSet): AuditRecord[] {
  return changes.writes.flatMap((w) => (w.op === 'audit' ? [w.record] : []));
}

describe('ChangeSet.create', () => {
  it('seals a new entity at version 1 with its first audit record chained from 64 zeros', () => {
    const changes = new ChangeSet();
    const created = changes.create('trade', newTrade, CREATED);
    const content = { entityId: 'INTERNAL#T-10042', seq: 1, ...CREATED, stateHash: stateHashOf(newTrade) };
    const record: AuditRecord = {
      ...content,
      prevHash: '0'.repeat(64),
      hash: chainHash(GENESIS_HASH, content),
    };
    expect(created).toStrictEqual({ ...newTrade, version: 1, auditHash: record.hash });
    expect(changes.writes).toStrictEqual([
      { op: 'create', kind: 'trade', entity: created },
      { op: 'audit', record },
    ]);
  });

  it('keeps the rest of the entity unchanged', () => {
    const match = unsealed(aMatch());
    const created = new ChangeSet().create('match', match, { ...MATCHED, action: 'MATCH_CREATED' });
    expect(unsealed(created)).toStrictEqual(match);
  });
});

describe('ChangeSet.createTrades', () => {
  const second: Unsealed<Trade> = { ...newTrade, tradeId: 'T-10043' };
  const entries = [
    { trade: newTrade, audit: CREATED },
    { trade: second, audit: { ...CREATED, details: { line: 3 } } },
  ];

  it('creates each trade at version 1 and keeps their first audit records in one receipt', () => {
    const changes = new ChangeSet();
    const created = changes.createTrades(entries);
    const receipt = changes.writes.find((w) => w.op === 'receipt');
    if (receipt?.op !== 'receipt') throw new Error('no receipt written');

    expect(changes.writes.map((w) => w.op)).toStrictEqual(['create', 'create', 'receipt']);
    expect(receipt.receipt.records.map((r) => [r.entityId, r.seq, r.prevHash])).toStrictEqual([
      ['INTERNAL#T-10042', 1, GENESIS_HASH],
      ['INTERNAL#T-10043', 1, GENESIS_HASH],
    ]);
    expect(created).toStrictEqual([
      {
        ...newTrade,
        auditReceipt: receipt.receipt.receiptId,
        version: 1,
        auditHash: receipt.receipt.records[0]?.hash,
      },
      {
        ...second,
        auditReceipt: receipt.receipt.receiptId,
        version: 1,
        auditHash: receipt.receipt.records[1]?.hash,
      },
    ]);
  });

  it('seals the same records create would, so each chain verifies against its trade', () => {
    const changes = new ChangeSet();
    const [trade] = changes.createTrades(entries);
    const single = new ChangeSet();
    const alone = single.create('trade', newTrade, CREATED);
    const receipt = changes.writes.find((w) => w.op === 'receipt');
    if (receipt?.op !== 'receipt' || trade === undefined) throw new Error('no receipt written');

    expect(receipt.receipt.records[0]).toStrictEqual(auditRecords(single)[0]);
    expect(trade.auditHash).toBe(alone.auditHash);
    expect(verifyChain(receipt.receipt.records.slice(0, 1), { seq: 1, hash: trade.auditHash })).toStrictEqual(
      [],
    );
  });

  it('names a receipt by its records: the same batch always makes the same receipt id, another batch another', () => {
    const id = (changes: ChangeSet) => changes.itemKeys().find((k) => k.startsWith('receipt:'));
    const a = new ChangeSet();
    a.createTrades(entries);
    const b = new ChangeSet();
    b.createTrades(entries);
    const c = new ChangeSet();
    c.createTrades([{ trade: newTrade, audit: { ...CREATED, at: '2026-11-24T14:00:01.000Z' } }]);

    expect(id(a)).toMatch(/^receipt:R\|[0-9a-f]{32}$/);
    expect(id(b)).toBe(id(a));
    expect(id(c)).not.toBe(id(a));
  });

  it('writes nothing for no trades', () => {
    const changes = new ChangeSet();
    expect(changes.createTrades([])).toStrictEqual([]);
    expect(changes.size).toBe(0);
  });
});

describe('ChangeSet state binding', () => {
  it('seals the state each change leaves, whatever its chain head and receipt', () => {
    const changes = new ChangeSet();
    const [booked] = changes.createTrades([{ trade: newTrade, audit: CREATED }]);
    const [record] = auditRecords(changes).length > 0 ? auditRecords(changes) : receiptRecords(changes);

    expect(booked?.auditReceipt).toBeDefined();
    expect(record?.stateHash).toBe(stateHashOf(booked as Trade));
  });

  it('seals a different state when any field differs', () => {
    expect(stateHashOf({ ...newTrade, price: '101.26' })).not.toBe(stateHashOf(newTrade));
    expect(stateHashOf({ ...newTrade, lastChangedBy: 'principal:mallory' })).not.toBe(stateHashOf(newTrade));
  });
});

function receiptRecords(changes: ChangeSet): AuditRecord[] {
  return changes.writes.flatMap((w) => (w.op === 'receipt' ? [...w.receipt.records] : []));
}

describe('ChangeSet.update', () => {
  it('bumps the version, expects the current one and chains the audit record to the current head', () => {
    const first = new ChangeSet();
    const current = first.create('trade', newTrade, CREATED);

    const changes = new ChangeSet();
    const next = { ...newTrade, status: 'MATCHED' as const, matchId: 'M-1' };
    const updated = changes.update('trade', current, next, MATCHED);
    const content = { entityId: 'INTERNAL#T-10042', seq: 2, ...MATCHED, stateHash: stateHashOf(next) };
    const record: AuditRecord = {
      ...content,
      prevHash: current.auditHash,
      hash: chainHash(current.auditHash, content),
    };
    expect(updated).toStrictEqual({ ...next, version: 2, auditHash: record.hash });
    expect(changes.writes).toStrictEqual([
      { op: 'update', kind: 'trade', entity: updated, expectedVersion: 1, previous: current },
      { op: 'audit', record },
    ]);
  });

  it('produces a chain that verifies against the entity head', () => {
    const changes = new ChangeSet();
    const v1 = changes.create('exception', unsealed(anException()), {
      action: 'EXCEPTION_RAISED',
      actor: 'system:matcher',
      details: {},
      at: '2026-11-24T15:00:00.000Z',
    });
    const v2 = changes.update(
      'exception',
      v1,
      { ...unsealed(v1), warnedAt: '2026-11-24T23:12:00.000Z' },
      {
        action: 'SLA_WARNING',
        actor: 'system:sla-sweeper',
        details: {},
        at: '2026-11-24T23:12:00.000Z',
      },
    );
    const v3 = changes.update(
      'exception',
      v2,
      { ...unsealed(v2), status: 'ESCALATED' },
      {
        action: 'ESCALATED',
        actor: 'principal:U1',
        details: { reason: 'counterparty silent' },
        at: '2026-11-24T23:30:00.000Z',
      },
    );
    expect([v1.version, v2.version, v3.version]).toStrictEqual([1, 2, 3]);
    expect(verifyChain(auditRecords(changes), { seq: v3.version, hash: v3.auditHash })).toStrictEqual([]);
  });

  it('expects the version of a stored entity beyond 1', () => {
    const current = aStoredTrade({ version: 7, auditHash: 'd'.repeat(64) });
    const changes = new ChangeSet();
    const updated = changes.update('trade', current, unsealed(current), MATCHED);
    expect(updated.version).toBe(8);
    expect(changes.writes[0]).toStrictEqual({
      op: 'update',
      kind: 'trade',
      entity: updated,
      expectedVersion: 7,
      previous: current,
    });
    expect(auditRecords(changes).map((r) => [r.seq, r.prevHash])).toStrictEqual([[8, 'd'.repeat(64)]]);
  });

  it('refuses an update that changes the entity id', () => {
    const current = aStoredTrade();
    const changes = new ChangeSet();
    expect(() =>
      changes.update('trade', current, { ...unsealed(current), tradeId: 'T-99999' }, MATCHED),
    ).toThrow(new Error('update of trade INTERNAL#T-10042 changes its id'));
    expect(changes.size).toBe(0);
  });
});

describe('ChangeSet writes', () => {
  it('records instructions and outbox records as they are', () => {
    const changes = new ChangeSet();
    changes.instruction(anInstruction());
    changes.outbox(anOutboxRecord());
    expect(changes.writes).toStrictEqual([
      { op: 'instruction', instruction: anInstruction() },
      { op: 'outbox', record: anOutboxRecord() },
    ]);
  });

  it('appends another change set after its own writes', () => {
    const a = new ChangeSet();
    a.outbox(anOutboxRecord({ outboxId: 'O-a' }));
    const b = new ChangeSet();
    b.outbox(anOutboxRecord({ outboxId: 'O-b' }));
    b.instruction(anInstruction());
    a.append(b);
    expect([a.size, a.itemKeys()]).toStrictEqual([3, ['outbox:O-a', 'outbox:O-b', 'instruction:SI-M-1']]);
    expect(b.size).toBe(2);
  });
});

describe('ChangeSet.itemKeys', () => {
  it('gives each written item its own key', () => {
    const changes = new ChangeSet();
    changes.create('trade', newTrade, CREATED);
    changes.create('match', unsealed(aMatch()), { ...MATCHED, action: 'MATCH_CREATED' });
    changes.create('exception', unsealed(anException()), { ...MATCHED, action: 'EXCEPTION_RAISED' });
    changes.instruction(anInstruction());
    changes.outbox(anOutboxRecord());
    const counterparty = new ChangeSet().create(
      'trade',
      unsealed(aStoredTrade({ source: 'COUNTERPARTY', side: 'SELL' })),
      CREATED,
    );
    changes.update('trade', counterparty, unsealed(counterparty), MATCHED);
    expect(changes.itemKeys()).toStrictEqual([
      'trade:INTERNAL#T-10042',
      'audit:INTERNAL#T-10042:1',
      'match:M-1',
      'audit:M-1:1',
      'exception:X|INTERNAL#T-10042|price',
      'audit:X|INTERNAL#T-10042|price:1',
      'instruction:SI-M-1',
      'outbox:O-1',
      'trade:COUNTERPARTY#T-10042',
      'audit:COUNTERPARTY#T-10042:2',
    ]);
    expect(new Set(changes.itemKeys()).size).toBe(changes.size);
  });

  it('gives two writes of the same item the same key', () => {
    const changes = new ChangeSet();
    const v1 = changes.create('trade', newTrade, CREATED);
    changes.update('trade', v1, newTrade, MATCHED);
    const keys = changes.itemKeys();
    expect(keys.filter((k) => k === 'trade:INTERNAL#T-10042')).toHaveLength(2);
    expect(new Set(keys).size).toBe(3);
  });
});

describe('entityIdOf', () => {
  it('identifies trades by source and id, matches and exceptions by their ids', () => {
    expect([
      entityIdOf('trade', newTrade),
      entityIdOf('trade', unsealed(aStoredTrade({ source: 'COUNTERPARTY', tradeId: 'C-1', side: 'SELL' }))),
      entityIdOf('match', unsealed(aMatch())),
      entityIdOf('exception', unsealed(anException())),
    ]).toStrictEqual(['INTERNAL#T-10042', 'COUNTERPARTY#C-1', 'M-1', 'X|INTERNAL#T-10042|price']);
  });
});
