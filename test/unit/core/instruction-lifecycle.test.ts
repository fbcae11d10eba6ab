import { describe, expect, it } from 'vitest';
import { CalendarRegistry } from '../../../src/settlement/calendar.ts';
import {
  endInstruction,
  instructionFor,
  issueInstruction,
} from '../../../src/settlement/services/instruction-lifecycle.ts';
import { ChangeSet } from '../../../src/settlement/store/change-set.ts';
import { aStoredTrade } from '../../support/settlement-records.ts';

const AT = '2026-11-24T18:00:00.000Z';
const CALENDARS = new CalendarRegistry();

describe('issueInstruction', () => {
  it('writes a NEW instruction and nothing else for a trade without a live one', () => {
    const cs = new ChangeSet();

    const id = issueInstruction(
      cs,
      instructionFor('M-2', aStoredTrade(), AT, CALENDARS),
      aStoredTrade(),
      'system:matcher',
      AT,
    );

    expect(id).toBe('SI|M-2');
    expect(cs.writes.map((w) => w.op)).toStrictEqual(['instruction']);
    expect(cs.writes[0]).toMatchObject({ instruction: { instructionId: 'SI|M-2', status: 'NEW' } });
  });

  it('replaces the live instruction our trade still names, in the same change set, with an alert', () => {
    const cs = new ChangeSet();

    issueInstruction(
      cs,
      instructionFor('M-2', aStoredTrade(), AT, CALENDARS),
      aStoredTrade({ instructionId: 'SI|M-1' }),
      'principal:ops-ben',
      AT,
    );

    expect(cs.writes.slice(0, 2)).toStrictEqual([
      {
        op: 'endInstruction',
        instructionId: 'SI|M-1',
        status: 'REPLACED',
        end: { at: AT, by: 'principal:ops-ben', reason: 'REPLACED', replacedBy: 'SI|M-2' },
      },
      {
        op: 'outbox',
        record: {
          outboxId: 'OB|SI_REPLACED|SI|M-1',
          kind: 'INSTRUCTION_REPLACED',
          entityId: 'SI|M-1',
          desk: 'EQ-US',
          payload: {
            instructionId: 'SI|M-1',
            tradeRef: 'INTERNAL#T-10042',
            status: 'REPLACED',
            reason: 'REPLACED',
            by: 'principal:ops-ben',
            at: AT,
            replacedBy: 'SI|M-2',
          },
          createdAt: AT,
          status: 'PENDING',
        },
      },
    ]);
    expect(cs.writes[2]?.op).toBe('instruction');
  });
});

describe('endInstruction', () => {
  it('cancels with the reason and owes one alert', () => {
    const cs = new ChangeSet();

    endInstruction(
      cs,
      { instructionId: 'SI|M-1', tradeRef: 'INTERNAL#T-1', desk: 'EQ-US' },
      { at: AT, by: 'principal:carla', reason: 'MATCH_REJECTED' },
    );

    expect(cs.writes.map((w) => (w.op === 'outbox' ? w.record.kind : w.op))).toStrictEqual([
      'endInstruction',
      'INSTRUCTION_CANCELLED',
    ]);
    expect(cs.itemKeys()).toStrictEqual(['instruction:SI|M-1', 'outbox:OB|SI_CANCELLED|SI|M-1']);
  });
});
