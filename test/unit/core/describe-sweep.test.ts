import { describe, expect, it } from 'vitest';
import { describeSweep } from '../../../src/cli/format/sweep.ts';
import type { SweepResult } from '../../../src/settlement/services/sweep-sla.ts';

function aSweep(overrides: Partial<SweepResult> = {}): SweepResult {
  return {
    warned: 0,
    breached: 0,
    missingCounterparty: 0,
    matchedAtDeadline: 0,
    nearMisses: 0,
    skipped: 0,
    orphans: { count: 0, byAge: { under1h: 0, from1hTo4h: 0, over4h: 0 }, oldest: [] },
    tradeDates: [],
    ...overrides,
  };
}

describe('describeSweep', () => {
  it('says how many missing records were near misses and lists the orphans by age', () => {
    const text = describeSweep(
      aSweep({
        missingCounterparty: 3,
        nearMisses: 2,
        warned: 1,
        orphans: {
          count: 2,
          byAge: { under1h: 0, from1hTo4h: 1, over4h: 1 },
          oldest: [
            { ref: 'COUNTERPARTY#C-1', counterpartyBic: 'DEUTDEFF', receivedAt: '2026-11-24T12:00:00.000Z' },
            { ref: 'COUNTERPARTY#C-2', counterpartyBic: 'DEUTDEFF', receivedAt: '2026-11-24T23:00:00.000Z' },
          ],
        },
      }),
    );
    expect(text).toBe(
      'SLA sweep: 3 missing counterparty records raised (2 as a near miss: DELN, DSEC or DTRD), 1 warnings, 0 breaches\n' +
        'Unmatched counterparty records past their deadline: 2 (< 1 h 0, 1–4 h 1, > 4 h 1); oldest COUNTERPARTY#C-1, COUNTERPARTY#C-2',
    );
  });

  it('keeps to one line when there is nothing but the counts', () => {
    expect(describeSweep(aSweep({ breached: 2 }))).toBe(
      'SLA sweep: 0 missing counterparty records raised, 0 warnings, 2 breaches',
    );
  });
});
