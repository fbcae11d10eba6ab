import type { FieldResult } from '../model.ts';

/** What the review gate reads of each trade. */
export interface GatedTrade {
  readonly settlementType: 'DVP' | 'FOP';
  readonly netAmount?: string | undefined;
  /** Settlement-date warnings found at ingest (closed day, off the standard cycle). */
  readonly dateWarnings?: readonly string[] | undefined;
}

/**
 * Why a pair that scored high enough to auto-match must be seen by a person instead, or nothing.
 * - Both sides agree on a settlement date that is a closed day of the market or off its standard
 *   cycle: agreement does not make the date settle (a CSD rejects a closed day; an unplanned cycle
 *   changes funding and penalties). The warnings are the reasons.
 * - A DVP confirmation without a net amount: the cash leg, the one thing DVP settles against, was
 *   never compared, so the other fields alone do not affirm it.
 * Pure and cheap (no calendar look-up: the warnings were computed once, at ingest).
 */
export function reviewReasons(
  internal: GatedTrade,
  counterparty: GatedTrade,
  fields: readonly Pick<FieldResult, 'field' | 'outcome'>[],
): string[] {
  const reasons: string[] = [];
  const agreedDate = fields.some((f) => f.field === 'settlementDate' && f.outcome === 'EXACT');
  if (agreedDate) {
    for (const w of [...(internal.dateWarnings ?? []), ...(counterparty.dateWarnings ?? [])]) {
      if (!reasons.includes(w)) reasons.push(w);
    }
  }
  const dvp = internal.settlementType === 'DVP' || counterparty.settlementType === 'DVP';
  if (dvp && (internal.netAmount === undefined || counterparty.netAmount === undefined)) {
    const which = counterparty.netAmount === undefined ? 'confirmation' : 'booking';
    reasons.push(`DVP ${which} without a net amount: the cash leg was not compared`);
  }
  return reasons;
}
