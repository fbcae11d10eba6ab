import type { Trade } from '../../settlement/index.ts';
import { safe } from './mrkdwn.ts';
import { groupDigits } from './settlement-labels.ts';
import { truncateText } from './truncate.ts';

/** Longest single value shown; anything longer is cut (the record itself is one `settleops trade` away). */
export const MAX_VALUE = 80;

/** One data value for mrkdwn: shortened, grouped when it is a decimal, escaped. */
export function value(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '–';
  return safe(groupDigits(v), MAX_VALUE);
}

/** A trade's record in a few mrkdwn lines (escaped), at most `max` characters. */
export function tradeSummary(t: Trade, max = 2000): string {
  const lines = [
    `*${t.source === 'INTERNAL' ? 'Ours' : 'Theirs'}* · ${value(t.tradeId)} · ${value(t.side)}`,
    `ISIN ${value(t.isin)} · ${value(t.quantity)} @ ${value(t.price)} ${value(t.currency)}`,
    `Net ${value(t.netAmount)}${t.netAmount === undefined ? '' : ` ${value(t.currency)}`} · ${value(t.settlementType)} at ${value(t.placeOfSettlement)}`,
    `Settles ${value(t.settlementDate)} · account ${value(t.account)} · cpty ${value(t.counterpartyBic)}`,
  ];
  if (t.note !== undefined && t.note.trim() !== '') lines.push(`_Note:_ ${safe(t.note, 300)}`);
  return truncateText(lines.join('\n'), max);
}
