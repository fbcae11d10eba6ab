import { describe, expect, it } from 'vitest';
import {
  ACTION_IDS,
  FORGET_FACT_ACTION_PATTERN,
  forgetFactActionId,
  MAX_FACTS_SHOWN,
  memoryMessage,
  ourBlockKitProblems,
  parseForgetFactActionId,
  ViewInputError,
} from '../../../../src/bot/views/index.ts';
import { actionIds, aFact, buttons, HOSTILE, wire } from '../../../support/slack-views.ts';

describe('memoryMessage', () => {
  it('lists each fact with its category, text, the date it was stated and a Forget button', () => {
    const fact = aFact({ updatedAt: '2026-11-21T03:00:00.000Z' });
    const message = memoryMessage({ facts: [fact], timeZone: 'America/New_York' });
    expect(message.text).toBe('I remember 1 fact about you.');
    expect(message.blocks[1]).toStrictEqual({
      type: 'section',
      block_id: 'memory_fact_0',
      text: {
        type: 'mrkdwn',
        text: '*Preference* · stated 20 Nov 2026\nprefers reports for the EQ-US desk',
        verbatim: true,
      },
      accessory: {
        type: 'button',
        action_id: 'memory_forget:f-01JD0000000000000000000000',
        text: { type: 'plain_text', text: 'Forget', emoji: true },
        value: 'f-01JD0000000000000000000000',
      },
    });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('offers Forget all behind a confirmation dialog', () => {
    const message = memoryMessage({ facts: [aFact(), aFact({ factId: 'f-2' })], timeZone: 'UTC' });
    expect(message.blocks.at(-1)).toStrictEqual({
      type: 'actions',
      block_id: 'memory_actions',
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.forgetAll,
          text: { type: 'plain_text', text: 'Forget all', emoji: true },
          style: 'danger',
          value: 'all',
          confirm: {
            title: { type: 'plain_text', text: 'Forget everything?', emoji: true },
            text: {
              type: 'plain_text',
              text: 'This deletes all 2 facts I keep about you. It cannot be undone.',
              emoji: true,
            },
            confirm: { type: 'plain_text', text: 'Forget all', emoji: true },
            deny: { type: 'plain_text', text: 'Cancel', emoji: true },
            style: 'danger',
          },
        },
      ],
    });
  });

  it('gives every fact its own action id, which parses back to the fact', () => {
    const message = memoryMessage({
      facts: [aFact({ factId: 'f-a' }), aFact({ factId: 'f-b', category: 'counterparty_note' })],
      timeZone: 'UTC',
    });
    expect(actionIds(message)).toStrictEqual(['memory_forget:f-a', 'memory_forget:f-b', 'memory_forget_all']);
    expect(parseForgetFactActionId('memory_forget:f-b')).toBe('f-b');
    expect(parseForgetFactActionId(ACTION_IDS.forgetAll)).toBeUndefined();
    expect(parseForgetFactActionId('memory_forget:')).toBeUndefined();
    expect(FORGET_FACT_ACTION_PATTERN.test('memory_forget:f-a')).toBe(true);
    expect(FORGET_FACT_ACTION_PATTERN.test(ACTION_IDS.forgetAll)).toBe(false);
  });

  it('explains what is kept and how to add a fact when there are none', () => {
    const message = memoryMessage({ facts: [], timeZone: 'UTC' });
    expect(message.text).toBe('I keep no long-term facts about you.');
    expect(buttons(message)).toStrictEqual([]);
    const text = wire(message.blocks[1]);
    expect(text).toContain('say *remember that …*');
    expect(text).toContain('counterparty note 90 days');
    expect(text).toContain('preference 365 days');
  });

  it('shows at most 45 of 200 facts, says how many more, and escapes their text', () => {
    const facts = Array.from({ length: 200 }, (_, i) =>
      aFact({ factId: `f-${i}`, text: `${HOSTILE} ${'t'.repeat(600)}`, category: 'standing_instruction' }),
    );
    const message = memoryMessage({ facts, timeZone: 'Europe/London', blockIdSuffix: 'p1' });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(wire(message)).not.toMatch(/<!|<@|<#/);
    expect(buttons(message).filter((b) => b.text === 'Forget')).toHaveLength(MAX_FACTS_SHOWN);
    expect(wire(message)).toContain(
      '… (155 more not shown: forget some to see the rest, or ask for the full list)',
    );
    expect(wire(message)).toContain('This deletes all 200 facts');
  });

  it('refuses a fact id too long for an action id, naming it', () => {
    expect(forgetFactActionId('f'.repeat(300))).toBeUndefined();
    expect(() => memoryMessage({ facts: [aFact({ factId: 'f'.repeat(300) })], timeZone: 'UTC' })).toThrow(
      new ViewInputError('facts[0].factId: empty or too long for an action_id'),
    );
  });
});
