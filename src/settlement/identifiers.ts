/**
 * Validators for the identifiers a settlement record carries. Pure functions; the zod schemas in
 * `model.ts` use them so every entry point (CSV, JSON, agents) rejects the same inputs.
 */

const ISIN_SHAPE = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;
const BIC_SHAPE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const ISO_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO 6166: two-letter country, nine alphanumerics, a Luhn check digit over the letter-expanded string. */
export function isValidIsin(value: string): boolean {
  if (!ISIN_SHAPE.test(value)) return false;
  return isinCheckDigit(value.slice(0, 11)) === Number(value[11]);
}

/** The ISO 6166 check digit for the first eleven characters of an ISIN. */
export function isinCheckDigit(body: string): number {
  let digits = '';
  for (const ch of body) digits += /[0-9]/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
  let sum = 0;
  // Luhn from the rightmost digit of the expanded body, which is doubled (the check digit is not there yet).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** ISO 9362 BIC: 8 or 11 characters (institution, country, location, optional branch). */
export function isValidBic(value: string): boolean {
  return BIC_SHAPE.test(value) && isValidCountryCode(value.slice(4, 6));
}

/** The BIC without its branch code (its first 8 characters), so `ABCDUS33XXX` and `ABCDUS33` compare equal. */
export function bicInstitution(bic: string): string {
  return bic.slice(0, 8);
}

/** True when the branch part differs but the institution, country and location agree. */
export function bicsDifferOnlyInBranch(a: string, b: string): boolean {
  return a !== b && bicInstitution(a) === bicInstitution(b) && branchOf(a) !== branchOf(b);
}

function branchOf(bic: string): string {
  return bic.length === 11 ? bic.slice(8) : 'XXX';
}

const currencies = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217 alphabetic code, from the runtime's ICU data (kept current with Node releases). */
export function isValidCurrency(value: string): boolean {
  return /^[A-Z]{3}$/.test(value) && currencies.has(value);
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/**
 * Codes ICU names that are not countries: user-assigned ranges (AA, QM–QZ, XA–XZ, ZZ) and the
 * exceptional reservations EU, EZ, UN, UK. XK (Kosovo) is user-assigned but SWIFT issues BICs with it.
 */
const NOT_COUNTRIES = /^(AA|Q[M-Z]|X[A-JL-Z]|ZZ|EU|EZ|UN|UK)$/;

/** ISO 3166 alpha-2 country code known to the runtime's ICU data. */
export function isValidCountryCode(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value) || NOT_COUNTRIES.test(value)) return false;
  try {
    return regionNames.of(value) !== undefined;
  } catch {
    return false;
  }
}

/** A calendar date written `YYYY-MM-DD` that exists (no 2026-02-30). */
export function isValidIsoDate(value: string): boolean {
  const m = ISO_DATE_SHAPE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(y, mo - 1, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
