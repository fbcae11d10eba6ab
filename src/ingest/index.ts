export { type CsvRecord, readCsvRecords } from './csv-records.ts';
export {
  type DuplicateRow,
  detectFormat,
  formatParseErrors,
  formatRowError,
  type ParsedRow,
  type ParseResult,
  parseTradeFile,
  type RowError,
  type TradeFileFormat,
} from './parse-trades.ts';
export {
  ALL_COLUMNS,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  TRADE_COLUMNS,
  type TradeColumn,
  tradeToRecord,
} from './trade-columns.ts';
