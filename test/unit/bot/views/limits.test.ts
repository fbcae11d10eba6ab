import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { ourBlockKitProblems } from '../../../../src/bot/views/index.ts';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (text: string, action_id: string, value = 'v') => ({
  type: 'button' as const,
  text: { type: 'plain_text' as const, text },
  action_id,
  value,
});

describe('ourBlockKitProblems', () => {
  it('finds nothing wrong with a message within every limit', () => {
    expect(
      ourBlockKitProblems({
        text: 'hello',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'x'.repeat(150) } },
          section('y'.repeat(3000)),
          { type: 'actions', elements: [button('z'.repeat(75), 'a'), button('b', 'b', 'v'.repeat(2000))] },
        ],
      }),
    ).toStrictEqual([]);
  });

  it('names each broken limit with its path', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', block_id: 'h', text: { type: 'plain_text', text: 'x'.repeat(151) } },
      { ...section('y'.repeat(3001)), block_id: 'h' },
      { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })) },
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] },
      { type: 'actions', elements: [button('z'.repeat(76), 'a'), button('b', 'a', 'v'.repeat(2001))] },
      section(''),
      section('hi <!channel>'),
    ];
    expect(ourBlockKitProblems({ text: 'x'.repeat(3001), blocks })).toStrictEqual([
      'text: 3001 characters, more than 3000',
      'blocks[0].text.text: 151 characters, more than 150',
      'blocks[1].block_id: h is not unique',
      'blocks[1].text.text: 3001 characters, more than 3000',
      'blocks[2].fields: 11, more than 10',
      'blocks[3].fields[0].text: 2001 characters, more than 2000',
      'blocks[4].elements[0].text.text: 76 characters, more than 75',
      'blocks[4].elements[1].action_id: a is not unique',
      'blocks[4].elements[1].value: 2001 characters, more than 2000',
      'blocks[5].text.text: empty',
      'blocks[6].text.text: contains a broadcast mention',
    ]);
  });

  it('counts blocks: 50 in a message, 100 in a modal', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => section(`s${i}`));
    expect(ourBlockKitProblems({ text: 't', blocks: many(51) })).toStrictEqual(['blocks: 51, more than 50']);
    const modal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'T' },
      blocks: many(100),
    };
    expect(ourBlockKitProblems(modal)).toStrictEqual([]);
    expect(ourBlockKitProblems({ ...modal, blocks: many(101) })).toStrictEqual([
      'blocks: 101, more than 100',
    ]);
  });

  it('checks a modal’s title, submit and private_metadata', () => {
    expect(
      ourBlockKitProblems({
        type: 'modal',
        title: { type: 'plain_text', text: 'x'.repeat(25) },
        private_metadata: 'm'.repeat(3001),
        blocks: [
          {
            type: 'input',
            label: { type: 'plain_text', text: 'Reason' },
            element: { type: 'plain_text_input', action_id: 'r', max_length: 3001 },
          },
        ],
      }),
    ).toStrictEqual([
      'title.text: 25 characters, more than 24',
      'submit: required when the view has an input block',
      'private_metadata: 3001 characters, more than 3000',
      'blocks[0].element: min_length 0 / max_length 3001 outside 0–3000',
    ]);
  });
});
