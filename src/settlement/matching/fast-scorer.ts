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

/** A trade parsed once for the hot path. */
export interface PreparedTrade {
  readonly trade: ComparableTrade;
  readonly ref: string;
  /** Level-1 key: the trade's own block key (counterparty side) or its candidate key (our side). */
  readonly key: string;
  readonly qM: number;
  readonly qS: number;
  readonly pM: number;
  readonly pS: number;
  readonly nM: number;
  readonly nS: number;
  readonly currency: string;
  readonly settlementDate: string;
  readonly counterpartyBic: string;
  readonly placeOfSettlement: string;
  readonly settlementType: string;
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
  const [pm, ps, lm, ls] = as > bs ? [am, as, bm, bs] : [bm, bs, am, as];
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

function sameBicFast(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === 8 && b.length === 11) return b.endsWith('XXX') && b.startsWith(a);
  if (a.length === 11 && b.length === 8) return a.endsWith('XXX') && a.startsWith(b);
  return false;
}

interface CurrencyProfile {
  readonly quantity: FastTolerance;
  readonly price: FastTolerance;
  readonly netAmount: FastTolerance;
}

/**
 * Scores pairs of prepared trades exactly as `compareTrades` would (its confidence), for one policy.
 * Keeps small caches (per-currency tolerances, calendar rolls); not shared across threads.
 */
export class FastScorer {
  readonly #policy: MatchingPolicy;
  readonly #calendars: CalendarRegistry;
  readonly #profiles = new Map<string, CurrencyProfile>();
  readonly #rolls = new Map<string, Map<string, string>>();
  readonly #calendarByPlace = new Map<string, BusinessCalendar>();
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

  prepare(trade: ComparableTrade, ref: string, key: string): PreparedTrade {
    const tmp = this.#tmp;
    parseFast(trade.quantity, tmp);
    const qM = tmp.m;
    const qS = tmp.s;
    parseFast(trade.price, tmp);
    const pM = tmp.m;
    const pS = tmp.s;
    parseFast(trade.netAmount, tmp);
    return {
      trade,
      ref,
      key,
      qM,
      qS,
      pM,
      pS,
      nM: tmp.m,
      nS: tmp.s,
      currency: trade.currency,
      settlementDate: trade.settlementDate,
      counterpartyBic: trade.counterpartyBic,
      placeOfSettlement: trade.placeOfSettlement,
      settlementType: trade.settlementType,
    };
  }

  /** The confidence of `compareTrades(ours.trade, theirs.trade, policy, calendars)`. */
  score(ours: PreparedTrade, theirs: PreparedTrade): number {
    const pen = this.#pen;
    const profile = this.#profile(ours.currency);
    let total = 0;

    let p = this.#numeric(profile.quantity, pen.quantity, ours.qM, ours.qS, theirs.qM, theirs.qS, false);
    if (p < 0) return this.#fallback(ours, theirs);
    total += p;
    p = this.#numeric(profile.price, pen.price, ours.pM, ours.pS, theirs.pM, theirs.pS, this.#rounding);
    if (p < 0) return this.#fallback(ours, theirs);
    total += p;
    if (ours.nS === MISSING || theirs.nS === MISSING) total += pen.netAmount.NOT_COMPARED;
    else {
      p = this.#numeric(
        profile.netAmount,
        pen.netAmount,
        ours.nM,
        ours.nS,
        theirs.nM,
        theirs.nS,
        this.#rounding,
      );
      if (p < 0) return this.#fallback(ours, theirs);
      total += p;
    }

    if (ours.currency !== theirs.currency) total += pen.currency.MISMATCH;
    if (ours.settlementDate !== theirs.settlementDate) {
      total +=
        this.#holidayRoll &&
        this.#rollExplains(ours.placeOfSettlement, ours.settlementDate, theirs.settlementDate)
          ? pen.settlementDate.RULE
          : pen.settlementDate.MISMATCH;
    }
    if (!sameBicFast(ours.counterpartyBic, theirs.counterpartyBic)) {
      total += bicsDifferOnlyInBranch(ours.counterpartyBic, theirs.counterpartyBic)
        ? pen.counterpartyBic.PARTIAL
        : pen.counterpartyBic.MISMATCH;
    }
    if (!sameBicFast(ours.placeOfSettlement, theirs.placeOfSettlement))
      total += pen.placeOfSettlement.MISMATCH;
    if (ours.settlementType !== theirs.settlementType) total += pen.settlementType.MISMATCH;
    return total >= 100 ? 0 : 100 - total;
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

  #fallback(ours: PreparedTrade, theirs: PreparedTrade): number {
    this.fallbacks++;
    return compareTrades(ours.trade, theirs.trade, this.#policy, this.#calendars).confidence;
  }

  #profile(currency: string): CurrencyProfile {
    let profile = this.#profiles.get(currency);
    if (profile === undefined) {
      const compile = (field: NumericField) => compileTolerance(toleranceFor(this.#policy, field, currency));
      profile = { quantity: compile('quantity'), price: compile('price'), netAmount: compile('netAmount') };
      this.#profiles.set(currency, profile);
    }
    return profile;
  }

  #rollExplains(placeOfSettlement: string, a: string, b: string): boolean {
    let rolls = this.#rolls.get(placeOfSettlement);
    let calendar = this.#calendarByPlace.get(placeOfSettlement);
    if (rolls === undefined || calendar === undefined) {
      calendar = this.#calendars.forPlaceOfSettlement(placeOfSettlement);
      rolls = new Map();
      this.#calendarByPlace.set(placeOfSettlement, calendar);
      this.#rolls.set(placeOfSettlement, rolls);
    }
    const cal = calendar;
    const memo = rolls;
    return holidayRollExplains(a, b, (d) => {
      let rolled = memo.get(d);
      if (rolled === undefined) {
        rolled = cal.rollForward(d);
        memo.set(d, rolled);
      }
      return rolled;
    });
  }
}
