import { describe, expect, it } from 'vitest';
import {
  applyWithheld,
  collectReferences,
  decideWithheld,
  refsToResolve,
  WITHHELD,
} from '../../../../src/agents/tools/reference-redactor.ts';

/** A trade as the redaction reads it. */
function aStoredTrade(
  overrides: Partial<{
    source: 'INTERNAL' | 'COUNTERPARTY';
    tradeId: string;
    desk: string;
    account: string;
    counterpartyBic: string;
  }> = {},
) {
  return {
    source: 'INTERNAL' as const,
    tradeId: 'T-1',
    desk: 'EQ-US',
    account: 'US-ACC-0001',
    counterpartyBic: 'DEUTDEFF',
    ...overrides,
  };
}

const VIEWER_B = { desks: ['EQ-US'], accounts: [] };
const HIDDEN = aStoredTrade({
  source: 'COUNTERPARTY',
  tradeId: 'C-A1',
  desk: 'EQ-EU',
  account: 'EU-ACC-9',
  counterpartyBic: 'BNPAFRPP',
});
const VISIBLE = aStoredTrade();

describe('collectReferences', () => {
  it('finds ids in id fields and match, exception and trade ids inside text', () => {
    const refs = collectReferences({
      matchId: 'M|INTERNAL#T-1@2|COUNTERPARTY#C-A1@1',
      details: 'see X|INTERNAL#T-9|price and C-A7.',
      when: '2026-11-24T20:00:00.000Z',
    });
    expect(Object.fromEntries(refs.candidates)).toStrictEqual({
      'M|INTERNAL#T-1@2|COUNTERPARTY#C-A1@1': ['INTERNAL#T-1', 'COUNTERPARTY#C-A1'],
      'INTERNAL#T-1': ['INTERNAL#T-1'],
      'COUNTERPARTY#C-A1': ['COUNTERPARTY#C-A1'],
      'T-1': ['T-1'],
      'C-A1': ['C-A1'],
      'X|INTERNAL#T-9|price': ['INTERNAL#T-9'],
      'INTERNAL#T-9': ['INTERNAL#T-9'],
      'T-9': ['T-9'],
      'C-A7': ['C-A7'],
    });
    expect(refsToResolve(refs)).toStrictEqual([
      'COUNTERPARTY#C-A1',
      'COUNTERPARTY#C-A7',
      'COUNTERPARTY#T-1',
      'COUNTERPARTY#T-9',
      'INTERNAL#C-A1',
      'INTERNAL#C-A7',
      'INTERNAL#T-1',
      'INTERNAL#T-9',
    ]);
  });
});

describe('decideWithheld and applyWithheld', () => {
  const value = {
    tradeId: 'T-1',
    matchId: 'M|INTERNAL#T-1@2|COUNTERPARTY#C-A1@1',
    note: 'paired with C-A1 (EU-ACC-9, BNPAFRPP); not C-A10',
    ids: ['C-A1', 'T-1'],
  };

  it('withholds a match naming a hidden record, its ids in text, and its account and BIC', () => {
    const refs = collectReferences(value);
    const withheld = decideWithheld(refs, [VISIBLE, HIDDEN], VIEWER_B, new Set());
    expect(applyWithheld(value, withheld)).toStrictEqual({
      value: {
        tradeId: 'T-1',
        matchId: null,
        note: `paired with ${WITHHELD} (${WITHHELD}, ${WITHHELD}); not C-A10`,
        ids: [WITHHELD, 'T-1'],
      },
      count: 5,
    });
  });

  it('never withholds what the asker supplied, nor a BIC a visible record carries', () => {
    const refs = collectReferences(value);
    const sharedBic = { ...HIDDEN, counterpartyBic: 'DEUTDEFF' };
    const withheld = decideWithheld(
      refs,
      [VISIBLE, sharedBic],
      VIEWER_B,
      new Set(['C-A1', 'COUNTERPARTY#C-A1', 'M|INTERNAL#T-1@2|COUNTERPARTY#C-A1@1']),
    );
    expect(withheld).toStrictEqual({ ids: new Set(), values: new Set(['EU-ACC-9']) });
  });

  it('leaves ids that name no record alone', () => {
    const refs = collectReferences({ tradeId: 'T-404', note: 'ACC-7 on 2026-11-24' });
    expect(decideWithheld(refs, [], VIEWER_B, new Set())).toStrictEqual({
      ids: new Set(),
      values: new Set(),
    });
  });
});
