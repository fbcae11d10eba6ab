import { createHash } from 'node:crypto';
import { GENESIS_HASH, sealAuditRecord, stateHashOf } from '../audit-chain.ts';
import type {
  AuditReceipt,
  AuditRecord,
  InstructionEnd,
  Match,
  OutboxRecord,
  SettlementException,
  SettlementInstruction,
  Trade,
} from '../model.ts';

/** The audited entities and their types. */
export interface Entities {
  trade: Trade;
  match: Match;
  exception: SettlementException;
}
export type EntityKind = keyof Entities;

export interface AuditEntry {
  readonly action: string;
  /** `principal:…`, `agent:…` or `system:…`. */
  readonly actor: string;
  readonly details: Record<string, unknown>;
  readonly at: string;
}

export type Unsealed<T> = Omit<T, 'version' | 'auditHash'>;

export type Write =
  | { readonly op: 'create'; readonly kind: EntityKind; readonly entity: Entities[EntityKind] }
  | {
      readonly op: 'update';
      readonly kind: EntityKind;
      readonly entity: Entities[EntityKind];
      readonly expectedVersion: number;
      /** The stored version it replaces (the store moves derived items, e.g. the trade index, from it). */
      readonly previous: Entities[EntityKind];
    }
  | { readonly op: 'instruction'; readonly instruction: SettlementInstruction }
  /** A live (NEW) instruction ends: fails the commit unless it exists and is still live. */
  | {
      readonly op: 'endInstruction';
      readonly instructionId: string;
      readonly status: 'CANCELLED' | 'REPLACED';
      readonly end: InstructionEnd;
    }
  | { readonly op: 'outbox'; readonly record: OutboxRecord }
  | { readonly op: 'audit'; readonly record: AuditRecord }
  | { readonly op: 'receipt'; readonly receipt: AuditReceipt };

/**
 * The writes of one state change, committed together (one DynamoDB transaction) or not at all.
 * Each entity change bumps its version by one and appends exactly one audit record chained to the
 * entity's previous one, so version = length of the entity's audit chain.
 */
export class ChangeSet {
  readonly #writes: Write[] = [];

  get writes(): readonly Write[] {
    return this.#writes;
  }

  get size(): number {
    return this.#writes.length;
  }

  /** Appends another change set's writes (to commit several decisions in one transaction). */
  append(other: ChangeSet): void {
    this.#writes.push(...other.writes);
  }

  /** One key per item written: a transaction may not write the same item twice. */
  itemKeys(): string[] {
    return this.#writes.map(writeKey);
  }

  /** A new entity at version 1; fails the commit if it already exists. */
  create<K extends EntityKind>(kind: K, entity: Unsealed<Entities[K]>, audit: AuditEntry): Entities[K] {
    const { sealed, record } = firstVersion(kind, entity, audit);
    this.#writes.push({ op: 'create', kind, entity: sealed }, { op: 'audit', record });
    return sealed;
  }

  /**
   * New trades booked together. Each is created at version 1 as by `create`, but their first audit
   * records are written as one receipt item instead of one item each: a batch of n trades is n + 1
   * writes, not 2n. Each trade names the receipt, so its chain is still read and verified per trade.
   */
  createTrades(entries: ReadonlyArray<{ trade: Unsealed<Trade>; audit: AuditEntry }>): Trade[] {
    if (entries.length === 0) return [];
    const firsts = entries.map(({ trade, audit }) => firstVersion('trade', trade, audit));
    const records = firsts.map((f) => f.record);
    const receiptId = receiptIdOf(records);
    const sealed = firsts.map((f) => ({ ...f.sealed, auditReceipt: receiptId }));
    for (const entity of sealed) this.#writes.push({ op: 'create', kind: 'trade', entity });
    this.#writes.push({ op: 'receipt', receipt: { receiptId, records } });
    return sealed;
  }

  /** The next version of `current`; fails the commit if the stored version is no longer `current.version`. */
  update<K extends EntityKind>(
    kind: K,
    current: Entities[K],
    next: Unsealed<Entities[K]>,
    audit: AuditEntry,
  ): Entities[K] {
    const id = entityIdOf(kind, current);
    if (entityIdOf(kind, next) !== id) throw new Error(`update of ${kind} ${id} changes its id`);
    const seq = current.version + 1;
    const record = sealAuditRecord(current.auditHash, {
      entityId: id,
      seq,
      ...audit,
      stateHash: stateHashOf(next),
    });
    const sealed = { ...next, version: seq, auditHash: record.hash } as Entities[K];
    this.#writes.push(
      { op: 'update', kind, entity: sealed, expectedVersion: current.version, previous: current },
      { op: 'audit', record },
    );
    return sealed;
  }

  /** Create-only: a second commit of the same instruction id fails the transaction. */
  instruction(instruction: SettlementInstruction): void {
    this.#writes.push({ op: 'instruction', instruction });
  }

  /** Ends a live instruction (conditional on it still being NEW); see `instruction-lifecycle.ts`. */
  endInstruction(instructionId: string, status: 'CANCELLED' | 'REPLACED', end: InstructionEnd): void {
    this.#writes.push({ op: 'endInstruction', instructionId, status, end });
  }

  /** Create-only: an alert owed exactly once. */
  outbox(record: OutboxRecord): void {
    this.#writes.push({ op: 'outbox', record });
  }
}

/** A new entity at version 1 and its first audit record (the genesis of its chain). */
function firstVersion<K extends EntityKind>(
  kind: K,
  entity: Unsealed<Entities[K]>,
  audit: AuditEntry,
): { sealed: Entities[K]; record: AuditRecord } {
  const record = sealAuditRecord(GENESIS_HASH, {
    entityId: entityIdOf(kind, entity),
    seq: 1,
    ...audit,
    stateHash: stateHashOf(entity),
  });
  return { sealed: { ...entity, version: 1, auditHash: record.hash } as Entities[K], record };
}

/** `R|` and a digest of the records it holds: the same records always make the same receipt. */
function receiptIdOf(records: readonly AuditRecord[]): string {
  const digest = createHash('sha256');
  for (const r of records) digest.update(r.hash);
  return `R|${digest.digest('hex').slice(0, 32)}`;
}

export function entityIdOf(kind: EntityKind, entity: Unsealed<Entities[EntityKind]>): string {
  switch (kind) {
    case 'trade': {
      const t = entity as Unsealed<Trade>;
      return `${t.source}#${t.tradeId}`;
    }
    case 'match':
      return (entity as Unsealed<Match>).matchId;
    case 'exception':
      return (entity as Unsealed<SettlementException>).exceptionId;
  }
}

function writeKey(w: Write): string {
  switch (w.op) {
    case 'create':
    case 'update':
      return `${w.kind}:${entityIdOf(w.kind, w.entity)}`;
    case 'instruction':
      return `instruction:${w.instruction.instructionId}`;
    case 'endInstruction':
      return `instruction:${w.instructionId}`;
    case 'outbox':
      return `outbox:${w.record.outboxId}`;
    case 'audit':
      return `audit:${w.record.entityId}:${w.record.seq}`;
    case 'receipt':
      return `receipt:${w.receipt.receiptId}`;
  }
}
