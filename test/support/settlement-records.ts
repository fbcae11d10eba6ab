import type { z } from 'zod';
import {
  FieldResult,
  Match,
  OutboxRecord,
  SettlementException,
  SettlementInstruction,
  Trade,
} from '../../src/settlement/model.ts';
import { aTrade } from './trade-factory.ts';

/*
 * Stored settlement records for unit tests. Every factory parses its result with the model's zod
 * schema, so a call never yields an invalid record; build `{ ...aStoredTrade(), field: bad }` to get
 * one deliberately. Passing `undefined` for an optional field removes it.
 */

/** A recognisable, well-formed audit hash (64 hex characters). */
export function aHash(char = 'a'): string {
  return char.repeat(64);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(record)) if (v === undefined) delete record[k];
  return record;
}

type Overrides<T> = { [K in keyof T]?: T[K] | undefined };

/** A stored internal trade (Apple on DTC, trade date 2026-11-24), UNMATCHED at version 1. */
export function aStoredTrade(overrides: Overrides<z.input<typeof Trade>> = {}): Trade {
  return Trade.parse(
    withoutUndefined({
      ...aTrade(),
      status: 'UNMATCHED',
      version: 1,
      contentHash: 'c0ffee',
      matchDeadline: '2026-11-25T02:00:00.000Z',
      createdAt: '2026-11-24T14:00:00.000Z',
      updatedAt: '2026-11-24T14:00:00.000Z',
      lastChangedBy: 'system:ingest',
      needsMatching: false,
      hasExceptions: false,
      auditHash: aHash(),
      ...overrides,
    }),
  );
}

/** An auto-matched pair of `INTERNAL#T-10042` and `COUNTERPARTY#C-T-10042`. */
export function aMatch(overrides: Overrides<z.input<typeof Match>> = {}): Match {
  return Match.parse(
    withoutUndefined({
      matchId: 'M-1',
      internalRef: 'INTERNAL#T-10042',
      counterpartyRef: 'COUNTERPARTY#C-T-10042',
      internalVersion: 1,
      counterpartyVersion: 1,
      confidence: 100,
      fields: [],
      status: 'AUTO_MATCHED',
      desk: 'EQ-US',
      tradeDate: '2026-11-24',
      createdAt: '2026-11-24T15:00:00.000Z',
      version: 1,
      auditHash: aHash('b'),
      ...overrides,
    }),
  );
}

/** An open price break on `INTERNAL#T-10042`, due at the US cut-off of 2026-11-24. */
export function anException(
  overrides: Overrides<z.input<typeof SettlementException>> = {},
): SettlementException {
  return SettlementException.parse(
    withoutUndefined({
      exceptionId: 'X|INTERNAL#T-10042|price',
      tradeRef: 'INTERNAL#T-10042',
      counterpartyRef: 'COUNTERPARTY#C-T-10042',
      type: 'PRICE',
      reasonCode: 'DDEA',
      details: 'Price: ours 101.25, theirs 101.30 (outside tolerance ±1 bp)',
      ours: '101.25',
      theirs: '101.30',
      priority: 'P2',
      notional: '101250',
      currency: 'USD',
      market: 'US',
      slaDeadline: '2026-11-25T02:00:00.000Z',
      slaWarnAt: '2026-11-24T23:12:00.000Z',
      status: 'OPEN',
      desk: 'EQ-US',
      tradeDate: '2026-11-24',
      createdAt: '2026-11-24T15:00:00.000Z',
      version: 1,
      auditHash: aHash('c'),
      ...overrides,
    }),
  );
}

/** The settlement instruction of match `M-1`. */
export function anInstruction(
  overrides: Overrides<z.input<typeof SettlementInstruction>> = {},
): SettlementInstruction {
  return SettlementInstruction.parse(
    withoutUndefined({
      instructionId: 'SI-M-1',
      matchId: 'M-1',
      tradeRef: 'INTERNAL#T-10042',
      side: 'BUY',
      isin: 'US0378331005',
      quantity: '1000',
      settlementAmount: '101250.00',
      currency: 'USD',
      settlementDate: '2026-11-25',
      settlementType: 'DVP',
      placeOfSettlement: 'DTCYUS33XXX',
      counterpartyBic: 'DEUTDEFF',
      account: 'ACC-7',
      desk: 'EQ-US',
      tradeDate: '2026-11-24',
      createdAt: '2026-11-24T15:00:00.000Z',
      ...overrides,
    }),
  );
}

/** A pending review request for match `M-1`. */
export function anOutboxRecord(overrides: Overrides<z.input<typeof OutboxRecord>> = {}): OutboxRecord {
  return OutboxRecord.parse(
    withoutUndefined({
      outboxId: 'O-1',
      kind: 'REVIEW_REQUESTED',
      entityId: 'M-1',
      desk: 'EQ-US',
      payload: { matchId: 'M-1' },
      createdAt: '2026-11-24T15:00:00.000Z',
      status: 'PENDING',
      ...overrides,
    }),
  );
}

/** One compared field, as `compareTrades` reports it. */
export function aFieldResult(overrides: Overrides<z.input<typeof FieldResult>> = {}): FieldResult {
  return FieldResult.parse(
    withoutUndefined({
      field: 'price',
      ours: '101.25',
      theirs: '101.25',
      tolerance: '±1 bp',
      within: true,
      outcome: 'EXACT',
      penalty: 0,
      ...overrides,
    }),
  );
}
