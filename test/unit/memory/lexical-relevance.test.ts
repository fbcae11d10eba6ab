import { describe, expect, it } from 'vitest';
import { rankByRelevance, tokenise } from '../../../src/memory/index.ts';

describe('lexical relevance', () => {
  it('tokenises lower-case words, drops stop-words and folds a plural s', () => {
    expect(tokenise('Which DESKS do I cover on Fridays? EUR-repo, T+1')).toStrictEqual([
      'desk',
      'cover',
      'friday',
      'eur',
      'repo',
      't',
      '1',
    ]);
  });

  it('ranks rarer shared words higher, keeps input order on ties, leaves out texts with no shared word', () => {
    const texts = [
      'likes CSV reports',
      'covers the repo desk on Fridays',
      'reports on Fridays',
      'lunch at noon',
    ];
    const ranked = rankByRelevance(texts, (t) => t, 'repo desk Fridays');
    expect(ranked.map((s) => s.item)).toStrictEqual([
      'covers the repo desk on Fridays',
      'reports on Fridays',
    ]);
    expect(ranked[0]?.score).toBeGreaterThan(ranked[1]?.score ?? Number.POSITIVE_INFINITY);
    expect(
      rankByRelevance(['late reports', 'early reports'], (t) => t, 'reports').map((s) => s.item),
    ).toStrictEqual(['late reports', 'early reports']);
    expect(rankByRelevance(texts, (t) => t, 'the of and')).toStrictEqual([]);
  });
});
