import { describe, expect, it } from 'vitest';
import {
  exceptionAlert,
  missingConfirmationAlert,
  ourBlockKitProblems,
  slaAlert,
} from '../../../../src/bot/views/index.ts';
import type { SettlementException, Trade } from '../../../../src/settlement/index.ts';
import { anException, aStoredTrade } from '../../../support/settlement-records.ts';
import { buttons, HOSTILE, wire } from '../../../support/slack-views.ts';

const trade = aStoredTrade({ status: 'EXCEPTION' });

function fieldsOf(message: { blocks: unknown[] }, blockId: string): string[] {
  const block = message.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as
    | { fields?: Array<{ text: string }> }
    | undefined;
  return (block?.fields ?? []).map((f) => f.text);
}

describe('exceptionAlert', () => {
  it('shows the trade, type, reason code, what differs, priority and the SLA deadline in the desk’s zone', () => {
    const message = exceptionAlert({ exception: anException(), trade, timeZone: 'America/New_York' });
    expect(message.text).toBe(':rotating_light: Price break (DDEA) on T-10042, P2 — desk EQ-US');
    expect(message.blocks[0]).toStrictEqual({
      type: 'header',
      block_id: 'exception_header',
      text: { type: 'plain_text', text: ':rotating_light: Price break (DDEA) on T-10042', emoji: true },
    });
    expect(fieldsOf(message, 'exception_summary')).toStrictEqual([
      '*Trade*\nT-10042 (INTERNAL#T-10042)',
      '*Type*\nPrice break · DDEA',
      '*Priority*\n:large_orange_circle: P2',
      '*SLA deadline*\nTue 24 Nov 2026 21:00 EST',
      '*Desk*\nEQ-US',
      '*Trade date*\n2026-11-24',
      '*Notional*\n101,250 USD',
      '*Status*\nOPEN',
    ]);
    expect(wire(message)).toContain(
      '*What differs:* ours *101.25* · theirs *101.30*\\nPrice: ours 101.25, theirs 101.30 (outside tolerance ±1 bp)',
    );
    expect(buttons(message)).toStrictEqual([]);
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('reads the deadline in the desk’s zone: London and Tokyo see their own clocks', () => {
    const london = exceptionAlert({ exception: anException(), trade, timeZone: 'Europe/London' });
    expect(fieldsOf(london, 'exception_summary')[3]).toBe('*SLA deadline*\nWed 25 Nov 2026 02:00 GMT');
    const tokyo = exceptionAlert({ exception: anException(), trade, timeZone: 'Asia/Tokyo' });
    expect(fieldsOf(tokyo, 'exception_summary')[3]).toBe('*SLA deadline*\nWed 25 Nov 2026 11:00 GMT+9');
  });

  it('stays within the limits and pings nobody with 2,000-character hostile fields', () => {
    const long = `${HOSTILE}${'<&>'.repeat(700)}`;
    const exception: SettlementException = {
      ...anException(),
      exceptionId: long,
      tradeRef: long,
      details: long,
      ours: long,
      theirs: long,
      desk: long,
      notional: long,
      resolution: { by: long, at: '2026-11-24T16:00:00.000Z', how: long },
    };
    const hostileTrade: Trade = { ...trade, tradeId: long, account: long, note: long, counterpartyBic: long };
    const now = '2026-11-25T02:12:00.000Z';
    for (const message of [
      exceptionAlert({ exception, trade: hostileTrade, timeZone: 'America/New_York' }),
      slaAlert({ exception, trade: hostileTrade, level: 'BREACH', now, timeZone: 'America/New_York' }),
      missingConfirmationAlert({ exception, trade: hostileTrade, timeZone: 'America/New_York' }),
    ]) {
      expect(ourBlockKitProblems(message)).toStrictEqual([]);
      expect(wire(message)).not.toMatch(/<!|<@|<#/);
    }
  });
});

describe('slaAlert', () => {
  it('warns before the deadline with the time left', () => {
    const message = slaAlert({
      exception: anException(),
      trade,
      level: 'WARNING',
      now: '2026-11-25T01:35:00.000Z',
      timeZone: 'America/New_York',
    });
    expect(message.text).toBe(':alarm_clock: SLA warning: T-10042 due in 25 min (DDEA, P2) — desk EQ-US');
    expect(message.blocks[1]).toStrictEqual({
      type: 'section',
      block_id: 'sla_distance',
      text: {
        type: 'mrkdwn',
        text: '*due in 25 min* — deadline Tue 24 Nov 2026 21:00 EST for the price break (DDEA).',
        verbatim: true,
      },
    });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('reports a breach with how long ago it happened', () => {
    const message = slaAlert({
      exception: anException({ priority: 'P1', breachedAt: '2026-11-25T02:00:00.000Z' }),
      trade,
      level: 'BREACH',
      now: '2026-11-25T02:12:30.000Z',
      timeZone: 'America/New_York',
      blockIdSuffix: 'b',
    });
    expect(message.text).toBe(':red_circle: SLA breach: T-10042 breached 12 min ago (DDEA, P1) — desk EQ-US');
    expect(wire(message.blocks[0])).toContain(':red_circle: SLA breach: T-10042 breached 12 min ago');
    expect(message.blocks.every((b) => b.block_id?.endsWith('.b'))).toBe(true);
  });

  it('gives long spans in hours and days', () => {
    const at = (now: string) =>
      slaAlert({ exception: anException(), trade, level: 'BREACH', now, timeZone: 'UTC' }).text;
    expect(at('2026-11-25T04:05:00.000Z')).toContain('breached 2 h 5 min ago');
    expect(at('2026-11-28T06:00:00.000Z')).toContain('breached 3 d 4 h ago');
  });

  it('refuses a `now` that is not an instant, naming the field', () => {
    expect(() =>
      slaAlert({ exception: anException(), trade, level: 'WARNING', now: 'soon', timeZone: 'UTC' }),
    ).toThrow('now: "soon" is not an ISO 8601 instant');
  });
});

describe('missingConfirmationAlert', () => {
  it('says no counterparty record arrived by the matching deadline, with the firm to chase', () => {
    const exception = anException({
      exceptionId: 'X|INTERNAL#T-10042|CMIS',
      type: 'NO_COUNTERPARTY_INSTRUCTION',
      reasonCode: 'CMIS',
      counterpartyRef: undefined,
      ours: undefined,
      theirs: undefined,
      details: 'No counterparty record by the matching deadline',
    });
    const message = missingConfirmationAlert({ exception, trade, timeZone: 'America/New_York' });
    expect(message.text).toBe('No counterparty confirmation (CMIS) for T-10042 from DEUTDEFF — desk EQ-US');
    expect(message.blocks[1]).toStrictEqual({
      type: 'section',
      block_id: 'cmis_deadline',
      text: {
        type: 'mrkdwn',
        text: 'No record from DEUTDEFF was received for this trade by its matching deadline, Tue 24 Nov 2026 21:00 EST. Chase the counterparty for its confirmation.',
        verbatim: true,
      },
    });
    expect(wire(message)).not.toContain('What differs');
    expect(fieldsOf(message, 'exception_summary')[1]).toBe('*Type*\nNo counterparty instruction · CMIS');
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });
});
