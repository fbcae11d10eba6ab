import { describe, expect, it } from 'vitest';
import {
  bicInstitution,
  bicsDifferOnlyInBranch,
  isinCheckDigit,
  isValidBic,
  isValidCountryCode,
  isValidCurrency,
  isValidIsin,
  isValidIsoDate,
} from '../../../src/settlement/identifiers.ts';

/** Real ISINs: Apple, Microsoft, BP, Siemens, Toyota, Nestlé, ASML, TotalEnergies. */
const REAL_ISINS = [
  'US0378331005',
  'US5949181045',
  'GB0002634946',
  'DE0007164600',
  'JP3633400001',
  'CH0038863350',
  'NL0010273215',
  'FR0000120271',
] as const;

/** Every other digit in the check-digit position. */
function withWrongCheckDigits(isin: string): string[] {
  const body = isin.slice(0, 11);
  return [...'0123456789'].filter((d) => d !== isin[11]).map((d) => `${body}${d}`);
}

describe('isValidIsin', () => {
  it.each(REAL_ISINS)('accepts the real ISIN %s', (isin) => {
    expect(isValidIsin(isin)).toBe(true);
  });

  it.each(REAL_ISINS)('rejects %s with any other check digit', (isin) => {
    expect(withWrongCheckDigits(isin).map(isValidIsin)).toStrictEqual(Array(9).fill(false));
  });

  it.each([
    ['a body with letters (Alphabet class A)', 'US38259P5089'],
    ['the ISO 6166 example with letters', 'AU0000XVGZA3'],
  ])('accepts %s', (_, isin) => {
    expect(isValidIsin(isin)).toBe(true);
  });

  it('rejects a body with letters and a wrong check digit', () => {
    expect(isValidIsin('US38259P5088')).toBe(false);
  });

  it('rejects two digits swapped in the body', () => {
    expect(isValidIsin('US0387331005')).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['11 characters', 'US037833100'],
    ['13 characters', 'US03783310050'],
    ['lower case', 'us0378331005'],
    ['a digit in the country', 'U10378331005'],
    ['a letter as check digit', 'US037833100X'],
    ['surrounding spaces', ' US0378331005 '],
    ['a separator', 'US-0378331005'],
  ])('rejects the wrong shape: %s', (_, value) => {
    expect(isValidIsin(value)).toBe(false);
  });
});

describe('isinCheckDigit', () => {
  it('computes the check digit of each real ISIN body', () => {
    expect(REAL_ISINS.map((isin) => isinCheckDigit(isin.slice(0, 11)))).toStrictEqual(
      REAL_ISINS.map((isin) => Number(isin[11])),
    );
  });

  it('expands letters to two digits before the Luhn sum', () => {
    expect(isinCheckDigit('AU0000XVGZA')).toBe(3);
    expect(isinCheckDigit('US38259P508')).toBe(9);
  });
});

describe('isValidBic', () => {
  it.each([
    ['an 8-character BIC', 'DEUTDEFF'],
    ['an 11-character BIC', 'DEUTDEFF500'],
    ['the primary office branch', 'DTCYUS33XXX'],
    ['a location with a digit', 'CRSTGB22'],
  ])('accepts %s', (_, bic) => {
    expect(isValidBic(bic)).toBe(true);
  });

  it.each([
    ['7 characters', 'DEUTDEF'],
    ['9 characters', 'DEUTDEFF5'],
    ['10 characters', 'DEUTDEFF50'],
    ['12 characters', 'DEUTDEFF5000'],
    ['lower case', 'deutdeff'],
    ['a digit in the country', 'DEUTD1FF'],
    ['a space', 'DEUT DEFF'],
    ['empty', ''],
  ])('rejects the wrong shape: %s', (_, bic) => {
    expect(isValidBic(bic)).toBe(false);
  });

  it.each([
    ['XX', 'DEUTXXFF'],
    ['AA', 'DEUTAAFF'],
    ['OO', 'DEUTOO22XXX'],
  ])('rejects the unknown country %s', (_, bic) => {
    expect(isValidBic(bic)).toBe(false);
  });
});

describe('isValidCountryCode', () => {
  it.each(['US', 'GB', 'DE', 'JP', 'CH', 'BE'])('accepts %s', (code) => {
    expect(isValidCountryCode(code)).toBe(true);
  });

  it.each(['XX', 'AA', 'us', 'USA', 'U', '', '1S'])('rejects %j', (code) => {
    expect(isValidCountryCode(code)).toBe(false);
  });
});

describe('region codes that are not countries', () => {
  // Known bug (isValidCountryCode): Intl.DisplayNames also names ICU's unknown, macro and pseudo
  // regions, so these pass as countries and BICs such as DEUTZZFF are accepted.
  it.each(['ZZ', 'EZ', 'UN', 'QO', 'XA'])('rejects %s as a country', (code) => {
    expect(isValidCountryCode(code)).toBe(false);
  });

  it('rejects a BIC with the unknown region ZZ', () => {
    expect(isValidBic('DEUTZZFF')).toBe(false);
  });
});

describe('BIC branch helpers', () => {
  it('takes the first eight characters as the institution', () => {
    expect([bicInstitution('DEUTDEFF500'), bicInstitution('DEUTDEFF')]).toStrictEqual([
      'DEUTDEFF',
      'DEUTDEFF',
    ]);
  });

  it('sees a differing branch of the same institution', () => {
    expect(bicsDifferOnlyInBranch('DEUTDEFF500', 'DEUTDEFF')).toBe(true);
    expect(bicsDifferOnlyInBranch('DEUTDEFF500', 'DEUTDEFF501')).toBe(true);
  });

  it('treats a missing branch and XXX as the same branch', () => {
    expect(bicsDifferOnlyInBranch('DEUTDEFF', 'DEUTDEFFXXX')).toBe(false);
  });

  it('reports no branch difference for identical BICs', () => {
    expect(bicsDifferOnlyInBranch('DEUTDEFF500', 'DEUTDEFF500')).toBe(false);
  });

  it.each([
    ['another institution', 'DEUTDEFF500', 'COBADEFF500'],
    ['another country', 'DEUTDEFF500', 'DEUTGBFF500'],
    ['another location', 'DEUTDEFF500', 'DEUTDE2H500'],
  ])('reports no branch difference for %s', (_, a, b) => {
    expect(bicsDifferOnlyInBranch(a, b)).toBe(false);
  });
});

describe('isValidCurrency', () => {
  it.each(['USD', 'EUR', 'GBP', 'JPY', 'CHF'])('accepts %s', (code) => {
    expect(isValidCurrency(code)).toBe(true);
  });

  it.each(['usd', 'US', 'USDD', 'ABC', 'XXX', '', ' USD'])('rejects %j', (code) => {
    expect(isValidCurrency(code)).toBe(false);
  });
});

describe('isValidIsoDate', () => {
  it.each([
    ['an ordinary date', '2026-11-24'],
    ['29 February of a leap year', '2028-02-29'],
    ['29 February of a 400-year leap year', '2000-02-29'],
    ['the last day of a 31-day month', '2026-12-31'],
  ])('accepts %s', (_, value) => {
    expect(isValidIsoDate(value)).toBe(true);
  });

  it.each([
    ['29 February of a common year', '2026-02-29'],
    ['29 February of a century common year', '2100-02-29'],
    ['31 April', '2026-04-31'],
    ['month 13', '2026-13-01'],
    ['month 0', '2026-00-10'],
    ['day 0', '2026-01-00'],
    ['day 32', '2026-01-32'],
    ['single-digit month', '2026-1-01'],
    ['no separators', '20260101'],
    ['a time part', '2026-01-01T00:00:00Z'],
    ['slashes', '2026/01/01'],
    ['empty', ''],
  ])('rejects %s', (_, value) => {
    expect(isValidIsoDate(value)).toBe(false);
  });

  // Known bug (isValidIsoDate): Date.UTC maps years 0-99 to 1900-1999, so these real dates fail.
  it('accepts a date in the years 0000-0099', () => {
    expect(isValidIsoDate('0099-12-31')).toBe(true);
  });
});
