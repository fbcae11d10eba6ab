import type { TradeInput } from '../../../src/settlement/model.ts';

/** A valid trade record keyed by file column, with overrides. */
export function tradeRecord(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    trade_id: 'T-10000',
    source: 'INTERNAL',
    side: 'BUY',
    isin: 'US0378331005',
    quantity: '1500',
    price: '189.43',
    currency: 'USD',
    trade_date: '2026-11-19',
    settlement_date: '2026-11-20',
    account: 'EQUS-001',
    desk: 'EQ-US',
    counterparty_bic: 'GSCMUS33',
    place_of_settlement: 'DTCYUS33',
    settlement_type: 'DVP',
    net_amount: '284145.00',
    ...overrides,
  };
}

/** The `TradeInput` that `tradeRecord()` parses to, with overrides. */
export function tradeInput(overrides: Partial<TradeInput> = {}): TradeInput {
  return {
    tradeId: 'T-10000',
    source: 'INTERNAL',
    side: 'BUY',
    isin: 'US0378331005',
    quantity: '1500',
    price: '189.43',
    currency: 'USD',
    tradeDate: '2026-11-19',
    settlementDate: '2026-11-20',
    account: 'EQUS-001',
    desk: 'EQ-US',
    counterpartyBic: 'GSCMUS33',
    placeOfSettlement: 'DTCYUS33',
    settlementType: 'DVP',
    netAmount: '284145.00',
    ...overrides,
  };
}

export const COLUMNS = Object.keys(tradeRecord());
export const HEADER = COLUMNS.join(',');

/** One CSV line of the given record in `columns` order (values written as is: quote them yourself). */
export function csvLine(record: Record<string, string>, columns: readonly string[] = COLUMNS): string {
  return columns.map((c) => record[c] ?? '').join(',');
}
