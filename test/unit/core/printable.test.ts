import { describe, expect, it } from 'vitest';
import { printable } from '../../../src/text/printable.ts';

describe('printable', () => {
  it.each([
    ['plain text, ünïcode and €', 'plain text, ünïcode and €'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['title\u001b]0;pwned\u0007', 'title\\x1b]0;pwned\\x07'],
    ['two\nlines\tand\rreturn', 'two\\nlines\\tand\\rreturn'],
    ['c1 \u009b csi', 'c1 \\x9b csi'],
    ['zero\u200bwidth and \u202eoverride', 'zero\\u200bwidth and \\u202eoverride'],
  ])('writes %j as %j', (raw, shown) => {
    expect(printable(raw)).toBe(shown);
  });
});
