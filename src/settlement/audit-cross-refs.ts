import type { Match, SettlementException, SettlementInstruction, Trade } from './model.ts';

/*
 * The references between entities, checked both ways: a trade's match exists, names it and agrees
 * with its status; a standing match's trades name it; an affirmed match has its live instruction
 * and nothing else does; an exception's trade exists. Each check speaks about the entity it is
 * run for, so `audit verify` can say which entity is wrong and how.
 */

/** What the checks may look up (undefined: not in the store). */
export interface RefLookup {
  trade(ref: string): Trade | undefined;
  match(matchId: string): Match | undefined;
  instruction(instructionId: string): SettlementInstruction | undefined;
}

export function isStandingMatch(m: Pick<Match, 'status'>): boolean {
  return m.status === 'AUTO_MATCHED' || m.status === 'PENDING_REVIEW' || m.status === 'APPROVED';
}

function isAffirmed(m: Pick<Match, 'status'>): boolean {
  return m.status === 'AUTO_MATCHED' || m.status === 'APPROVED';
}

export function tradeReferenceProblems(trade: Trade, refs: RefLookup): string[] {
  const ref = `${trade.source}#${trade.tradeId}`;
  const problems: string[] = [];
  if (trade.matchId === undefined) {
    if (trade.status === 'MATCHED' || trade.status === 'PENDING_REVIEW')
      problems.push(`it is ${trade.status} but names no match`);
  } else {
    const match = refs.match(trade.matchId);
    if (match === undefined) {
      problems.push(`it names match ${trade.matchId}, which does not exist`);
    } else if (match.internalRef !== ref && match.counterpartyRef !== ref) {
      problems.push(
        `it names match ${trade.matchId}, which pairs ${match.internalRef} with ${match.counterpartyRef}`,
      );
    } else {
      const agrees =
        (trade.status === 'MATCHED' && isAffirmed(match)) ||
        (trade.status === 'PENDING_REVIEW' && match.status === 'PENDING_REVIEW');
      if (!agrees) problems.push(`it is ${trade.status} but its match ${match.matchId} is ${match.status}`);
    }
  }
  if (trade.instructionId !== undefined) {
    const si = refs.instruction(trade.instructionId);
    if (si === undefined) problems.push(`it names instruction ${trade.instructionId}, which does not exist`);
    else if (si.status !== 'NEW')
      problems.push(`it names instruction ${si.instructionId} as live, but that is ${si.status}`);
    else if (si.matchId !== trade.matchId)
      problems.push(`its live instruction ${si.instructionId} is for match ${si.matchId}, not its own`);
  }
  return problems;
}

export function matchReferenceProblems(match: Match, refs: RefLookup): string[] {
  const problems: string[] = [];
  if (isStandingMatch(match)) {
    for (const ref of [match.internalRef, match.counterpartyRef]) {
      const trade = refs.trade(ref);
      if (trade === undefined) problems.push(`its trade ${ref} does not exist`);
      else if (trade.matchId !== match.matchId)
        problems.push(
          `it is ${match.status} but its trade ${ref} names ${trade.matchId === undefined ? 'no match' : `match ${trade.matchId}`}`,
        );
    }
  }
  const si = refs.instruction(`SI|${match.matchId}`);
  if (isAffirmed(match) && (si === undefined || si.status !== 'NEW'))
    problems.push(
      si === undefined
        ? `it is ${match.status} but has no settlement instruction`
        : `it is ${match.status} but its instruction ${si.instructionId} is ${si.status}`,
    );
  if (!isAffirmed(match) && si !== undefined && si.status === 'NEW')
    problems.push(`it is ${match.status} but its instruction ${si.instructionId} is still live`);
  return problems;
}

export function exceptionReferenceProblems(e: SettlementException, refs: RefLookup): string[] {
  return refs.trade(e.tradeRef) === undefined
    ? [`it is raised on trade ${e.tradeRef}, which does not exist`]
    : [];
}

/** An instruction whose match is gone, and trades with more than one live instruction. */
export function instructionProblems(
  instructions: readonly SettlementInstruction[],
  refs: RefLookup,
): Array<{ readonly entityId: string; readonly problem: string }> {
  const out: Array<{ entityId: string; problem: string }> = [];
  const liveByTrade = new Map<string, string[]>();
  for (const si of instructions) {
    if (refs.match(si.matchId) === undefined)
      out.push({ entityId: si.instructionId, problem: `its match ${si.matchId} does not exist` });
    if (si.status === 'NEW')
      liveByTrade.set(si.tradeRef, [...(liveByTrade.get(si.tradeRef) ?? []), si.instructionId]);
  }
  for (const [tradeRef, live] of liveByTrade) {
    if (live.length > 1)
      out.push({
        entityId: tradeRef,
        problem: `it has ${live.length} live settlement instructions: ${live.sort().join(', ')}`,
      });
  }
  return out;
}
