import { describe, expect, it } from 'vitest';
import {
  ALL_EXCEPTION_KEYS,
  classifyBreaks,
  type ExceptionDraft,
  exceptionIdFor,
  missingCounterpartyDraft,
  nearMissDraft,
} from '../../../src/settlement/exceptions.ts';
import type { ExceptionType, FieldOutcome, MatchField, ReasonCode } from '../../../src/settlement/model.ts';
import { aFieldResult } from '../../support/settlement-records.ts';

/** Each field, the exception its break raises, its label in details, and two differing values. */
const FIELDS: ReadonlyArray<[MatchField, ExceptionType, ReasonCode, string, string, string]> = [
  ['price', 'PRICE', 'DDEA', 'Price', '101.25', '101.40'],
  ['quantity', 'QUANTITY', 'DQUA', 'Quantity', '1000', '900'],
  ['currency', 'CURRENCY', 'NCRR', 'Currency', 'USD', 'EUR'],
  ['settlementDate', 'SETTLEMENT_DATE', 'DDAT', 'Settlement date', '2026-11-25', '2026-11-27'],
  ['counterpartyBic', 'COUNTERPARTY', 'IEXE', 'Counterparty firm (BIC)', 'DEUTDEFF', 'COBADEFF'],
  ['placeOfSettlement', 'PLACE_OF_SETTLEMENT', 'DEPT', 'Place of settlement', 'DTCYUS33XXX', 'MGTCBEBE'],
  ['netAmount', 'AMOUNT', 'DMON', 'Net amount', '101250.00', '101400.00'],
  ['settlementType', 'SETTLEMENT_TYPE', 'FRAP', 'Settlement type', 'DVP', 'FOP'],
];

describe('classifyBreaks', () => {
  it.each(FIELDS)(
    'raises a %s mismatch as a %s exception with code %s',
    (field, type, code, label, ours, theirs) => {
      const f = aFieldResult({
        field,
        ours,
        theirs,
        within: false,
        outcome: 'MISMATCH',
        penalty: 40,
        tolerance: 'exact',
      });
      expect(classifyBreaks([f])).toStrictEqual<ExceptionDraft[]>([
        {
          key: field,
          type,
          reasonCode: code,
          ours,
          theirs,
          details: `${label}: ours ${ours}, theirs ${theirs} (outside tolerance exact)`,
        },
      ]);
    },
  );

  it.each(FIELDS)(
    'raises a %s partial match as a %s exception with code %s',
    (field, type, code, label, ours, theirs) => {
      const f = aFieldResult({
        field,
        ours,
        theirs,
        within: false,
        outcome: 'PARTIAL',
        penalty: 10,
        tolerance: 'branch',
      });
      expect(classifyBreaks([f])).toStrictEqual<ExceptionDraft[]>([
        {
          key: field,
          type,
          reasonCode: code,
          ours,
          theirs,
          details: `${label}: ours ${ours}, theirs ${theirs} (close but not within tolerance branch)`,
        },
      ]);
    },
  );

  it.each(FIELDS)(
    'records a %s difference a rule explains as auto-resolved',
    (field, type, code, label, ours, theirs) => {
      const f = aFieldResult({
        field,
        ours,
        theirs,
        within: false,
        outcome: 'RULE',
        penalty: 5,
        rule: 'ROUNDING',
      });
      expect(classifyBreaks([f])).toStrictEqual<ExceptionDraft[]>([
        {
          key: field,
          type,
          reasonCode: code,
          ours,
          theirs,
          details: `${label}: ours ${ours}, theirs ${theirs}; explained by rule ROUNDING`,
          autoResolvedBy: 'ROUNDING',
        },
      ]);
    },
  );

  it.each<FieldOutcome>(['EXACT', 'WITHIN', 'NOT_COMPARED'])('raises nothing for %s fields', (outcome) => {
    const fields = FIELDS.map(([field, , , , ours, theirs]) =>
      aFieldResult({ field, ours, theirs: outcome === 'NOT_COMPARED' ? null : theirs, outcome }),
    );
    expect(classifyBreaks(fields)).toStrictEqual([]);
  });

  it('keeps the reason code the comparison gave', () => {
    const f = aFieldResult({
      field: 'settlementDate',
      ours: '2026-11-25',
      theirs: '2026-11-26',
      outcome: 'MISMATCH',
      within: false,
      reasonCode: 'DDEA',
    });
    expect(classifyBreaks([f]).map((d) => d.reasonCode)).toStrictEqual(['DDEA']);
  });

  it('writes a dash for a missing value', () => {
    const f = aFieldResult({
      field: 'netAmount',
      ours: '101250.00',
      theirs: null,
      outcome: 'MISMATCH',
      within: false,
      tolerance: '±2.00 USD',
    });
    expect(classifyBreaks([f]).map((d) => d.details)).toStrictEqual([
      'Net amount: ours 101250.00, theirs — (outside tolerance ±2.00 USD)',
    ]);
  });

  it('falls back to "rule" when the comparison names no rule', () => {
    const f = aFieldResult({ field: 'price', ours: '1', theirs: '2', outcome: 'RULE', within: false });
    expect(classifyBreaks([f])).toStrictEqual<ExceptionDraft[]>([
      {
        key: 'price',
        type: 'PRICE',
        reasonCode: 'DDEA',
        ours: '1',
        theirs: '2',
        details: 'Price: ours 1, theirs 2; explained by rule unknown',
        autoResolvedBy: 'rule',
      },
    ]);
  });

  it('raises one draft per broken field, in field order', () => {
    const fields = [
      aFieldResult({ field: 'quantity', ours: '1000', theirs: '1000', outcome: 'EXACT' }),
      aFieldResult({ field: 'price', ours: '1', theirs: '2', outcome: 'MISMATCH', within: false }),
      aFieldResult({ field: 'netAmount', ours: '1', theirs: '1.01', outcome: 'WITHIN' }),
      aFieldResult({ field: 'counterpartyBic', ours: 'DEUTDEFF', theirs: 'DEUTDEFF500', outcome: 'PARTIAL' }),
      aFieldResult({
        field: 'settlementDate',
        ours: '2026-11-26',
        theirs: '2026-11-27',
        outcome: 'RULE',
        rule: 'HOLIDAY_ROLL',
      }),
    ];
    expect(classifyBreaks(fields).map((d) => [d.key, d.autoResolvedBy])).toStrictEqual([
      ['price', undefined],
      ['counterpartyBic', undefined],
      ['settlementDate', 'HOLIDAY_ROLL'],
    ]);
  });
});

describe('missingCounterpartyDraft', () => {
  it('raises a CMIS exception naming the deadline', () => {
    const { key, type, reasonCode, details, ours, theirs, autoResolvedBy } =
      missingCounterpartyDraft('2026-11-25T02:00:00.000Z');
    expect({ key, type, reasonCode, details, ours, theirs, autoResolvedBy }).toStrictEqual({
      key: 'CMIS',
      type: 'NO_COUNTERPARTY_INSTRUCTION',
      reasonCode: 'CMIS',
      details: 'No counterparty instruction received by the matching deadline 2026-11-25T02:00:00.000Z',
      ours: null,
      theirs: null,
      autoResolvedBy: undefined,
    });
  });
});

describe('nearMissDraft', () => {
  it.each([
    ['DIRECTION', 'DIRECTION', 'DELN', 'Direction', 'BUY', 'BUY'],
    ['SECURITY', 'SECURITY', 'DSEC', 'Security (ISIN)', 'US0378331005', 'US5949181045'],
    ['TRADE_DATE', 'TRADE_DATE', 'DTRD', 'Trade date', '2026-11-24', '2026-11-23'],
  ] as const)(
    'raises a %s near miss as %s with code %s in the NEAR slot',
    (kind, type, code, label, ours, theirs) => {
      expect(nearMissDraft(kind, 'COUNTERPARTY#C-1', ours, theirs)).toStrictEqual({
        key: 'NEAR',
        type,
        reasonCode: code,
        details: `${label}: ours ${ours}, theirs ${theirs} on COUNTERPARTY#C-1, which otherwise matches (same counterparty and quantity)`,
        ours,
        theirs,
      });
    },
  );
});

describe('exceptionIdFor', () => {
  it('derives the id from the trade and the failing field', () => {
    expect(exceptionIdFor('INTERNAL#T-10042', 'price')).toBe('X|INTERNAL#T-10042|price');
    expect(exceptionIdFor('INTERNAL#T-10042', 'CMIS')).toBe('X|INTERNAL#T-10042|CMIS');
  });

  it('gives distinct ids per trade and per field', () => {
    const ids = ALL_EXCEPTION_KEYS.flatMap((key) => [
      exceptionIdFor('INTERNAL#T-1', key),
      exceptionIdFor('INTERNAL#T-2', key),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('ALL_EXCEPTION_KEYS', () => {
  it('lists every compared field, CMIS and the near-miss slot', () => {
    expect([...ALL_EXCEPTION_KEYS].sort()).toStrictEqual(
      [...FIELDS.map(([field]) => field), 'CMIS', 'NEAR'].sort(),
    );
  });
});
