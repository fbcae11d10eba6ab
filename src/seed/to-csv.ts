import { ALL_COLUMNS, tradeToRecord } from '../ingest/index.ts';
import type { TradeInput } from '../settlement/index.ts';

export interface ToCsvOptions {
  /** Line ending (default `\n`). */
  readonly eol?: '\n' | '\r\n';
}

/**
 * Trades as a CSV trade file `parseTradeFile` reads back to the same records: the canonical header
 * (with `note` and `instrument_class` only when a trade has one), one line per trade, RFC 4180 quoting where a value needs it.
 */
export function toCsv(trades: readonly TradeInput[], options: ToCsvOptions = {}): string {
  const eol = options.eol ?? '\n';
  const withNote = trades.some((t) => t.note !== undefined);
  const withClass = trades.some((t) => t.instrumentClass !== undefined);
  const columns = ALL_COLUMNS.filter(
    (c) => (c !== 'note' || withNote) && (c !== 'instrument_class' || withClass),
  );
  const lines = [columns.join(',')];
  for (const trade of trades) {
    const record = tradeToRecord(trade);
    lines.push(columns.map((c) => csvValue(record[c] ?? '')).join(','));
  }
  return lines.join(eol) + eol;
}

function csvValue(value: string): string {
  // The reader ignores surrounding whitespace of unquoted values, so such values are quoted too.
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
