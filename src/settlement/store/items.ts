import type { ZodError, ZodType } from 'zod';
import { blockKey } from '../matching/index.ts';
import { nearMissKey, nearMissSortKey } from '../matching/near-miss.ts';
import {
  AuditReceipt,
  AuditRecord,
  Match,
  OutboxRecord,
  SettlementException,
  SettlementInstruction,
  Trade,
} from '../model.ts';
import type { UnreadableRecord } from './settlement-store.ts';
import { INDEXES, type IndexName } from './table.ts';

/*
 * Pure item builders: domain record → DynamoDB item (with its index keys) and back. Index keys are
 * derived from state here and nowhere else, so an item is always in exactly the indexes its state
 * calls for (e.g. a trade leaves the block index when it is matched).
 *
 * Each item is literal keys, then the record spread, then its index keys: V8 copies the record in
 * one step there, whereas spreading it after another spread adds its properties one by one (~25 µs
 * a trade, the hottest line of a bulk ingest). No domain schema has an attribute named like a
 * storage key.
 */

export type Item = Record<string, unknown>;
type IndexKeys = Partial<Record<`${IndexName}Pk` | `${IndexName}Sk`, string>>;

export const ROOT_SK = '#';

export const keys = {
  trade: (ref: string) => ({ pk: `TRADE#${ref}`, sk: ROOT_SK }),
  match: (id: string) => ({ pk: `MATCH#${id}`, sk: ROOT_SK }),
  exception: (id: string) => ({ pk: `EXC#${id}`, sk: ROOT_SK }),
  instruction: (id: string) => ({ pk: `SI#${id}`, sk: ROOT_SK }),
  outbox: (id: string) => ({ pk: `OUTBOX#${id}`, sk: ROOT_SK }),
  report: (tradeDate: string, scope: string) => ({ pk: `REPORT#${tradeDate}`, sk: scope }),
  audit: (entityId: string, seq: number) => ({ pk: `AUDIT#${entityId}`, sk: String(seq).padStart(10, '0') }),
  auditPartition: (entityId: string) => `AUDIT#${entityId}`,
  receipt: (receiptId: string) => ({ pk: `RECEIPT#${receiptId}`, sk: ROOT_SK }),
  block: (blockKey: string) => `BLOCK#${blockKey}`,
  queue: {
    reviews: 'MATCH#PENDING_REVIEW',
    exceptions: (status: string) => `EXC#${status}`,
    outboxPending: 'OUTBOX#PENDING',
  },
  due: { sla: 'DUE#SLA', match: 'DUE#MATCH', orphan: 'DUE#ORPHAN' },
  /** Open counterparty records by firm and quantity: the near-miss look-up behind CMIS. */
  near: (key: string) => `NEAR#${key}`,
  day: (tradeDate: string) => `DAY#${tradeDate}`,
  daySk: (desk: string, kind: 'TRADE' | 'MATCH' | 'EXC' | 'SI', id: string) => `${desk}#${kind}#${id}`,
} as const;

/** Trades still open to a counterpart: not matched and not waiting for a reviewer's decision. */
export function isCandidate(t: Pick<Trade, 'status'>): boolean {
  return t.status === 'UNMATCHED' || t.status === 'EXCEPTION';
}

/** The next instant the SLA sweeper must look at an exception (warning, then breach), if any. */
export function nextSlaDue(e: SettlementException): string | undefined {
  if (e.status !== 'OPEN' && e.status !== 'ESCALATED') return undefined;
  if (e.breachedAt !== undefined) return undefined;
  return e.warnedAt === undefined ? e.slaWarnAt : e.slaDeadline;
}

export function tradeItem(t: Trade): Item {
  const ref = `${t.source}#${t.tradeId}`;
  const idx: IndexKeys = {
    byDayPk: keys.day(t.tradeDate),
    byDaySk: keys.daySk(t.desk, 'TRADE', ref),
  };
  if (isCandidate(t)) {
    idx.byBlockPk = keys.block(blockKey(t));
    idx.byBlockSk = ref;
    if (t.source === 'COUNTERPARTY') {
      idx.byQueuePk = keys.near(nearMissKey(t));
      idx.byQueueSk = nearMissSortKey(t);
    }
  }
  // A counterparty record nobody has matched by its deadline is an orphan: reported, not silent.
  if (t.source === 'COUNTERPARTY' && t.status === 'UNMATCHED') {
    idx.byDuePk = keys.due.orphan;
    idx.byDueSk = `${t.matchDeadline}#${ref}`;
  }
  // An internal trade nobody has sent a record for yet: CMIS is raised if its deadline passes.
  if (t.source === 'INTERNAL' && t.status === 'UNMATCHED') {
    idx.byDuePk = keys.due.match;
    idx.byDueSk = `${t.matchDeadline}#${ref}`;
  }
  const { pk, sk } = keys.trade(ref);
  return { pk, sk, itemType: 'TRADE', ...t, ...idx };
}

export function matchItem(m: Match): Item {
  const idx: IndexKeys = { byDayPk: keys.day(m.tradeDate), byDaySk: keys.daySk(m.desk, 'MATCH', m.matchId) };
  if (m.status === 'PENDING_REVIEW') {
    idx.byQueuePk = keys.queue.reviews;
    idx.byQueueSk = `${m.createdAt}#${m.matchId}`;
  }
  const { pk, sk } = keys.match(m.matchId);
  return { pk, sk, itemType: 'MATCH', ...m, ...idx };
}

export function exceptionItem(e: SettlementException): Item {
  const idx: IndexKeys = {
    byDayPk: keys.day(e.tradeDate),
    byDaySk: keys.daySk(e.desk, 'EXC', e.exceptionId),
    byQueuePk: keys.queue.exceptions(e.status),
    byQueueSk: `${e.slaDeadline}#${e.exceptionId}`,
  };
  const due = nextSlaDue(e);
  if (due !== undefined) {
    idx.byDuePk = keys.due.sla;
    idx.byDueSk = `${due}#${e.exceptionId}`;
  }
  const { pk, sk } = keys.exception(e.exceptionId);
  return { pk, sk, itemType: 'EXCEPTION', ...e, ...idx };
}

export function instructionItem(si: SettlementInstruction): Item {
  const { pk, sk } = keys.instruction(si.instructionId);
  return {
    pk,
    sk,
    itemType: 'INSTRUCTION',
    ...si,
    byDayPk: keys.day(si.tradeDate),
    byDaySk: keys.daySk(si.desk, 'SI', si.instructionId),
  };
}

export function outboxItem(o: OutboxRecord): Item {
  const idx: IndexKeys = {};
  if (o.status === 'PENDING') {
    idx.byQueuePk = keys.queue.outboxPending;
    idx.byQueueSk = `${o.createdAt}#${o.outboxId}`;
  }
  const { pk, sk } = keys.outbox(o.outboxId);
  return { pk, sk, itemType: 'OUTBOX', ...o, ...idx };
}

export function auditItem(r: AuditRecord): Item {
  const { pk, sk } = keys.audit(r.entityId, r.seq);
  return { pk, sk, itemType: 'AUDIT', ...r };
}

export function receiptItem(r: AuditReceipt): Item {
  const { pk, sk } = keys.receipt(r.receiptId);
  return { pk, sk, itemType: 'RECEIPT', ...r };
}

const STORAGE_ATTRIBUTES = new Set([
  'pk',
  'sk',
  'itemType',
  'expiresAt',
  ...INDEXES.flatMap((i) => [`${i}Pk`, `${i}Sk`]),
]);

/** The item without its storage attributes (keys, item type, index keys, TTL). */
export function withoutStorage(item: Item): Item {
  const record: Item = {};
  for (const [k, v] of Object.entries(item)) {
    if (!STORAGE_ATTRIBUTES.has(k)) record[k] = v;
  }
  return record;
}

/** Strips storage attributes and validates the rest: a malformed item is an error, never passed on. */
export function fromItem<T>(schema: ZodType<T>, item: Item): T {
  return schema.parse(withoutStorage(item));
}

/** The id a reader reports for an item it cannot read: the record's own id when it has one, else its key. */
export function itemIdOf(item: Item): string {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  switch (item.itemType) {
    case 'TRADE': {
      const source = str(item.source);
      const tradeId = str(item.tradeId);
      if (source !== undefined && tradeId !== undefined) return `${source}#${tradeId}`;
      break;
    }
    case 'MATCH':
      return str(item.matchId) ?? String(item.pk);
    case 'EXCEPTION':
      return str(item.exceptionId) ?? String(item.pk);
    case 'INSTRUCTION':
      return str(item.instructionId) ?? String(item.pk);
    case 'OUTBOX':
      return str(item.outboxId) ?? String(item.pk);
  }
  return String(item.pk);
}

/** A schema failure in one line: `decision.reason: is longer than 500 characters; …`. */
export function describeIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`).join('; ');
}

/**
 * Parses an item a listing met: the record, or what is wrong with it (never a throw, so one bad item
 * cannot take down a listing or a report).
 */
export function tryParseItem<T>(
  schema: ZodType<T>,
  item: Item,
): { readonly ok: true; readonly record: T } | { readonly ok: false; readonly unreadable: UnreadableRecord } {
  const parsed = schema.safeParse(withoutStorage(item));
  if (parsed.success) return { ok: true, record: parsed.data };
  return {
    ok: false,
    unreadable: {
      id: itemIdOf(item),
      itemType: String(item.itemType),
      problem: describeIssues(parsed.error),
    },
  };
}

export const parseItem = {
  trade: (i: Item) => fromItem(Trade, i),
  match: (i: Item) => fromItem(Match, i),
  exception: (i: Item) => fromItem(SettlementException, i),
  instruction: (i: Item) => fromItem(SettlementInstruction, i),
  outbox: (i: Item) => fromItem(OutboxRecord, i),
  audit: (i: Item) => fromItem(AuditRecord, i),
  receipt: (i: Item) => fromItem(AuditReceipt, i),
};
