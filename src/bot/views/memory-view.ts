import type { KnownBlock } from '@slack/types';
import { FACT_TTL_DAYS, type FactCategory, type MemoryFact } from '../../memory/index.ts';
import { ACTION_IDS, forgetFactActionId } from './action-ids.ts';
import { blockId } from './block-ids.ts';
import { mrkdwn, plainText, safe } from './mrkdwn.ts';
import type { SlackMessage } from './slack-message.ts';
import { calendarDate } from './time-format.ts';
import { ViewInputError } from './view-input-error.ts';

export interface MemoryMessageInput {
  readonly facts: readonly MemoryFact[];
  /** The asker's desk time zone, for the "stated" dates. */
  readonly timeZone: string;
  readonly blockIdSuffix?: string;
}

const CATEGORY_LABELS: Readonly<Record<FactCategory, string>> = {
  preference: 'Preference',
  responsibility: 'Responsibility',
  standing_instruction: 'Standing instruction',
  counterparty_note: 'Counterparty note',
};

/** Facts shown in one message: with the header, the note and the Forget all row, 49 blocks at most. */
export const MAX_FACTS_SHOWN = 45;

/** `/settle-memory`: the asker's long-term facts, each with Forget, and Forget all (confirmed). */
export function memoryMessage(input: MemoryMessageInput): SlackMessage {
  const id = (base: string) => blockId(base, input.blockIdSuffix);
  const { facts } = input;
  const header: KnownBlock = {
    type: 'header',
    block_id: id('memory_header'),
    text: plainText('What I remember about you', 150),
  };
  if (facts.length === 0) {
    const kept = Object.entries(FACT_TTL_DAYS)
      .map(([c, days]) => `${CATEGORY_LABELS[c as FactCategory].toLowerCase()} ${days} days`)
      .join(', ');
    const text =
      'I keep no long-term facts about you. I only remember what you ask me to: say *remember that …* ' +
      '(for example "remember that I cover the EUR repo desk on Fridays"). ' +
      `Each fact is kept from the last time you stated it (${kept}), and you can forget it here at any time.`;
    return {
      text: 'I keep no long-term facts about you.',
      blocks: [header, { type: 'section', block_id: id('memory_empty'), text: mrkdwn(text) }],
    };
  }
  const blocks: KnownBlock[] = [header];
  for (const [i, fact] of facts.slice(0, MAX_FACTS_SHOWN).entries()) {
    const actionId = forgetFactActionId(fact.factId);
    if (actionId === undefined)
      throw new ViewInputError(`facts[${i}].factId: empty or too long for an action_id`);
    blocks.push({
      type: 'section',
      block_id: id(`memory_fact_${i}`),
      text: mrkdwn(
        `*${CATEGORY_LABELS[fact.category]}* · stated ${calendarDate(fact.updatedAt, input.timeZone, `facts[${i}].updatedAt`)}\n${safe(fact.text, 1000)}`,
      ),
      accessory: {
        type: 'button',
        action_id: actionId,
        text: plainText('Forget', 75),
        value: fact.factId,
      },
    });
  }
  if (facts.length > MAX_FACTS_SHOWN) {
    blocks.push({
      type: 'context',
      block_id: id('memory_more'),
      elements: [
        mrkdwn(
          `… (${facts.length - MAX_FACTS_SHOWN} more not shown: forget some to see the rest, or ask for the full list)`,
        ),
      ],
    });
  }
  blocks.push({
    type: 'actions',
    block_id: id('memory_actions'),
    elements: [
      {
        type: 'button',
        action_id: ACTION_IDS.forgetAll,
        text: plainText('Forget all', 75),
        style: 'danger',
        value: 'all',
        confirm: {
          title: plainText('Forget everything?', 100),
          text: plainText(
            `This deletes all ${facts.length} fact${facts.length === 1 ? '' : 's'} I keep about you. It cannot be undone.`,
            300,
          ),
          confirm: plainText('Forget all', 30),
          deny: plainText('Cancel', 30),
          style: 'danger',
        },
      },
    ],
  });
  return {
    text: `I remember ${facts.length} fact${facts.length === 1 ? '' : 's'} about you.`,
    blocks,
  };
}
