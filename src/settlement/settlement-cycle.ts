import { z } from 'zod';
import type { BusinessCalendar } from './calendar.ts';
import { bicInstitution } from './identifiers.ts';
import { InstrumentClass, IsoDate } from './model.ts';

/**
 * Standard settlement cycles (T+n business days of the market's calendar) by market and instrument
 * class, with the date each took effect. The cycle that applies to a trade is the one in force on its
 * trade date. All of it is configuration (the `settlementCycles` key of the SLA policy file).
 */
export const CycleRule = z.strictObject({
  /** `US`, `EU`, `GB`, `CH`, … (see `marketOfPlaceOfSettlement`), or `*` for any market. */
  market: z.string().min(1),
  /** Absent: every instrument class. */
  instrumentClass: InstrumentClass.optional(),
  /** First trade date the rule applies to (inclusive); absent: since always. */
  from: IsoDate.optional(),
  /** Business days from trade date to settlement date. */
  days: z.number().int().min(0).max(30),
});
export type CycleRule = z.infer<typeof CycleRule>;

/**
 * A non-standard cycle a desk or a counterparty really uses, allowed by configuration (so it raises no
 * warning and is not held for review). Both set: only that desk with that counterparty.
 */
export const AllowedCycle = z
  .strictObject({
    desk: z.string().min(1).optional(),
    /** The counterparty firm's BIC (8 or 11 characters; the branch is ignored). */
    counterpartyBic: z.string().min(8).optional(),
    market: z.string().min(1).optional(),
    days: z.array(z.number().int().min(0).max(30)).min(1),
  })
  .refine((a) => a.desk !== undefined || a.counterpartyBic !== undefined, {
    message: 'needs a desk or a counterpartyBic',
  });
export type AllowedCycle = z.infer<typeof AllowedCycle>;

/**
 * Defaults. US: T+1 from 28 May 2024 (SEC Rule 15c6-1 as amended), T+2 before (from 5 Sep 2017).
 * EU/EEA, UK and Switzerland: T+1 from 11 Oct 2027 (EU Regulation amending CSDR Art. 5(2); the UK
 * Accelerated Settlement Taskforce; the Swiss Securities Post-Trade Council), T+2 before. Any other
 * market: T+2.
 */
export const DEFAULT_SETTLEMENT_CYCLES: readonly CycleRule[] = [
  { market: '*', days: 2 },
  { market: 'US', days: 2 },
  { market: 'US', from: '2024-05-28', days: 1 },
  { market: 'EU', days: 2 },
  { market: 'EU', from: '2027-10-11', days: 1 },
  { market: 'GB', days: 2 },
  { market: 'GB', from: '2027-10-11', days: 1 },
  { market: 'CH', days: 2 },
  { market: 'CH', from: '2027-10-11', days: 1 },
];

/**
 * The standard cycle in business days for a trade date: among the rules for the market (else `*`) and
 * the instrument class (a class-specific rule beats a general one), the one with the latest `from` on
 * or before the trade date; between equal rules the later in the table wins (a file's rules come after
 * the defaults). No rule at all: 2.
 */
export function standardCycle(
  rules: readonly CycleRule[],
  market: string,
  instrumentClass: InstrumentClass,
  tradeDate: string,
): number {
  let best: CycleRule | undefined;
  let bestRank = -1;
  for (const rule of rules) {
    if (rule.market !== market && rule.market !== '*') continue;
    if (rule.instrumentClass !== undefined && rule.instrumentClass !== instrumentClass) continue;
    if (rule.from !== undefined && rule.from > tradeDate) continue;
    const rank = (rule.market === market ? 2 : 0) + (rule.instrumentClass === undefined ? 0 : 1);
    if (
      best === undefined ||
      rank > bestRank ||
      (rank === bestRank && (rule.from ?? '') >= (best.from ?? ''))
    ) {
      best = rule;
      bestRank = rank;
    }
  }
  return best?.days ?? 2;
}

/** What a trade's settlement date looks like against its market's calendar and standard cycle. */
export interface SettlementDateCheck {
  /** Trade date + the standard cycle, in business days of the market. */
  readonly standardDate: string;
  readonly standardCycle: number;
  /** Human-readable warnings, empty when the date is a business day on the standard (or an allowed) cycle. */
  readonly warnings: string[];
}

export interface TradeDates {
  readonly tradeDate: string;
  readonly settlementDate: string;
  readonly desk: string;
  readonly counterpartyBic: string;
  readonly instrumentClass?: InstrumentClass | undefined;
}

/** How far apart two dates are in business days (the settlement date itself counted when it is one). */
function businessDaysBetween(calendar: BusinessCalendar, from: string, to: string): number {
  let n = 0;
  let d = from;
  for (let i = 0; i < 400 && d < to; i++) {
    d = calendar.addBusinessDays(d, 1);
    if (d <= to) n++;
  }
  return n;
}

/**
 * Checks a settlement date: a warning when it is not a business day of the market (naming the
 * holiday), and one when it is off the standard cycle (earlier or later) unless the desk or the
 * counterparty is allowed that cycle by configuration. Pure.
 */
export function checkSettlementDate(
  trade: TradeDates,
  market: string,
  calendar: BusinessCalendar,
  rules: readonly CycleRule[],
  allowed: readonly AllowedCycle[],
): SettlementDateCheck {
  const instrumentClass = trade.instrumentClass ?? 'EQUITY';
  const cycle = standardCycle(rules, market, instrumentClass, trade.tradeDate);
  const standardDate = calendar.addBusinessDays(trade.tradeDate, cycle);
  const warnings: string[] = [];
  const date = trade.settlementDate;
  if (!calendar.isBusinessDay(date)) {
    const holiday = calendar.holidayName(date);
    warnings.push(`settlement date ${date} is not a business day in ${market} (${holiday ?? 'weekend'})`);
  }
  if (date !== standardDate) {
    const actual = businessDaysBetween(calendar, trade.tradeDate, date);
    if (!isAllowed(trade, market, actual, allowed)) {
      warnings.push(
        `settlement date ${date} is off the standard cycle: T+${cycle} for ${market} ${instrumentClass.toLowerCase()} traded ${trade.tradeDate} gives ${standardDate}`,
      );
    }
  }
  return { standardDate, standardCycle: cycle, warnings };
}

function isAllowed(
  trade: TradeDates,
  market: string,
  days: number,
  allowed: readonly AllowedCycle[],
): boolean {
  return allowed.some(
    (a) =>
      (a.desk === undefined || a.desk === trade.desk) &&
      (a.counterpartyBic === undefined ||
        bicInstitution(a.counterpartyBic) === bicInstitution(trade.counterpartyBic)) &&
      (a.market === undefined || a.market === market) &&
      a.days.includes(days),
  );
}
