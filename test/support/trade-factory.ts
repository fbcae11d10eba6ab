import type { z } from 'zod';
import { Prng } from '../../src/seed/prng.ts';
import { type TradeFields, TradeInput } from '../../src/settlement/model.ts';

/** A trade record as `TradeFields` parses it. */
export type TradeRecord = z.infer<typeof TradeFields>;

/**
 * A valid trade (our booking by default): Apple on DTC, T+1 around US Thanksgiving 2026. Overrides
 * replace fields; the result is parsed with `TradeInput`, so a factory call never yields an invalid
 * record (use `{ ...aTrade(), field: bad }` to build one deliberately). `netAmount: undefined` removes it.
 */
export function aTrade(overrides: Partial<TradeRecord> = {}): TradeRecord {
  const trade: Record<string, unknown> = {
    tradeId: 'T-10042',
    source: 'INTERNAL',
    side: 'BUY',
    isin: 'US0378331005',
    quantity: '1000',
    price: '101.25',
    currency: 'USD',
    tradeDate: '2026-11-24',
    settlementDate: '2026-11-25',
    account: 'ACC-7',
    desk: 'EQ-US',
    counterpartyBic: 'DEUTDEFF',
    placeOfSettlement: 'DTCYUS33XXX',
    settlementType: 'DVP',
    netAmount: '101250.00',
    ...overrides,
  };
  for (const [k, v] of Object.entries(trade)) if (v === undefined) delete trade[k];
  return TradeInput.parse(trade);
}

/**
 * The counterparty's record of `trade`: same economics, opposite side, their id. Overrides apply on
 * top (to introduce a break).
 */
export function aCounterpartyRecordOf(trade: TradeRecord, overrides: Partial<TradeRecord> = {}): TradeRecord {
  return aTrade({
    ...trade,
    tradeId: `C-${trade.tradeId}`,
    source: trade.source === 'INTERNAL' ? 'COUNTERPARTY' : 'INTERNAL',
    side: trade.side === 'BUY' ? 'SELL' : 'BUY',
    ...overrides,
  });
}

/** Mulberry32 (the seed generator's): the same cases on every run. */
export function seededRandom(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}
