import { describe, expect, it } from 'vitest';
import { slackBlockKitProblems } from '../../../src/local/index.ts';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (action_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id,
  text: { type: 'plain_text', text: 'Approve' },
  ...extra,
});

describe("slackBlockKitProblems, Slack's Block Kit limits", () => {
  it('finds nothing wrong in a message at every limit', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(150) } },
      section('s'.repeat(3000)),
      {
        type: 'section',
        block_id: 'b'.repeat(255),
        fields: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'f'.repeat(2000) })),
      },
      {
        type: 'actions',
        elements: Array.from({ length: 25 }, (_, i) =>
          button(`a${i}`, { text: { type: 'plain_text', text: 't'.repeat(75) }, value: 'v'.repeat(2000) }),
        ),
      },
      { type: 'context', elements: Array.from({ length: 10 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      ...Array.from({ length: 45 }, () => ({ type: 'divider' })),
    ];

    expect(slackBlockKitProblems({ blocks })).toStrictEqual([]);
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), '/blocks'],
    ['section text of 3001', [section('s'.repeat(3001))], '/blocks/0/text/text'],
    [
      '11 fields',
      [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }],
      '/blocks/0/fields',
    ],
    [
      'a field of 2001',
      [{ type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }],
      '/blocks/0/fields/0/text',
    ],
    [
      'header text of 151',
      [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
      '/blocks/0/text/text',
    ],
    [
      'button text of 76',
      [{ type: 'actions', elements: [button('a', { text: { type: 'plain_text', text: 't'.repeat(76) } })] }],
      '/blocks/0/elements/0/text/text',
    ],
    [
      'button value of 2001',
      [{ type: 'actions', elements: [button('a', { value: 'v'.repeat(2001) })] }],
      '/blocks/0/elements/0/value',
    ],
    [
      'button url of 3001',
      [{ type: 'actions', elements: [button('a', { url: `https://x/${'u'.repeat(2992)}` })] }],
      '/blocks/0/elements/0/url',
    ],
    [
      'an accessory button of 76',
      [{ ...section('x'), accessory: button('a', { text: { type: 'plain_text', text: 't'.repeat(76) } }) }],
      '/blocks/0/accessory/text/text',
    ],
    ['block_id of 256', [{ type: 'divider', block_id: 'b'.repeat(256) }], '/blocks/0/block_id'],
    [
      'action_id of 256',
      [{ type: 'actions', elements: [button('a'.repeat(256))] }],
      '/blocks/0/elements/0/action_id',
    ],
    [
      '26 actions',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }],
      '/blocks/0/elements',
    ],
    [
      '11 context elements',
      [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }],
      '/blocks/0/elements',
    ],
    [
      'a duplicate action_id across blocks',
      [
        { type: 'actions', elements: [button('approve')] },
        { type: 'actions', elements: [button('approve')] },
      ],
      '/blocks/1/elements/0/action_id',
    ],
    [
      'a duplicate block_id',
      [
        { type: 'divider', block_id: 'x' },
        { type: 'divider', block_id: 'x' },
      ],
      '/blocks/1/block_id',
    ],
    ['a block without a type', [{ text: 'x' }], '/blocks/0'],
  ])('names %s with its JSON pointer', (_name, blocks, pointer) => {
    const problems = slackBlockKitProblems({ blocks });

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`\\[json-pointer:${pointer.replaceAll('/', '\\/')}\\]$`));
  });

  it('allows 100 blocks in a modal and not 101, and reads blocks given as a JSON string', () => {
    const dividers = (n: number) => Array.from({ length: n }, () => ({ type: 'divider' }));

    expect(slackBlockKitProblems({ type: 'modal', blocks: dividers(100) })).toStrictEqual([]);
    expect(slackBlockKitProblems({ type: 'modal', blocks: dividers(101) })).toStrictEqual([
      'no more than 100 items allowed [json-pointer:/blocks]',
    ]);
    expect(slackBlockKitProblems({ blocks: JSON.stringify(dividers(51)) })).toStrictEqual([
      'no more than 50 items allowed [json-pointer:/blocks]',
    ]);
    expect(slackBlockKitProblems({ blocks: '[not json' })).toStrictEqual([
      'must provide valid JSON [json-pointer:/blocks]',
    ]);
  });
});
