import { bicInstitution } from '../identifiers.ts';
import type { Side } from '../model.ts';
import { oppositeSide } from './block-key.ts';

/**
 * The second, cheap look-up behind CMIS. When our trade's level-1 block holds no counterparty record,
 * the counterparty's open records from the same firm with the same quantity (one index query, a few
 * items) may still hold the trade with one level-1 key field wrong: the direction (DELN), the security
 * (DSEC) or the trade date (DTRD). Pure functions; the store runs the query.
 */

/** The fields a near miss is judged on. */
export interface NearMissFields {
  readonly source: 'INTERNAL' | 'COUNTERPARTY';
  readonly tradeId: string;
  readonly isin: string;
  readonly tradeDate: string;
  readonly settlementDate: string;
  readonly side: Side;
  readonly quantity: string;
  readonly currency: string;
  readonly counterpartyBic: string;
}

/** How many calendar days around our trade date a DTRD candidate may lie. */
export const NEAR_MISS_DAYS = 7;

/** The index partition of a trade's near-miss group: counterparty firm (BIC without branch) and quantity. */
export function nearMissKey(t: Pick<NearMissFields, 'counterpartyBic' | 'quantity'>): string {
  return `${bicInstitution(t.counterpartyBic)}|${plainQuantity(t.quantity)}`;
}

/** A validated decimal without trailing fractional zeros (`100.00` → `100`), without decimal.js (ingest path). */
function plainQuantity(q: string): string {
  return q.includes('.') ? q.replace(/\.?0+$/, '') : q;
}

/** The index sort key: trade date first, so a date window is a key range. */
export function nearMissSortKey(t: NearMissFields): string {
  return `${t.tradeDate}#${t.isin}#${t.side}#${t.source}#${t.tradeId}`;
}

export type NearMiss =
  | { readonly kind: 'DIRECTION'; readonly ours: string; readonly theirs: string }
  | { readonly kind: 'SECURITY'; readonly ours: string; readonly theirs: string }
  | { readonly kind: 'TRADE_DATE'; readonly ours: string; readonly theirs: string };

/**
 * What one level-1 field keeps `theirs` out of our block, when exactly one does and the rest agrees
 * (currency; settlement date too for a wrong ISIN, which otherwise says little). Undefined otherwise.
 */
export function classifyNearMiss(ours: NearMissFields, theirs: NearMissFields): NearMiss | undefined {
  if (theirs.source === ours.source || theirs.currency !== ours.currency) return undefined;
  const sameIsin = theirs.isin === ours.isin;
  const sameDate = theirs.tradeDate === ours.tradeDate;
  const opposite = theirs.side === oppositeSide(ours.side);
  if (sameIsin && sameDate && !opposite) return { kind: 'DIRECTION', ours: ours.side, theirs: theirs.side };
  if (!sameIsin && sameDate && opposite && theirs.settlementDate === ours.settlementDate)
    return { kind: 'SECURITY', ours: ours.isin, theirs: theirs.isin };
  if (sameIsin && !sameDate && opposite)
    return { kind: 'TRADE_DATE', ours: ours.tradeDate, theirs: theirs.tradeDate };
  return undefined;
}

const PREFERENCE: Record<NearMiss['kind'], number> = { DIRECTION: 0, SECURITY: 1, TRADE_DATE: 2 };

/** The best near miss among candidates (direction, then security, then trade date; then by ref). */
export function bestNearMiss<T extends NearMissFields>(
  ours: NearMissFields,
  candidates: readonly T[],
): { readonly record: T; readonly miss: NearMiss } | undefined {
  let best: { record: T; miss: NearMiss } | undefined;
  for (const record of candidates) {
    const miss = classifyNearMiss(ours, record);
    if (miss === undefined) continue;
    if (
      best === undefined ||
      PREFERENCE[miss.kind] < PREFERENCE[best.miss.kind] ||
      (PREFERENCE[miss.kind] === PREFERENCE[best.miss.kind] && record.tradeId < best.record.tradeId)
    )
      best = { record, miss };
  }
  return best;
}
