import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { z } from 'zod';
import { fullJitterDelay, realSleep } from '../../retry.ts';
import { describeMalformedRecord } from '../audit-chain.ts';
import { shiftDays } from '../calendar.ts';
import { type ChainKey, recordMacMessage } from '../chain-key.ts';
import {
  AuditReceipt,
  AuditRecord,
  type ExceptionStatus,
  Match,
  OutboxRecord,
  SettlementException,
  SettlementInstruction,
  Trade,
  TradeSource,
  TradeStatus,
} from '../model.ts';
import type { SettlementReport } from '../report.ts';
import type { ChangeSet, Entities, EntityKind, Write } from './change-set.ts';
import {
  auditItem,
  exceptionItem,
  type Item,
  instructionItem,
  keys,
  matchItem,
  outboxItem,
  parseItem,
  ROOT_SK,
  receiptItem,
  tradeItem,
  tryParseItem,
  withoutStorage,
} from './items.ts';
import type {
  AuditScanItem,
  CommitResult,
  DayQuery,
  DayRecords,
  OutboxClaim,
  Page,
  SettlementStore,
  TradeHeader,
  UnreadableRecord,
} from './settlement-store.ts';
import { MAX_SEARCH_DAYS } from './settlement-store.ts';
import { type IndexName, TTL_ATTRIBUTE } from './table.ts';
import {
  type IndexedTradeFields,
  TRADE_INDEX_VERSION,
  tradeIndexItem,
  tradeIndexKeys,
  tradeIndexMoves,
} from './trade-index.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const MAX_TRANSACTION_ITEMS = 100;
const REPORT_TTL_SECONDS = 7 * 24 * 3600;
const BATCH_GET_LIMIT = 100;
const BACKFILL_CONCURRENCY = 16;
/** The most values a filter's `IN` takes (a longer desk list is checked on the trades read only). */
const MAX_FILTER_VALUES = 100;
/** The kinds of the day index's sort keys (`<desk>#<kind>#<id>`), in their sort order. */
const DAY_KINDS = ['EXC', 'MATCH', 'SI', 'TRADE'] as const;

export interface DynamoDbSettlementStoreOptions {
  /**
   * Signs every audit record written (HMAC of its hash) with a key the table does not hold. Without
   * it records are written unkeyed, and `audit verify` reports them as such.
   */
  readonly chainKey?: ChainKey;
}

/** The settlement store on DynamoDB (`@aws-sdk/lib-dynamodb`), one table with sparse indexes. */
export class DynamoDbSettlementStore implements SettlementStore {
  readonly #chainKey: ChainKey | undefined;
  /**
   * The trade index's completeness as last read: 0 none, 1 the dated keys (a table indexed by the
   * version before), `TRADE_INDEX_VERSION` every key. Only ever rises (every write maintains the index).
   */
  #indexVersion = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbSettlementStoreOptions = {},
  ) {
    this.#chainKey = options.chainKey;
  }

  async getTrade(ref: string): Promise<Trade | undefined> {
    const item = await this.#get(keys.trade(ref));
    return item === undefined ? undefined : parseItem.trade(item);
  }

  async getTrades(refs: readonly string[]): Promise<Trade[]> {
    const items = await this.#batchGet(refs.map((r) => keys.trade(r)));
    return items.map(parseItem.trade);
  }

  /** Trades by ref, only their headers (a projection: a search counts many and shows a few). */
  async #getTradeHeaders(refs: readonly string[]): Promise<TradeHeader[]> {
    const items = await this.#batchGet(
      refs.map((r) => keys.trade(r)),
      HEADER_FIELDS,
    );
    return items.map(tradeHeaderOf);
  }

  async getMatch(matchId: string): Promise<Match | undefined> {
    const item = await this.#get(keys.match(matchId));
    return item === undefined ? undefined : parseItem.match(item);
  }

  async getOutbox(outboxId: string): Promise<OutboxRecord | undefined> {
    const item = await this.#get(keys.outbox(outboxId));
    return item === undefined ? undefined : parseItem.outbox(item);
  }

  async getException(exceptionId: string): Promise<SettlementException | undefined> {
    const item = await this.#get(keys.exception(exceptionId));
    return item === undefined ? undefined : parseItem.exception(item);
  }

  async getExceptions(exceptionIds: readonly string[]): Promise<SettlementException[]> {
    const items = await this.#batchGet(exceptionIds.map((id) => keys.exception(id)));
    return items.map(parseItem.exception);
  }

  async getInstruction(instructionId: string): Promise<SettlementInstruction | undefined> {
    const item = await this.#get(keys.instruction(instructionId));
    return item === undefined ? undefined : parseItem.instruction(item);
  }

  async auditHeadOf(entityId: string): Promise<{ readonly seq: number; readonly hash: string } | undefined> {
    const item = await this.#get({ pk: entityId, sk: ROOT_SK });
    if (item === undefined || typeof item.version !== 'number' || typeof item.auditHash !== 'string')
      return undefined;
    return { seq: item.version, hash: item.auditHash };
  }

  async listBlock(blockKey: string): Promise<Trade[]> {
    const items = await this.#queryAll('byBlock', keys.block(blockKey));
    // A trade that cannot be read cannot be matched either: the rest of its block still is.
    return readAll(Trade, items).records;
  }

  async listPendingReviews(options: { limit?: number; cursor?: string } = {}): Promise<Page<Match>> {
    return this.#page('byQueue', keys.queue.reviews, undefined, options, Match);
  }

  async listExceptionsByStatus(
    status: ExceptionStatus,
    options: { deadlineBefore?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<SettlementException>> {
    return this.#page(
      'byQueue',
      keys.queue.exceptions(status),
      options.deadlineBefore,
      options,
      SettlementException,
    );
  }

  async listSlaDue(
    now: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<SettlementException>> {
    return this.#page('byDue', keys.due.sla, now, options, SettlementException);
  }

  async listMatchDue(now: string, options: { limit?: number; cursor?: string } = {}): Promise<Page<Trade>> {
    return this.#page('byDue', keys.due.match, now, options, Trade);
  }

  async listOrphansDue(now: string, options: { limit?: number; cursor?: string } = {}): Promise<Page<Trade>> {
    return this.#page('byDue', keys.due.orphan, now, options, Trade);
  }

  async listNearMisses(key: string, fromDate: string, toDate: string): Promise<Trade[]> {
    const out: Trade[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byQueue',
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': 'byQueuePk', '#sk': 'byQueueSk' },
          ExpressionAttributeValues: { ':pk': keys.near(key), ':from': fromDate, ':to': `${toDate}#\uffff` },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map(parseItem.trade));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  async listDay(
    tradeDate: string,
    desk?: string,
    options: { readonly instructions?: boolean } = {},
  ): Promise<DayRecords> {
    // One Query per desk and kind, all at once: the engine reads the segments side by side, and the
    // instructions (a quarter of the day) are not read unless wanted.
    const desks = desk === undefined ? await this.#dayDesks(tradeDate) : [desk];
    const kinds = options.instructions === false ? DAY_KINDS.filter((k) => k !== 'SI') : DAY_KINDS;
    const segments = await Promise.all(
      desks.flatMap((d) => kinds.map((k) => this.#queryAll('byDay', keys.day(tradeDate), `${d}#${k}#`))),
    );
    const items = segments.flat();
    const trades: Trade[] = [];
    const matches: Match[] = [];
    const exceptions: SettlementException[] = [];
    const instructions: SettlementInstruction[] = [];
    const unreadable: UnreadableRecord[] = [];
    // One item that fails its schema is reported and the rest of the day is still read.
    const add = <T>(schema: z.ZodType<T>, item: Item, into: T[]) => {
      const parsed = tryParseItem(schema, item);
      if (parsed.ok) into.push(parsed.record);
      else unreadable.push(parsed.unreadable);
    };
    for (const item of items) {
      switch (item.itemType) {
        case 'TRADE':
          add(Trade, item, trades);
          break;
        case 'MATCH':
          add(Match, item, matches);
          break;
        case 'EXCEPTION':
          add(SettlementException, item, exceptions);
          break;
        case 'INSTRUCTION':
          add(SettlementInstruction, item, instructions);
          break;
      }
    }
    return {
      trades,
      matches,
      exceptions,
      instructions,
      ...(unreadable.length === 0 ? {} : { unreadable }),
    };
  }

  async queryDay(tradeDate: string, query: DayQuery): Promise<DayRecords> {
    const [trades, exceptions] = await Promise.all([
      query.trades === undefined ? [] : this.#dayTrades(tradeDate, query.desk, query.trades, false),
      query.exceptions === true ? this.#dayExceptions(tradeDate, query.desk) : [],
    ]);
    return { trades, matches: [], exceptions, instructions: [] };
  }

  /**
   * The trades of a date passing the filters, through the narrowest key: the trade index for an
   * ISIN or a firm, the due lists for unmatched trades, otherwise the day (one desk's trades when a
   * desk is given). Whatever the path, every filter is checked again on the trades read.
   */
  async queryDayTradeHeaders(
    tradeDate: string,
    desk: string | undefined,
    filters: NonNullable<DayQuery['trades']>,
  ): Promise<TradeHeader[]> {
    return this.#dayTrades(tradeDate, desk, filters, true);
  }

  async searchTradeHeaders(
    filters: NonNullable<DayQuery['trades']>,
    range: { readonly fromDate: string; readonly toDate: string; readonly desks?: readonly string[] },
  ): Promise<TradeHeader[]> {
    const { isin, counterpartyBicPrefix: bic } = filters;
    if (isin === undefined && bic === undefined)
      throw new RangeError('a search over several trade dates needs an isin or a counterpartyBicPrefix');
    const { fromDate, toDate, desks } = range;
    const days = datesFrom(fromDate, toDate);
    if (days.length > MAX_SEARCH_DAYS)
      throw new RangeError(
        `a search covers at most ${MAX_SEARCH_DAYS} trade dates (${fromDate} to ${toDate})`,
      );
    if (days.length === 0 || desks?.length === 0) return [];
    const keep = (t: TradeHeader) =>
      t.tradeDate >= fromDate &&
      t.tradeDate <= toDate &&
      (desks === undefined || desks.includes(t.desk)) &&
      (isin === undefined || t.isin === isin) &&
      (bic === undefined || t.counterpartyBic.startsWith(bic)) &&
      (filters.status === undefined || t.status === filters.status) &&
      (filters.source === undefined || t.source === filters.source);
    const newestFirst = (a: TradeHeader, b: TradeHeader) =>
      b.tradeDate.localeCompare(a.tradeDate) ||
      `${a.source}#${a.tradeId}`.localeCompare(`${b.source}#${b.tradeId}`);
    if ((await this.#tradeIndexVersion()) < TRADE_INDEX_VERSION) {
      // Not indexed yet (a table from before, until its backfill): each date as a day's search does.
      const found = await Promise.all(
        days.flatMap((d) => (desks ?? [undefined]).map((desk) => this.#dayTrades(d, desk, filters, true))),
      );
      return found.flat().filter(keep).sort(newestFirst);
    }
    const [index, pk]: [IndexName, string] =
      isin !== undefined
        ? ['byDay', tradeIndexKeys.isinUndated(isin)]
        : ['byDue', tradeIndexKeys.bicFirmUndated(bic ?? '')];
    const names: Record<string, string> = { '#pk': `${index}Pk`, '#sk': `${index}Sk`, '#ref': 'ref' };
    const values: Record<string, unknown> = { ':pk': pk, ':from': `${fromDate}#`, ':to': `${toDate}#\uffff` };
    let filter: string | undefined;
    if (desks !== undefined && desks.length <= MAX_FILTER_VALUES) {
      // Entries of other desks stay in the engine: not returned, not counted.
      names['#desk'] = 'desk';
      desks.forEach((d, i) => {
        values[`:d${i}`] = d;
      });
      filter = `#desk IN (${desks.map((_, i) => `:d${i}`).join(', ')})`;
    }
    const refs: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ...(filter === undefined ? {} : { FilterExpression: filter }),
          ProjectionExpression: '#ref',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) if (typeof item.ref === 'string') refs.push(item.ref);
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return (await this.#getTradeHeaders(refs)).filter(keep).sort(newestFirst);
  }

  async #dayTrades(
    tradeDate: string,
    desk: string | undefined,
    filters: NonNullable<DayQuery['trades']>,
    headersOnly: false,
  ): Promise<Trade[]>;
  async #dayTrades(
    tradeDate: string,
    desk: string | undefined,
    filters: NonNullable<DayQuery['trades']>,
    headersOnly: boolean,
  ): Promise<TradeHeader[]>;
  async #dayTrades(
    tradeDate: string,
    desk: string | undefined,
    filters: NonNullable<DayQuery['trades']>,
    headersOnly: boolean,
  ): Promise<TradeHeader[]> {
    const keep = (t: TradeHeader) =>
      t.tradeDate === tradeDate &&
      (desk === undefined || t.desk === desk) &&
      (filters.isin === undefined || t.isin === filters.isin) &&
      (filters.counterpartyBicPrefix === undefined ||
        t.counterpartyBic.startsWith(filters.counterpartyBicPrefix)) &&
      (filters.status === undefined || t.status === filters.status) &&
      (filters.source === undefined || t.source === filters.source);
    const prefix = desk === undefined ? undefined : `${desk}#`;
    if (
      (filters.isin !== undefined || filters.counterpartyBicPrefix !== undefined) &&
      (await this.#tradeIndexVersion()) >= 1
    ) {
      const [index, pk]: [IndexName, string] =
        filters.isin !== undefined
          ? ['byBlock', tradeIndexKeys.isin(tradeDate, filters.isin)]
          : ['byQueue', tradeIndexKeys.bicFirm(tradeDate, filters.counterpartyBicPrefix ?? '')];
      const entries = await this.#queryAll(index, pk, prefix, ['ref']);
      const refs = entries.map((e) => e.ref).filter((r): r is string => typeof r === 'string');
      const found = headersOnly ? await this.#getTradeHeaders(refs) : await this.getTrades(refs);
      return found.filter(keep);
    }
    // A search that counts reads only each trade's header (the engine projects it; no full parse).
    const projection = headersOnly ? HEADER_FIELDS : undefined;
    const read: (item: Item) => TradeHeader = headersOnly ? tradeHeaderOf : parseItem.trade;
    if (filters.status === 'UNMATCHED') {
      // Unmatched trades are exactly the due lists: ours waiting for a record, their records orphaned.
      const lists =
        filters.source === 'INTERNAL'
          ? [keys.due.match]
          : filters.source === 'COUNTERPARTY'
            ? [keys.due.orphan]
            : [keys.due.match, keys.due.orphan];
      const found = await Promise.all(
        lists.map((pk) =>
          this.#queryAll('byDue', pk, undefined, projection, {
            expression: '#td = :td',
            names: { '#td': 'tradeDate' },
            values: { ':td': tradeDate },
          }),
        ),
      );
      return found.flat().map(read).filter(keep);
    }
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const conditions: string[] = [];
    const eq = (attr: string, value: string | undefined) => {
      if (value === undefined) return;
      names[`#${attr}`] = attr;
      values[`:${attr}`] = value;
      conditions.push(`#${attr} = :${attr}`);
    };
    eq('isin', filters.isin);
    eq('status', filters.status);
    eq('source', filters.source);
    if (filters.counterpartyBicPrefix !== undefined) {
      names['#bic'] = 'counterpartyBic';
      values[':bic'] = filters.counterpartyBicPrefix;
      conditions.push('begins_with(#bic, :bic)');
    }
    const desks = desk === undefined ? await this.#dayDesks(tradeDate) : [desk];
    const found = await Promise.all(
      desks.map((d) =>
        this.#queryAll(
          'byDay',
          keys.day(tradeDate),
          `${d}#TRADE#`,
          projection,
          conditions.length === 0 ? undefined : { expression: conditions.join(' AND '), names, values },
        ),
      ),
    );
    return found.flat().map(read).filter(keep);
  }

  /** Every exception of a date: one Query per desk on the day index, narrowed to exceptions by key. */
  async #dayExceptions(tradeDate: string, desk: string | undefined): Promise<SettlementException[]> {
    const desks = desk === undefined ? await this.#dayDesks(tradeDate) : [desk];
    const found = await Promise.all(
      desks.map((d) => this.#queryAll('byDay', keys.day(tradeDate), `${d}#EXC#`)),
    );
    return found.flat().map(parseItem.exception);
  }

  /**
   * The desks with anything on a date, in order: a skip scan of the day index, one single-item
   * Query per desk (sort keys start with `<desk>#`, and a desk holds no character below `#`).
   */
  async #dayDesks(tradeDate: string): Promise<string[]> {
    const desks: string[] = [];
    let after: string | undefined;
    for (;;) {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byDay',
          KeyConditionExpression: after === undefined ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
          ExpressionAttributeNames: { '#pk': 'byDayPk', '#sk': 'byDaySk' },
          ExpressionAttributeValues: {
            ':pk': keys.day(tradeDate),
            ...(after === undefined ? {} : { ':after': after }),
          },
          ProjectionExpression: '#sk',
          Limit: 1,
        }),
      );
      const sk = out.Items?.[0]?.byDaySk;
      if (typeof sk !== 'string') return desks;
      const desk = sk.slice(0, Math.max(0, sk.indexOf('#')));
      desks.push(desk);
      after = `${desk}#\uffff`;
    }
  }

  async tradeIndexComplete(): Promise<boolean> {
    return (await this.#tradeIndexVersion()) >= TRADE_INDEX_VERSION;
  }

  async #tradeIndexVersion(): Promise<number> {
    if (this.#indexVersion >= TRADE_INDEX_VERSION) return this.#indexVersion;
    const marker = await this.#get(tradeIndexKeys.complete);
    // A marker from before the undated keys has no version: it vouches for the dated keys only.
    const version = marker === undefined ? 0 : typeof marker.version === 'number' ? marker.version : 1;
    this.#indexVersion = Math.max(this.#indexVersion, version);
    return this.#indexVersion;
  }

  /**
   * Records that every trade of the table has its index item, without a backfill: for a table that
   * infrastructure created empty (it has written current index items from the first trade). A table
   * marked by an older index version keeps its mark (its trades lack the newer keys, and searches read
   * day by day until it is backfilled, which needs a Scan the deployed roles do not have). True when
   * the table is marked current. Idempotent; a GetItem when the mark is there.
   */
  async markTradeIndexComplete(by: string): Promise<boolean> {
    if (await this.tradeIndexComplete()) return true;
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...tradeIndexKeys.complete,
            itemType: 'META',
            completedBy: by,
            version: TRADE_INDEX_VERSION,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      this.#indexVersion = TRADE_INDEX_VERSION;
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return false;
    }
  }

  async backfillTradeIndex(): Promise<number> {
    if (await this.tradeIndexComplete()) return 0;
    let written = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'itemType = :t',
          ProjectionExpression: '#src, tradeId, tradeDate, desk, isin, counterpartyBic',
          ExpressionAttributeNames: { '#src': 'source' },
          ExpressionAttributeValues: { ':t': 'TRADE' },
          ExclusiveStartKey: start,
        }),
      );
      const trades = (out.Items ?? []).filter(isIndexable);
      for (let i = 0; i < trades.length; i += BACKFILL_CONCURRENCY) {
        const done = await Promise.all(
          trades.slice(i, i + BACKFILL_CONCURRENCY).map((t) => this.#putMissingIndex(t)),
        );
        written += done.filter(Boolean).length;
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...tradeIndexKeys.complete,
          itemType: 'META',
          completedBy: 'backfill',
          version: TRADE_INDEX_VERSION,
        },
      }),
    );
    this.#indexVersion = TRADE_INDEX_VERSION;
    return written;
  }

  /**
   * Writes a trade's index item unless it has a current one (with its undated keys): an amendment
   * committed meanwhile wrote a newer one, which the backfill's older reading must not overwrite. An
   * item of the version before (dated keys only) is replaced.
   */
  async #putMissingIndex(t: IndexedTradeFields): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: tradeIndexItem(t),
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(byDuePk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async hasDeskDay(tradeDate: string, desk: string): Promise<boolean> {
    const out = await this.doc.send(
      new QueryCommand({
        ...this.#queryInput('byDay', keys.day(tradeDate), undefined, `${desk}#`),
        Limit: 1,
        ProjectionExpression: 'pk',
      }),
    );
    return (out.Items ?? []).length > 0;
  }

  async listAudit(entityId: string, trade?: Pick<Trade, 'auditReceipt'>): Promise<AuditRecord[]> {
    const [items, fromReceipt] = await Promise.all([
      this.#queryAll(undefined, keys.auditPartition(entityId)),
      this.#receiptRecordOf(entityId, trade),
    ]);
    const records = items.map(parseItem.audit);
    // A trade booked in a batch keeps its first record in the batch's receipt.
    return fromReceipt === undefined ? records : [fromReceipt, ...records];
  }

  /** A trade's first audit record, if it is kept in an ingest receipt (the trade names it). */
  async #receiptRecordOf(
    entityId: string,
    trade: Pick<Trade, 'auditReceipt'> | undefined,
  ): Promise<AuditRecord | undefined> {
    if (!TradeSource.options.some((source) => entityId.startsWith(`${source}#`))) return undefined;
    const receiptId =
      trade !== undefined
        ? trade.auditReceipt
        : (
            await this.doc.send(
              new GetCommand({
                TableName: this.tableName,
                Key: keys.trade(entityId),
                ConsistentRead: true,
                ProjectionExpression: 'auditReceipt',
              }),
            )
          ).Item?.auditReceipt;
    if (typeof receiptId !== 'string') return undefined;
    const receipt = await this.#get(keys.receipt(receiptId));
    return receipt === undefined
      ? undefined
      : parseItem.receipt(receipt).records.find((r) => r.entityId === entityId);
  }

  async listPendingOutbox(options: { limit?: number; cursor?: string } = {}): Promise<Page<OutboxRecord>> {
    return this.#page('byQueue', keys.queue.outboxPending, undefined, options, OutboxRecord);
  }

  async commit(changes: ChangeSet): Promise<CommitResult> {
    const writes =
      this.#chainKey === undefined ? changes.writes : await signed(changes.writes, this.#chainKey);
    // A write may bring derived items (the trade index); `owners` maps each item back to its write.
    const items: TransactItem[] = [];
    const owners: number[] = [];
    writes.forEach((w, i) => {
      for (const item of this.#transactItems(w)) {
        items.push(item);
        owners.push(i);
      }
    });
    if (items.length === 0) return { ok: true };
    if (items.length > MAX_TRANSACTION_ITEMS) {
      throw new Error(
        `a change set of ${items.length} writes exceeds DynamoDB's ${MAX_TRANSACTION_ITEMS}-item transaction`,
      );
    }
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { ok: true };
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        if (reasons.includes('ConditionalCheckFailed')) {
          const failed = reasons
            .map((code, i) =>
              code === 'ConditionalCheckFailed' ? describeWrite(changes.writes[owners[i] ?? -1]) : undefined,
            )
            .filter((d) => d !== undefined);
          return { ok: false, reason: 'CONFLICT', message: `changed concurrently: ${failed.join(', ')}` };
        }
        if (reasons.includes('TransactionConflict')) {
          return { ok: false, reason: 'CONFLICT', message: 'another transaction was writing the same items' };
        }
      }
      throw error;
    }
  }

  async getReportSnapshot(tradeDate: string, scope: string): Promise<SettlementReport | undefined> {
    const item = await this.#get(keys.report(tradeDate, scope));
    if (item === undefined || typeof item.reportJson !== 'string') return undefined;
    const report = JSON.parse(item.reportJson) as SettlementReport;
    return report.tradeDate === tradeDate ? report : undefined;
  }

  async putReportSnapshot(tradeDate: string, scope: string, report: SettlementReport): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.report(tradeDate, scope),
          itemType: 'REPORT',
          generatedAt: report.generatedAt,
          reportJson: JSON.stringify(report),
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(report.generatedAt) / 1000) + REPORT_TTL_SECONDS,
        },
      }),
    );
  }

  async claimOutbox(
    outboxId: string,
    claimant: string,
    lease: { readonly until: string; readonly at: string; readonly takeOverFrom?: string },
  ): Promise<OutboxClaim> {
    const { until, at, takeOverFrom } = lease;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outbox(outboxId),
          UpdateExpression: 'SET claimedBy = :who, claimedUntil = :until',
          ConditionExpression:
            '#s = :pending AND (attribute_not_exists(claimedUntil) OR claimedUntil < :at OR claimedBy = :who' +
            (takeOverFrom === undefined ? ')' : ' OR claimedBy = :dead)'),
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':who': claimant,
            ':until': until,
            ':at': at,
            ':pending': 'PENDING',
            ...(takeOverFrom === undefined ? {} : { ':dead': takeOverFrom }),
          },
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const held = await this.#get(keys.outbox(outboxId));
      const by = held?.status === 'PENDING' ? held.claimedBy : undefined;
      return { claimed: false, heldBy: typeof by === 'string' ? by : undefined };
    }
  }

  async markOutboxDelivered(
    outboxId: string,
    delivery: Readonly<Record<string, string>>,
    at: string,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.outbox(outboxId),
          UpdateExpression:
            'SET #s = :delivered, deliveredAt = :at, delivery = :d REMOVE byQueuePk, byQueueSk',
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':delivered': 'DELIVERED',
            ':pending': 'PENDING',
            ':at': at,
            ':d': delivery,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async *scanAuditData(): AsyncGenerator<AuditScanItem> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'itemType IN (:t, :m, :e, :a, :r, :i, :p)',
          ExpressionAttributeValues: {
            // Directory entries (src/identity) are audited entities of this table too.
            ':p': 'PRINCIPAL',
            ':t': 'TRADE',
            ':m': 'MATCH',
            ':e': 'EXCEPTION',
            ':a': 'AUDIT',
            ':r': 'RECEIPT',
            ':i': 'INSTRUCTION',
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) yield* scanItemsOf(item);
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }

  #transactItems(w: Write): TransactItem[] {
    const item = this.#transactItem(w);
    if ((w.op === 'create' || w.op === 'update') && w.kind === 'trade') {
      const trade = w.entity as Trade;
      if (w.op === 'create' || tradeIndexMoves(w.previous as Trade, trade))
        return [item, { Put: { TableName: this.tableName, Item: tradeIndexItem(trade) } }];
    }
    return [item];
  }

  #transactItem(w: Write): TransactItem {
    const TableName = this.tableName;
    switch (w.op) {
      case 'create':
        return {
          Put: {
            TableName,
            Item: entityItem(w.kind, w.entity),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
      case 'update':
        return {
          Put: {
            TableName,
            Item: entityItem(w.kind, w.entity),
            ConditionExpression: '#v = :expected',
            ExpressionAttributeNames: { '#v': 'version' },
            ExpressionAttributeValues: { ':expected': w.expectedVersion },
          },
        };
      case 'instruction':
        return {
          Put: {
            TableName,
            Item: instructionItem(w.instruction),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
      case 'endInstruction':
        return {
          Update: {
            TableName,
            Key: keys.instruction(w.instructionId),
            UpdateExpression: 'SET #s = :status, cancellation = :end',
            // Instructions from before the lifecycle carry no status: they are live.
            ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(#s) OR #s = :new)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':status': w.status, ':end': w.end, ':new': 'NEW' },
          },
        };
      case 'outbox':
        return {
          Put: { TableName, Item: outboxItem(w.record), ConditionExpression: 'attribute_not_exists(pk)' },
        };
      case 'audit':
        return {
          Put: { TableName, Item: auditItem(w.record), ConditionExpression: 'attribute_not_exists(pk)' },
        };
      case 'receipt':
        return {
          Put: { TableName, Item: receiptItem(w.receipt), ConditionExpression: 'attribute_not_exists(pk)' },
        };
    }
  }

  async #get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  async #batchGet(
    keyList: ReadonlyArray<{ pk: string; sk: string }>,
    projection?: readonly string[],
  ): Promise<Item[]> {
    const unique = [...new Map(keyList.map((k) => [`${k.pk}\u0000${k.sk}`, k])).values()];
    const chunks: Array<Array<Record<string, unknown>>> = [];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT)
      chunks.push(unique.slice(i, i + BATCH_GET_LIMIT));
    // The chunks are independent reads: all at once (a firm's day is several hundred trades).
    const found = await Promise.all(chunks.map((chunk) => this.#batchGetChunk(chunk, projection)));
    return found.flat();
  }

  async #batchGetChunk(
    keyList: Array<Record<string, unknown>>,
    projection: readonly string[] | undefined,
  ): Promise<Item[]> {
    const names = Object.fromEntries((projection ?? []).map((name, i) => [`#p${i}`, name]));
    const projected =
      projection === undefined
        ? {}
        : { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names };
    const found: Item[] = [];
    let pending = keyList;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await realSleep(fullJitterDelay(attempt, CONFLICT_BACKOFF));
      const out = await this.doc.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true, ...projected } },
        }),
      );
      found.push(...(out.Responses?.[this.tableName] ?? []));
      pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return found;
  }

  #queryInput(
    index: IndexName | undefined,
    pk: string,
    skBound: string | undefined,
    prefix?: string,
  ): QueryCommandInput {
    const pkName = index === undefined ? 'pk' : `${index}Pk`;
    const skName = index === undefined ? 'sk' : `${index}Sk`;
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': pk };
    let condition = '#pk = :pk';
    if (prefix !== undefined) {
      names['#sk'] = skName;
      values[':prefix'] = prefix;
      condition += ' AND begins_with(#sk, :prefix)';
    } else if (skBound !== undefined) {
      // Sort keys are `<instant>#<id>`: everything at or before the instant sorts below `<instant>#\uffff`.
      names['#sk'] = skName;
      values[':bound'] = `${skBound}#\uffff`;
      condition += ' AND #sk <= :bound';
    }
    return {
      TableName: this.tableName,
      ...(index === undefined ? { ConsistentRead: true } : { IndexName: index }),
      KeyConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  }

  async #queryAll(
    index: IndexName | undefined,
    pk: string,
    prefix?: string,
    projection?: readonly string[],
    filter?: {
      readonly expression: string;
      readonly names: Record<string, string>;
      readonly values: Record<string, unknown>;
    },
  ): Promise<Item[]> {
    const base = this.#queryInput(index, pk, undefined, prefix);
    const projected = Object.fromEntries((projection ?? []).map((name, i) => [`#p${i}`, name]));
    const input: QueryCommandInput = {
      ...base,
      ...(projection === undefined ? {} : { ProjectionExpression: Object.keys(projected).join(', ') }),
      ...(filter === undefined ? {} : { FilterExpression: filter.expression }),
      ExpressionAttributeNames: { ...base.ExpressionAttributeNames, ...projected, ...filter?.names },
      ExpressionAttributeValues: { ...base.ExpressionAttributeValues, ...filter?.values },
    };
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  async #page<T>(
    index: IndexName,
    pk: string,
    skBound: string | undefined,
    options: { limit?: number; cursor?: string },
    schema: z.ZodType<T>,
  ): Promise<Page<T>> {
    const out = await this.doc.send(
      new QueryCommand({
        ...this.#queryInput(index, pk, skBound),
        Limit: options.limit ?? 100,
        ExclusiveStartKey: options.cursor === undefined ? undefined : decodeCursor(options.cursor),
      }),
    );
    const { records: items, unreadable } = readAll(schema, out.Items ?? []);
    return {
      items,
      ...(out.LastEvaluatedKey === undefined ? {} : { cursor: encodeCursor(out.LastEvaluatedKey) }),
      ...(unreadable.length === 0 ? {} : { unreadable }),
    };
  }
}

const HEADER_FIELDS = [
  'source',
  'tradeId',
  'tradeDate',
  'desk',
  'isin',
  'counterpartyBic',
  'status',
] as const;

/** A trade's header from its projected item; a malformed one fails, naming the item and the field. */
function tradeHeaderOf(item: Item): TradeHeader {
  for (const field of HEADER_FIELDS) {
    if (typeof item[field] !== 'string')
      throw new Error(
        `trade ${String(item.source)}#${String(item.tradeId)}: ${field} is missing or not a string`,
      );
  }
  const source = TradeSource.safeParse(item.source);
  const status = TradeStatus.safeParse(item.status);
  if (!source.success || !status.success)
    throw new Error(`trade ${String(item.source)}#${String(item.tradeId)}: unknown source or status`);
  return {
    source: source.data,
    tradeId: String(item.tradeId),
    tradeDate: String(item.tradeDate),
    desk: String(item.desk),
    isin: String(item.isin),
    counterpartyBic: String(item.counterpartyBic),
    status: status.data,
  };
}

/** A scanned trade item with every field its index item is made of. */
function isIndexable(item: Item): item is Item & IndexedTradeFields {
  return ['source', 'tradeId', 'tradeDate', 'desk', 'isin', 'counterpartyBic'].every(
    (k) => typeof item[k] === 'string',
  );
}

/** Every item that reads, and what is wrong with those that do not. */
function readAll<T>(
  schema: z.ZodType<T>,
  items: readonly Item[],
): { records: T[]; unreadable: UnreadableRecord[] } {
  const records: T[] = [];
  const unreadable: UnreadableRecord[] = [];
  for (const item of items) {
    const parsed = tryParseItem(schema, item);
    if (parsed.ok) records.push(parsed.record);
    else unreadable.push(parsed.unreadable);
  }
  return { records, unreadable };
}

/** What one scanned item tells `audit verify`: malformed items are reported, never skipped. */
function* scanItemsOf(item: Item): Generator<AuditScanItem> {
  switch (item.itemType) {
    case 'AUDIT': {
      const parsed = AuditRecord.safeParse(withoutStorage(item));
      yield parsed.success
        ? { kind: 'record', record: parsed.data }
        : malformed(String(item.entityId ?? String(item.pk).slice('AUDIT#'.length)), parsed.error);
      return;
    }
    case 'RECEIPT': {
      const parsed = AuditReceipt.safeParse(withoutStorage(item));
      if (parsed.success) {
        for (const record of parsed.data.records) yield { kind: 'record', record };
        return;
      }
      // Every entity the receipt speaks for loses its first record.
      const named = Array.isArray(item.records)
        ? (item.records as unknown[]).flatMap((r) =>
            r !== null && typeof r === 'object' && typeof (r as Item).entityId === 'string'
              ? [String((r as Item).entityId)]
              : [],
          )
        : [];
      for (const entityId of named.length > 0 ? named : [String(item.pk)])
        yield malformed(entityId, parsed.error);
      return;
    }
    case 'INSTRUCTION': {
      const parsed = SettlementInstruction.safeParse(withoutStorage(item));
      if (parsed.success) yield { kind: 'instruction', instruction: parsed.data };
      else yield malformed(String(item.instructionId ?? item.pk), parsed.error, 'the instruction');
      return;
    }
    case 'TRADE': {
      const entityId = `${String(item.source)}#${String(item.tradeId)}`;
      const parsed = Trade.safeParse(withoutStorage(item));
      yield parsed.success
        ? { kind: 'entity', entityId, entityKind: 'trade', entity: parsed.data }
        : malformedEntity(entityId, item, parsed.error);
      return;
    }
    case 'MATCH': {
      const entityId = String(item.matchId);
      const parsed = Match.safeParse(withoutStorage(item));
      yield parsed.success
        ? { kind: 'entity', entityId, entityKind: 'match', entity: parsed.data }
        : malformedEntity(entityId, item, parsed.error);
      return;
    }
    case 'PRINCIPAL': {
      // A directory entry: its chain is checked and digested; its fields are not yet bound to it.
      const entityId = `PRINCIPAL#${String(item.principalId)}`;
      yield { kind: 'head', entityId, seq: Number(item.version), hash: String(item.auditHash) };
      return;
    }
    case 'EXCEPTION': {
      const entityId = String(item.exceptionId);
      const parsed = SettlementException.safeParse(withoutStorage(item));
      yield parsed.success
        ? { kind: 'entity', entityId, entityKind: 'exception', entity: parsed.data }
        : malformedEntity(entityId, item, parsed.error);
      return;
    }
  }
}

function malformedEntity(entityId: string, item: Item, error: z.ZodError): AuditScanItem {
  const issues = error.issues.map((i) => `${i.path.map(String).join('.') || '(item)'}: ${i.message}`);
  return {
    kind: 'malformedEntity',
    entityId,
    seq: Number(item.version),
    hash: String(item.auditHash),
    problem: `the entity's stored item is malformed: ${issues.join('; ')}`,
  };
}

/** The writes with every audit record signed (one batched call to the key per commit). */
async function signed(writes: readonly Write[], key: ChainKey): Promise<Write[]> {
  const hashes: string[] = [];
  for (const w of writes) {
    if (w.op === 'audit') hashes.push(recordMacMessage(w.record.hash));
    else if (w.op === 'receipt') for (const r of w.receipt.records) hashes.push(recordMacMessage(r.hash));
  }
  if (hashes.length === 0) return [...writes];
  const macs = await key.mac(hashes);
  let next = 0;
  const sign = (record: AuditRecord): AuditRecord => ({ ...record, mac: macs[next++] as string });
  return writes.map((w) => {
    if (w.op === 'audit') return { op: 'audit', record: sign(w.record) };
    if (w.op === 'receipt')
      return { op: 'receipt', receipt: { ...w.receipt, records: w.receipt.records.map(sign) } };
    return w;
  });
}

function malformed(entityId: string, error: z.ZodError, what?: string): AuditScanItem {
  return { kind: 'malformed', entityId, problem: describeMalformedRecord(error, what) };
}

function entityItem(kind: EntityKind, entity: Entities[EntityKind]): Item {
  switch (kind) {
    case 'trade':
      return tradeItem(entity as Trade);
    case 'match':
      return matchItem(entity as Match);
    case 'exception':
      return exceptionItem(entity as SettlementException);
  }
}

function describeWrite(w: Write | undefined): string {
  if (w === undefined) return 'unknown item';
  switch (w.op) {
    case 'create':
    case 'update':
      return `${w.kind} ${entityLabel(w.kind, w.entity)}`;
    case 'instruction':
      return `instruction ${w.instruction.instructionId}`;
    case 'endInstruction':
      return `instruction ${w.instructionId} (no longer live)`;
    case 'outbox':
      return `outbox ${w.record.outboxId}`;
    case 'audit':
      return `audit ${w.record.entityId}#${w.record.seq}`;
    case 'receipt':
      return `audit receipt ${w.receipt.receiptId}`;
  }
}

function entityLabel(kind: EntityKind, e: Entities[EntityKind]): string {
  if (kind === 'trade') return `${(e as Trade).source}#${(e as Trade).tradeId}`;
  if (kind === 'match') return (e as Match).matchId;
  return (e as SettlementException).exceptionId;
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new Error('invalid page cursor');
}

/** Waits between attempts of a transaction that lost a race: full jitter, 50 ms doubling up to 2 s. */
const CONFLICT_BACKOFF = { baseDelayMs: 50, maxDelayMs: 2_000 } as const;

/** Every calendar date from `fromDate` to `toDate`, both included (none when `toDate` is earlier). */
function datesFrom(fromDate: string, toDate: string): string[] {
  const out: string[] = [];
  for (let d = fromDate; d <= toDate && out.length <= MAX_SEARCH_DAYS; d = shiftDays(d, 1)) out.push(d);
  return out;
}
