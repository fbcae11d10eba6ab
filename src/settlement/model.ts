import { z } from 'zod';
import { minorUnitsProblem } from './currency.ts';
import { isDecimalString } from './decimal.ts';
import { isValidBic, isValidCurrency, isValidIsin, isValidIsoDate } from './identifiers.ts';

/*
 * The settlement domain's records. Every value that crosses a boundary (file, DynamoDB, agent tool)
 * is parsed with these schemas; types are inferred from them so the two never drift.
 */

export const TradeSource = z.enum(['INTERNAL', 'COUNTERPARTY']);
export type TradeSource = z.infer<typeof TradeSource>;
export const Side = z.enum(['BUY', 'SELL']);
export type Side = z.infer<typeof Side>;
export const SettlementType = z.enum(['DVP', 'FOP']);
export type SettlementType = z.infer<typeof SettlementType>;
/**
 * What is traded. EQUITY (the default when absent): quantity in shares, price per share. BOND: quantity
 * is the face (nominal) amount and price a percentage of par, so notional = face × price / 100.
 */
export const InstrumentClass = z.enum(['EQUITY', 'BOND']);
export type InstrumentClass = z.infer<typeof InstrumentClass>;

export const Identifier = z
  .string()
  .min(1, 'is empty')
  .max(64, 'is longer than 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'may hold only letters, digits and . _ : / -');

export const Isin = z
  .string()
  .refine(isValidIsin, 'is not a valid ISIN (12 characters with a correct check digit)');
export const Bic = z.string().refine(isValidBic, 'is not a valid BIC (8 or 11 characters, ISO 9362)');
export const Currency = z.string().refine(isValidCurrency, 'is not an ISO 4217 currency code');
export const IsoDate = z.string().refine(isValidIsoDate, 'is not a date in YYYY-MM-DD form');
/** An instant in UTC, ISO 8601 with a `Z` (`2026-11-20T21:00:00.000Z`). */
export const IsoDateTime = z.iso.datetime();

/** A decimal written in plain notation. Exponents and float artefacts are refused, not rounded. */
export const DecimalString = z
  .string()
  .refine(
    isDecimalString,
    'is not a plain decimal (digits with an optional fraction; no exponent or grouping)',
  );
export const PositiveDecimal = DecimalString.refine(
  (v) => !v.startsWith('-') && /[1-9]/.test(v),
  'must be greater than zero',
);

/** How many digits a decimal field may have before and after its point. */
export interface DecimalBounds {
  readonly integerDigits: number;
  readonly decimals: number;
}

/**
 * Digits and scale per decimal field of a trade (docs/data-model.md): generous for any real trade,
 * small enough that a record stays a few hundred bytes and the matcher's arithmetic stays exact
 * (a 9,000-digit quantity once made DynamoDB refuse a whole batch).
 */
export const TRADE_DECIMAL_BOUNDS = {
  quantity: { integerDigits: 18, decimals: 6 },
  price: { integerDigits: 12, decimals: 12 },
  netAmount: { integerDigits: 20, decimals: 6 },
} as const satisfies Record<string, DecimalBounds>;

/** Why a plain decimal string breaks `bounds`, or undefined (also for strings that are not decimals). */
export function decimalBoundsProblem(value: string, bounds: DecimalBounds): string | undefined {
  if (!isDecimalString(value)) return undefined;
  const unsigned = value.startsWith('-') ? value.slice(1) : value;
  const point = unsigned.indexOf('.');
  const integerDigits = point < 0 ? unsigned.length : point;
  const decimals = point < 0 ? 0 : unsigned.length - point - 1;
  if (integerDigits > bounds.integerDigits)
    return `has ${integerDigits} digits before the decimal point, more than ${bounds.integerDigits}`;
  if (decimals > bounds.decimals) return `has ${decimals} decimals, more than ${bounds.decimals}`;
  return undefined;
}

function boundedDecimal(bounds: DecimalBounds) {
  return PositiveDecimal.superRefine((value, ctx) => {
    const problem = decimalBoundsProblem(value, bounds);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** The fields of a trade record, as received from a booking system or a counterparty. */
export const TradeFields = z.object({
  tradeId: Identifier,
  source: TradeSource,
  side: Side,
  isin: Isin,
  quantity: boundedDecimal(TRADE_DECIMAL_BOUNDS.quantity),
  price: boundedDecimal(TRADE_DECIMAL_BOUNDS.price),
  currency: Currency,
  tradeDate: IsoDate,
  settlementDate: IsoDate,
  account: Identifier,
  desk: Identifier,
  /**
   * The counterparty firm (ISO 20022: the executing party; a break is IEXE), named by its BIC on both
   * records: for a COUNTERPARTY record, the firm that sent it. Not its settlement agent (ICAG).
   */
  counterpartyBic: Bic,
  placeOfSettlement: Bic,
  settlementType: SettlementType,
  netAmount: boundedDecimal(TRADE_DECIMAL_BOUNDS.netAmount).optional(),
  /** Absent means EQUITY (kept absent so existing records keep their content hash). */
  instrumentClass: InstrumentClass.optional(),
  /** Free text from the source system (never interpreted; agents treat it as untrusted). */
  note: z.string().max(500).optional(),
});

/** A validated trade record as received. Unknown fields are refused so a typo never passes silently. */
export const TradeInput = TradeFields.strict()
  .refine((t) => t.settlementDate >= t.tradeDate, {
    path: ['settlementDate'],
    message: 'is before the trade date',
  })
  .superRefine((t, ctx) => {
    const problem = t.netAmount === undefined ? undefined : minorUnitsProblem(t.netAmount, t.currency);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', path: ['netAmount'], message: problem });
  });
export type TradeInput = z.infer<typeof TradeInput>;

/**
 * Every audited entity carries the head of its audit chain: `version` is the sequence number of its
 * newest audit record and `auditHash` that record's hash (one state change = one version = one record).
 */
const AuditHead = {
  auditHash: z.string().length(64),
};

export const TradeStatus = z.enum(['UNMATCHED', 'PENDING_REVIEW', 'MATCHED', 'EXCEPTION']);
export type TradeStatus = z.infer<typeof TradeStatus>;

/** `INTERNAL#T-10042`: the store key of a trade (ids are unique per source, not across sources). */
export type TradeRef = `${TradeSource}#${string}`;
export function tradeRef(t: { source: TradeSource; tradeId: string }): TradeRef {
  return `${t.source}#${t.tradeId}`;
}

/** The store keys a bare trade id may name: our booking and the counterparty's record of that id. */
export function tradeRefsOf(tradeId: string): readonly [TradeRef, TradeRef] {
  return [tradeRef({ source: 'INTERNAL', tradeId }), tradeRef({ source: 'COUNTERPARTY', tradeId })];
}

/** A stored trade: the input plus lifecycle state. `version` starts at 1 and increases on every change. */
export const Trade = TradeFields.extend({
  status: TradeStatus,
  version: z.number().int().positive(),
  /** SHA-256 of the canonical input fields: tells a re-delivery (same hash) from an amendment. */
  contentHash: z.string(),
  matchId: z.string().optional(),
  /** The deadline by which this trade must be matched (market SLA policy), UTC. */
  matchDeadline: IsoDateTime,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** Who last created or amended it (`principal:…` or `system:…`). */
  lastChangedBy: z.string(),
  /**
   * Four eyes: the principal ids of everyone who booked the trade or changed an economic field of it
   * (a note-only change makes nobody a maker). None of them may decide a match of this trade. Absent on
   * trades stored before it was kept: then the principal of `lastChangedBy` (see `makersOf`).
   */
  makers: z.array(z.string()).max(100).optional(),
  /** Set by ingestion and amendment, cleared when matching has run: a re-run after a crash finishes the work. */
  needsMatching: z.boolean(),
  /** True once any exception was recorded for this trade (so trades without any skip the lookup). */
  hasExceptions: z.boolean(),
  /**
   * Settlement-date warnings found at ingest (closed day of the market, off the standard cycle). A
   * pair both sides agree on that carries one goes to review, never to auto-match.
   */
  dateWarnings: z.array(z.string()).optional(),
  /** Who first amended the trade after it was booked: a repaired trade is matched, never STP. */
  repairedBy: z.string().optional(),
  /** Counterparty records a reviewer rejected for this trade: never proposed again. */
  rejectedCandidates: z.array(z.string()).optional(),
  /**
   * The ingest receipt holding this trade's first audit record, when it was booked in a batch (the
   * batch's creation records are stored together: one write per batch instead of one per trade).
   */
  auditReceipt: z.string().optional(),
  /** Our live settlement instruction (internal trades only): set with it, removed when it is cancelled or replaced. */
  instructionId: z.string().optional(),
  ...AuditHead,
});
export type Trade = z.infer<typeof Trade>;

/** ISO 15022/20022 unmatched reason codes SettleOps raises (MT548 `:24B::NMAT`, sese.024). */
export const ReasonCode = z.enum([
  'DDEA',
  'DQUA',
  'NCRR',
  'DDAT',
  'CMIS',
  'DEPT',
  'ICAG',
  'IEXE',
  'DMON',
  'FRAP',
  'DELN',
  'DSEC',
  'DTRD',
]);
export type ReasonCode = z.infer<typeof ReasonCode>;

export const MatchField = z.enum([
  'quantity',
  'price',
  'netAmount',
  'currency',
  'settlementDate',
  'counterpartyBic',
  'placeOfSettlement',
  'settlementType',
]);
export type MatchField = z.infer<typeof MatchField>;

/**
 * How one field compared. EXACT: equal. WITHIN: different but inside tolerance. RULE: outside tolerance
 * but explained by an explicit auto-resolution rule (rounding, holiday roll). PARTIAL: close enough
 * for a human to judge (BIC branch only). MISMATCH: a break. NOT_COMPARED: missing on one side.
 */
export const FieldOutcome = z.enum(['EXACT', 'WITHIN', 'RULE', 'PARTIAL', 'MISMATCH', 'NOT_COMPARED']);
export type FieldOutcome = z.infer<typeof FieldOutcome>;

export const FieldResult = z.object({
  field: MatchField,
  ours: z.string().nullable(),
  theirs: z.string().nullable(),
  /** Human-readable tolerance applied, e.g. `±1 bp` or `±2.00 EUR (≤ 100000)`. */
  tolerance: z.string(),
  within: z.boolean(),
  outcome: FieldOutcome,
  /** Points taken off the confidence (0 for EXACT). */
  penalty: z.number().int().min(0).max(100),
  reasonCode: ReasonCode.optional(),
  /** The auto-resolution rule that explained the difference, for RULE outcomes. */
  rule: z.string().optional(),
});
export type FieldResult = z.infer<typeof FieldResult>;

/** SUPERSEDED: one of its trades was amended after the comparison, so it no longer stands. */
export const MatchStatus = z.enum(['AUTO_MATCHED', 'PENDING_REVIEW', 'APPROVED', 'REJECTED', 'SUPERSEDED']);
export type MatchStatus = z.infer<typeof MatchStatus>;

/** The longest reason a reviewer may give for a decision (Slack modals and the CLI state it too). */
export const MAX_REVIEW_REASON_LENGTH = 500;

/**
 * A reviewer's reason as accepted at every boundary before it is written: at most 500 characters, no
 * control characters other than line breaks and tabs.
 */
export const ReviewReason = z
  .string()
  .max(MAX_REVIEW_REASON_LENGTH, `is longer than ${MAX_REVIEW_REASON_LENGTH} characters`)
  .refine((v) => !/(?![\n\t])\p{Cc}/u.test(v), 'contains control characters');

export const Decision = z.object({
  by: z.string(),
  at: IsoDateTime,
  reason: z.string().max(MAX_REVIEW_REASON_LENGTH).optional(),
});
export type Decision = z.infer<typeof Decision>;

export const Match = z.object({
  matchId: z.string(),
  internalRef: z.string(),
  counterpartyRef: z.string(),
  /** Versions of the two trades the comparison was made on: a later amendment invalidates a review. */
  internalVersion: z.number().int().positive(),
  counterpartyVersion: z.number().int().positive(),
  confidence: z.number().int().min(0).max(100),
  fields: z.array(FieldResult),
  status: MatchStatus,
  /** Other candidates that scored as well as this one (never auto-matched when present). */
  ambiguousWith: z.array(z.string()).optional(),
  /** Why a pair that scored for auto-match was sent to review instead (off-cycle date, DVP without amount). */
  reviewReasons: z.array(z.string()).optional(),
  decision: Decision.optional(),
  desk: z.string(),
  tradeDate: IsoDate,
  createdAt: IsoDateTime,
  version: z.number().int().positive(),
  ...AuditHead,
});
export type Match = z.infer<typeof Match>;

export const ExceptionType = z.enum([
  'PRICE',
  'QUANTITY',
  'CURRENCY',
  'SETTLEMENT_DATE',
  'NO_COUNTERPARTY_INSTRUCTION',
  'PLACE_OF_SETTLEMENT',
  'COUNTERPARTY',
  'AMOUNT',
  'SETTLEMENT_TYPE',
  'DIRECTION',
  'SECURITY',
  'TRADE_DATE',
]);
export type ExceptionType = z.infer<typeof ExceptionType>;

export const ExceptionStatus = z.enum(['OPEN', 'AUTO_RESOLVED', 'ESCALATED', 'RESOLVED']);
export type ExceptionStatus = z.infer<typeof ExceptionStatus>;
export const Priority = z.enum(['P1', 'P2', 'P3', 'P4']);
export type Priority = z.infer<typeof Priority>;

export const Resolution = z.object({
  by: z.string(),
  at: IsoDateTime,
  /** The auto-resolution rule, or `matched`, `amended`, `manual`. */
  how: z.string(),
  note: z.string().max(1000).optional(),
});
export type Resolution = z.infer<typeof Resolution>;

export const SettlementException = z.object({
  exceptionId: z.string(),
  tradeRef: z.string(),
  /** The counterparty record compared against, when there was one. */
  counterpartyRef: z.string().optional(),
  type: ExceptionType,
  reasonCode: ReasonCode,
  details: z.string(),
  ours: z.string().nullable().optional(),
  theirs: z.string().nullable().optional(),
  priority: Priority,
  /** Notional (quantity × price) in the trade currency, for priority and reports. */
  notional: DecimalString,
  currency: Currency,
  market: z.string(),
  slaDeadline: IsoDateTime,
  slaWarnAt: IsoDateTime,
  status: ExceptionStatus,
  warnedAt: IsoDateTime.optional(),
  breachedAt: IsoDateTime.optional(),
  resolution: Resolution.optional(),
  desk: z.string(),
  tradeDate: IsoDate,
  createdAt: IsoDateTime,
  version: z.number().int().positive(),
  ...AuditHead,
});
export type SettlementException = z.infer<typeof SettlementException>;

/**
 * An instruction's lifecycle: NEW (live) → CANCELLED (the match behind it was superseded or rejected)
 * or REPLACED (a newer instruction for the same trade took its place). At most one NEW per trade.
 */
export const InstructionStatus = z.enum(['NEW', 'CANCELLED', 'REPLACED']);
export type InstructionStatus = z.infer<typeof InstructionStatus>;

/** Why and by whom an instruction stopped being live. */
export const InstructionEnd = z.object({
  at: IsoDateTime,
  by: z.string(),
  reason: z.enum(['MATCH_SUPERSEDED', 'MATCH_REJECTED', 'REPLACED']),
  /** The instruction that replaced it (REPLACED only). */
  replacedBy: z.string().optional(),
});
export type InstructionEnd = z.infer<typeof InstructionEnd>;

/** Settlement instruction generated for an affirmed (auto-matched or approved) pair. */
export const SettlementInstruction = z.object({
  instructionId: z.string(),
  matchId: z.string(),
  tradeRef: z.string(),
  side: Side,
  isin: Isin,
  quantity: PositiveDecimal,
  settlementAmount: DecimalString.optional(),
  currency: Currency,
  /** The date that will settle: the trade's, rolled forward when it is not a business day of the market. */
  settlementDate: IsoDate,
  /** The trade's own settlement date when the calendar rolled it (audited with the instruction). */
  rolledFrom: IsoDate.optional(),
  settlementType: SettlementType,
  placeOfSettlement: Bic,
  counterpartyBic: Bic,
  account: z.string(),
  desk: z.string(),
  tradeDate: IsoDate,
  createdAt: IsoDateTime,
  /** Instructions written before the lifecycle existed have no status: they were live (NEW). */
  status: InstructionStatus.default('NEW'),
  cancellation: InstructionEnd.optional(),
});
export type SettlementInstruction = z.infer<typeof SettlementInstruction>;

export const AuditActor = z
  .string()
  .regex(/^(principal|agent|system):.+$/, 'must be principal:…, agent:… or system:…');

export const AuditRecord = z.object({
  entityId: z.string(),
  /** Position in the entity's chain, from 1. */
  seq: z.number().int().positive(),
  action: z.string(),
  actor: AuditActor,
  details: z.record(z.string(), z.unknown()),
  at: IsoDateTime,
  /** SHA-256 of the previous record in this entity's chain (64 zeros for the first). */
  prevHash: z.string().length(64),
  /** SHA-256 over prevHash and this record's canonical content. */
  hash: z.string().length(64),
  /**
   * SHA-256 of the entity's state this record leaves behind (`stateHashOf`), part of the hashed
   * content: binds the entity's stored fields to its chain. Absent on records from before it existed.
   */
  stateHash: z.string().length(64).optional(),
  /**
   * HMAC-SHA256 of `hash` with the audit key, a key the table's writers do not hold (`ChainKey`):
   * a chain rewritten with recomputed hashes no longer verifies. Absent on unkeyed (legacy) records.
   */
  mac: z.string().length(64).optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/**
 * The first audit records of trades booked together, stored as one item. Each record is still
 * chained and verified per trade; the trade names its receipt (`auditReceipt`).
 */
export const AuditReceipt = z.object({
  receiptId: z.string(),
  records: z.array(AuditRecord).min(1),
});
export type AuditReceipt = z.infer<typeof AuditReceipt>;

export const OutboxKind = z.enum([
  'REVIEW_REQUESTED',
  'REVIEW_DECIDED',
  'EXCEPTIONS_RAISED',
  'SLA_WARNING',
  'SLA_BREACH',
  'EXCEPTION_RESOLVED',
  'INSTRUCTION_CREATED',
  'INSTRUCTION_CANCELLED',
  'INSTRUCTION_REPLACED',
]);
export type OutboxKind = z.infer<typeof OutboxKind>;

/**
 * A notification owed to the outside world, written in the same transaction as the state change it
 * reports. The notifier delivers each once and records where (Slack channel + ts).
 */
export const OutboxRecord = z.object({
  outboxId: z.string(),
  kind: OutboxKind,
  entityId: z.string(),
  desk: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: IsoDateTime,
  status: z.enum(['PENDING', 'DELIVERED']),
  deliveredAt: IsoDateTime.optional(),
  delivery: z.record(z.string(), z.string()).optional(),
});
export type OutboxRecord = z.infer<typeof OutboxRecord>;
