import { describe, expect, it } from 'vitest';
import { formatParseErrors, formatRowError, parseTradeFile } from '../../../src/ingest/index.ts';
import { COLUMNS, csvLine, HEADER, tradeInput, tradeRecord } from './trade-file-factory.ts';

const second = tradeRecord({ trade_id: 'T-10001', side: 'SELL', quantity: '200', net_amount: '37886.00' });

function csv(lines: readonly string[], eol = '\n'): string {
  return lines.join(eol) + eol;
}

describe('parseTradeFile (csv)', () => {
  it('reads a good file into TradeInput records with their line numbers', () => {
    const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord()), csvLine(second)]), 'csv');

    expect(result).toStrictEqual({
      format: 'csv',
      unit: 'line',
      rows: [
        { line: 2, input: tradeInput() },
        {
          line: 3,
          input: tradeInput({ tradeId: 'T-10001', side: 'SELL', quantity: '200', netAmount: '37886.00' }),
        },
      ],
      errors: [],
      total: 2,
      duplicates: [],
    });
  });

  it('accepts columns in any order and without the optional ones', () => {
    const columns = [...COLUMNS].filter((c) => c !== 'net_amount').reverse();
    const result = parseTradeFile(csv([columns.join(','), csvLine(tradeRecord(), columns)]), 'csv');

    const { netAmount: _omitted, ...withoutNet } = tradeInput();
    expect(result.rows).toStrictEqual([{ line: 2, input: withoutNet }]);
    expect(result.errors).toStrictEqual([]);
  });

  it('treats an empty optional value as absent', () => {
    const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord({ net_amount: '' }))]), 'csv');

    const { netAmount: _omitted, ...withoutNet } = tradeInput();
    expect(result.rows).toStrictEqual([{ line: 2, input: withoutNet }]);
  });

  it('reads quoted values holding commas, doubled quotes and line breaks', () => {
    const header = `${HEADER},note`;
    const content = csv([
      header,
      `${csvLine(tradeRecord())},"block 1 of 3, ""VWAP"" fill"`,
      `${csvLine(second)},"first line`,
      'second line, still the note"',
      csvLine(tradeRecord({ trade_id: 'T-10002' })).concat(','),
    ]);

    const result = parseTradeFile(content, 'csv');

    expect(result.errors).toStrictEqual([]);
    expect(result.rows.map((r) => [r.line, r.input.note])).toStrictEqual([
      [2, 'block 1 of 3, "VWAP" fill'],
      [3, 'first line\nsecond line, still the note'],
      [5, undefined],
    ]);
  });

  it('reads quoted values holding the column separator in a required field', () => {
    const content = csv([HEADER, csvLine(tradeRecord({ account: '"EQUS-001"', desk: '"EQ-US"' }))]);

    expect(parseTradeFile(content, 'csv').rows).toStrictEqual([{ line: 2, input: tradeInput() }]);
  });

  it('strips a UTF-8 byte order mark from a string and from bytes', () => {
    const content = `\uFEFF${csv([HEADER, csvLine(tradeRecord())])}`;

    expect(parseTradeFile(content, 'csv').rows).toStrictEqual([{ line: 2, input: tradeInput() }]);
    expect(parseTradeFile(new TextEncoder().encode(content), 'csv').rows).toStrictEqual([
      { line: 2, input: tradeInput() },
    ]);
  });

  it('counts lines right with CRLF, quoted line breaks, and blank lines', () => {
    const header = `${HEADER},note`;
    const content = csv(
      [
        header,
        `${csvLine(tradeRecord())},"spans\r\nthree\r\nlines"`,
        '',
        `${csvLine(second)},`,
        csvLine(tradeRecord({ trade_id: 'T-10002', price: '1e2' })).concat(','),
        '',
        '',
      ],
      '\r\n',
    );

    const result = parseTradeFile(content, 'csv');

    expect(result.rows.map((r) => [r.line, r.input.tradeId, r.input.note])).toStrictEqual([
      [2, 'T-10000', 'spans\nthree\nlines'],
      [6, 'T-10001', undefined],
    ]);
    expect(formatParseErrors(result)).toStrictEqual([
      'line 7: price: uses exponent notation; write the plain decimal (1500000, not 1.5e6)',
    ]);
    expect(result.total).toBe(3);
  });

  it('ignores surrounding whitespace and blank trailing lines', () => {
    const record = tradeRecord();
    const padded = COLUMNS.map((c) => ` ${record[c]} `).join(',');
    const result = parseTradeFile(`${HEADER}\n${padded}\n\n   \n,,,\n`, 'csv');

    expect(result.rows).toStrictEqual([{ line: 2, input: tradeInput() }]);
    expect(result.errors).toStrictEqual([]);
    expect(result.total).toBe(1);
  });

  describe('header', () => {
    it('refuses the whole file when a required column is missing', () => {
      const columns = COLUMNS.filter((c) => c !== 'price' && c !== 'trade_date');
      const result = parseTradeFile(csv([columns.join(','), csvLine(tradeRecord(), columns)]), 'csv');

      expect(result.rows).toStrictEqual([]);
      expect(result.total).toBe(0);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 1: header: missing required columns price, trade_date',
      ]);
    });

    it('names unknown columns and reads nothing', () => {
      const result = parseTradeFile(
        csv([`${HEADER},trader,Price`, `${csvLine(tradeRecord())},jdoe,1`]),
        'csv',
      );

      expect(result.rows).toStrictEqual([]);
      expect(result.errors).toStrictEqual([
        {
          line: 1,
          field: 'header',
          reason:
            'unknown columns trader, Price (known: trade_id, source, side, isin, quantity, price, currency, trade_date, ' +
            'settlement_date, account, desk, counterparty_bic, place_of_settlement, settlement_type, net_amount, instrument_class, note)',
        },
      ]);
    });

    it('refuses a column given twice and an unnamed column', () => {
      const result = parseTradeFile(csv([`${HEADER},price,`, `${csvLine(tradeRecord())},1,`]), 'csv');

      expect(formatParseErrors(result)).toStrictEqual([
        'line 1: header: column 17 has no name',
        'line 1: header: column price appears more than once',
      ]);
      expect(result.rows).toStrictEqual([]);
    });

    it('reports an empty file as a missing header', () => {
      const result = parseTradeFile('\uFEFF\r\n\r\n', 'csv');

      expect(result.errors).toStrictEqual([
        {
          line: 1,
          field: 'header',
          reason:
            'is missing: the file is empty (expected trade_id,source,side,isin,quantity,price,currency,trade_date,' +
            'settlement_date,account,desk,counterparty_bic,place_of_settlement,settlement_type,net_amount,instrument_class,note)',
        },
      ]);
    });

    it('takes the header from the first non-blank line', () => {
      const result = parseTradeFile(`\n\n${HEADER}\n${csvLine(tradeRecord())}\n`, 'csv');

      expect(result.rows).toStrictEqual([{ line: 4, input: tradeInput() }]);
    });
  });

  describe('bad rows', () => {
    it('refuses a row with the wrong number of values and keeps reading', () => {
      const short = csvLine(tradeRecord()).split(',').slice(0, 14).join(',');
      const result = parseTradeFile(
        csv([HEADER, short, csvLine(second), `${csvLine(tradeRecord())},x`]),
        'csv',
      );

      expect(result.rows.map((r) => r.line)).toStrictEqual([3]);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 2: row: has 14 values, expected 15 (one per header column)',
        'line 4: row: has 16 values, expected 15 (one per header column)',
      ]);
      expect(result.total).toBe(3);
    });

    it('reports every bad field of a row, by column name, and leaves the row out', () => {
      const bad = tradeRecord({
        side: 'buy',
        price: '"1,000.00"',
        trade_date: '2026-02-30',
        counterparty_bic: 'GOLDMAN',
      });
      const result = parseTradeFile(csv([HEADER, csvLine(second), csvLine(bad)]), 'csv');

      expect(result.rows.map((r) => r.input.tradeId)).toStrictEqual(['T-10001']);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 3: side: must be BUY or SELL (got "buy"; values are upper case)',
        'line 3: price: contains a comma; write digits with a "." decimal point and no thousands separators (1000.50, not 1,000.50)',
        'line 3: trade_date: is not a date in YYYY-MM-DD form',
        'line 3: counterparty_bic: is not a valid BIC (8 or 11 characters, ISO 9362)',
      ]);
    });

    it('sees an unquoted thousands separator as one value too many', () => {
      const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord({ net_amount: '284,145.00' }))]), 'csv');

      expect(formatParseErrors(result)).toStrictEqual([
        'line 2: row: has 16 values, expected 15 (one per header column)',
      ]);
    });

    it('says what is expected for every enumeration and a lower-case code', () => {
      const result = parseTradeFile(
        csv([HEADER, csvLine(tradeRecord({ source: 'Internal', settlement_type: 'RVP', currency: 'usd' }))]),
        'csv',
      );

      expect(formatParseErrors(result)).toStrictEqual([
        'line 2: source: must be INTERNAL or COUNTERPARTY (got "Internal"; values are upper case)',
        'line 2: currency: is not an ISO 4217 currency code (got "usd"; values are upper case)',
        'line 2: settlement_type: must be DVP or FOP',
      ]);
    });

    it('reports a required value left empty', () => {
      const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord({ isin: '', desk: '  ' }))]), 'csv');

      expect(formatParseErrors(result)).toStrictEqual([
        'line 2: isin: is required',
        'line 2: desk: is required',
      ]);
    });

    it('refuses a settlement date before the trade date', () => {
      const result = parseTradeFile(
        csv([HEADER, csvLine(tradeRecord({ settlement_date: '2026-11-18' }))]),
        'csv',
      );

      expect(formatParseErrors(result)).toStrictEqual(['line 2: settlement_date: is before the trade date']);
    });

    it.each([
      ['1e6', 'quantity', 'uses exponent notation; write the plain decimal (1500000, not 1.5e6)'],
      ['1.5E+3', 'quantity', 'uses exponent notation; write the plain decimal (1500000, not 1.5e6)'],
      ['+189.43', 'price', 'has a leading +; write the number without a sign'],
      [
        '0.30000000000000004',
        'price',
        'has 17 decimals, more than 12 (a binary float printed in full?); send the exact decimal',
      ],
      ['-5', 'net_amount', 'must be greater than zero'],
      ['0.00', 'quantity', 'must be greater than zero'],
      [
        '1 000',
        'net_amount',
        'is not a plain decimal (digits with an optional fraction; no exponent or grouping)',
      ],
      ['.5', 'price', 'is not a plain decimal (digits with an optional fraction; no exponent or grouping)'],
    ])('refuses %s in %s', (value, column, reason) => {
      const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord({ [column]: value }))]), 'csv');

      expect(result.rows).toStrictEqual([]);
      expect(result.errors).toStrictEqual([{ line: 2, field: column, reason }]);
    });

    it('accepts up to 12 decimals', () => {
      const result = parseTradeFile(
        csv([HEADER, csvLine(tradeRecord({ price: '189.430000000001' }))]),
        'csv',
      );

      expect(result.rows).toStrictEqual([{ line: 2, input: tradeInput({ price: '189.430000000001' }) }]);
    });

    it('reports a quoting error on its own line and reads the rest', () => {
      const content = csv([
        HEADER,
        csvLine(tradeRecord()),
        csvLine(tradeRecord({ trade_id: 'T-1"7' })),
        csvLine(tradeRecord({ trade_id: '"T-18"x' })),
        csvLine(second),
      ]);

      const result = parseTradeFile(content, 'csv');

      expect(result.rows.map((r) => r.line)).toStrictEqual([2, 5]);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 3: row: a quote inside an unquoted value (quote the whole value and write an inner quote as "")',
        'line 4: row: unexpected "x" after a closing quote (a quote inside a quoted value is written "")',
      ]);
      expect(result.total).toBe(4);
    });

    it('reports a quote that is never closed at the line it opens', () => {
      const content = csv([
        `${HEADER},note`,
        `${csvLine(tradeRecord())},`,
        `${csvLine(second)},"unclosed`,
        'more',
      ]);

      const result = parseTradeFile(content, 'csv');

      expect(result.rows.map((r) => r.line)).toStrictEqual([2]);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 3: row: a quoted value opened on line 3 is never closed (a quote inside a quoted value is written ""): ' +
          'it ran to the end of the file and consumed lines 3–4 (2 lines), none of which was read',
      ]);
    });

    it('says how many lines an unclosed quote consumed when it swallows many good rows', () => {
      const rows = Array.from({ length: 5 }, (_, k) => csvLine(tradeRecord({ trade_id: `T-${k}` })));
      const content = csv([`${HEADER},note`, `${csvLine(second)},"unclosed`, ...rows.map((r) => `${r},`)]);

      const result = parseTradeFile(content, 'csv');

      expect(result.rows).toStrictEqual([]);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 2: row: a quoted value opened on line 2 is never closed (a quote inside a quoted value is written ""): ' +
          'it ran to the end of the file and consumed lines 2–7 (6 lines), none of which was read',
      ]);
    });
  });

  describe('hostile values', () => {
    it('prints an unknown column name with its escape sequences escaped', () => {
      const content = csv([`${HEADER},\u001b]0;pwned\u0007\u001b[2J`, `${csvLine(tradeRecord())},x`]);

      const [error] = formatParseErrors(parseTradeFile(content, 'csv'));

      expect(error).toContain('unknown column \\x1b]0;pwned\\x07\\x1b[2J (known:');
      expect(error).not.toMatch(/\p{Cc}/u);
    });

    it.each([
      ['quantity', '9'.repeat(9000), 'quantity: has 9000 digits before the decimal point, more than 18'],
      ['quantity', '1'.repeat(100_000), 'quantity: has 100000 digits before the decimal point, more than 18'],
      ['quantity', '10.1234567', 'quantity: has 7 decimals, more than 6'],
      ['price', '1234567890123.5', 'price: has 13 digits before the decimal point, more than 12'],
      ['net_amount', '1.1234567', 'net_amount: has 7 decimals, more than 6'],
    ])('refuses a %s beyond its bounds, keeping the good rows', (column, value, message) => {
      const content = csv([HEADER, csvLine(tradeRecord({ [column]: value })), csvLine(second)]);

      const result = parseTradeFile(content, 'csv');

      expect(formatParseErrors(result)).toStrictEqual([`line 2: ${message}`]);
      expect(result.rows.map((r) => r.line)).toStrictEqual([3]);
    });
  });

  describe('duplicates inside one file', () => {
    it('reads an identical repeat once', () => {
      const result = parseTradeFile(
        csv([HEADER, csvLine(tradeRecord()), csvLine(second), csvLine(tradeRecord())]),
        'csv',
      );

      expect(result.rows.map((r) => r.line)).toStrictEqual([2, 3]);
      expect(result.errors).toStrictEqual([]);
      expect(result.duplicates).toStrictEqual([{ line: 4, duplicateOf: 2 }]);
      expect(result.total).toBe(3);
    });

    it('refuses a repeat with different values and keeps the first', () => {
      const changed = tradeRecord({ price: '189.44', quantity: '1600' });
      const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord()), csvLine(changed)]), 'csv');

      expect(result.rows).toStrictEqual([{ line: 2, input: tradeInput() }]);
      expect(formatParseErrors(result)).toStrictEqual([
        'line 3: trade_id: repeats T-10000 (source INTERNAL) from line 2 with different quantity, price; ' +
          'a file may hold each trade once',
      ]);
    });

    it('treats the same trade id from the other source as a different trade', () => {
      const theirs = tradeRecord({ source: 'COUNTERPARTY', side: 'SELL' });
      const result = parseTradeFile(csv([HEADER, csvLine(tradeRecord()), csvLine(theirs)]), 'csv');

      expect(result.rows.map((r) => r.line)).toStrictEqual([2, 3]);
    });
  });

  it('reports bytes that are not UTF-8 for the whole file', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode(`${HEADER}\n`), 0xff, 0xfe, 0x41]);
    const result = parseTradeFile(bytes, 'csv');

    expect(result.errors).toStrictEqual([{ line: 0, field: 'encoding', reason: 'is not valid UTF-8' }]);
    expect(formatRowError(result.errors[0] ?? { line: -1, field: '', reason: '' })).toBe(
      'file: encoding: is not valid UTF-8',
    );
  });
});
