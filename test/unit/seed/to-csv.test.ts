import { describe, expect, it } from 'vitest';
import { parseTradeFile } from '../../../src/ingest/index.ts';
import { generateSettlementDay, toCsv } from '../../../src/seed/index.ts';
import type { TradeInput } from '../../../src/settlement/model.ts';

const day = generateSettlementDay({ trades: 500, seed: 11, date: '2026-11-19' });

describe('toCsv', () => {
  it('writes files parseTradeFile reads back to the same records', () => {
    for (const trades of [day.internal, day.counterparty]) {
      const result = parseTradeFile(toCsv(trades), 'csv');

      expect(result.errors).toStrictEqual([]);
      expect(result.duplicates).toStrictEqual([]);
      expect(result.rows.map((r) => r.input)).toStrictEqual(trades);
      expect(result.rows.map((r) => r.line)).toStrictEqual(trades.map((_, k) => k + 2));
    }
  });

  it('round-trips with CRLF line endings and through bytes', () => {
    const content = new TextEncoder().encode(toCsv(day.internal, { eol: '\r\n' }));

    expect(parseTradeFile(content, 'csv').rows.map((r) => r.input)).toStrictEqual(day.internal);
  });

  it('writes the canonical header, with a note column only when a trade has a note', () => {
    const [first] = day.internal;
    expect(toCsv([]).split('\n')[0]).toBe(
      'trade_id,source,side,isin,quantity,price,currency,trade_date,settlement_date,account,desk,counterparty_bic,' +
        'place_of_settlement,settlement_type,net_amount',
    );
    expect(toCsv(first === undefined ? [] : [{ ...first, note: 'x' }]).split('\n')[0]).toMatch(
      /,net_amount,note$/,
    );
  });

  it('quotes notes holding commas, quotes, line breaks and surrounding spaces', () => {
    const [first, second] = day.internal as [TradeInput, TradeInput];
    const trades: TradeInput[] = [
      { ...first, note: 'block 1 of 3, "VWAP"\nsecond line' },
      { ...second, note: '  padded  ' },
    ];

    const csv = toCsv(trades);
    const result = parseTradeFile(csv, 'csv');

    expect(csv).toContain('"block 1 of 3, ""VWAP""\nsecond line"');
    expect(result.rows.map((r) => r.input.note)).toStrictEqual([
      'block 1 of 3, "VWAP"\nsecond line',
      'padded',
    ]);
    expect(result.rows.map((r) => r.line)).toStrictEqual([2, 4]);
  });
});
