import { describe, expect, it } from 'vitest';
import { blockKey, candidateBlockKey } from '../../../src/settlement/matching/index.ts';
import { aCounterpartyRecordOf, aTrade } from '../../support/trade-factory.ts';

describe('block keys', () => {
  it('keys a trade by ISIN, trade date, side and source', () => {
    expect(blockKey(aTrade())).toBe('US0378331005|2026-11-24|BUY|INTERNAL');
  });

  it('points our trade at the counterparty records on the opposite side', () => {
    expect(candidateBlockKey(aTrade())).toBe('US0378331005|2026-11-24|SELL|COUNTERPARTY');
  });

  it('pairs a trade with its counterparty record in both directions', () => {
    const ours = aTrade();
    const theirs = aCounterpartyRecordOf(ours);
    expect(candidateBlockKey(ours)).toBe(blockKey(theirs));
    expect(candidateBlockKey(theirs)).toBe(blockKey(ours));
  });

  it.each([
    ['another ISIN', { isin: 'US5949181045' }],
    ['another trade date', { tradeDate: '2026-11-23' }],
    ['the same side', { side: 'BUY' as const }],
  ])('does not pair records with %s', (_, overrides) => {
    expect(candidateBlockKey(aTrade())).not.toBe(blockKey(aCounterpartyRecordOf(aTrade(), overrides)));
  });

  it('does not pair two of our own trades', () => {
    expect(candidateBlockKey(aTrade())).not.toBe(blockKey(aTrade({ side: 'SELL' })));
  });
});
