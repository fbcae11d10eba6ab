import { DateTime } from 'luxon';
import { z } from 'zod';
import { type CalendarRegistry, marketOfPlaceOfSettlement } from './calendar.ts';
import { Dec, dec } from './decimal.ts';
import type { Priority } from './model.ts';
import {
  AllowedCycle,
  CycleRule,
  checkSettlementDate,
  DEFAULT_SETTLEMENT_CYCLES,
  type SettlementDateCheck,
  standardCycle,
  type TradeDates,
} from './settlement-cycle.ts';

/**
 * When a trade must be matched, per market, and how urgent a break is. Deadlines are instants (UTC)
 * computed from a local cut-off time in the market's time zone, on a business day of its calendar.
 */
export const MarketSlaRule = z.object({
  timeZone: z.string().min(1),
  /** The date the cut-off is counted from. */
  anchor: z.enum(['TRADE_DATE', 'SETTLEMENT_DATE']),
  /** Business days from the anchor (0 = the anchor itself, -1 = the business day before). */
  offsetBusinessDays: z.number().int().min(-10).max(10),
  /** Local wall-clock cut-off, `HH:mm`. */
  cutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm'),
});
export type MarketSlaRule = z.infer<typeof MarketSlaRule>;

export const NotionalBands = z.object({
  /** At or above: high notional. */
  high: z.string(),
  /** At or above: medium notional. */
  medium: z.string(),
});

export const SlaPolicyConfig = z.object({
  markets: z.record(z.string(), MarketSlaRule),
  /** Used for a market with no rule of its own. */
  fallback: MarketSlaRule,
  /** Share of the window (creation → deadline) after which a warning is due. */
  warnRatio: z.number().gt(0).lt(1),
  /** Notional bands per currency; `default` applies to currencies not listed. */
  notionalBands: z.record(z.string(), NotionalBands),
  /** Hours to deadline at or under which a break is urgent / soon. */
  urgentHours: z.number().positive(),
  soonHours: z.number().positive(),
  /** Standard settlement cycles by market, instrument class and effective date (see settlement-cycle.ts). */
  settlementCycles: z.array(CycleRule),
  /** Non-standard cycles allowed per desk or counterparty. */
  allowedCycles: z.array(AllowedCycle),
  /** Each desk's time zone: its "today" (default report date, seed date) is the date there. */
  deskTimeZones: z.record(z.string(), z.string().min(1)),
  /** The time zone of a desk not listed, and of reports over every desk. */
  defaultTimeZone: z.string().min(1),
});
export type SlaPolicyConfig = z.infer<typeof SlaPolicyConfig>;

/**
 * Defaults. US: DTC affirmation cut-off, 21:00 New York time on trade date (SEC Rule 15c6-2, T+1).
 * Other markets settle T+2 today: match by 18:00 local on the business day before settlement (the
 * T2S night-time cycle starts on S-1 evening). All of it is configuration.
 */
export const DEFAULT_SLA_POLICY: SlaPolicyConfig = {
  markets: {
    US: { timeZone: 'America/New_York', anchor: 'TRADE_DATE', offsetBusinessDays: 0, cutoff: '21:00' },
    EU: { timeZone: 'Europe/Berlin', anchor: 'SETTLEMENT_DATE', offsetBusinessDays: -1, cutoff: '18:00' },
    GB: { timeZone: 'Europe/London', anchor: 'SETTLEMENT_DATE', offsetBusinessDays: -1, cutoff: '18:00' },
    CH: { timeZone: 'Europe/Zurich', anchor: 'SETTLEMENT_DATE', offsetBusinessDays: -1, cutoff: '18:00' },
    JP: { timeZone: 'Asia/Tokyo', anchor: 'SETTLEMENT_DATE', offsetBusinessDays: -1, cutoff: '17:00' },
  },
  fallback: { timeZone: 'UTC', anchor: 'SETTLEMENT_DATE', offsetBusinessDays: -1, cutoff: '17:00' },
  warnRatio: 0.8,
  notionalBands: {
    default: { high: '10000000', medium: '1000000' },
    JPY: { high: '1000000000', medium: '100000000' },
  },
  urgentHours: 2,
  soonHours: 8,
  settlementCycles: [...DEFAULT_SETTLEMENT_CYCLES],
  allowedCycles: [],
  deskTimeZones: {
    'EQ-US': 'America/New_York',
    'FI-RATES': 'America/New_York',
    'FI-CREDIT': 'America/New_York',
    'EQ-EU': 'Europe/London',
    'EQ-APAC': 'Asia/Tokyo',
  },
  defaultTimeZone: 'America/New_York',
};

/** Deadlines remembered per (market, anchor day); a long-running process sees few distinct days. */
const DEADLINE_CACHE_LIMIT = 10_000;

export class SlaPolicy {
  /** A deadline depends only on the market and its anchor day: computed once per pair (luxon is slow). */
  readonly #deadlines = new Map<string, string>();

  constructor(
    private readonly config: SlaPolicyConfig,
    private readonly calendars: CalendarRegistry,
  ) {}

  ruleFor(market: string): MarketSlaRule {
    return this.config.markets[market] ?? this.config.fallback;
  }

  /** The standard cycle (business days) for a market, instrument class and trade date. */
  standardCycle(market: string, instrumentClass: 'EQUITY' | 'BOND', tradeDate: string): number {
    return standardCycle(this.config.settlementCycles, market, instrumentClass, tradeDate);
  }

  /** The trade's settlement date against its market's calendar and standard (or allowed) cycle. */
  checkSettlementDate(trade: TradeDates & { placeOfSettlement: string }): SettlementDateCheck {
    const market = marketOfPlaceOfSettlement(trade.placeOfSettlement);
    return checkSettlementDate(
      trade,
      market,
      this.calendars.forMarket(market),
      this.config.settlementCycles,
      this.config.allowedCycles,
    );
  }

  /** The time zone whose date is a desk's "today" (`defaultTimeZone` for no desk or an unlisted one). */
  timeZoneOf(desk: string | undefined): string {
    return (desk === undefined ? undefined : this.config.deskTimeZones[desk]) ?? this.config.defaultTimeZone;
  }

  /** Every time zone a desk's "today" is taken in (the desks listed and the default), once each. */
  timeZones(): string[] {
    return [...new Set([this.config.defaultTimeZone, ...Object.values(this.config.deskTimeZones)])];
  }

  /**
   * The instant (ISO, UTC) by which a trade of this market must be matched. A settlement-date anchor
   * is never later than the standard cycle's date: a trade stating T+10 without an allowance is still
   * due as a standard one (fail closed), and `check` says whether it has one.
   */
  matchDeadline(
    trade: { tradeDate: string; settlementDate: string },
    market: string,
    check?: Pick<SettlementDateCheck, 'standardDate' | 'warnings'>,
  ): string {
    const rule = this.ruleFor(market);
    const stated = trade.settlementDate;
    const settles =
      check !== undefined && check.warnings.length > 0 && check.standardDate < stated
        ? check.standardDate
        : stated;
    const anchor = rule.anchor === 'TRADE_DATE' ? trade.tradeDate : settles;
    const key = `${market}|${anchor}`;
    const known = this.#deadlines.get(key);
    if (known !== undefined) return known;
    const day =
      rule.offsetBusinessDays === 0
        ? anchor
        : this.calendars.forMarket(market).addBusinessDays(anchor, rule.offsetBusinessDays);
    const local = DateTime.fromISO(`${day}T${rule.cutoff}`, { zone: rule.timeZone });
    if (!local.isValid)
      throw new Error(`SLA rule for ${market}: ${local.invalidExplanation ?? 'invalid time'}`);
    const deadline = toIso(local.toUTC().toMillis());
    if (this.#deadlines.size >= DEADLINE_CACHE_LIMIT) this.#deadlines.clear();
    this.#deadlines.set(key, deadline);
    return deadline;
  }

  /** The warning point: `warnRatio` of the way from `from` to the deadline (at `from` if already late). */
  warnAt(from: string, deadline: string): string {
    const start = Date.parse(from);
    const end = Date.parse(deadline);
    if (end <= start) return toIso(start);
    return toIso(start + Math.floor((end - start) * this.config.warnRatio));
  }

  /**
   * P1..P4 from notional size and time left. Notional: high = 2, medium = 1; time left:
   * ≤ urgentHours = 2, ≤ soonHours = 1. Sum ≥ 3 → P1, 2 → P2, 1 → P3, 0 → P4.
   */
  priority(notional: string, currency: string, now: string, deadline: string): Priority {
    const bands = this.config.notionalBands[currency] ?? this.config.notionalBands.default;
    const n = dec(notional);
    const size = bands === undefined ? 0 : n.gte(bands.high) ? 2 : n.gte(bands.medium) ? 1 : 0;
    const hoursLeft = new Dec(Date.parse(deadline) - Date.parse(now)).div(3_600_000);
    const urgency = hoursLeft.lte(this.config.urgentHours) ? 2 : hoursLeft.lte(this.config.soonHours) ? 1 : 0;
    const score = size + urgency;
    return score >= 3 ? 'P1' : score === 2 ? 'P2' : score === 1 ? 'P3' : 'P4';
  }
}

function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
