import { describe, expect, it } from 'vitest';
import { detectFormat, formatParseErrors, parseTradeFile } from '../../../src/ingest/index.ts';
import { tradeInput, tradeRecord } from './trade-file-factory.ts';

const second = tradeRecord({ trade_id: 'T-10001', side: 'SELL', quantity: '200', net_amount: '37886.00' });
const secondInput = tradeInput({ tradeId: 'T-10001', side: 'SELL', quantity: '200', netAmount: '37886.00' });

describe('parseTradeFile (json)', () => {
  it('reads an array of objects, numbering records from 1', () => {
    const result = parseTradeFile(JSON.stringify([tradeRecord(), second], null, 2), 'json');

    expect(result).toStrictEqual({
      format: 'json',
      unit: 'record',
      rows: [
        { line: 1, input: tradeInput() },
        { line: 2, input: secondInput },
      ],
      errors: [],
      total: 2,
      duplicates: [],
    });
  });

  it('takes null or a missing property as absent for an optional field', () => {
    const { net_amount: _omitted, ...withoutNet } = tradeRecord();
    const result = parseTradeFile(
      JSON.stringify([withoutNet, { ...tradeRecord({ trade_id: 'T-2' }), net_amount: null }]),
      'json',
    );

    const { netAmount: _none, ...expected } = tradeInput();
    expect(result.rows).toStrictEqual([
      { line: 1, input: expected },
      { line: 2, input: { ...expected, tradeId: 'T-2' } },
    ]);
  });

  it('refuses money given as a JSON number and says to quote it', () => {
    const content = `[${JSON.stringify(tradeRecord()).replace('"189.43"', '189.43').replace('"284145.00"', '284145')}]`;

    const result = parseTradeFile(content, 'json');

    expect(result.rows).toStrictEqual([]);
    expect(formatParseErrors(result)).toStrictEqual([
      'record 1: price: must be a decimal string, e.g. "189.43": a JSON number has been through a binary float, so quote it',
      'record 1: net_amount: must be a decimal string, e.g. "284145": a JSON number has been through a binary float, so quote it',
    ]);
  });

  it('accepts a whole JSON number as quantity and refuses a fractional one', () => {
    const whole = { ...tradeRecord(), quantity: 1500 };
    const fractional = { ...tradeRecord({ trade_id: 'T-2' }), quantity: 1500.5 };
    const huge = { ...tradeRecord({ trade_id: 'T-3' }), quantity: 2 ** 60 };

    const result = parseTradeFile(JSON.stringify([whole, fractional, huge]), 'json');

    expect(result.rows).toStrictEqual([{ line: 1, input: tradeInput() }]);
    expect(result.errors.map((e) => [e.line, e.field])).toStrictEqual([
      [2, 'quantity'],
      [3, 'quantity'],
    ]);
    expect(result.errors[0]?.reason).toBe(
      'must be a whole JSON number or a decimal string; a JSON number with a fraction (or beyond 2^53) has been ' +
        'through a binary float: quote it, e.g. "1500.5"',
    );
  });

  it('refuses other JSON types, unknown properties and missing fields, field by field', () => {
    const { price: _price, ...noPrice } = tradeRecord();
    const record = { ...noPrice, side: true, desk: ['EQ-US'], trader: 'jdoe' };

    const result = parseTradeFile(JSON.stringify([record]), 'json');

    expect(formatParseErrors(result)).toStrictEqual([
      'record 1: trader: is not a known field (known: trade_id, source, side, isin, quantity, price, currency, ' +
        'trade_date, settlement_date, account, desk, counterparty_bic, place_of_settlement, settlement_type, net_amount, instrument_class, note)',
      'record 1: side: must be a string, got a boolean',
      'record 1: price: is required',
      'record 1: desk: must be a string, got an array',
    ]);
  });

  it('refuses an element that is not an object', () => {
    const result = parseTradeFile(JSON.stringify([tradeRecord(), 'T-1', null, [1]]), 'json');

    expect(result.rows.map((r) => r.line)).toStrictEqual([1]);
    expect(formatParseErrors(result)).toStrictEqual([
      'record 2: record: must be an object of trade fields, got a string',
      'record 3: record: must be an object of trade fields, got null',
      'record 4: record: must be an object of trade fields, got an array',
    ]);
    expect(result.total).toBe(4);
  });

  it('reports a syntax error once, for the file, naming line and column', () => {
    const content = `\uFEFF[\r\n  ${JSON.stringify(tradeRecord())},\r\n  ${JSON.stringify(second)}\r\n  {"trade_id": "T-3"}\r\n]`;

    const result = parseTradeFile(content, 'json');

    expect(result.rows).toStrictEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(formatParseErrors(result)).toStrictEqual([
      "file: json: is not valid JSON: Expected ',' or ']' after array element at line 4, column 3",
    ]);
  });

  it('refuses a document that is not an array, or an empty file', () => {
    expect(formatParseErrors(parseTradeFile(JSON.stringify(tradeRecord()), 'json'))).toStrictEqual([
      'file: json: must be an array of trade objects, got an object',
    ]);
    expect(formatParseErrors(parseTradeFile(' \n', 'json'))).toStrictEqual(['file: file: is empty']);
  });

  it('reads an identical repeat once and refuses a different one', () => {
    const changed = tradeRecord({ account: 'EQUS-002' });
    const result = parseTradeFile(JSON.stringify([tradeRecord(), tradeRecord(), changed]), 'json');

    expect(result.rows).toStrictEqual([{ line: 1, input: tradeInput() }]);
    expect(result.duplicates).toStrictEqual([{ line: 2, duplicateOf: 1 }]);
    expect(formatParseErrors(result)).toStrictEqual([
      'record 3: trade_id: repeats T-10000 (source INTERNAL) from record 1 with different account; a file may hold each trade once',
    ]);
  });
});

describe('parseTradeFile (ndjson)', () => {
  it('reads one object per line with CRLF, a BOM and blank lines, numbering physical lines', () => {
    const content = `\uFEFF${JSON.stringify(tradeRecord())}\r\n\r\n${JSON.stringify(second)}\r\n\r\n`;

    const result = parseTradeFile(content, 'ndjson');

    expect(result).toStrictEqual({
      format: 'ndjson',
      unit: 'line',
      rows: [
        { line: 1, input: tradeInput() },
        { line: 3, input: secondInput },
      ],
      errors: [],
      total: 2,
      duplicates: [],
    });
  });

  it('reports a line that is not JSON and reads the others', () => {
    const content = [JSON.stringify(tradeRecord()), '{"trade_id": "T-2",}', JSON.stringify(second)].join(
      '\n',
    );

    const result = parseTradeFile(content, 'ndjson');

    expect(result.rows.map((r) => r.line)).toStrictEqual([1, 3]);
    expect(formatParseErrors(result)).toStrictEqual([
      'line 2: json: is not valid JSON: Expected double-quoted property name at line 1, column 20',
    ]);
  });

  it('applies the same field rules as the other formats', () => {
    const content = [
      JSON.stringify({ ...tradeRecord(), price: 189.43 }),
      JSON.stringify(tradeRecord({ trade_id: 'T-2', quantity: '1.5E+3', side: 'sell' })),
    ].join('\n');

    expect(formatParseErrors(parseTradeFile(content, 'ndjson'))).toStrictEqual([
      'line 1: price: must be a decimal string, e.g. "189.43": a JSON number has been through a binary float, so quote it',
      'line 2: side: must be BUY or SELL (got "sell"; values are upper case)',
      'line 2: quantity: uses exponent notation; write the plain decimal (1500000, not 1.5e6)',
    ]);
  });
});

describe('detectFormat', () => {
  it.each([
    ['trades.csv', 'csv'],
    ['TRADES.CSV', 'csv'],
    ['day.json', 'json'],
    ['day.ndjson', 'ndjson'],
    ['day.jsonl', 'ndjson'],
  ] as const)('knows %s by its extension', (name, format) => {
    expect(detectFormat(name, '')).toBe(format);
  });

  it('looks at the content when the extension says nothing', () => {
    expect(detectFormat('upload', '\uFEFF  [\n{}]')).toBe('json');
    expect(detectFormat('upload.txt', '{"trade_id":"T-1"}\n{"trade_id":"T-2"}\n')).toBe('ndjson');
    expect(detectFormat('upload.dat', new TextEncoder().encode('trade_id,source\n'))).toBe('csv');
  });
});
