import { describe, expect, it } from 'vitest';
import { formatTradeView } from '../../../src/cli/format/trade-view.ts';
import { aMatch, aStoredTrade } from '../../support/settlement-records.ts';

describe('formatTradeView', () => {
  it('shows the instrument class, the settlement-date warnings and why a match is held for review', () => {
    const warning = 'settlement date 2026-07-03 is not a business day in US (Independence Day)';
    const text = formatTradeView({
      trade: aStoredTrade({ instrumentClass: 'BOND', dateWarnings: [warning], status: 'PENDING_REVIEW' }),
      match: aMatch({ status: 'PENDING_REVIEW', confidence: 100, fields: [], reviewReasons: [warning] }),
      counterpart: undefined,
      exceptions: [],
      audit: [],
    });
    expect(text.split('\n').filter((l) => /instrument class|warning:|held for review/.test(l))).toStrictEqual(
      ['  instrument class BOND', `  warning: ${warning}`, `    held for review: ${warning}`],
    );
  });
});
