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
 * A prepared trade is stored as struct-of-arrays in typed arrays, 28 bytes a trade: its three
 * mantissas (quantity, price, net amount) in a Float64Array, and one *shape* id in an Int32Array.
 * A shape is everything else a comparison reads — the three scales and the ids of the strings compared
 * for equality (currency, settlement date, BIC and its institution, place, settlement type) — interned
 * per scorer, so both sides of a batch share them. A book has few distinct shapes, so the shape table
 * stays in cache however large the book, and two trades of one shape agree on every one of those
 * fields. BICs are interned in their 11-character form, so equal ids mean "same BIC".
 *
 * Typed arrays rather than plain arrays: a plain array of millions of doubles costs ~15 ns an element
 * just to create on a large heap. Their backing stores count as V8 external memory, and growing that by
 * more than 64 MB between full collections starts one (a mark of the whole heap, which at a million
 * trades a side is the caller's 1.2 GB of trade objects): keeping a trade to a few dozen bytes keeps a
 * whole batch of a million trades a side under that line.
 */
const Q_S = 0;
const P_S = 1;
const N_S = 2;
const CURRENCY = 3;
const SETTLEMENT_DATE = 4;
const BIC = 5;
const BIC_INSTITUTION = 6;
const PLACE = 7;
const SETTLEMENT_TYPE = 8;
/** Numbers per shape in the shape table. */
const SHAPE = 9;
/** Mantissas per trade. */
const MANTISSAS = 3;

/** One side of a batch, parsed once: entry `i` describes `trades[order[i]]` (`trades[i]` without `order`). */
export interface PreparedSide {
  readonly trades: readonly ComparableTrade[];
  /** The trade of each entry, when entries are not in the order of `trades`. */
  readonly order: Int32Array | undefined;
  /** Quantity, price and net-amount mantissas, `MANTISSAS` per trade. */
  readonly mantissas: Float64Array;
  /** Shape id per trade (see the scorer's shape table). */
  readonly shapes: Int32Array;
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

function tradeOf(side: PreparedSide, i: number): ComparableTrade {
  return side.trades[side.order === undefined ? i : (side.order[i] as number)] as ComparableTrade;
}

/**
 * Interned shapes: tuples of `SHAPE` small integers (scales and string ids), stored flat in `fields`
 * (shape `k` at `k * SHAPE`), found through an open-addressing hash table of shape ids.
 */
class ShapeTable {
  readonly fields: number[] = [];
  #count = 0;
  /** Shape id + 1 per slot, 0 for empty; the size is a power of two, at most half full. */
  #slots = new Int32Array(64);

  id(
    qs: number,
    ps: number,
    ns: number,
    currency: number,
    date: number,
    bic: number,
    institution: number,
    place: number,
    type: number,
  ): number {
    const f = this.fields;
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let at = hashShape(qs, ps, ns, currency, date, bic, place, type) & mask; ; at = (at + 1) & mask) {
      const entry = slots[at] as number;
      if (entry === 0) {
        const id = this.#count++;
        f.push(qs, ps, ns, currency, date, bic, institution, place, type);
        slots[at] = id + 1;
        if (this.#count * 2 > slots.length) this.#grow();
        return id;
      }
      // The institution follows from the BIC, so it takes no part in the comparison (nor the hash).
      const k = (entry - 1) * SHAPE;
      if (
        f[k + Q_S] === qs &&
        f[k + P_S] === ps &&
        f[k + N_S] === ns &&
        f[k + CURRENCY] === currency &&
        f[k + SETTLEMENT_DATE] === date &&
        f[k + BIC] === bic &&
        f[k + PLACE] === place &&
        f[k + SETTLEMENT_TYPE] === type
      )
        return entry - 1;
    }
  }

  #grow(): void {
    const f = this.fields;
    const slots = new Int32Array(this.#slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.#count; id++) {
      const k = id * SHAPE;
      let at =
        hashShape(
          f[k + Q_S] as number,
          f[k + P_S] as number,
          f[k + N_S] as number,
          f[k + CURRENCY] as number,
          f[k + SETTLEMENT_DATE] as number,
          f[k + BIC] as number,
          f[k + PLACE] as number,
          f[k + SETTLEMENT_TYPE] as number,
        ) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = id + 1;
    }
    this.#slots = slots;
  }
}

function hashShape(
  qs: number,
  ps: number,
  ns: number,
  currency: number,
  date: number,
  bic: number,
  place: number,
  type: number,
): number {
  let h = Math.imul(qs + 3, 0x9e3779b1);
  h = Math.imul(h ^ (ps + 3), 0x85ebca6b);
  h = Math.imul(h ^ (ns + 3), 0xc2b2ae35);
  h = Math.imul(h ^ currency, 0x27d4eb2f);
  h = Math.imul(h ^ date, 0x165667b1);
  h = Math.imul(h ^ bic, 0x9e3779b1);
  h = Math.imul(h ^ place, 0x85ebca6b);
  h = Math.imul(h ^ type, 0xc2b2ae35);
  return h ^ (h >>> 15);
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
  readonly #shapes = new ShapeTable();
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

  /**
   * An empty side for `trades`, to fill with `prepareRow` (so a caller can do its own work in the same
   * pass). With `order`, entry `i` is to describe `trades[order[i]]`.
   */
  allocate(trades: readonly ComparableTrade[], order?: Int32Array): PreparedSide {
    const n = order === undefined ? trades.length : order.length;
    return { trades, order, mantissas: new Float64Array(n * MANTISSAS), shapes: new Int32Array(n) };
  }

  prepareRow(side: PreparedSide, i: number, t: ComparableTrade): void {
    const mantissas = side.mantissas;
    const at = i * MANTISSAS;
    const tmp = this.#tmp;
    parseFast(t.quantity, tmp);
    mantissas[at] = tmp.m;
    const qs = tmp.s;
    parseFast(t.price, tmp);
    mantissas[at + 1] = tmp.m;
    const ps = tmp.s;
    parseFast(t.netAmount, tmp);
    mantissas[at + 2] = tmp.m;
    const ns = tmp.s;
    const currency = this.#currencies.id(t.currency);
    if (this.#profiles[currency] === undefined) this.#profiles[currency] = this.#compileProfile(t.currency);
    const date = this.#dates.id(t.settlementDate);
    const bic = this.#bics.id(t.counterpartyBic);
    const place = this.#places.id(t.placeOfSettlement);
    const type = this.#types.id(t.settlementType);
    side.shapes[i] = this.#shapes.id(
      qs,
      ps,
      ns,
      currency,
      date,
      bic,
      this.#bics.institution[bic] ?? -1,
      place,
      type,
    );
  }

  /** The confidence of `compareTrades(ours.trades[i], theirs.trades[c], policy, calendars)`. */
  score(ours: PreparedSide, i: number, theirs: PreparedSide, c: number): number {
    const om = ours.mantissas;
    const tm = theirs.mantissas;
    const oShape = ours.shapes[i] as number;
    const tShape = theirs.shapes[c] as number;
    const shapes = this.#shapes.fields;
    const a = oShape * SHAPE;
    const b = tShape * SHAPE;
    const am = i * MANTISSAS;
    const bm = c * MANTISSAS;
    const pen = this.#pen;
    const currency = shapes[a + CURRENCY] as number;
    const profile = this.#profiles[currency] as CurrencyProfile;
    let total = 0;
    // A field written the same way on both sides is EXACT: that is checked here, without a call (most
    // fields of most pairs), and only the others go through the tolerance rules.
    let ov = om[am] as number;
    let tv = tm[bm] as number;
    let os = shapes[a + Q_S] as number;
    let ts = shapes[b + Q_S] as number;
    if (os < 0 || os !== ts || ov !== tv) {
      const p = this.#numeric(profile.quantity, pen.quantity, ov, os, tv, ts, false);
      if (p < 0) return this.#fallback(ours, i, theirs, c);
      total += p;
    }
    ov = om[am + 1] as number;
    tv = tm[bm + 1] as number;
    os = shapes[a + P_S] as number;
    ts = shapes[b + P_S] as number;
    if (os < 0 || os !== ts || ov !== tv) {
      const p = this.#numeric(profile.price, pen.price, ov, os, tv, ts, this.#rounding);
      if (p < 0) return this.#fallback(ours, i, theirs, c);
      total += p;
    }
    ov = om[am + 2] as number;
    tv = tm[bm + 2] as number;
    os = shapes[a + N_S] as number;
    ts = shapes[b + N_S] as number;
    if (os === MISSING || ts === MISSING) total += pen.netAmount.NOT_COMPARED;
    else if (os < 0 || os !== ts || ov !== tv) {
      const p = this.#numeric(profile.netAmount, pen.netAmount, ov, os, tv, ts, this.#rounding);
      if (p < 0) return this.#fallback(ours, i, theirs, c);
      total += p;
    }
    // One shape: every field below is equal.
    if (oShape !== tShape) total += this.#discretePenalties(a, b, ours, i, theirs, c);
    return total >= 100 ? 0 : 100 - total;
  }

  /** Penalties of the fields compared for equality, for two trades of shapes at `a` and `b`. */
  #discretePenalties(
    a: number,
    b: number,
    ours: PreparedSide,
    i: number,
    theirs: PreparedSide,
    c: number,
  ): number {
    const shapes = this.#shapes.fields;
    const pen = this.#pen;
    let total = 0;
    if (shapes[a + CURRENCY] !== shapes[b + CURRENCY]) total += pen.currency.MISMATCH;
    const ourDate = shapes[a + SETTLEMENT_DATE] as number;
    const theirDate = shapes[b + SETTLEMENT_DATE] as number;
    if (ourDate !== theirDate) {
      total +=
        this.#holidayRoll && this.#rollExplains(shapes[a + PLACE] as number, ourDate, theirDate)
          ? pen.settlementDate.RULE
          : pen.settlementDate.MISMATCH;
    }
    if (shapes[a + BIC] !== shapes[b + BIC]) {
      total += this.#branchOnly(
        shapes[a + BIC_INSTITUTION] as number,
        shapes[b + BIC_INSTITUTION] as number,
        ours,
        i,
        theirs,
        c,
      )
        ? pen.counterpartyBic.PARTIAL
        : pen.counterpartyBic.MISMATCH;
    }
    if (shapes[a + PLACE] !== shapes[b + PLACE]) total += pen.placeOfSettlement.MISMATCH;
    if (shapes[a + SETTLEMENT_TYPE] !== shapes[b + SETTLEMENT_TYPE]) total += pen.settlementType.MISMATCH;
    return total;
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
    return bicsDifferOnlyInBranch(tradeOf(ours, i).counterpartyBic, tradeOf(theirs, c).counterpartyBic);
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
    return compareTrades(tradeOf(ours, i), tradeOf(theirs, c), this.#policy, this.#calendars).confidence;
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
