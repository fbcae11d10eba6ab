import type { TradeInput } from '../settlement/index.ts';

/**
 * The trade file columns (CSV header names, JSON/NDJSON property names) and the `TradeInput` field each
 * one fills. The order is the canonical CSV column order.
 */
export const TRADE_COLUMNS = [
  ['trade_id', 'tradeId'],
  ['source', 'source'],
  ['side', 'side'],
  ['isin', 'isin'],
  ['quantity', 'quantity'],
  ['price', 'price'],
  ['currency', 'currency'],
  ['trade_date', 'tradeDate'],
  ['settlement_date', 'settlementDate'],
  ['account', 'account'],
  ['desk', 'desk'],
  ['counterparty_bic', 'counterpartyBic'],
  ['place_of_settlement', 'placeOfSettlement'],
  ['settlement_type', 'settlementType'],
  ['net_amount', 'netAmount'],
  ['instrument_class', 'instrumentClass'],
  ['note', 'note'],
] as const satisfies ReadonlyArray<readonly [string, keyof TradeInput]>;

export type TradeColumn = (typeof TRADE_COLUMNS)[number][0];
export type TradeField = (typeof TRADE_COLUMNS)[number][1];

/** Columns a file may leave out entirely (and whose value may be empty). */
export const OPTIONAL_COLUMNS: ReadonlySet<TradeColumn> = new Set<TradeColumn>([
  'net_amount',
  'instrument_class',
  'note',
]);
export const REQUIRED_COLUMNS: readonly TradeColumn[] = TRADE_COLUMNS.map(([c]) => c).filter(
  (c) => !OPTIONAL_COLUMNS.has(c),
);
export const ALL_COLUMNS: readonly TradeColumn[] = TRADE_COLUMNS.map(([c]) => c);

/** Decimal columns: plain decimal strings only (see `parseTradeFile`). */
export const DECIMAL_COLUMNS: ReadonlySet<TradeColumn> = new Set<TradeColumn>([
  'quantity',
  'price',
  'net_amount',
]);

const FIELD_OF = new Map<string, TradeField>(TRADE_COLUMNS);
const COLUMN_OF = new Map<string, TradeColumn>(TRADE_COLUMNS.map(([c, f]) => [f, c]));

export function isTradeColumn(name: string): name is TradeColumn {
  return FIELD_OF.has(name);
}

/** The file column for a `TradeInput` field name (`tradeDate` → `trade_date`); unknown names unchanged. */
export function columnOfField(field: string): string {
  return COLUMN_OF.get(field) ?? field;
}

/** A trade as a flat record keyed by column name; absent optional fields are left out. */
export function tradeToRecord(trade: TradeInput): Partial<Record<TradeColumn, string>> {
  const record: Partial<Record<TradeColumn, string>> = {};
  for (const [column, field] of TRADE_COLUMNS) {
    const value = trade[field];
    if (value !== undefined) record[column] = value;
  }
  return record;
}
