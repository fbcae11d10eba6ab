import type {
  AuditRecord,
  ExceptionStatus,
  Match,
  OutboxRecord,
  SettlementException,
  SettlementInstruction,
  Trade,
} from '../model.ts';
import type { SettlementReport } from '../report.ts';
import type { ChangeSet } from './change-set.ts';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly cursor?: string;
}

/** Everything recorded for one trade date (optionally one desk): the input of reports. */
export interface DayRecords {
  readonly trades: readonly Trade[];
  readonly matches: readonly Match[];
  readonly exceptions: readonly SettlementException[];
  readonly instructions: readonly SettlementInstruction[];
}

export type CommitResult =
  | { readonly ok: true }
  /** A condition failed: someone else changed one of the items first. Nothing was written. */
  | { readonly ok: false; readonly reason: 'CONFLICT'; readonly message: string };

/**
 * The settlement store port. Every read is a GetItem or a Query on a key or index; every state
 * change goes through `commit`, one transaction conditional on the versions it was based on.
 */
export interface SettlementStore {
  getTrade(ref: string): Promise<Trade | undefined>;
  getTrades(refs: readonly string[]): Promise<Trade[]>;
  getMatch(matchId: string): Promise<Match | undefined>;
  getException(exceptionId: string): Promise<SettlementException | undefined>;
  getExceptions(exceptionIds: readonly string[]): Promise<SettlementException[]>;
  getInstruction(instructionId: string): Promise<SettlementInstruction | undefined>;
  /** Trades open to a counterpart in one level-1 block. */
  listBlock(blockKey: string): Promise<Trade[]>;
  listPendingReviews(options?: { limit?: number; cursor?: string }): Promise<Page<Match>>;
  listExceptionsByStatus(
    status: ExceptionStatus,
    options?: { deadlineBefore?: string; limit?: number; cursor?: string },
  ): Promise<Page<SettlementException>>;
  /** Exceptions whose next SLA point (warning or deadline) is at or before `now`. */
  listSlaDue(now: string, options?: { limit?: number; cursor?: string }): Promise<Page<SettlementException>>;
  /** Internal trades still without a counterparty record whose deadline is at or before `now`. */
  listMatchDue(now: string, options?: { limit?: number; cursor?: string }): Promise<Page<Trade>>;
  listDay(tradeDate: string, desk?: string): Promise<DayRecords>;
  /**
   * An entity's audit records in sequence. A trade's first record may be kept in an ingest receipt;
   * a caller already holding the trade passes it, so the store does not read it again to find out.
   */
  listAudit(entityId: string, trade?: Pick<Trade, 'auditReceipt'>): Promise<AuditRecord[]>;
  listPendingOutbox(options?: { limit?: number; cursor?: string }): Promise<Page<OutboxRecord>>;
  commit(changes: ChangeSet): Promise<CommitResult>;
  /** A stored report snapshot for a trade date and scope (`*`, a desk, or a sorted desk list). */
  getReportSnapshot(tradeDate: string, scope: string): Promise<SettlementReport | undefined>;
  /** Stores a report snapshot (kept 7 days); the newest write wins. */
  putReportSnapshot(tradeDate: string, scope: string, report: SettlementReport): Promise<void>;
  /** Marks an alert delivered (once: false if it was not pending any more). */
  markOutboxDelivered(
    outboxId: string,
    delivery: Readonly<Record<string, string>>,
    at: string,
  ): Promise<boolean>;
  /**
   * Every audited entity, settlement instruction and audit record, for `audit verify` and audit
   * digests over the whole store.
   * An administrative full read (a Scan), never used on a hot path.
   */
  scanAuditData(): AsyncGenerator<AuditScanItem>;
}

/** An audited entity as stored. */
export type AuditedEntity =
  | { readonly entityKind: 'trade'; readonly entity: Trade }
  | { readonly entityKind: 'match'; readonly entity: Match }
  | { readonly entityKind: 'exception'; readonly entity: SettlementException };

export type AuditScanItem =
  | ({ readonly kind: 'entity'; readonly entityId: string } & AuditedEntity)
  /** An entity item that no longer parses: its chain head as far as it can be read, and why. */
  | {
      readonly kind: 'malformedEntity';
      readonly entityId: string;
      readonly seq: number;
      readonly hash: string;
      readonly problem: string;
    }
  | { readonly kind: 'instruction'; readonly instruction: SettlementInstruction }
  | { readonly kind: 'record'; readonly record: AuditRecord }
  /** A stored audit item that is not a valid record (edited into another shape): reported, never skipped. */
  | { readonly kind: 'malformed'; readonly entityId: string; readonly problem: string };
