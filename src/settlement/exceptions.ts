import type { ExceptionType, FieldResult, MatchField, ReasonCode } from './model.ts';

/** Which exception a break of each compared field raises, and its ISO 20022 / MT548 reason code. */
export const EXCEPTION_OF_FIELD: Record<MatchField, { type: ExceptionType; code: ReasonCode }> = {
  price: { type: 'PRICE', code: 'DDEA' },
  quantity: { type: 'QUANTITY', code: 'DQUA' },
  currency: { type: 'CURRENCY', code: 'NCRR' },
  settlementDate: { type: 'SETTLEMENT_DATE', code: 'DDAT' },
  counterpartyBic: { type: 'COUNTERPARTY', code: 'IEXE' },
  placeOfSettlement: { type: 'PLACE_OF_SETTLEMENT', code: 'DEPT' },
  netAmount: { type: 'AMOUNT', code: 'DMON' },
  settlementType: { type: 'SETTLEMENT_TYPE', code: 'FRAP' },
};

export const MISSING_COUNTERPARTY = { type: 'NO_COUNTERPARTY_INSTRUCTION', code: 'CMIS' } as const;

const FIELD_LABEL: Record<MatchField, string> = {
  price: 'Price',
  quantity: 'Quantity',
  currency: 'Currency',
  settlementDate: 'Settlement date',
  counterpartyBic: 'Counterparty firm (BIC)',
  placeOfSettlement: 'Place of settlement',
  netAmount: 'Net amount',
  settlementType: 'Settlement type',
};

/**
 * The exception slots of an internal trade besides its compared fields: CMIS (no counterparty record at
 * all) and NEAR (a record that misses the level-1 key on one field: DELN, DSEC or DTRD).
 */
export type ExceptionKey = MatchField | 'CMIS' | 'NEAR';

/** A counterparty record that would pair with ours but for one level-1 key field. */
export type NearMissKind = 'DIRECTION' | 'SECURITY' | 'TRADE_DATE';

const NEAR_MISS: Record<NearMissKind, { type: ExceptionType; code: ReasonCode; label: string }> = {
  DIRECTION: { type: 'DIRECTION', code: 'DELN', label: 'Direction' },
  SECURITY: { type: 'SECURITY', code: 'DSEC', label: 'Security (ISIN)' },
  TRADE_DATE: { type: 'TRADE_DATE', code: 'DTRD', label: 'Trade date' },
};

/** What an exception is about, before SLA and priority are attached. */
export interface ExceptionDraft {
  readonly key: ExceptionKey;
  readonly type: ExceptionType;
  readonly reasonCode: ReasonCode;
  readonly details: string;
  readonly ours: string | null;
  readonly theirs: string | null;
  /** Set when an explicit auto-resolution rule explains the difference. */
  readonly autoResolvedBy?: string;
}

/**
 * The exceptions a comparison raises: one per field that broke (MISMATCH or PARTIAL), and an
 * auto-resolved one per field an explicit rule explained (RULE). Exact and within-tolerance fields
 * raise nothing.
 */
export function classifyBreaks(fields: readonly FieldResult[]): ExceptionDraft[] {
  const drafts: ExceptionDraft[] = [];
  for (const f of fields) {
    if (f.outcome !== 'MISMATCH' && f.outcome !== 'PARTIAL' && f.outcome !== 'RULE') continue;
    const { type, code } = EXCEPTION_OF_FIELD[f.field];
    const base = {
      key: f.field,
      type,
      reasonCode: f.reasonCode ?? code,
      ours: f.ours,
      theirs: f.theirs,
    };
    if (f.outcome === 'RULE') {
      drafts.push({
        ...base,
        details: `${FIELD_LABEL[f.field]}: ours ${f.ours ?? '—'}, theirs ${f.theirs ?? '—'}; explained by rule ${f.rule ?? 'unknown'}`,
        autoResolvedBy: f.rule ?? 'rule',
      });
    } else {
      const how = f.outcome === 'PARTIAL' ? 'close but not within' : 'outside';
      drafts.push({
        ...base,
        details: `${FIELD_LABEL[f.field]}: ours ${f.ours ?? '—'}, theirs ${f.theirs ?? '—'} (${how} tolerance ${f.tolerance})`,
      });
    }
  }
  return drafts;
}

export function missingCounterpartyDraft(deadline: string): ExceptionDraft {
  return {
    key: 'CMIS',
    type: MISSING_COUNTERPARTY.type,
    reasonCode: MISSING_COUNTERPARTY.code,
    details: `No counterparty instruction received by the matching deadline ${deadline}`,
    ours: null,
    theirs: null,
  };
}

/**
 * Instead of CMIS: the counterparty's record exists but differs on a level-1 key field, so the blocking
 * key never brought the two together (found by `findNearMisses`).
 */
export function nearMissDraft(
  kind: NearMissKind,
  counterpartyRef: string,
  ours: string,
  theirs: string,
): ExceptionDraft {
  const { type, code, label } = NEAR_MISS[kind];
  return {
    key: 'NEAR',
    type,
    reasonCode: code,
    details: `${label}: ours ${ours}, theirs ${theirs} on ${counterpartyRef}, which otherwise matches (same counterparty and quantity)`,
    ours,
    theirs,
  };
}

/** Deterministic exception id: one exception per trade and failing field, so re-runs never duplicate. */
export function exceptionIdFor(tradeRef: string, key: ExceptionKey): string {
  return `X|${tradeRef}|${key}`;
}

export const ALL_EXCEPTION_KEYS: ReadonlyArray<ExceptionKey> = [
  ...(Object.keys(EXCEPTION_OF_FIELD) as MatchField[]),
  'CMIS',
  'NEAR',
];
