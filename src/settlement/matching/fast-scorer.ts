import type { BusinessCalendar, CalendarRegistry } from '../calendar.ts';
import { bicsDifferOnlyInBranch } from '../identifiers.ts';
import { type ComparableTrade, compareTrades, holidayRollExplains } from './compare.ts';
import { type MatchingPolicy, type NumericField, type OutcomePenalties, toleranceFor } from './policy.ts';
import type { Tolerance } from './tolerance.ts';

/*
 * The batch matcher's hot path: the confidence `compareTrades` would give, computed without decimal.js,
 * BigInt or FieldResult objects. Decimal strings are parsed once per trade into an integer mantissa
 * and a scale; all arithmetic is on integers held in JS numbers, and every product is checked with
 * `Number.isSafeInteger` — a result beyond 2^53 − 1 (where a double could round) makes the pair fall
 * back to `compareTrades`. No fractional double is ever produced, so no binary-float rounding occurs.
 */

/** Scale markers: the value is absent, or not representable on the fast path (→ fall back). */
const MISSING = -2;
const UNSAFE = -1;
/** Up to 15 digits: the mantissa stays below 10^15 < 2^53. */
const MAX_DIGITS = 15;

const EQUAL = 0;
const WITHIN = 1;
const NEAR = 2;
const OUTSIDE = 3;
const FALLBACK = 4;

const P10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

function p10(n: number): number {
  return P10[n] ?? Number.NaN;
}

/*
 * A prepared trade is 12 numbers in one flat array (row-major, `STRIDE` per trade): a pair comparison
 * reads two short rows instead of chasing a trade object and its strings. Strings that are compared
 * for equality (currency, dates, BICs, settlement type) become ids interned per scorer, so both sides
 * of a batch share them; BICs are interned in their 11-character form, so equal ids mean "same BIC".
 */
const Q_M = 0;
const Q_S = 1;
const P_M = 2;
const P_S = 3;
const N_M = 4;
const N_S = 5;
const CURRENCY = 6;
const SETTLEMENT_DATE = 7;
const BIC = 8;
const BIC_INSTITUTION = 9;
const PLACE = 10;
const SETTLEMENT_TYPE = 11;
const STRIDE = 12;

/** One side of a batch, parsed once: row `i` describes `trades[i]`. */
export interface PreparedSide {
  readonly trades: readonly ComparableTrade[];
  readonly rows: number[];
}

/**
 * A zero-filled number array. Plain arrays rather than typed arrays on purpose: they live on the JS
 * heap, so allocating tens of megabytes of them does not trip V8's external-memory trigger, which
 * otherwise forces a full mark-compact of the (large, live) trade data in the middle of a batch.
 */
export function zeros(n: number): number[] {
  return new Array<number>(n).fill(0);
}

interface Parsed {
  m: number;
  s: number;
}

/** Mantissa and written scale of a plain positive decimal string; UNSAFE for anything else. */
function parseFast(value: string | undefined, out: Parsed): void {
  out.m = 0;
  if (value === undefined) {
    out.s = MISSING;
    return;
  }
  let m = 0;
  let digits = 0;
  let scale = -1;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 && scale < 0 && i > 0 && i < n - 1) {
      scale = 0;
    } else if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else {
      out.s = UNSAFE;
      return;
    }
  }
  // Leading zeros ("007") are not plain decimals: let the reference path judge them.
  const leadingZero = value.charCodeAt(0) === 48 && n > 1 && value.charCodeAt(1) !== 46;
  if (digits === 0 || digits > MAX_DIGITS || leadingZero) {
    out.s = UNSAFE;
    return;
  }
  out.m = m;
  out.s = Math.max(scale, 0);
}

const KIND_EXACT = 0;
const KIND_PERCENT = 1;
const KIND_ABSOLUTE = 2;
const KIND_CAPPED = 3;

interface FastTier {
  /** Upper bound mantissa/scale; scale UNSAFE marks the open last tier. */
  readonly upM: number;
  readonly upS: number;
  readonly amM: number;
  readonly amS: number;
}

interface FastTolerance {
  readonly kind: number;
  /** False when a constant is not representable: every comparison under it falls back. */
  readonly ok: boolean;
  readonly pM: number;
  /** 100 · 10^(percent scale): |a − b| · pK ≤ base · pM is "within percent". */
  readonly pK: number;
  readonly tiers: readonly FastTier[];
  readonly capM: number;
  readonly capS: number;
}

function compileTolerance(t: Tolerance): FastTolerance {
  const tmp: Parsed = { m: 0, s: 0 };
  const parse = (v: string): [number, number] => {
    parseFast(v, tmp);
    return [tmp.m, tmp.s];
  };
  let ok = true;
  let pM = 0;
  let pK = 0;
  let capM = 0;
  let capS = 0;
  const tiers: FastTier[] = [];
  if (t.kind === 'percent' || t.kind === 'percentCapped') {
    const [m, s] = parse(t.percent);
    pM = m;
    pK = 100 * p10(s);
    if (s < 0 || !Number.isSafeInteger(pK)) ok = false;
  }
  if (t.kind === 'percentCapped') {
    [capM, capS] = parse(t.cap);
    if (capS < 0) ok = false;
  }
  if (t.kind === 'absolute') {
    for (const tier of t.tiers) {
      const [upM, upS] = tier.upTo === undefined ? [0, UNSAFE] : parse(tier.upTo);
      const [amM, amS] = parse(tier.amount);
      if ((tier.upTo !== undefined && upS < 0) || amS < 0) ok = false;
      tiers.push({ upM, upS, amM, amS });
    }
  }
  const kind =
    t.kind === 'exact'
      ? KIND_EXACT
      : t.kind === 'percent'
        ? KIND_PERCENT
        : t.kind === 'absolute'
          ? KIND_ABSOLUTE
          : KIND_CAPPED;
  return { kind, ok, pM, pK, tiers, capM, capS };
}

/** x (at scale xs) ≤ y (at scale ys) · k; 1 true, 0 false, −1 not representable. */
function lessOrEqualScaled(x: number, xs: number, y: number, ys: number, k: number): number {
  const scale = Math.max(xs, ys);
  const left = x * p10(scale - xs);
  const right = y * k * p10(scale - ys);
  if (!Number.isSafeInteger(left) || !Number.isSafeInteger(right)) return -1;
  return left <= right ? 1 : 0;
}

/** Whether diff/base (integers at `scale`) fit `t` with allowance × k; 1, 0 or −1 (fall back). */
function fits(t: FastTolerance, diff: number, base: number, scale: number, k: number): number {
  if (t.kind === KIND_PERCENT || t.kind === KIND_CAPPED) {
    const left = diff * t.pK;
    const right = base * t.pM * k;
    if (!Number.isSafeInteger(left) || !Number.isSafeInteger(right)) return -1;
    if (left > right) return 0;
    if (t.kind === KIND_PERCENT) return 1;
    return lessOrEqualScaled(diff, scale, t.capM, t.capS, k);
  }
  // Absolute: the tier is picked by the larger magnitude, then the band applies.
  const tiers = t.tiers;
  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i] as FastTier;
    if (tier.upS !== UNSAFE) {
      const inTier = lessOrEqualScaled(base, scale, tier.upM, tier.upS, 1);
      if (inTier < 0) return -1;
      if (inTier === 0) continue;
    }
    return lessOrEqualScaled(diff, scale, tier.amM, tier.amS, k);
  }
  return -1;
}

function verdict(
  t: FastTolerance,
  am: number,
  as: number,
  bm: number,
  bs: number,
  multiplier: number,
): number {
  if (as < 0 || bs < 0) return FALLBACK;
  let a = am;
  let b = bm;
  let scale = as;
  if (as !== bs) {
    if (as > bs) b = bm * p10(as - bs);
    else {
      a = am * p10(bs - as);
      scale = bs;
    }
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return FALLBACK;
  }
  if (a === b) return EQUAL;
  if (t.kind === KIND_EXACT) return OUTSIDE;
  if (!t.ok) return FALLBACK;
  const diff = a > b ? a - b : b - a;
  const base = Math.max(a, b);
  const within = fits(t, diff, base, scale, 1);
  if (within < 0) return FALLBACK;
  if (within === 1) return WITHIN;
  if (multiplier <= 1) return OUTSIDE;
  const near = fits(t, diff, base, scale, multiplier);
  if (near < 0) return FALLBACK;
  return near === 1 ? NEAR : OUTSIDE;
}

/** Mirror of `roundingExplains` on parsed values: 1, 0, or −1 (fall back). */
function roundingExplainsFast(am: number, as: number, bm: number, bs: number, minScale: number): number {
  if (as === bs) return 0;
  const aPrecise = as > bs;
  const pm = aPrecise ? am : bm;
  const ps = aPrecise ? as : bs;
  const lm = aPrecise ? bm : am;
  const ls = aPrecise ? bs : as;
  if (ls < minScale) return 0;
  const divisor = p10(ps - ls);
  if (!Number.isSafeInteger(divisor)) return -1;
  const remainder = pm % divisor;
  const quotient = (pm - remainder) / divisor;
  const twice = remainder * 2;
  const halfUp = twice >= divisor ? quotient + 1 : quotient;
  const halfEven = twice > divisor || (twice === divisor && quotient % 2 === 1) ? quotient + 1 : quotient;
  return halfUp === lm || halfEven === lm ? 1 : 0;
}

interface CurrencyProfile {
  readonly quantity: FastTolerance;
  readonly price: FastTolerance;
  readonly netAmount: FastTolerance;
}

/** Strings ↔ small integer ids. */
class Interner {
  readonly #ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.#ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** BICs interned as ISO 9362 equivalence classes: `ABCDUS33` and `ABCDUS33XXX` get one id. */
class BicInterner {
  readonly #byRaw = new Map<string, number>();
  readonly #normalised = new Interner();
  readonly #institutions = new Interner();
  /** Institution id per BIC id; −1 for strings that are not 8 or 11 characters. */
  readonly institution: number[] = [];

  get values(): readonly string[] {
    return this.#normalised.values;
  }

  id(raw: string): number {
    let id = this.#byRaw.get(raw);
    if (id === undefined) {
      id = this.#normalised.id(raw.length === 8 ? `${raw}XXX` : raw);
      this.#byRaw.set(raw, id);
      const valid = raw.length === 8 || raw.length === 11;
      this.institution[id] = valid ? this.#institutions.id(raw.slice(0, 8)) : -1;
    }
    return id;
  }
}

/**
 * Scores pairs of prepared trades exactly as `compareTrades` would (its confidence), for one policy.
 * Holds the interned strings and small caches (tolerances per currency, calendar rolls): use one
 * scorer for both sides of a batch.
 */
export class FastScorer {
  readonly #policy: MatchingPolicy;
  readonly #calendars: CalendarRegistry;
  readonly #currencies = new Interner();
  readonly #dates = new Interner();
  readonly #bics = new BicInterner();
  readonly #places = new BicInterner();
  readonly #types = new Interner();
  readonly #profiles: CurrencyProfile[] = [];
  /** Rolled date per place id and date id. */
  readonly #rolls: Array<Array<string | undefined>> = [];
  readonly #multiplier: number;
  readonly #rounding: boolean;
  readonly #minScale: number;
  readonly #holidayRoll: boolean;
  readonly #pen: Record<keyof MatchingPolicy['penalties'], OutcomePenalties>;
  readonly #tmp: Parsed = { m: 0, s: 0 };
  /** Pairs that needed the reference path (for the bench's curiosity and tests). */
  fallbacks = 0;

  constructor(policy: MatchingPolicy, calendars: CalendarRegistry) {
    this.#policy = policy;
    this.#calendars = calendars;
    this.#multiplier = policy.nearMiss.enabled ? policy.nearMiss.multiplier : 1;
    this.#rounding = policy.rules.rounding.enabled;
    this.#minScale = policy.rules.rounding.minScale;
    this.#holidayRoll = policy.rules.holidayRoll.enabled;
    this.#pen = policy.penalties;
  }

  /** Prepares a whole side. */
  prepare(trades: readonly ComparableTrade[]): PreparedSide {
    const side = this.allocate(trades);
    for (let i = 0; i < trades.length; i++) this.prepareRow(side, i, trades[i] as ComparableTrade);
    return side;
  }

  /** An empty side for `trades`, to fill with `prepareRow` (so a caller can do its own work in the same pass). */
  allocate(trades: readonly ComparableTrade[]): PreparedSide {
    // Filled with NaN (a double) so the array is a packed double array from the start: mantissas
    // beyond 2^31 would otherwise convert a small-integer array of millions of elements mid-pass.
    return { trades, rows: new Array<number>(trades.length * STRIDE).fill(Number.NaN) };
  }

  prepareRow(side: PreparedSide, i: number, t: ComparableTrade): void {
    const rows = side.rows;
    const at = i * STRIDE;
    const tmp = this.#tmp;
    parseFast(t.quantity, tmp);
    rows[at + Q_M] = tmp.m;
    rows[at + Q_S] = tmp.s;
    parseFast(t.price, tmp);
    rows[at + P_M] = tmp.m;
    rows[at + P_S] = tmp.s;
    parseFast(t.netAmount, tmp);
    rows[at + N_M] = tmp.m;
    rows[at + N_S] = tmp.s;
    const currency = this.#currencies.id(t.currency);
    if (this.#profiles[currency] === undefined) this.#profiles[currency] = this.#compileProfile(t.currency);
    rows[at + CURRENCY] = currency;
    rows[at + SETTLEMENT_DATE] = this.#dates.id(t.settlementDate);
    const bic = this.#bics.id(t.counterpartyBic);
    rows[at + BIC] = bic;
    rows[at + BIC_INSTITUTION] = this.#bics.institution[bic] ?? -1;
    rows[at + PLACE] = this.#places.id(t.placeOfSettlement);
    rows[at + SETTLEMENT_TYPE] = this.#types.id(t.settlementType);
  }

  /** The confidence of `compareTrades(ours.trades[i], theirs.trades[c], policy, calendars)`. */
  score(ours: PreparedSide, i: number, theirs: PreparedSide, c: number): number {
    const o = ours.rows;
    const t = theirs.rows;
    const a = i * STRIDE;
    const b = c * STRIDE;
    const pen = this.#pen;
    const currency = o[a + CURRENCY] as number;
    const profile = this.#profiles[currency] as CurrencyProfile;
    let total = 0;

    const oq = o[a + Q_S] as number;
    const tq = t[b + Q_S] as number;
    let p = this.#numeric(
      profile.quantity,
      pen.quantity,
      o[a + Q_M] as number,
      oq,
      t[b + Q_M] as number,
      tq,
      false,
    );
    if (p < 0) return this.#fallback(ours, i, theirs, c);
    total += p;
    const op = o[a + P_S] as number;
    const tp = t[b + P_S] as number;
    p = this.#numeric(
      profile.price,
      pen.price,
      o[a + P_M] as number,
      op,
      t[b + P_M] as number,
      tp,
      this.#rounding,
    );
    if (p < 0) return this.#fallback(ours, i, theirs, c);
    total += p;
    const on = o[a + N_S] as number;
    const tn = t[b + N_S] as number;
    if (on === MISSING || tn === MISSING) total += pen.netAmount.NOT_COMPARED;
    else {
      p = this.#numeric(
        profile.netAmount,
        pen.netAmount,
        o[a + N_M] as number,
        on,
        t[b + N_M] as number,
        tn,
        this.#rounding,
      );
      if (p < 0) return this.#fallback(ours, i, theirs, c);
      total += p;
    }

    if (currency !== t[b + CURRENCY]) total += pen.currency.MISMATCH;
    const ourDate = o[a + SETTLEMENT_DATE] as number;
    const theirDate = t[b + SETTLEMENT_DATE] as number;
    if (ourDate !== theirDate) {
      total +=
        this.#holidayRoll && this.#rollExplains(o[a + PLACE] as number, ourDate, theirDate)
          ? pen.settlementDate.RULE
          : pen.settlementDate.MISMATCH;
    }
    if (o[a + BIC] !== t[b + BIC]) {
      total += this.#branchOnly(
        o[a + BIC_INSTITUTION] as number,
        t[b + BIC_INSTITUTION] as number,
        ours,
        i,
        theirs,
        c,
      )
        ? pen.counterpartyBic.PARTIAL
        : pen.counterpartyBic.MISMATCH;
    }
    if (o[a + PLACE] !== t[b + PLACE]) total += pen.placeOfSettlement.MISMATCH;
    if (o[a + SETTLEMENT_TYPE] !== t[b + SETTLEMENT_TYPE]) total += pen.settlementType.MISMATCH;
    return total >= 100 ? 0 : 100 - total;
  }

  /**
   * For two BICs that are not the same BIC: does only the branch differ? With 8/11-character BICs
   * that is "same first 8 characters"; anything else is left to `bicsDifferOnlyInBranch` itself.
   */
  #branchOnly(
    ourInstitution: number,
    theirInstitution: number,
    ours: PreparedSide,
    i: number,
    theirs: PreparedSide,
    c: number,
  ): boolean {
    if (ourInstitution >= 0 && theirInstitution >= 0) return ourInstitution === theirInstitution;
    const o = ours.trades[i] as ComparableTrade;
    const t = theirs.trades[c] as ComparableTrade;
    return bicsDifferOnlyInBranch(o.counterpartyBic, t.counterpartyBic);
  }

  /** Penalty for one numeric field, or −1 to fall back. */
  #numeric(
    t: FastTolerance,
    pen: OutcomePenalties,
    am: number,
    as: number,
    bm: number,
    bs: number,
    rounding: boolean,
  ): number {
    const v = verdict(t, am, as, bm, bs, this.#multiplier);
    if (v === EQUAL) return 0;
    if (v === WITHIN) return pen.WITHIN;
    if (v === FALLBACK) return -1;
    if (rounding) {
      const r = roundingExplainsFast(am, as, bm, bs, this.#minScale);
      if (r < 0) return -1;
      if (r === 1) return pen.RULE;
    }
    return v === NEAR ? pen.PARTIAL : pen.MISMATCH;
  }

  #fallback(ours: PreparedSide, i: number, theirs: PreparedSide, c: number): number {
    this.fallbacks++;
    const o = ours.trades[i] as ComparableTrade;
    const t = theirs.trades[c] as ComparableTrade;
    return compareTrades(o, t, this.#policy, this.#calendars).confidence;
  }

  #compileProfile(currency: string): CurrencyProfile {
    const compile = (field: NumericField) => compileTolerance(toleranceFor(this.#policy, field, currency));
    return { quantity: compile('quantity'), price: compile('price'), netAmount: compile('netAmount') };
  }

  #rollExplains(place: number, ourDate: number, theirDate: number): boolean {
    let rolls = this.#rolls[place];
    if (rolls === undefined) {
      rolls = [];
      this.#rolls[place] = rolls;
    }
    const memo = rolls;
    const dates = this.#dates.values;
    let calendar: BusinessCalendar | undefined;
    const roll = (date: string): string => {
      const id = date === dates[ourDate] ? ourDate : theirDate;
      let rolled = memo[id];
      if (rolled === undefined) {
        calendar ??= this.#calendars.forPlaceOfSettlement(this.#places.values[place] as string);
        rolled = calendar.rollForward(date);
        memo[id] = rolled;
      }
      return rolled;
    };
    return holidayRollExplains(dates[ourDate] as string, dates[theirDate] as string, roll);
  }
}
