import type { Trade } from '../model.ts';

/*
 * The trade search index: one companion item per trade (`TRADEIDX#<ref>`), written in the same
 * transaction as the trade whenever its trade date, desk, ISIN or counterparty firm is set or
 * changes. The item sits in the four sparse indexes under keys none of their other items use:
 * - by date, sorted by `<desk>#<ref>` (a day's search, narrowed to a desk by prefix):
 *   byBlock under `FIND#<date>#ISIN#<isin>`, byQueue under `FIND#<date>#BIC#<first 8 of the BIC>`
 *   (the firm: every branch);
 * - undated, sorted by `<date>#<ref>` (a search over recent days, newest first, in one Query; the
 *   item's `desk` narrows it to permitted desks): byDay under `FIND#ISIN#<isin>`, byDue under
 *   `FIND#BIC#<firm>`.
 * Its key never changes, so an amendment overwrites it and the trade leaves its old partitions in
 * the same write: no stale entry can outlive the transaction. Readers still fetch the trades
 * themselves and check the filters on them (the index only says where to look).
 */

export const TRADE_INDEX_ITEM_TYPE = 'TRADE_INDEX';

/**
 * The completeness marker's `version` once every entry has its undated keys too. A marker without it
 * (a table indexed by the version before) vouches for the dated keys only.
 */
export const TRADE_INDEX_VERSION = 2;

/** The root sort key (as `ROOT_SK` of items.ts, which this module must not import: table.ts uses it). */
const ROOT = '#';

/** The fields the index keys are made of. */
export type IndexedTradeFields = Pick<
  Trade,
  'source' | 'tradeId' | 'tradeDate' | 'desk' | 'isin' | 'counterpartyBic'
>;

export const tradeIndexKeys = {
  item: (ref: string) => ({ pk: `TRADEIDX#${ref}`, sk: ROOT }),
  isin: (tradeDate: string, isin: string) => `FIND#${tradeDate}#ISIN#${isin}`,
  /** The firm: the first 8 characters of a BIC. */
  bicFirm: (tradeDate: string, bic: string) => `FIND#${tradeDate}#BIC#${bic.slice(0, 8)}`,
  sk: (desk: string, ref: string) => `${desk}#${ref}`,
  /** Every date of an ISIN (byDay). */
  isinUndated: (isin: string) => `FIND#ISIN#${isin}`,
  /** Every date of a firm (byDue). */
  bicFirmUndated: (bic: string) => `FIND#BIC#${bic.slice(0, 8)}`,
  /** The undated keys' sort key: by trade date, so a range of dates is one key condition. */
  undatedSk: (tradeDate: string, ref: string) => `${tradeDate}#${ref}`,
  /**
   * Present once every trade of the table has its index item: written when the table is created, or
   * by the backfill of a table from before the index (or before its undated keys: see
   * `TRADE_INDEX_VERSION`). Without it, searches read the trade date.
   */
  complete: { pk: 'META#TRADEIDX', sk: ROOT },
} as const;

export function tradeIndexItem(t: IndexedTradeFields): Record<string, unknown> {
  const ref = `${t.source}#${t.tradeId}`;
  const sk = tradeIndexKeys.sk(t.desk, ref);
  const undatedSk = tradeIndexKeys.undatedSk(t.tradeDate, ref);
  return {
    ...tradeIndexKeys.item(ref),
    itemType: TRADE_INDEX_ITEM_TYPE,
    ref,
    desk: t.desk,
    byBlockPk: tradeIndexKeys.isin(t.tradeDate, t.isin),
    byBlockSk: sk,
    byQueuePk: tradeIndexKeys.bicFirm(t.tradeDate, t.counterpartyBic),
    byQueueSk: sk,
    byDayPk: tradeIndexKeys.isinUndated(t.isin),
    byDaySk: undatedSk,
    byDuePk: tradeIndexKeys.bicFirmUndated(t.counterpartyBic),
    byDueSk: undatedSk,
  };
}

/** True when an update moves the trade in the index (so its index item must be rewritten). */
export function tradeIndexMoves(previous: IndexedTradeFields, next: IndexedTradeFields): boolean {
  return (
    previous.tradeDate !== next.tradeDate ||
    previous.desk !== next.desk ||
    previous.isin !== next.isin ||
    previous.counterpartyBic.slice(0, 8) !== next.counterpartyBic.slice(0, 8)
  );
}
