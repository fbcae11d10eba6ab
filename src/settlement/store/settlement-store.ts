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

/**
 * A stored item a listing met but could not read (it fails its schema: edited, or written by an older
 * version without today's bounds). Listings report it and carry on: no single item takes one down.
 */
export interface UnreadableRecord {
  /** The record's id (trade ref, match id, exception id, …) or, failing that, its key. */
  readonly id: string;
  readonly itemType: string;
  /** What is wrong, field by field. */
  readonly problem: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly cursor?: string;
  /** Items of this page that could not be read (present only when there are some). */
  readonly unreadable?: readonly UnreadableRecord[];
}

/** Everything recorded for one trade date (optionally one desk): the input of reports. */
export interface DayRecords {
  readonly trades: readonly Trade[];
  readonly matches: readonly Match[];
  readonly exceptions: readonly SettlementException[];
  readonly instructions: readonly SettlementInstruction[];
  /** Items of the day that could not be read (present only when there are some). */
  readonly unreadable?: readonly UnreadableRecord[];
}

/**
 * Part of a trade date, read through the day index with the filtering done by the store, so a
 * question about a few records does not carry the whole day over the wire.
 */
export interface DayQuery {
  /** One desk (narrows the key condition); every desk when absent. */
  readonly desk?: string;
  /** Trades wanted, with equality filters (a BIC prefix of 8 matches every branch); none when absent. */
  readonly trades?: {
    readonly isin?: string;
    readonly counterpartyBicPrefix?: string;
    readonly status?: Trade['status'];
    readonly source?: Trade['source'];
  };
  /** Every exception of the day when true; none otherwise. */
  readonly exceptions?: boolean;
}

/** The longest range of trade dates `searchTradeHeaders` takes. */
export const MAX_SEARCH_DAYS = 31;

/** What a search needs of every trade it finds: enough to filter, count and order them. */
export type TradeHeader = Pick<
  Trade,
  'source' | 'tradeId' | 'tradeDate' | 'desk' | 'isin' | 'counterpartyBic' | 'status'
>;

export type CommitResult =
  | { readonly ok: true }
  /** A condition failed: someone else changed one of the items first. Nothing was written. */
  | { readonly ok: false; readonly reason: 'CONFLICT'; readonly message: string };

/**
 * The settlement store port. Every read is a GetItem or a Query on a key or index; every state
 * change goes through `commit`, one transaction conditional on the versions it was based on.
 */
/** The outcome of claiming an outbox record: held now by the caller, or by `heldBy` (none if delivered). */
export type OutboxClaim =
  | { readonly claimed: true }
  | { readonly claimed: false; readonly heldBy: string | undefined };

export interface SettlementStore {
  getTrade(ref: string): Promise<Trade | undefined>;
  getTrades(refs: readonly string[]): Promise<Trade[]>;
  getMatch(matchId: string): Promise<Match | undefined>;
  getException(exceptionId: string): Promise<SettlementException | undefined>;
  getExceptions(exceptionIds: readonly string[]): Promise<SettlementException[]>;
  getInstruction(instructionId: string): Promise<SettlementInstruction | undefined>;
  /**
   * The chain head an audited item outside the settlement model records (a directory entry,
   * `PRINCIPAL#<id>`): its version and latest audit hash, read by key.
   */
  auditHeadOf(entityId: string): Promise<{ readonly seq: number; readonly hash: string } | undefined>;
  /** Trades open to a counterpart in one level-1 block (a trade that cannot be read is left out). */
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
  /** Counterparty records still unmatched whose deadline is at or before `now` (orphans), oldest first. */
  listOrphansDue(now: string, options?: { limit?: number; cursor?: string }): Promise<Page<Trade>>;
  /**
   * Open counterparty records of one near-miss group (firm and quantity, `nearMissKey`) whose trade
   * date lies in `[fromDate, toDate]`: one index query.
   */
  listNearMisses(key: string, fromDate: string, toDate: string): Promise<Trade[]>;
  /**
   * Everything of a trade date (optionally one desk), one Query per desk and kind of record on the day
   * index. `instructions: false` leaves the settlement instructions out (reports do not need them).
   */
  listDay(
    tradeDate: string,
    desk?: string,
    options?: { readonly instructions?: boolean },
  ): Promise<DayRecords>;
  /**
   * The trades and/or exceptions of a trade date that pass the query's filters, each through the
   * narrowest key: a search by ISIN or counterparty firm through the trade index (when complete), unmatched
   * trades through the due lists, exceptions through the day index narrowed to exceptions by key.
   */
  queryDay(tradeDate: string, query: DayQuery): Promise<DayRecords>;
  /**
   * As `queryDay` for trades, but only each trade's header: a search counts hundreds of trades and
   * shows a few, which it then reads in full with `getTrades`.
   */
  queryDayTradeHeaders(
    tradeDate: string,
    desk: string | undefined,
    filters: NonNullable<DayQuery['trades']>,
  ): Promise<TradeHeader[]>;
  /**
   * The headers of the trades filed under an ISIN or a counterparty firm (`filters` must name one)
   * whose trade date lies in `[fromDate, toDate]`, newest trade date first, of `desks` only when given:
   * one Query on the undated trade index, whatever the number of dates; the desks narrow it before
   * anything is returned. Until the index is complete, one read per date of the range (at most
   * `MAX_SEARCH_DAYS`). Every filter is checked again on the trades read.
   */
  searchTradeHeaders(
    filters: NonNullable<DayQuery['trades']>,
    range: { readonly fromDate: string; readonly toDate: string; readonly desks?: readonly string[] },
  ): Promise<TradeHeader[]>;
  /**
   * True once every trade has its trade-index entry, dated and undated keys: always for a table
   * created by this version; for an older table, once `backfillTradeIndex` has run. Until then,
   * searches read the trade date (or, for the dated keys alone, use them when an earlier version
   * completed them).
   */
  tradeIndexComplete(): Promise<boolean>;
  /**
   * Gives every trade stored before the trade index (or before its undated keys) its entry, never
   * overwriting a current one, then marks the index complete. Idempotent; a Scan, so run once when a data directory from before is opened.
   * Returns how many entries it wrote (0 when the index was complete already).
   */
  backfillTradeIndex(): Promise<number>;
  /** True when the desk has anything on that trade date (one Query on the day index, at most one item read). */
  hasDeskDay(tradeDate: string, desk: string): Promise<boolean>;
  /**
   * An entity's audit records in sequence. A trade's first record may be kept in an ingest receipt;
   * a caller already holding the trade passes it, so the store does not read it again to find out.
   */
  listAudit(entityId: string, trade?: Pick<Trade, 'auditReceipt'>): Promise<AuditRecord[]>;
  listPendingOutbox(options?: { limit?: number; cursor?: string }): Promise<Page<OutboxRecord>>;
  /** One outbox record, pending or delivered (the notifier finds the message an update belongs to). */
  getOutbox(outboxId: string): Promise<OutboxRecord | undefined>;
  commit(changes: ChangeSet): Promise<CommitResult>;
  /** A stored report snapshot for a trade date and scope (`*`, a desk, or a sorted desk list). */
  getReportSnapshot(tradeDate: string, scope: string): Promise<SettlementReport | undefined>;
  /** Stores a report snapshot (kept 7 days); the newest write wins. */
  putReportSnapshot(tradeDate: string, scope: string, report: SettlementReport): Promise<void>;
  /**
   * Claims a pending outbox record for one notifier until `until` (a lease): claimed only if it is
   * still pending and nobody else holds an unexpired claim — or the claim is `takeOverFrom`'s, a
   * claimant known to be dead. Two notifiers over one outbox then post each record once; a claim left
   * by a crash expires (or is taken over) and the record is taken again. Not claimed: who holds it.
   */
  claimOutbox(
    outboxId: string,
    claimant: string,
    lease: { readonly until: string; readonly at: string; readonly takeOverFrom?: string },
  ): Promise<OutboxClaim>;
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
  /** An audited entity whose chain is checked but whose fields are not bound to it (directory entries). */
  | { readonly kind: 'head'; readonly entityId: string; readonly seq: number; readonly hash: string }
  | { readonly kind: 'instruction'; readonly instruction: SettlementInstruction }
  | { readonly kind: 'record'; readonly record: AuditRecord }
  /** A stored audit item that is not a valid record (edited into another shape): reported, never skipped. */
  | { readonly kind: 'malformed'; readonly entityId: string; readonly problem: string };
