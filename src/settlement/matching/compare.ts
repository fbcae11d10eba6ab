import type { z } from 'zod';
import type { CalendarRegistry } from '../calendar.ts';
import { bicsDifferOnlyInBranch } from '../identifiers.ts';
import type { FieldOutcome, FieldResult, MatchField, ReasonCode, TradeFields } from '../model.ts';
import { type MatchingPolicy, type NumericField, type OutcomePenalties, toleranceFor } from './policy.ts';
import { describeTolerance, evaluateTolerance, roundingExplains } from './tolerance.ts';

/** A trade's fields as parsed by `TradeFields`. */
export type TradeRecord = z.infer<typeof TradeFields>;

/** The fields level 2 compares (the level-1 key fields — ISIN, trade date, side — are already equal). */
export type ComparableTrade = Pick<
  TradeRecord,
  | 'quantity'
  | 'price'
  | 'netAmount'
  | 'currency'
  | 'settlementDate'
  | 'counterpartyBic'
  | 'placeOfSettlement'
  | 'settlementType'
>;

/** The ISO 20022 / MT548 unmatched reason code each field raises. */
export const FIELD_REASON_CODES = {
  quantity: 'DQUA',
  price: 'DDEA',
  netAmount: 'DMON',
  currency: 'NCRR',
  settlementDate: 'DDAT',
  counterpartyBic: 'IEXE',
  placeOfSettlement: 'DEPT',
  settlementType: 'FRAP',
} as const satisfies Record<MatchField, ReasonCode>;

/** Auto-resolution rules, as named in `FieldResult.rule`. */
export const MATCH_RULES = { rounding: 'rounding', holidayRoll: 'holiday-roll' } as const;
export type MatchRule = (typeof MATCH_RULES)[keyof typeof MATCH_RULES];

export interface Comparison {
  /** 100 minus the sum of the field penalties, clamped to 0..100. */
  readonly confidence: number;
  readonly fields: FieldResult[];
}

/**
 * Level 2: compares our booking with the counterparty's record field by field under the policy's
 * tolerance profile (chosen by our trade currency) and scores the pair. Pure; the calendars are
 * only read (holiday-roll rule, market of our place of settlement).
 */
export function compareTrades(
  internal: ComparableTrade,
  counterparty: ComparableTrade,
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): Comparison {
  const fields: FieldResult[] = [
    compareNumeric('quantity', internal.quantity, counterparty.quantity, internal.currency, policy),
    compareNumeric('price', internal.price, counterparty.price, internal.currency, policy),
    compareNumeric('netAmount', internal.netAmount, counterparty.netAmount, internal.currency, policy),
    compareExact('currency', internal.currency, counterparty.currency, policy),
    compareSettlementDate(internal, counterparty, policy, calendars),
    compareCounterpartyBic(internal.counterpartyBic, counterparty.counterpartyBic, policy),
    compareExact(
      'placeOfSettlement',
      internal.placeOfSettlement,
      counterparty.placeOfSettlement,
      policy,
      sameBic,
    ),
    compareExact('settlementType', internal.settlementType, counterparty.settlementType, policy),
  ];
  return { confidence: confidenceOf(fields), fields };
}

/** 100 minus the sum of penalties, clamped to 0..100. */
export function confidenceOf(fields: readonly Pick<FieldResult, 'penalty'>[]): number {
  let total = 0;
  for (const f of fields) total += f.penalty;
  return Math.max(0, Math.min(100, 100 - total));
}

/** Same BIC, where an 8-character BIC is the 11-character one with branch `XXX` (ISO 9362). */
export function sameBic(a: string, b: string): boolean {
  return a === b || normaliseBic(a) === normaliseBic(b);
}

function normaliseBic(bic: string): string {
  return bic.length === 8 ? `${bic}XXX` : bic;
}

function compareNumeric(
  field: NumericField,
  ours: string | undefined,
  theirs: string | undefined,
  currency: string,
  policy: MatchingPolicy,
): FieldResult {
  const tolerance = toleranceFor(policy, field, currency);
  const description = describeTolerance(tolerance, currency);
  const penalties = policy.penalties[field];
  if (ours === undefined || theirs === undefined) {
    return result(field, ours ?? null, theirs ?? null, description, 'NOT_COMPARED', penalties);
  }
  const multiplier = policy.nearMiss.enabled ? policy.nearMiss.multiplier : 1;
  const verdict = evaluateTolerance(tolerance, ours, theirs, multiplier);
  if (verdict === 'EQUAL') return result(field, ours, theirs, description, 'EXACT', penalties);
  if (verdict === 'WITHIN') return result(field, ours, theirs, description, 'WITHIN', penalties);
  const rounding = policy.rules.rounding;
  if (field !== 'quantity' && rounding.enabled && roundingExplains(ours, theirs, rounding.minScale)) {
    return result(field, ours, theirs, description, 'RULE', penalties, MATCH_RULES.rounding);
  }
  return result(field, ours, theirs, description, verdict === 'NEAR' ? 'PARTIAL' : 'MISMATCH', penalties);
}

function compareExact(
  field: MatchField,
  ours: string,
  theirs: string,
  policy: MatchingPolicy,
  equal: (a: string, b: string) => boolean = (a, b) => a === b,
): FieldResult {
  const outcome = equal(ours, theirs) ? 'EXACT' : 'MISMATCH';
  return result(field, ours, theirs, 'exact', outcome, policy.penalties[field]);
}

function compareCounterpartyBic(ours: string, theirs: string, policy: MatchingPolicy): FieldResult {
  const outcome = sameBic(ours, theirs)
    ? 'EXACT'
    : bicsDifferOnlyInBranch(ours, theirs)
      ? 'PARTIAL'
      : 'MISMATCH';
  return result('counterpartyBic', ours, theirs, 'exact', outcome, policy.penalties.counterpartyBic);
}

function compareSettlementDate(
  internal: ComparableTrade,
  counterparty: ComparableTrade,
  policy: MatchingPolicy,
  calendars: CalendarRegistry,
): FieldResult {
  const ours = internal.settlementDate;
  const theirs = counterparty.settlementDate;
  const penalties = policy.penalties.settlementDate;
  if (ours === theirs) return result('settlementDate', ours, theirs, 'exact', 'EXACT', penalties);
  if (policy.rules.holidayRoll.enabled) {
    const calendar = calendars.forPlaceOfSettlement(internal.placeOfSettlement);
    if (holidayRollExplains(ours, theirs, (d) => calendar.rollForward(d))) {
      return result('settlementDate', ours, theirs, 'exact', 'RULE', penalties, MATCH_RULES.holidayRoll);
    }
  }
  return result('settlementDate', ours, theirs, 'exact', 'MISMATCH', penalties);
}

/**
 * One date is not a business day and rolling it forward gives the other. (`rollForward(d) !== d`
 * exactly when `d` is not a business day, so one comparison per direction says both.)
 */
export function holidayRollExplains(a: string, b: string, rollForward: (date: string) => string): boolean {
  return a !== b && (rollForward(a) === b || rollForward(b) === a);
}

function result(
  field: MatchField,
  ours: string | null,
  theirs: string | null,
  tolerance: string,
  outcome: FieldOutcome,
  penalties: OutcomePenalties,
  rule?: MatchRule,
): FieldResult {
  const base = {
    field,
    ours,
    theirs,
    tolerance,
    within: outcome === 'EXACT' || outcome === 'WITHIN' || outcome === 'NOT_COMPARED',
    outcome,
    penalty: outcome === 'EXACT' ? 0 : penalties[outcome],
  };
  if (outcome === 'MISMATCH' || outcome === 'PARTIAL')
    return { ...base, reasonCode: FIELD_REASON_CODES[field] };
  if (outcome === 'RULE' && rule !== undefined)
    return { ...base, reasonCode: FIELD_REASON_CODES[field], rule };
  return base;
}
