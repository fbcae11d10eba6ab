import { describe, expect, it } from 'vitest';
import { deskTimeZone } from '../../../../src/agents/tools/desk-zones.ts';
import { entityCandidates, tokens } from '../../../../src/agents/tools/entity-candidates.ts';

// Wednesday 2026-11-25, 14:00 in New York.
const NOW = new Date('2026-11-25T19:00:00.000Z');
const NY = 'America/New_York';

describe('candidate entities in a question', () => {
  it('strips punctuation and possessives around tokens', () => {
    expect(tokens('status of (h4-int), K1-INT\'s and "X|INTERNAL#H4-INT|price"?')).toStrictEqual([
      'status',
      'of',
      'h4-int',
      'K1-INT',
      'and',
      'X|INTERNAL#H4-INT|price',
    ]);
  });

  it('takes id-like tokens in any case and leaves quantities and plain words out', () => {
    expect(
      entityCandidates('why is h4-int not matched after 2h, 24th try, 300 shares', NOW, NY).ids,
    ).toStrictEqual(['h4-int']);
  });

  it('recognises ISINs by check digit, in any case', () => {
    const c = entityCandidates('trades in us02079k3059 and US02079K3058', NOW, NY);
    expect(c.isins).toStrictEqual(['US02079K3059']);
  });

  it('takes upper-case BICs alone and lower-case ones only after a counterparty word', () => {
    expect(entityCandidates('trades with gscmus33 vs DEUTDEFF', NOW, NY).bics).toStrictEqual([
      'GSCMUS33',
      'DEUTDEFF',
    ]);
    expect(entityCandidates('the exchange rate', NOW, NY).bics).toStrictEqual([]);
  });

  it('takes desk-shaped tokens, upper-cased, but not hyphenated words', () => {
    expect(entityCandidates('breaks on eq-uk after the cut-off, re-run', NOW, NY).desks).toStrictEqual([
      'EQ-UK',
    ]);
  });

  it('reads dates as people type them', () => {
    expect(
      entityCandidates('2026-11-20 yesterday T-1 t-2 24 Nov nov 23rd 19-nov today', NOW, NY).dates,
    ).toStrictEqual([
      { typed: '2026-11-20', date: '2026-11-20' },
      { typed: 'yesterday', date: '2026-11-24' },
      { typed: 'T-1', date: '2026-11-24' },
      { typed: 't-2', date: '2026-11-23' },
      { typed: '24 Nov', date: '2026-11-24' },
      { typed: 'nov 23rd', date: '2026-11-23' },
      { typed: '19-nov', date: '2026-11-19' },
      { typed: 'today', date: '2026-11-25' },
    ]);
  });

  it('skips the weekend for yesterday on a Monday', () => {
    const monday = new Date('2026-11-23T15:00:00.000Z');
    expect(entityCandidates('yesterday', monday, NY).dates).toStrictEqual([
      { typed: 'yesterday', date: '2026-11-20' },
    ]);
  });
});

describe('a desk time zone', () => {
  it.each([
    ['EQ-UK', 'Europe/London'],
    ['EQ-APAC', 'Asia/Tokyo'],
    ['EQ-US', 'America/New_York'],
    ['FI-RATES', 'America/New_York'],
  ])('%s is %s', (desk, zone) => {
    expect(deskTimeZone(desk)).toBe(zone);
  });
});
