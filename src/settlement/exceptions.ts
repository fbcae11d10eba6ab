import type { ExceptionType, FieldResult, MatchField, ReasonCode } from './model.ts';

/** Which exception a break of each compared field raises, and its ISO 20022 / MT548 reason code. */
export const EXCEPTION_OF_FIELD: Record<MatchField, { type: ExceptionType; code: ReasonCode }> = {
  price: { type: 'PRICE', code: 'DDEA' },
  quantity: { type: 'QUANTITY', code: 'DQUA' },
  currency: { type: 'CURRENCY', code: 'NCRR' },
  settlementDate: { type: 'SETTLEMENT_DATE', code: 'DDAT' },
  counterpartyBic: { type: 'COUNTERPARTY', code: 'ICAG' },
  placeOfSettlement: { type: 'PLACE_OF_SETTLEMENT', code: 'DEPT' },
  netAmount: { type: 'AMOUNT', code: 'DMON' },
  settlementType: { type: 'AMOUNT', code: 'DMON' },
};

export const MISSING_COUNTERPARTY = { type: 'NO_COUNTERPARTY_INSTRUCTION', code: 'CMIS' } as const;

const FIELD_LABEL: Record<MatchField, string> = {
  price: 'Price',
  quantity: 'Quantity',
  currency: 'Currency',
  settlementDate: 'Settlement date',
  counterpartyBic: 'Counterparty BIC',
  placeOfSettlement: 'Place of settlement',
  netAmount: 'Net amount',
  settlementType: 'Settlement type',
};

/** What an exception is about, before SLA and priority are attached. */
export interface ExceptionDraft {
  readonly key: MatchField | 'CMIS';
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

/** Deterministic exception id: one exception per trade and failing field, so re-runs never duplicate. */
export function exceptionIdFor(tradeRef: string, key: MatchField | 'CMIS'): string {
  return `X|${tradeRef}|${key}`;
}

export const ALL_EXCEPTION_KEYS: ReadonlyArray<MatchField | 'CMIS'> = [
  ...(Object.keys(EXCEPTION_OF_FIELD) as MatchField[]),
  'CMIS',
];
