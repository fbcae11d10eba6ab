import { describe, expect, it } from 'vitest';
import { Dec, dec, decString, isDecimalString, scaleOf } from '../../../src/settlement/decimal.ts';

describe('isDecimalString', () => {
  it.each([
    ['an integer', '5'],
    ['zero', '0'],
    ['a fraction', '101.25'],
    ['trailing zeros in the fraction', '10.50'],
    ['a fraction below one', '0.0001'],
    ['a negative value', '-3.5'],
    ['negative zero', '-0'],
    ['a long value', '123456789012345678901234567890.123456789'],
  ])('accepts %s', (_, value) => {
    expect(isDecimalString(value)).toBe(true);
  });

  it.each([
    ['an exponent', '1e5'],
    ['an upper-case exponent with a fraction', '1.5E-3'],
    ['comma grouping', '1,000'],
    ['underscore grouping', '1_000'],
    ['space grouping', '1 000'],
    ['a leading plus', '+5'],
    ['no integer part', '.5'],
    ['no fraction digits', '5.'],
    ['a leading zero', '05'],
    ['two leading zeros before the point', '00.5'],
    ['a decimal comma', '5,25'],
    ['surrounding spaces', ' 5 '],
    ['empty', ''],
    ['a lone minus', '-'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['hexadecimal', '0x10'],
    ['two points', '1.2.3'],
  ])('rejects %s', (_, value) => {
    expect(isDecimalString(value)).toBe(false);
  });
});

describe('dec', () => {
  it('parses a plain decimal string', () => {
    expect(dec('101.25').toFixed()).toBe('101.25');
  });

  it('returns a Dec unchanged', () => {
    const value = new Dec('7.5');
    expect(dec(value)).toBe(value);
  });

  it.each(['1e5', '.5', '5.', '+5', '1,000'])('throws a TypeError naming %j', (value) => {
    expect(() => dec(value)).toThrow(new TypeError(`not a decimal string: ${JSON.stringify(value)}`));
  });
});

describe('exact arithmetic', () => {
  it('adds 0.1 and 0.2 to exactly 0.3', () => {
    expect(decString(dec('0.1').plus(dec('0.2')))).toBe('0.3');
    expect(dec('0.1').plus(dec('0.2')).eq(dec('0.3'))).toBe(true);
  });

  it('multiplies a quantity by a price without float artefacts', () => {
    expect(decString(dec('1000').times(dec('101.25')))).toBe('101250');
    expect(decString(dec('3').times(dec('1.1')))).toBe('3.3');
  });

  it('keeps small and large values in plain notation', () => {
    expect(decString(dec('0.0000001'))).toBe('0.0000001');
    expect(decString(dec('12345678901234567890123456789'))).toBe('12345678901234567890123456789');
  });

  it('drops trailing zeros in the canonical form', () => {
    expect(decString(dec('10.50'))).toBe('10.5');
  });

  it('rounds half to even at the configured precision', () => {
    // 41 significant digits: the last one (5) is dropped towards the even neighbour.
    expect(decString(dec('1234567890123456789012345678901234567890').plus(dec('0.5')))).toBe(
      '1234567890123456789012345678901234567890',
    );
  });
});

describe('scaleOf', () => {
  it.each([
    ['10.50', 2],
    ['10', 0],
    ['0.001', 3],
    ['-0.001', 3],
    ['101.250000', 6],
  ])('gives %s a scale of %i', (value, scale) => {
    expect(scaleOf(value)).toBe(scale);
  });
});
