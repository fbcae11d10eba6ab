import { describe, expect, it } from 'vitest';
import {
  exceptionReferenceProblems,
  instructionProblems,
  matchReferenceProblems,
  type RefLookup,
  tradeReferenceProblems,
} from '../../../src/settlement/audit-cross-refs.ts';
import type { Match, SettlementInstruction, Trade } from '../../../src/settlement/model.ts';
import { aMatch, anException, anInstruction, aStoredTrade } from '../../support/settlement-records.ts';

/** An auto-matched pair with its live instruction, as matching writes it. */
function matchedPair(): { ours: Trade; theirs: Trade; match: Match; instruction: SettlementInstruction } {
  return {
    ours: aStoredTrade({ status: 'MATCHED', matchId: 'M-1', instructionId: 'SI|M-1' }),
    theirs: aStoredTrade({
      tradeId: 'C-T-10042',
      source: 'COUNTERPARTY',
      side: 'SELL',
      status: 'MATCHED',
      matchId: 'M-1',
    }),
    match: aMatch({ status: 'AUTO_MATCHED' }),
    instruction: anInstruction({ instructionId: 'SI|M-1' }),
  };
}

function lookup(trades: Trade[], matches: Match[], instructions: SettlementInstruction[]): RefLookup {
  return {
    trade: (ref) => trades.find((t) => `${t.source}#${t.tradeId}` === ref),
    match: (id) => matches.find((m) => m.matchId === id),
    instruction: (id) => instructions.find((i) => i.instructionId === id),
  };
}

describe('cross-references', () => {
  it('find nothing wrong with a matched pair and its live instruction', () => {
    const { ours, theirs, match, instruction } = matchedPair();
    const refs = lookup([ours, theirs], [match], [instruction]);

    expect(tradeReferenceProblems(ours, refs)).toStrictEqual([]);
    expect(tradeReferenceProblems(theirs, refs)).toStrictEqual([]);
    expect(matchReferenceProblems(match, refs)).toStrictEqual([]);
    expect(instructionProblems([instruction], refs)).toStrictEqual([]);
  });

  it('name a trade whose match is gone, and the instruction left without it', () => {
    const { ours, theirs, instruction } = matchedPair();
    const refs = lookup([ours, theirs], [], [instruction]);

    expect(tradeReferenceProblems(ours, refs)).toStrictEqual(['it names match M-1, which does not exist']);
    expect(instructionProblems([instruction], refs)).toStrictEqual([
      { entityId: 'SI|M-1', problem: 'its match M-1 does not exist' },
    ]);
  });

  it('name a trade whose status disagrees with its match', () => {
    const { ours, theirs, instruction } = matchedPair();
    const refs = lookup([ours, theirs], [aMatch({ status: 'PENDING_REVIEW' })], [instruction]);

    expect(tradeReferenceProblems(ours, refs)).toStrictEqual([
      'it is MATCHED but its match M-1 is PENDING_REVIEW',
    ]);
  });

  it('name a standing match whose trade names another match', () => {
    const { ours, theirs, match, instruction } = matchedPair();
    const refs = lookup([ours, { ...theirs, matchId: 'M-2' }], [match], [instruction]);

    expect(matchReferenceProblems(match, refs)).toStrictEqual([
      'it is AUTO_MATCHED but its trade COUNTERPARTY#C-T-10042 names match M-2',
    ]);
  });

  it('name a superseded match whose instruction is still live (left by code before the lifecycle)', () => {
    const { instruction } = matchedPair();
    const superseded = aMatch({ status: 'SUPERSEDED' });

    expect(matchReferenceProblems(superseded, lookup([], [superseded], [instruction]))).toStrictEqual([
      'it is SUPERSEDED but its instruction SI|M-1 is still live',
    ]);
  });

  it('name a trade with two live instructions', () => {
    const { ours, theirs, match, instruction } = matchedPair();
    const second = anInstruction({ instructionId: 'SI|M-2', matchId: 'M-2' });
    const refs = lookup([ours, theirs], [match, aMatch({ matchId: 'M-2' })], [instruction, second]);

    expect(instructionProblems([instruction, second], refs)).toStrictEqual([
      { entityId: 'INTERNAL#T-10042', problem: 'it has 2 live settlement instructions: SI|M-1, SI|M-2' },
    ]);
  });

  it('name a trade naming a cancelled instruction as live', () => {
    const { ours, theirs, match } = matchedPair();
    const cancelled = anInstruction({ instructionId: 'SI|M-1', status: 'CANCELLED' });

    expect(tradeReferenceProblems(ours, lookup([ours, theirs], [match], [cancelled]))).toStrictEqual([
      'it names instruction SI|M-1 as live, but that is CANCELLED',
    ]);
  });

  it('name an exception raised on a trade that does not exist', () => {
    expect(exceptionReferenceProblems(anException(), lookup([], [], []))).toStrictEqual([
      'it is raised on trade INTERNAL#T-10042, which does not exist',
    ]);
  });
});
