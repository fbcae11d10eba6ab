import { z } from 'zod';
import { SettleOpsError } from '../../errors.ts';
import { Currency, MatchField } from '../model.ts';
import { defaultNetAmountBands, EUR_NET_AMOUNT_BAND } from './currency-bands.ts';
import { Tolerance } from './tolerance.ts';

/*
 * The matching policy: tolerance profile, penalty table, thresholds and auto-resolution rules.
 * All of it is configuration; `DEFAULT_MATCHING_POLICY` is documented in docs/matching.md.
 */

/** Fields whose tolerance is configurable (the others are always compared exactly). */
export const NUMERIC_FIELDS = ['quantity', 'price', 'netAmount'] as const;
export type NumericField = (typeof NUMERIC_FIELDS)[number];

/** The order fields are compared and reported in (the model's own order). */
export const MATCH_FIELDS = MatchField.options;

/** Outcomes that cost points (EXACT never does). */
export const PENALISED_OUTCOMES = ['WITHIN', 'RULE', 'PARTIAL', 'MISMATCH', 'NOT_COMPARED'] as const;

/** A field's tolerance: `default`, unless the trade currency has its own (currency-specific wins). */
export const FieldTolerance = z.strictObject({
  default: Tolerance,
  currencies: z.record(Currency, Tolerance),
});
export type FieldTolerance = z.infer<typeof FieldTolerance>;

const Penalty = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(100, 'must be at most 100');
const OutcomePenalties = z.strictObject({
  WITHIN: Penalty,
  RULE: Penalty,
  PARTIAL: Penalty,
  MISMATCH: Penalty,
  NOT_COMPARED: Penalty,
});
export type OutcomePenalties = z.infer<typeof OutcomePenalties>;

const Score = z
  .number()
  .int('must be a whole number')
  .min(0, 'must be at least 0')
  .max(100, 'must be at most 100');

const ThresholdsShape = z.strictObject({
  /** At or above: auto-match (when unambiguous). */
  autoMatch: Score.min(1, 'must be at least 1'),
  /** At or above (and below autoMatch): human review. Below: exception. */
  review: Score,
  /** Candidates within this many points of the best are "equally good" (0 = only equal scores). */
  ambiguityMargin: Score,
  /**
   * Below this a candidate is another trade, not a broken copy of ours: it raises no exception
   * against our trade (which, left without a counterpart, raises CMIS at its deadline).
   */
  candidateFloor: Score,
});

const NearMissShape = z.strictObject({
  enabled: z.boolean(),
  /** Outside the tolerance but within `multiplier` × the tolerance → PARTIAL instead of MISMATCH. */
  multiplier: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000'),
});

const RoundingShape = z.strictObject({
  enabled: z.boolean(),
  /** The less precise value needs at least this many decimal places for the rule to apply. */
  minScale: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be at least 0')
    .max(18, 'must be at most 18'),
});
const HolidayRollShape = z.strictObject({ enabled: z.boolean() });

export const MatchingPolicySchema = z.strictObject({
  tolerances: z.strictObject({ quantity: FieldTolerance, price: FieldTolerance, netAmount: FieldTolerance }),
  penalties: z.strictObject({
    quantity: OutcomePenalties,
    price: OutcomePenalties,
    netAmount: OutcomePenalties,
    currency: OutcomePenalties,
    settlementDate: OutcomePenalties,
    counterpartyBic: OutcomePenalties,
    placeOfSettlement: OutcomePenalties,
    settlementType: OutcomePenalties,
  }),
  thresholds: ThresholdsShape.refine((t) => t.candidateFloor <= t.review, {
    message: 'candidateFloor must not be above thresholds.review',
  }).refine((t) => t.review < t.autoMatch, {
    path: ['review'],
    message: 'must be below thresholds.autoMatch',
  }),
  nearMiss: NearMissShape,
  rules: z.strictObject({ rounding: RoundingShape, holidayRoll: HolidayRollShape }),
});

/** A complete, validated matching policy. */
export type MatchingPolicy = z.infer<typeof MatchingPolicySchema>;
export type MatchingThresholds = MatchingPolicy['thresholds'];

const FieldToleranceOverride = z.strictObject({
  default: Tolerance.optional(),
  /** Merged key by key into the current per-currency tolerances. */
  currencies: z.record(Currency, Tolerance).optional(),
});
const PenaltiesOverride = OutcomePenalties.partial();

/**
 * A policy file: any part of the policy, deep-partial. Objects merge key by key; a tolerance is
 * replaced as a whole (its kind decides its fields). Unknown keys are refused.
 */
export const MatchingPolicyOverrides = z.strictObject({
  tolerances: z
    .strictObject({
      quantity: FieldToleranceOverride.optional(),
      price: FieldToleranceOverride.optional(),
      netAmount: FieldToleranceOverride.optional(),
    })
    .optional(),
  penalties: z
    .strictObject({
      quantity: PenaltiesOverride.optional(),
      price: PenaltiesOverride.optional(),
      netAmount: PenaltiesOverride.optional(),
      currency: PenaltiesOverride.optional(),
      settlementDate: PenaltiesOverride.optional(),
      counterpartyBic: PenaltiesOverride.optional(),
      placeOfSettlement: PenaltiesOverride.optional(),
      settlementType: PenaltiesOverride.optional(),
    })
    .optional(),
  thresholds: ThresholdsShape.partial().optional(),
  nearMiss: NearMissShape.partial().optional(),
  rules: z
    .strictObject({
      rounding: RoundingShape.partial().optional(),
      holidayRoll: HolidayRollShape.partial().optional(),
    })
    .optional(),
});
export type MatchingPolicyOverrides = z.infer<typeof MatchingPolicyOverrides>;

const EXACT: Tolerance = { kind: 'exact' };

function penalties(mismatch: number): OutcomePenalties {
  return { WITHIN: 1, RULE: 1, PARTIAL: 7, MISMATCH: mismatch, NOT_COMPARED: 0 };
}

/**
 * Defaults: price ±1 bp; net amount ±EUR 2.00 up to EUR 100,000 and ±EUR 25.00 above, converted per
 * currency (`currency-bands.ts`; a currency not listed uses the EUR figures in its own units); everything
 * else exact. Penalties: WITHIN 1, RULE 1, PARTIAL 7, MISMATCH 20 (30 on quantity and currency).
 * Auto-match at 98, review from 85, ambiguity margin 0; near miss within 10× the tolerance.
 */
export const DEFAULT_MATCHING_POLICY: MatchingPolicy = deepFreeze({
  tolerances: {
    quantity: { default: EXACT, currencies: {} },
    price: { default: { kind: 'percent', percent: '0.01' }, currencies: {} },
    netAmount: { default: EUR_NET_AMOUNT_BAND, currencies: defaultNetAmountBands() },
  },
  penalties: {
    quantity: penalties(30),
    price: penalties(20),
    netAmount: penalties(20),
    currency: penalties(30),
    settlementDate: penalties(20),
    counterpartyBic: penalties(20),
    placeOfSettlement: penalties(20),
    settlementType: penalties(20),
  },
  thresholds: { autoMatch: 98, review: 85, ambiguityMargin: 0, candidateFloor: 50 },
  nearMiss: { enabled: true, multiplier: 10 },
  rules: { rounding: { enabled: true, minScale: 2 }, holidayRoll: { enabled: true } },
});

/** A matching policy that could not be built; `problems` name each bad field by its path. */
export class MatchingPolicyError extends SettleOpsError {
  override readonly name = 'MatchingPolicyError';
  readonly code = 'MATCHING_POLICY';
  constructor(
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`invalid matching policy:\n${problems.map((p) => `  - ${p}`).join('\n')}`, options);
  }
}

/**
 * Thresholds from the deployment configuration (`SETTLEOPS_AUTO_MATCH_THRESHOLD`,
 * `SETTLEOPS_REVIEW_THRESHOLD`); each only when set there.
 */
export interface ConfiguredThresholds {
  readonly autoMatchThreshold?: number;
  readonly reviewThreshold?: number;
}

/**
 * Builds the policy: the defaults, then the overrides (a parsed JSON policy file, validated here),
 * then the thresholds configured in the environment, which win over the file (the file is shared,
 * the environment is the deployment's). The result is validated as a whole (review < autoMatch) and
 * frozen. Throws `MatchingPolicyError` naming every bad field by path
 * (`tolerances.price.default.percent: must not be negative`).
 */
export function buildMatchingPolicy(
  overrides: unknown = {},
  configured: ConfiguredThresholds = {},
): MatchingPolicy {
  const parsed = MatchingPolicyOverrides.safeParse(overrides ?? {});
  if (!parsed.success)
    throw new MatchingPolicyError(formatIssues(parsed.error.issues), { cause: parsed.error });
  const o = parsed.data;
  const base = DEFAULT_MATCHING_POLICY;
  const thresholds = {
    ...base.thresholds,
    ...o.thresholds,
    ...(configured.autoMatchThreshold === undefined ? {} : { autoMatch: configured.autoMatchThreshold }),
    ...(configured.reviewThreshold === undefined ? {} : { review: configured.reviewThreshold }),
  };

  const merged = {
    tolerances: {
      quantity: mergeFieldTolerance(base.tolerances.quantity, o.tolerances?.quantity),
      price: mergeFieldTolerance(base.tolerances.price, o.tolerances?.price),
      netAmount: mergeFieldTolerance(base.tolerances.netAmount, o.tolerances?.netAmount),
    },
    penalties: Object.fromEntries(
      MATCH_FIELDS.map((f) => [f, { ...base.penalties[f], ...o.penalties?.[f] }]),
    ),
    thresholds,
    nearMiss: { ...base.nearMiss, ...o.nearMiss },
    rules: {
      rounding: { ...base.rules.rounding, ...o.rules?.rounding },
      holidayRoll: { ...base.rules.holidayRoll, ...o.rules?.holidayRoll },
    },
  };
  const checked = MatchingPolicySchema.safeParse(merged);
  if (!checked.success)
    throw new MatchingPolicyError(formatIssues(checked.error.issues), { cause: checked.error });
  return deepFreeze(checked.data);
}

function mergeFieldTolerance(
  base: FieldTolerance,
  override: z.infer<typeof FieldToleranceOverride> | undefined,
): FieldTolerance {
  return {
    default: override?.default ?? base.default,
    currencies: { ...base.currencies, ...override?.currencies },
  };
}

/** The tolerance for a field in a trade currency: the currency's own, else the field's default. */
export function toleranceFor(policy: MatchingPolicy, field: NumericField, currency: string): Tolerance {
  const profile = policy.tolerances[field];
  return Object.hasOwn(profile.currencies, currency)
    ? (profile.currencies[currency] ?? profile.default)
    : profile.default;
}

function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${path === '' ? key : `${path}.${key}`}: is not a known setting`);
    }
    if (issue.code === 'invalid_key') {
      const inner = issue.issues[0]?.message ?? issue.message;
      return [`${path}: ${inner}`];
    }
    return [`${path === '' ? '(root)' : path}: ${issue.message}`];
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
