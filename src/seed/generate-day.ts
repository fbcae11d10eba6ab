import { z } from 'zod';
import {
  type BusinessCalendar,
  bicInstitution,
  CalendarRegistry,
  DEFAULT_MATCHING_POLICY,
  Dec,
  dec,
  IsoDate,
  marketDay,
  marketOfPlaceOfSettlement,
  type ReasonCode,
  type Side,
  scaleOf,
  shiftDays,
  type TradeInput,
  toleranceFor,
} from '../settlement/index.ts';
import { Prng } from './prng.ts';
import {
  COUNTERPARTY_BICS,
  CURRENCIES,
  DESKS,
  type DeskRef,
  minorUnits,
  otherBranch,
  SECURITIES,
  type SecurityRef,
  settlementCycle,
  WRONG_PLACE,
} from './reference-data.ts';

/**
 * What a generated trade is meant to exercise. Every scenario but MISSING_COUNTERPARTY and
 * DUPLICATE_AMBIGUOUS changes exactly one field of the counterparty's record, so each one tests one
 * comparison.
 */
export const Scenario = z.enum([
  /** Both records agree on every compared field. */
  'CLEAN',
  /** Price differs by under 1 bp (one price tick), or net amount by under ±2.00 (≤ 100,000) / ±25.00. */
  'WITHIN_TOLERANCE',
  /** Counterparty BIC differs only in its branch code (`DEUTDEFF` / `DEUTDEFF500`). */
  'REVIEW_BIC_BRANCH',
  /** Price differs by 2–8 bp: outside the 1 bp tolerance, within 10 bp. */
  'REVIEW_NEAR_PRICE',
  /** Price differs by 50–300 bp (DDEA). */
  'PRICE_BREAK',
  /** Quantity differs by one to five lots (DQUA). */
  'QUANTITY_BREAK',
  /** Another currency (NCRR). */
  'CURRENCY_BREAK',
  /** Settlement date one business day later (DDAT). */
  'SETTLEMENT_DATE_BREAK',
  /** Another CSD as place of settlement (DEPT). */
  'PLACE_BREAK',
  /** The record comes from another firm (IEXE: the counterparty firm, not its settlement agent). */
  'COUNTERPARTY_BREAK',
  /** Net amount off by 0.5–3 % and at least 500 (50,000 JPY) (DMON). */
  'AMOUNT_BREAK',
  /** No counterparty record at all (CMIS). */
  'MISSING_COUNTERPARTY',
  /**
   * One side quotes a low-priced share to 4 decimals, the other the same price rounded to 2: the gap
   * is over the 1 bp tolerance, so only the rounding rule explains it. Auto-resolvable. (Rounding a net
   * amount to cents never leaves the ±2.00 band, so it is plain WITHIN_TOLERANCE.)
   */
  'ROUNDING',
  /**
   * The counterparty states the settlement date as the non-business day (weekend or holiday) right
   * before ours, which the market calendar rolls forward to our date. Auto-resolvable. Only when the
   * trade date allows it; otherwise the trade is CLEAN.
   */
  'HOLIDAY_ROLL',
  /** Two identical internal trades and two identical counterparty records: no unique pairing. */
  'DUPLICATE_AMBIGUOUS',
]);
export type Scenario = z.infer<typeof Scenario>;

/** Share of trades per scenario, in basis points of the day (CLEAN takes the rest, about 85 %). */
export const SCENARIO_SHARES: Readonly<Record<Exclude<Scenario, 'CLEAN'>, number>> = {
  WITHIN_TOLERANCE: 400,
  REVIEW_BIC_BRANCH: 80,
  REVIEW_NEAR_PRICE: 100,
  PRICE_BREAK: 100,
  QUANTITY_BREAK: 80,
  CURRENCY_BREAK: 50,
  SETTLEMENT_DATE_BREAK: 80,
  PLACE_BREAK: 60,
  COUNTERPARTY_BREAK: 60,
  AMOUNT_BREAK: 80,
  MISSING_COUNTERPARTY: 120,
  ROUNDING: 120,
  HOLIDAY_ROLL: 100,
  DUPLICATE_AMBIGUOUS: 70,
};

/** The ISO 15022/20022 unmatched reason code each break scenario should raise. */
export const SCENARIO_REASON_CODES: Readonly<Partial<Record<Scenario, ReasonCode>>> = {
  PRICE_BREAK: 'DDEA',
  QUANTITY_BREAK: 'DQUA',
  CURRENCY_BREAK: 'NCRR',
  SETTLEMENT_DATE_BREAK: 'DDAT',
  PLACE_BREAK: 'DEPT',
  COUNTERPARTY_BREAK: 'IEXE',
  AMOUNT_BREAK: 'DMON',
  MISSING_COUNTERPARTY: 'CMIS',
};

/**
 * The decimals of the rounded price in ROUNDING: the default matching policy's rounding rule
 * (`rules.rounding.minScale`) explains away only values with at least this many decimals.
 */
const ROUNDING_SCALE = 2;

/** Below this many trades the scenario counts are plain shares and a break type may not occur. */
export const ALL_SCENARIOS_FROM = 200;

export interface GenerateDayOptions {
  /** Internal trades to generate (default 2,000). */
  readonly trades?: number;
  /** PRNG seed, 0 to 2^32 − 1 (default 42). */
  readonly seed?: number;
  /** Trade date, `YYYY-MM-DD` (default: `today` rolled back to a US business day). */
  readonly date?: string;
  /** Today, `YYYY-MM-DD` (default: the current UTC date). Only used for the default trade date. */
  readonly today?: string;
}

export interface ScenarioEntry {
  /** The internal trade. */
  readonly tradeId: string;
  readonly scenario: Scenario;
  /** The counterparty record generated for it (absent for MISSING_COUNTERPARTY). */
  readonly counterpartyTradeId?: string;
}

export interface SettlementDay {
  readonly tradeDate: string;
  /** Our bookings, `T-10000` upwards. */
  readonly internal: TradeInput[];
  /** The counterparties' records, `C-<BIC4>-000001` upwards, in no particular relation to our order. */
  readonly counterparty: TradeInput[];
  /** One entry per internal trade, in the order of `internal`. */
  readonly scenarios: ScenarioEntry[];
}

const Options = z.object({
  trades: z.number().int().min(0).max(1_000_000).default(2000),
  seed: z.number().int().min(0).max(0xffff_ffff).default(42),
  date: IsoDate.optional(),
  today: IsoDate.optional(),
});

/**
 * A deterministic demo settlement day: internal trades, the counterparties' records of them, and the
 * scenario each pair was built for. The same options always give the same day (a seeded PRNG, no
 * clock unless `date` and `today` are both omitted). All records pass `TradeInput`; prices, quantities
 * and amounts are exact decimal strings; settlement dates are T+1 (US) or T+2 business days of the
 * market's calendar.
 *
 * @throws RangeError for invalid options, or a trade date on which no market is open.
 */
export function generateSettlementDay(options: GenerateDayOptions = {}): SettlementDay {
  const parsed = Options.safeParse(options);
  if (!parsed.success) {
    throw new RangeError(`generateSettlementDay: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  const { trades, seed } = parsed.data;
  const calendars = new CalendarRegistry();
  const tradeDate =
    parsed.data.date ?? defaultTradeDate(parsed.data.today ?? seedToday(new Date()), calendars);
  const open = openSecurities(tradeDate, calendars);
  if (open.length === 0) {
    throw new RangeError(`generateSettlementDay: ${tradeDate} is not a business day in any market`);
  }

  const rng = new Prng(seed);
  const generator = new DayGenerator(rng, tradeDate, open);
  const plan = rng.shuffle(scenarioPlan(trades));

  const internal: TradeInput[] = [];
  const pending: Array<{ scenario: Scenario; tradeId: string; counterparty: TradeInput | undefined }> = [];
  let sequence = 10_000;
  const nextId = () => `T-${sequence++}`;
  for (const planned of plan) {
    for (const pair of generator.build(planned, nextId)) {
      internal.push(pair.internal);
      pending.push({
        scenario: pair.scenario,
        tradeId: pair.internal.tradeId,
        counterparty: pair.counterparty,
      });
    }
  }

  // The counterparties' records arrive in their own order, numbered as they arrive.
  const arrivals = rng.shuffle(
    pending.flatMap((p, index) => (p.counterparty === undefined ? [] : [{ index, record: p.counterparty }])),
  );
  const counterpartyIds = new Map<number, string>();
  const counterparty = arrivals.map(({ index, record }, k) => {
    const tradeId = `C-${record.counterpartyBic.slice(0, 4)}-${String(k + 1).padStart(6, '0')}`;
    counterpartyIds.set(index, tradeId);
    return { ...record, tradeId };
  });

  const scenarios = pending.map(({ scenario, tradeId }, index): ScenarioEntry => {
    const counterpartyTradeId = counterpartyIds.get(index);
    return counterpartyTradeId === undefined
      ? { tradeId, scenario }
      : { tradeId, scenario, counterpartyTradeId };
  });
  return { tradeDate, internal, counterparty, scenarios };
}

/** How many trades of each scenario (a DUPLICATE_AMBIGUOUS entry stands for a pair of trades). */
function scenarioPlan(trades: number): Scenario[] {
  const plan: Scenario[] = [];
  for (const [scenario, share] of Object.entries(SCENARIO_SHARES) as Array<
    [Exclude<Scenario, 'CLEAN'>, number]
  >) {
    let count = Math.floor((trades * share) / 10_000);
    if (trades >= ALL_SCENARIOS_FROM) count = Math.max(count, scenario === 'DUPLICATE_AMBIGUOUS' ? 2 : 1);
    if (scenario === 'DUPLICATE_AMBIGUOUS') {
      for (let k = 0; k < Math.floor(count / 2); k++) plan.push(scenario);
    } else {
      for (let k = 0; k < count; k++) plan.push(scenario);
    }
  }
  const used = plan.reduce((n, s) => n + (s === 'DUPLICATE_AMBIGUOUS' ? 2 : 1), 0);
  for (let k = used; k < trades; k++) plan.push('CLEAN');
  return plan;
}

interface SecurityDay {
  readonly ref: SecurityRef;
  readonly calendar: BusinessCalendar;
  readonly settlementDate: string;
  /** The non-business day just before the settlement date, when it falls after the trade date. */
  readonly rollFrom: string | undefined;
}

function openSecurities(tradeDate: string, calendars: CalendarRegistry): SecurityDay[] {
  const open: SecurityDay[] = [];
  for (const ref of SECURITIES) {
    const calendar = calendars.forPlaceOfSettlement(ref.placeOfSettlement);
    if (!calendar.isBusinessDay(tradeDate)) continue;
    const cycle = settlementCycle(marketOfPlaceOfSettlement(ref.placeOfSettlement), tradeDate);
    const settlementDate = calendar.addBusinessDays(tradeDate, cycle);
    const before = shiftDays(settlementDate, -1);
    const rollFrom = before > tradeDate && !calendar.isBusinessDay(before) ? before : undefined;
    open.push({ ref, calendar, settlementDate, rollFrom });
  }
  return open;
}

interface Pair {
  readonly scenario: Scenario;
  readonly internal: TradeInput;
  readonly counterparty: TradeInput | undefined;
}

/** An internal trade as drawn, before any scenario touches it. */
interface Drawn {
  readonly security: SecurityDay;
  readonly trade: TradeInput;
  readonly feeBps: string;
}

class DayGenerator {
  /** Economic keys already drawn: two unrelated trades must never look like duplicates of each other. */
  readonly #drawn = new Set<string>();

  constructor(
    private readonly rng: Prng,
    private readonly tradeDate: string,
    private readonly open: readonly SecurityDay[],
  ) {}

  /** The trades of one planned scenario (two for DUPLICATE_AMBIGUOUS); falls back to CLEAN when impossible. */
  build(scenario: Scenario, nextId: () => string): Pair[] {
    if (scenario === 'DUPLICATE_AMBIGUOUS') {
      const first = this.draw(nextId(), this.open);
      const theirs = counterpartyView(first.trade);
      const second = { ...first.trade, tradeId: nextId() };
      return [
        { scenario, internal: first.trade, counterparty: theirs },
        { scenario, internal: second, counterparty: { ...theirs } },
      ];
    }
    if (scenario === 'HOLIDAY_ROLL') {
      const rollable = this.open.filter((s) => s.rollFrom !== undefined);
      if (rollable.length > 0) {
        const drawn = this.draw(nextId(), rollable);
        const theirs = {
          ...counterpartyView(drawn.trade),
          settlementDate: drawn.security.rollFrom ?? drawn.trade.settlementDate,
        };
        return [{ scenario, internal: drawn.trade, counterparty: theirs }];
      }
      return [this.clean(nextId())];
    }
    if (scenario === 'ROUNDING') return [this.rounding(nextId())];

    const drawn = this.draw(nextId(), this.open);
    const counterparty = scenario === 'MISSING_COUNTERPARTY' ? undefined : this.perturb(scenario, drawn);
    if (counterparty === null)
      return [{ scenario: 'CLEAN', internal: drawn.trade, counterparty: counterpartyView(drawn.trade) }];
    return [{ scenario, internal: drawn.trade, counterparty }];
  }

  private clean(tradeId: string): Pair {
    const drawn = this.draw(tradeId, this.open);
    return { scenario: 'CLEAN', internal: drawn.trade, counterparty: counterpartyView(drawn.trade) };
  }

  /** The counterparty's record for a one-field scenario, or null when the scenario cannot be built. */
  private perturb(scenario: Scenario, drawn: Drawn): TradeInput | null {
    const { rng } = this;
    const ours = drawn.trade;
    const theirs = counterpartyView(ours);
    const { ref } = drawn.security;
    const net = ours.netAmount ?? '0';
    const minor = minorUnits(ours.currency);
    switch (scenario) {
      case 'CLEAN':
        return theirs;
      case 'WITHIN_TOLERANCE': {
        const byAmount =
          minor > 0 && rng.chance(0.5) ? this.amountWithinTolerance(net, minor, ours.currency) : undefined;
        if (byAmount !== undefined) return { ...theirs, netAmount: byAmount };
        const tick = new Dec(1).div(new Dec(10).pow(ref.priceDecimals));
        const candidates = rng.shuffle([dec(ours.price).plus(tick), dec(ours.price).minus(tick)]);
        const price = candidates
          .map((p) => p.toFixed(ref.priceDecimals))
          .find((p) => basisPoints(ours.price, p).lt(1) && !differsOnlyByRounding(ours.price, p));
        return price === undefined ? null : { ...theirs, price };
      }
      case 'REVIEW_BIC_BRANCH':
        return { ...theirs, counterpartyBic: otherBranch(ours.counterpartyBic) };
      case 'REVIEW_NEAR_PRICE': {
        const price = this.priceOffBy(ours.price, ref.priceDecimals, 20, 80, (bp) => bp.gt(1) && bp.lt(10));
        return price === undefined ? null : { ...theirs, price };
      }
      case 'PRICE_BREAK': {
        const price = this.priceOffBy(ours.price, ref.priceDecimals, 500, 3000, (bp) => bp.gte(50));
        return price === undefined ? null : { ...theirs, price };
      }
      case 'QUANTITY_BREAK': {
        const delta = dec(String(ref.lotSize * rng.int(1, 5)));
        const quantity = dec(ours.quantity);
        const changed = quantity.gt(delta) && rng.chance(0.5) ? quantity.minus(delta) : quantity.plus(delta);
        return { ...theirs, quantity: changed.toFixed() };
      }
      case 'CURRENCY_BREAK': {
        const others = CURRENCIES.filter(
          (c) => c !== ours.currency && (c !== 'JPY' || ours.currency === 'JPY'),
        );
        return { ...theirs, currency: rng.pick(others) };
      }
      case 'SETTLEMENT_DATE_BREAK':
        return { ...theirs, settlementDate: drawn.security.calendar.addBusinessDays(ours.settlementDate, 1) };
      case 'PLACE_BREAK': {
        const place = WRONG_PLACE[ours.placeOfSettlement];
        return place === undefined ? null : { ...theirs, placeOfSettlement: place };
      }
      case 'COUNTERPARTY_BREAK': {
        const firms = COUNTERPARTY_BICS.filter(
          (b) => bicInstitution(b) !== bicInstitution(ours.counterpartyBic),
        );
        return { ...theirs, counterpartyBic: rng.pick(firms) };
      }
      case 'AMOUNT_BREAK': {
        const amount = dec(net);
        const floor = new Dec(minor === 0 ? 50_000 : 500);
        const delta = Dec.max(amount.times(rng.int(50, 300)).div(10_000), floor).toDecimalPlaces(
          minor,
          Dec.ROUND_HALF_UP,
        );
        const changed =
          amount.gt(delta.times(2)) && rng.chance(0.5) ? amount.minus(delta) : amount.plus(delta);
        return { ...theirs, netAmount: changed.toFixed(minor) };
      }
      default:
        return null;
    }
  }

  /** A net amount off by 0.01 up to three quarters of the T2S-style band (±2.00 up to 100,000, else ±25.00). */
  private amountWithinTolerance(net: string, minor: number, currency: string): string | undefined {
    const amount = dec(net);
    // Up to 3/4 of the currency's band (the default profile's, in minor units), so it stays WITHIN.
    const tolerance = toleranceFor(DEFAULT_MATCHING_POLICY, 'netAmount', currency);
    if (tolerance.kind !== 'absolute') return undefined;
    const tier = tolerance.tiers.find((t) => t.upTo === undefined || amount.lte(t.upTo));
    if (tier === undefined) return undefined;
    const unit = new Dec(10).pow(minor);
    const band = dec(tier.amount).times(unit).floor().toNumber();
    if (band < 2) return undefined;
    const delta = new Dec(this.rng.int(1, Math.floor(band * 0.75))).div(unit);
    const changed = (this.rng.chance(0.5) ? amount.plus(delta) : amount.minus(delta)).toFixed(minor);
    return differsOnlyByRounding(net, changed) || dec(changed).lte(0) ? undefined : changed;
  }

  /** A price `lowTenths`..`highTenths` tenths of a bp away, rounded to the quoted decimals, if it passes `accept`. */
  private priceOffBy(
    price: string,
    decimals: number,
    lowTenths: number,
    highTenths: number,
    accept: (bp: Dec) => boolean,
  ): string | undefined {
    for (let attempt = 0; attempt < 5; attempt++) {
      const bp = new Dec(this.rng.int(lowTenths, highTenths)).div(10);
      const factor = new Dec(1)[this.rng.chance(0.5) ? 'plus' : 'minus'](bp.div(10_000));
      const changed = dec(price).times(factor).toDecimalPlaces(decimals, Dec.ROUND_HALF_UP).toFixed(decimals);
      if (accept(basisPoints(price, changed)) && !differsOnlyByRounding(price, changed)) return changed;
    }
    return undefined;
  }

  /**
   * One side quotes the price to 4 decimals, the other rounded (half-up, never from an exact half) to
   * `ROUNDING_SCALE`, more than 1 bp apart. Only shares cheap enough for that qualify.
   */
  private rounding(tradeId: string): Pair {
    const { rng } = this;
    const cheap = this.open.filter((s) => dec(s.ref.priceHigh).lt(40));
    if (cheap.length === 0) return this.clean(tradeId);
    const drawn = this.draw(tradeId, cheap);
    const ours = drawn.trade;
    const coarse = dec(ours.price).toDecimalPlaces(ROUNDING_SCALE, Dec.ROUND_HALF_UP);
    // Offsets of k/10^4 with k < 50 round back to `coarse`; k above 1.05 × price keeps the gap over 1 bp.
    const lowest = Math.max(10, Math.floor(coarse.times(1.05).toNumber()) + 1);
    if (lowest > 49) return { scenario: 'CLEAN', internal: ours, counterparty: counterpartyView(ours) };
    const offset = new Dec(rng.int(lowest, 49)).div(10_000);
    const precise = rng.chance(0.5) ? coarse.plus(offset) : coarse.minus(offset);
    const preciseText = precise.toFixed(ROUNDING_SCALE + 2);
    const coarseText = coarse.toFixed(ROUNDING_SCALE);
    const netAmount = netAmountOf(dec(ours.quantity), precise, drawn.feeBps, ours.side, ours.currency);
    const oursPrecise = rng.chance(0.5);
    const internal = { ...ours, price: oursPrecise ? preciseText : coarseText, netAmount };
    return {
      scenario: 'ROUNDING',
      internal,
      counterparty: { ...counterpartyView(internal), price: oursPrecise ? coarseText : preciseText },
    };
  }

  /** Securities of a desk picked by weight, among those given. */
  private pool(securities: readonly SecurityDay[]): readonly SecurityDay[] {
    const desks = DESKS.filter((d) => securities.some((s) => s.ref.desk === d.id));
    const desk = this.rng.weighted(desks.map((d) => [d, d.weight] as const));
    return securities.filter((s) => s.ref.desk === desk.id);
  }

  /** A fresh internal trade on one of `securities` (a desk is picked first, by weight). */
  private draw(tradeId: string, securities: readonly SecurityDay[]): Drawn {
    // Level-1 key plus the compared fields a draw decides (the rest follow from the security). A clash
    // is rare (millions of combinations per security); the cap only bounds a pathological request.
    for (let attempt = 1; ; attempt++) {
      const drawn = this.drawOnce(tradeId, securities);
      const t = drawn.trade;
      const key = [t.isin, t.side, t.quantity, t.price, t.counterpartyBic].join('|');
      if (this.#drawn.has(key) && attempt < 100) continue;
      this.#drawn.add(key);
      return drawn;
    }
  }

  private drawOnce(tradeId: string, securities: readonly SecurityDay[]): Drawn {
    const { rng } = this;
    const security = rng.pick(this.pool(securities));
    const { ref } = security;
    const desk = DESKS.find((d) => d.id === ref.desk) as DeskRef;
    const side: Side = rng.chance(0.5) ? 'BUY' : 'SELL';
    const quantity = new Dec(ref.lotSize * rng.int(1, ref.maxLots));
    const price = randomPrice(rng, ref);
    const feeBps = rng.pick(desk.feeBps);
    const trade: TradeInput = {
      tradeId,
      source: 'INTERNAL',
      side,
      isin: ref.isin,
      quantity: quantity.toFixed(),
      price: price.toFixed(ref.priceDecimals),
      currency: ref.currency,
      tradeDate: this.tradeDate,
      settlementDate: security.settlementDate,
      account: rng.pick(desk.accounts),
      desk: desk.id,
      counterpartyBic: rng.pick(desk.counterparties),
      placeOfSettlement: ref.placeOfSettlement,
      settlementType: 'DVP',
      netAmount: netAmountOf(quantity, price, feeBps, side, ref.currency),
    };
    return { security, trade, feeBps };
  }
}

/**
 * The counterparty's record of our trade: the opposite side, the same economics. `counterpartyBic` stays
 * the counterparty firm (on their record, the sender); account and desk stay ours, the allocation
 * they confirm against.
 */
function counterpartyView(ours: TradeInput): TradeInput {
  return { ...ours, tradeId: '', source: 'COUNTERPARTY', side: ours.side === 'BUY' ? 'SELL' : 'BUY' };
}

function randomPrice(rng: Prng, ref: SecurityRef): Dec {
  const scale = new Dec(10).pow(ref.priceDecimals);
  const low = dec(ref.priceLow).times(scale).toNumber();
  const high = dec(ref.priceHigh).times(scale).toNumber();
  return new Dec(rng.int(low, high)).div(scale);
}

/** Principal ± commission, rounded to the currency's minor units: what the buyer pays and the seller gets. */
function netAmountOf(quantity: Dec, price: Dec, feeBps: string, side: Side, currency: string): string {
  const minor = minorUnits(currency);
  const principal = quantity.times(price);
  const fee = principal.times(feeBps).div(10_000).toDecimalPlaces(minor, Dec.ROUND_HALF_UP);
  const net = side === 'BUY' ? principal.plus(fee) : principal.minus(fee);
  return net.toDecimalPlaces(minor, Dec.ROUND_HALF_UP).toFixed(minor);
}

function basisPoints(a: string, b: string): Dec {
  return dec(a).minus(dec(b)).abs().div(dec(a)).times(10_000);
}

/** True when the value written with fewer decimals is the other one rounded to that many decimals. */
function differsOnlyByRounding(a: string, b: string): boolean {
  const [long, short] = scaleOf(a) > scaleOf(b) ? [a, b] : [b, a];
  if (scaleOf(long) === scaleOf(short) || dec(long).eq(dec(short))) return false;
  return dec(long)
    .minus(dec(short))
    .abs()
    .lte(new Dec(5).div(new Dec(10).pow(scaleOf(short) + 1)));
}

/** The desks' reference time zone for a seeded day: the US desks', whose 21:00 cut-off closes the day. */
export const SEED_TIME_ZONE = 'America/New_York';

/** "Today" for a seeded day: the market day in New York (not the UTC date, which turns at 19:00 or 20:00 there). */
export function seedToday(now: Date): string {
  return marketDay(now, SEED_TIME_ZONE);
}

function defaultTradeDate(today: string, calendars: CalendarRegistry): string {
  const us = calendars.forMarket('US');
  return us.isBusinessDay(today) ? today : us.addBusinessDays(today, -1);
}
