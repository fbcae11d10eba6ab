import type { CalendarRegistry } from '../calendar.ts';
import {
  type InstructionEnd,
  type Match,
  type OutboxRecord,
  type SettlementInstruction,
  type Trade,
  tradeRef as tradeRefOf,
} from '../model.ts';
import type { ChangeSet } from '../store/change-set.ts';

/*
 * A settlement instruction's lifecycle: NEW → CANCELLED (the match behind it is superseded or
 * rejected) or NEW → REPLACED (a newer instruction for the same trade is written). Each end is
 * written in the same commit as the change that causes it, conditional on the instruction still
 * being live, with an outbox record so downstream (and the Slack alert) learn it. Our trade names
 * its live instruction (`instructionId`), so a trade never has two.
 */

/**
 * Writes our instruction for an affirmed pair and returns its id, for the caller to record on the
 * internal trade in the same commit. An instruction still live for that trade is replaced.
 */
export function issueInstruction(
  cs: ChangeSet,
  instruction: SettlementInstruction,
  internal: Trade,
  actor: string,
  at: string,
): string {
  if (internal.instructionId !== undefined && internal.instructionId !== instruction.instructionId) {
    endInstruction(
      cs,
      { instructionId: internal.instructionId, tradeRef: tradeRefOf(internal), desk: internal.desk },
      { at, by: actor, reason: 'REPLACED', replacedBy: instruction.instructionId },
    );
  }
  cs.instruction(instruction);
  return instruction.instructionId;
}

/**
 * The live instruction a match produced, if any: the one its internal trade names, or (for data
 * written before trades named their instruction) the one an auto-matched or approved match always has.
 */
export function liveInstructionOf(match: Match, internal: Trade | undefined): string | undefined {
  if (internal?.instructionId !== undefined) return internal.instructionId;
  return match.status === 'AUTO_MATCHED' || match.status === 'APPROVED' ? `SI|${match.matchId}` : undefined;
}

/** Ends a live instruction (cancelled or replaced) and owes downstream one alert about it. */
export function endInstruction(
  cs: ChangeSet,
  target: { readonly instructionId: string; readonly tradeRef: string; readonly desk: string },
  end: InstructionEnd,
): void {
  const status = end.reason === 'REPLACED' ? 'REPLACED' : 'CANCELLED';
  cs.endInstruction(target.instructionId, status, end);
  cs.outbox(instructionAlert(target, status, end));
}

function instructionAlert(
  target: { readonly instructionId: string; readonly tradeRef: string; readonly desk: string },
  status: 'CANCELLED' | 'REPLACED',
  end: InstructionEnd,
): OutboxRecord {
  return {
    outboxId: `OB|SI_${status}|${target.instructionId}`,
    kind: status === 'CANCELLED' ? 'INSTRUCTION_CANCELLED' : 'INSTRUCTION_REPLACED',
    entityId: target.instructionId,
    desk: target.desk,
    payload: {
      instructionId: target.instructionId,
      tradeRef: target.tradeRef,
      status,
      reason: end.reason,
      by: end.by,
      at: end.at,
      ...(end.replacedBy === undefined ? {} : { replacedBy: end.replacedBy }),
    },
    createdAt: end.at,
    status: 'PENDING',
  };
}

/**
 * Our settlement instruction for an affirmed pair (one per match, idempotent by id). It carries the
 * date that will settle: a settlement date on a closed day of the market is rolled forward by its
 * calendar (a CSD rejects an instruction for a day it is closed), with the trade's own date kept in
 * `rolledFrom`; the match's audit record names both (`instructionAudit`).
 */
export function instructionFor(
  matchId: string,
  internal: Trade,
  at: string,
  calendars: CalendarRegistry,
): SettlementInstruction {
  const settles = calendars
    .forPlaceOfSettlement(internal.placeOfSettlement)
    .rollForward(internal.settlementDate);
  return {
    status: 'NEW',
    instructionId: `SI|${matchId}`,
    matchId,
    tradeRef: tradeRefOf(internal),
    side: internal.side,
    isin: internal.isin,
    quantity: internal.quantity,
    ...(internal.settlementType === 'DVP' && internal.netAmount !== undefined
      ? { settlementAmount: internal.netAmount }
      : {}),
    currency: internal.currency,
    settlementDate: settles,
    ...(settles === internal.settlementDate ? {} : { rolledFrom: internal.settlementDate }),
    settlementType: internal.settlementType,
    placeOfSettlement: internal.placeOfSettlement,
    counterpartyBic: internal.counterpartyBic,
    account: internal.account,
    desk: internal.desk,
    tradeDate: internal.tradeDate,
    createdAt: at,
  };
}

/** Audit details for an instruction whose date the calendar rolled (nothing when it was not rolled). */
export function instructionAudit(instruction: SettlementInstruction | undefined): {
  instruction?: { settlementDate: string; rolledFrom: string };
} {
  if (instruction?.rolledFrom === undefined) return {};
  return { instruction: { settlementDate: instruction.settlementDate, rolledFrom: instruction.rolledFrom } };
}
