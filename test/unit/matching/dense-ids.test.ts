import { describe, expect, it } from 'vitest';
import { DenseIds } from '../../../src/settlement/matching/dense-ids.ts';

describe('DenseIds', () => {
  it('gives ids 0, 1, 2 … in first-seen order, the same id again for the same string', () => {
    const ids = new DenseIds();
    expect(ids.intern('US0378331005')).toBe(0);
    expect(ids.intern('DE0007164600')).toBe(1);
    expect(ids.intern('US0378331005')).toBe(0);
    expect(ids.intern(` ${'DE0007164600'}`.slice(1))).toBe(1);
    expect(ids.size).toBe(2);
    expect(ids.find('DE0007164600')).toBe(1);
    expect(ids.find('GB0002634946')).toBe(-1);
    expect(ids.size).toBe(2);
  });

  it('keeps strings that cannot be packed apart from those that can, and from each other', () => {
    const ids = new DenseIds();
    const isin = 'US0378331005';
    // Same length, same low bytes: U+0135 is 0x35 ('5') in its low byte; NUL would pack as nothing.
    const wide = 'US037833100\u0135';
    const withNul = 'US037833100\u0000';
    const shorter = 'US037833100';
    const longer = 'US03783310050';
    const all = [isin, wide, withNul, shorter, longer, '', 'ÄÖÜäöüßéèêëà'];
    const got = all.map((s) => ids.intern(s));
    expect(got).toStrictEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(all.map((s) => ids.find(s))).toStrictEqual(got);
    expect(ids.find('US037833100\u0136')).toBe(-1);
    expect(ids.find('US0378331006')).toBe(-1);
  });

  it('keeps every id while its table grows far beyond the size it was made for', () => {
    const ids = new DenseIds(1);
    const keys = Array.from({ length: 50_000 }, (_, i) => `XS${String(i * 7919).padStart(10, '0')}`);
    // One assertion over all 50,000 (an expect() per key costs seconds on a busy machine).
    const misplaced = keys.filter((k, i) => ids.intern(k) !== i);
    expect(misplaced).toStrictEqual([]);
    expect(ids.size).toBe(keys.length);
    keys.forEach((k, i) => {
      if (ids.find(k) !== i) throw new Error(`${k}: ${ids.find(k)}, expected ${i}`);
    });
    expect(ids.find('XS9999999999')).toBe(-1);
  });
});
