import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sealAuditRecord } from '../../../src/settlement/audit-chain.ts';
import { type SettlementException, Trade, type TradeStatus } from '../../../src/settlement/model.ts';
import {
  auditItem,
  exceptionItem,
  fromItem,
  instructionItem,
  isCandidate,
  keys,
  matchItem,
  nextSlaDue,
  outboxItem,
  parseItem,
  receiptItem,
  tradeItem,
} from '../../../src/settlement/store/items.ts';
import {
  aMatch,
  anException,
  anInstruction,
  anOutboxRecord,
  aStoredTrade,
} from '../../support/settlement-records.ts';

const REF = 'INTERNAL#T-10042';
const WARN_AT = '2026-11-24T23:12:00.000Z';
const DEADLINE = '2026-11-25T02:00:00.000Z';

/** The index attributes an item carries. */
/** An audit record of the trade `REF`, chained to the genesis hash. */
function anAuditRecord(r: { seq: number; action: string; actor: string; details?: Record<string, unknown> }) {
  return sealAuditRecord('0'.repeat(64), { entityId: REF, details: {}, at: WARN_AT, ...r });
}

function indexKeysOf(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => k.startsWith('by')));
}

describe('keys', () => {
  it('pads audit sequence numbers so they sort as strings', () => {
    expect([keys.audit('M-1', 2), keys.audit('M-1', 10)]).toStrictEqual([
      { pk: 'AUDIT#M-1', sk: '0000000002' },
      { pk: 'AUDIT#M-1', sk: '0000000010' },
    ]);
    expect(keys.audit('M-1', 2).sk < keys.audit('M-1', 10).sk).toBe(true);
  });
});

describe('tradeItem', () => {
  it('puts an unmatched internal trade in the day, block and match-due indexes', () => {
    const trade = aStoredTrade();
    expect(tradeItem(trade)).toStrictEqual({
      pk: `TRADE#${REF}`,
      sk: '#',
      itemType: 'TRADE',
      byDayPk: 'DAY#2026-11-24',
      byDaySk: `EQ-US#TRADE#${REF}`,
      byBlockPk: 'BLOCK#US0378331005|2026-11-24|BUY|INTERNAL',
      byBlockSk: REF,
      byDuePk: 'DUE#MATCH',
      byDueSk: `2026-11-25T02:00:00.000Z#${REF}`,
      ...trade,
    });
  });

  it.each<[TradeStatus, string[]]>([
    ['UNMATCHED', ['byDayPk', 'byDaySk', 'byBlockPk', 'byBlockSk', 'byDuePk', 'byDueSk']],
    ['EXCEPTION', ['byDayPk', 'byDaySk', 'byBlockPk', 'byBlockSk']],
    ['PENDING_REVIEW', ['byDayPk', 'byDaySk']],
    ['MATCHED', ['byDayPk', 'byDaySk']],
  ])('indexes an internal %s trade in %j', (status, indexes) => {
    expect(Object.keys(indexKeysOf(tradeItem(aStoredTrade({ status })))).sort()).toStrictEqual(
      indexes.sort(),
    );
  });

  const open = ['byBlockPk', 'byBlockSk', 'byQueuePk', 'byQueueSk'];
  it.each<[TradeStatus, string[]]>([
    ['UNMATCHED', ['byDayPk', 'byDaySk', ...open, 'byDuePk', 'byDueSk']],
    ['EXCEPTION', ['byDayPk', 'byDaySk', ...open]],
    ['PENDING_REVIEW', ['byDayPk', 'byDaySk']],
    ['MATCHED', ['byDayPk', 'byDaySk']],
  ])(
    'indexes a counterparty %s record in %j (near-miss group while open, orphan due while unmatched)',
    (status, indexes) => {
      const item = tradeItem(aStoredTrade({ source: 'COUNTERPARTY', side: 'SELL', tradeId: 'C-1', status }));
      expect(Object.keys(indexKeysOf(item)).sort()).toStrictEqual(indexes.sort());
    },
  );

  it('keys a counterparty record in its own block, its near-miss group and the orphan-due index', () => {
    const item = tradeItem(
      aStoredTrade({
        source: 'COUNTERPARTY',
        side: 'SELL',
        tradeId: 'C-1',
        quantity: '1000.00',
        counterpartyBic: 'DEUTDEFFXXX',
      }),
    );
    expect(indexKeysOf(item)).toStrictEqual({
      byDayPk: 'DAY#2026-11-24',
      byDaySk: 'EQ-US#TRADE#COUNTERPARTY#C-1',
      byBlockPk: 'BLOCK#US0378331005|2026-11-24|SELL|COUNTERPARTY',
      byBlockSk: 'COUNTERPARTY#C-1',
      byQueuePk: 'NEAR#DEUTDEFF|1000',
      byQueueSk: '2026-11-24#US0378331005#SELL#COUNTERPARTY#C-1',
      byDuePk: 'DUE#ORPHAN',
      byDueSk: '2026-11-25T02:00:00.000Z#COUNTERPARTY#C-1',
    });
  });
});

describe('isCandidate', () => {
  it.each<[TradeStatus, boolean]>([
    ['UNMATCHED', true],
    ['EXCEPTION', true],
    ['PENDING_REVIEW', false],
    ['MATCHED', false],
  ])('says a %s trade is a candidate: %s', (status, expected) => {
    expect(isCandidate({ status })).toBe(expected);
  });
});

describe('matchItem', () => {
  it('queues a pending review by creation time', () => {
    const match = aMatch({ status: 'PENDING_REVIEW', confidence: 90 });
    expect(matchItem(match)).toStrictEqual({
      pk: 'MATCH#M-1',
      sk: '#',
      itemType: 'MATCH',
      byDayPk: 'DAY#2026-11-24',
      byDaySk: 'EQ-US#MATCH#M-1',
      byQueuePk: 'MATCH#PENDING_REVIEW',
      byQueueSk: '2026-11-24T15:00:00.000Z#M-1',
      ...match,
    });
  });

  it.each(['AUTO_MATCHED', 'APPROVED', 'REJECTED', 'SUPERSEDED'] as const)(
    'keeps a %s match out of the review queue',
    (status) => {
      expect(indexKeysOf(matchItem(aMatch({ status })))).toStrictEqual({
        byDayPk: 'DAY#2026-11-24',
        byDaySk: 'EQ-US#MATCH#M-1',
      });
    },
  );
});

describe('exceptionItem and nextSlaDue', () => {
  const ID = 'X|INTERNAL#T-10042|price';

  it('queues an open exception by deadline and makes it due at its warning point', () => {
    const e = anException();
    expect(exceptionItem(e)).toStrictEqual({
      pk: `EXC#${ID}`,
      sk: '#',
      itemType: 'EXCEPTION',
      byDayPk: 'DAY#2026-11-24',
      byDaySk: `EQ-US#EXC#${ID}`,
      byQueuePk: 'EXC#OPEN',
      byQueueSk: `${DEADLINE}#${ID}`,
      byDuePk: 'DUE#SLA',
      byDueSk: `${WARN_AT}#${ID}`,
      ...e,
    });
  });

  it.each<[string, Partial<SettlementException>, string | undefined]>([
    ['an open exception not yet warned: its warning point', {}, WARN_AT],
    ['an escalated exception not yet warned: its warning point', { status: 'ESCALATED' }, WARN_AT],
    ['a warned exception: its deadline', { warnedAt: WARN_AT }, DEADLINE],
    ['a warned, escalated exception: its deadline', { warnedAt: WARN_AT, status: 'ESCALATED' }, DEADLINE],
    ['a breached exception: nothing', { warnedAt: WARN_AT, breachedAt: DEADLINE }, undefined],
    [
      'a resolved exception: nothing',
      { status: 'RESOLVED', resolution: { by: 'principal:U1', at: WARN_AT, how: 'manual' } },
      undefined,
    ],
    [
      'an auto-resolved exception: nothing',
      { status: 'AUTO_RESOLVED', resolution: { by: 'system:auto-resolver', at: WARN_AT, how: 'ROUNDING' } },
      undefined,
    ],
  ])('makes due %s', (_, overrides, due) => {
    const e = anException(overrides);
    expect(nextSlaDue(e)).toBe(due);
    const { byDuePk, byDueSk } = exceptionItem(e);
    expect({ byDuePk, byDueSk }).toStrictEqual(
      due === undefined
        ? { byDuePk: undefined, byDueSk: undefined }
        : { byDuePk: 'DUE#SLA', byDueSk: `${due}#${ID}` },
    );
  });

  it('leaves the due index once breached or resolved, without the attributes at all', () => {
    const breached = exceptionItem(anException({ warnedAt: WARN_AT, breachedAt: DEADLINE }));
    expect(['byDuePk' in breached, 'byDueSk' in breached]).toStrictEqual([false, false]);
  });

  it('queues an exception under its status', () => {
    const item = exceptionItem(
      anException({ status: 'RESOLVED', resolution: { by: 'principal:U1', at: WARN_AT, how: 'manual' } }),
    );
    expect([item.byQueuePk, item.byQueueSk]).toStrictEqual(['EXC#RESOLVED', `${DEADLINE}#${ID}`]);
  });
});

describe('outboxItem', () => {
  it('queues a pending record by creation time', () => {
    const o = anOutboxRecord();
    expect(outboxItem(o)).toStrictEqual({
      pk: 'OUTBOX#O-1',
      sk: '#',
      itemType: 'OUTBOX',
      byQueuePk: 'OUTBOX#PENDING',
      byQueueSk: '2026-11-24T15:00:00.000Z#O-1',
      ...o,
    });
  });

  it('takes a delivered record out of the queue', () => {
    const o = anOutboxRecord({
      status: 'DELIVERED',
      deliveredAt: '2026-11-24T15:00:01.000Z',
      delivery: { channel: 'C1', ts: '1764000001.000100' },
    });
    expect(outboxItem(o)).toStrictEqual({ pk: 'OUTBOX#O-1', sk: '#', itemType: 'OUTBOX', ...o });
  });
});

describe('instructionItem and auditItem', () => {
  it('puts an instruction in the day index', () => {
    const si = anInstruction();
    expect(instructionItem(si)).toStrictEqual({
      pk: 'SI#SI-M-1',
      sk: '#',
      itemType: 'INSTRUCTION',
      byDayPk: 'DAY#2026-11-24',
      byDaySk: 'EQ-US#SI#SI-M-1',
      ...si,
    });
  });

  it('keys an audit record by entity and padded sequence number', () => {
    const record = anAuditRecord({ seq: 12, action: 'TRADE_UPDATED', actor: 'system:matcher' });
    expect(auditItem(record)).toStrictEqual({
      pk: `AUDIT#${REF}`,
      sk: '0000000012',
      itemType: 'AUDIT',
      ...record,
    });
  });

  it('keys an ingest receipt by its id, outside every index', () => {
    const record = anAuditRecord({ seq: 1, action: 'INGESTED', actor: 'system:ingest' });
    expect(receiptItem({ receiptId: 'R|ab', records: [record] })).toStrictEqual({
      pk: 'RECEIPT#R|ab',
      sk: '#',
      itemType: 'RECEIPT',
      receiptId: 'R|ab',
      records: [record],
    });
  });
});

describe('fromItem', () => {
  it('reads back every record it wrote', () => {
    const trade = aStoredTrade();
    const match = aMatch({ status: 'PENDING_REVIEW' });
    const exception = anException({ warnedAt: WARN_AT });
    const instruction = anInstruction();
    const outbox = anOutboxRecord();
    const audit = anAuditRecord({
      seq: 1,
      action: 'TRADE_CREATED',
      actor: 'system:ingest',
      details: { line: 2 },
    });
    expect([
      parseItem.trade(tradeItem(trade)),
      parseItem.match(matchItem(match)),
      parseItem.exception(exceptionItem(exception)),
      parseItem.instruction(instructionItem(instruction)),
      parseItem.outbox(outboxItem(outbox)),
      parseItem.audit(auditItem(audit)),
      parseItem.receipt(receiptItem({ receiptId: 'R|1', records: [audit] })),
    ]).toStrictEqual([
      trade,
      match,
      exception,
      instruction,
      outbox,
      audit,
      { receiptId: 'R|1', records: [audit] },
    ]);
  });

  it('strips the storage attributes, index keys and TTL before validating', () => {
    const trade = aStoredTrade({ status: 'UNMATCHED' });
    const item = { ...tradeItem(trade), expiresAt: 1_800_000_000 };
    expect(Object.keys(item).filter((k) => !(k in trade))).toStrictEqual([
      'pk',
      'sk',
      'itemType',
      'byDayPk',
      'byDaySk',
      'byBlockPk',
      'byBlockSk',
      'byDuePk',
      'byDueSk',
      'expiresAt',
    ]);
    // A schema that keeps every key shows exactly what reached validation.
    expect(fromItem(z.record(z.string(), z.unknown()), item)).toStrictEqual({ ...trade });
  });

  it('returns the parsed record', () => {
    const trade = aStoredTrade();
    expect(fromItem(Trade, { ...tradeItem(trade), expiresAt: 1_800_000_000 })).toStrictEqual(trade);
  });

  it('rejects an item missing a required attribute', () => {
    const { status: _status, ...item } = tradeItem(aStoredTrade());
    expect(() => parseItem.trade(item)).toThrow(/status/);
  });

  it('rejects an item with an invalid value', () => {
    expect(() => parseItem.trade({ ...tradeItem(aStoredTrade()), isin: 'US0378331006' })).toThrow(/ISIN/);
    expect(() => parseItem.exception({ ...exceptionItem(anException()), status: 'LOST' })).toThrow();
    expect(() =>
      parseItem.audit({
        ...auditItem(
          sealAuditRecord('0'.repeat(64), {
            entityId: REF,
            seq: 1,
            action: 'A',
            actor: 'nobody',
            details: {},
            at: WARN_AT,
          }),
        ),
      }),
    ).toThrow(/principal/);
  });

  it('rejects an item of another type', () => {
    expect(() => parseItem.trade(matchItem(aMatch()))).toThrow();
  });
});
