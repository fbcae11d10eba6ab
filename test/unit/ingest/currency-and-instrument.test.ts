import { describe, expect, it } from 'vitest';
import { formatParseErrors, parseTradeFile } from '../../../src/ingest/index.ts';
import { minorUnits, minorUnitsProblem } from '../../../src/settlement/currency.ts';
import { notionalOf } from '../../../src/settlement/instrument.ts';
import { COLUMNS, csvLine, HEADER, tradeInput, tradeRecord } from './trade-file-factory.ts';

function parseOne(overrides: Record<string, string>, header = HEADER, columns: readonly string[] = COLUMNS) {
  return parseTradeFile(`${header}\n${csvLine(tradeRecord(overrides), columns)}\n`, 'csv');
}

describe('ISO 4217 minor units at ingest', () => {
  it.each([
    ['JPY', '1500000', true],
    ['JPY', '1500000.5', false],
    ['JPY', '1500000.00', false],
    ['USD', '284145.00', true],
    ['USD', '284145.001', false],
    ['EUR', '284145.5', true],
    ['BHD', '284145.125', true],
    ['BHD', '284145.1250', false],
    ['KWD', '1000.999', true],
    ['OMR', '1000.1234', false],
    ['JOD', '1000.000', true],
    ['TND', '1000.0001', false],
    ['ISK', '1000.5', false],
  ])('takes a %s net amount of %s: %s', (currency, amount, accepted) => {
    const result = parseOne({ currency, net_amount: amount });
    expect(result.errors.length === 0).toBe(accepted);
  });

  it('names the line and the field, and what the currency allows', () => {
    const result = parseOne({ currency: 'JPY', net_amount: '1500000.50' });
    expect(formatParseErrors(result)).toStrictEqual([
      'line 2: net_amount: has 2 decimal places; JPY allows 0 (ISO 4217 minor units)',
    ]);
    expect(result.rows).toStrictEqual([]);
  });

  it('says BHD allows 3 when given 4', () => {
    expect(minorUnitsProblem('10.1234', 'BHD')).toBe(
      'has 4 decimal places; BHD allows 3 (ISO 4217 minor units)',
    );
  });

  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['OMR', 3],
    ['JOD', 3],
    ['TND', 3],
    ['USD', 2],
    ['IDR', 2],
    ['HUF', 2],
  ])('gives %s %i minor units', (currency, units) => {
    expect(minorUnits(currency)).toBe(units);
  });

  it('leaves prices free of the minor units (a JPY price may have decimals)', () => {
    const result = parseOne({ currency: 'JPY', price: '2650.5', net_amount: '3975750' });
    expect(result.errors).toStrictEqual([]);
  });
});

describe('instrument class', () => {
  it('reads an optional instrument_class column and leaves it absent (equity) when not given', () => {
    const header = `${HEADER},instrument_class`;
    const columns = [...COLUMNS, 'instrument_class'];
    const bond = parseOne(
      { instrument_class: 'BOND', quantity: '1000000', price: '99.50', net_amount: '995000.00' },
      header,
      columns,
    );
    const equity = parseOne({}, HEADER);
    expect([bond.rows[0]?.input, equity.rows[0]?.input]).toStrictEqual([
      tradeInput({ instrumentClass: 'BOND', quantity: '1000000', price: '99.50', netAmount: '995000.00' }),
      tradeInput(),
    ]);
  });

  it('refuses an unknown instrument class, naming the column', () => {
    const result = parseOne({ instrument_class: 'SWAP' }, `${HEADER},instrument_class`, [
      ...COLUMNS,
      'instrument_class',
    ]);
    expect(formatParseErrors(result)).toStrictEqual(['line 2: instrument_class: must be EQUITY or BOND']);
  });

  it('computes a bond notional as face × price / 100 and an equity notional as quantity × price', () => {
    const bond = notionalOf({ quantity: '1000000', price: '99.50', instrumentClass: 'BOND' });
    const equity = notionalOf({ quantity: '1000000', price: '99.50' });
    expect([bond.toFixed(), equity.toFixed()]).toStrictEqual(['995000', '99500000']);
  });
});
