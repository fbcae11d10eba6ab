import type { Side, TradeSource } from '../model.ts';

/** The level-1 key fields of a trade. */
export interface BlockKeyFields {
  readonly isin: string;
  readonly tradeDate: string;
  readonly side: Side;
  readonly source: TradeSource;
}

/** `isin|tradeDate|side|source`: the exact level-1 key a trade is indexed under. */
export function blockKey(t: BlockKeyFields): string {
  return `${t.isin}|${t.tradeDate}|${t.side}|${t.source}`;
}

/**
 * The key of the records that can pair with `t`: same ISIN and trade date, opposite side, other
 * source. Candidates are always looked up through it (a Map here, a DynamoDB index in the store).
 */
export function candidateBlockKey(t: BlockKeyFields): string {
  return `${t.isin}|${t.tradeDate}|${oppositeSide(t.side)}|${otherSource(t.source)}`;
}

export function oppositeSide(side: Side): Side {
  return side === 'BUY' ? 'SELL' : 'BUY';
}

export function otherSource(source: TradeSource): TradeSource {
  return source === 'INTERNAL' ? 'COUNTERPARTY' : 'INTERNAL';
}
