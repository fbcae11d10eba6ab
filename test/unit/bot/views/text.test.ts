import { describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../../../src/bot/views/index.ts';
import { splitText, truncateText } from '../../../../src/bot/views/truncate.ts';

describe('escapeMrkdwn', () => {
  it('turns &, < and > into entities so mentions and links in data stay text', () => {
    expect(escapeMrkdwn('<!channel> <@U123> a & b <https://x|y>')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; a &amp; b &lt;https://x|y&gt;',
    );
  });

  it('breaks the bare broadcast words with a word joiner', () => {
    expect(escapeMrkdwn('hi @channel and @Here, @everyone; mail a@channels.io')).toBe(
      'hi @\u2060channel and @\u2060Here, @\u2060everyone; mail a@channels.io',
    );
  });
});

describe('truncateText', () => {
  it('keeps text within the limit, ending with an ellipsis', () => {
    expect(truncateText('abcdef', 4)).toBe('abc…');
    expect(truncateText('abc', 3)).toBe('abc');
  });

  it('never cuts an entity or a surrogate pair in half', () => {
    expect(truncateText('ab&amp;cd', 6)).toBe('ab…');
    expect(truncateText('a😀b', 3)).toBe('a…');
  });
});

describe('splitText', () => {
  it('cuts at a paragraph break first, then a line break, then a space', () => {
    const para = `${'a'.repeat(40)}\n\n${'b'.repeat(40)}`;
    expect(splitText(para, 60)).toStrictEqual(['a'.repeat(40), 'b'.repeat(40)]);
    const lines = `${'a'.repeat(30)}\n${'b'.repeat(20)} ${'c'.repeat(20)}`;
    expect(splitText(lines, 45)).toStrictEqual(['a'.repeat(30), `${'b'.repeat(20)} ${'c'.repeat(20)}`]);
    expect(splitText(`${'a'.repeat(30)} ${'b'.repeat(30)}`, 40)).toStrictEqual([
      'a'.repeat(30),
      'b'.repeat(30),
    ]);
  });

  it('cuts a long word anywhere safe, keeping every character', () => {
    const text = '&amp;'.repeat(1000);
    const pieces = splitText(text, 3000);
    expect(pieces.every((p) => p.length <= 3000 && /^(&amp;)+$/.test(p))).toBe(true);
    expect(pieces.join('')).toBe(text);
  });
});
