import type { ExceptionType, FieldResult, SettlementException } from '../../settlement/index.ts';

/** How people on the desk name each compared field. */
export const FIELD_LABELS: Readonly<Record<FieldResult['field'], string>> = {
  quantity: 'Quantity',
  price: 'Price',
  netAmount: 'Net amount',
  currency: 'Currency',
  settlementDate: 'Settlement date',
  counterpartyBic: 'Counterparty (BIC)',
  placeOfSettlement: 'Place of settlement',
  settlementType: 'Settlement type',
};

export const EXCEPTION_TYPE_LABELS: Readonly<Record<ExceptionType, string>> = {
  PRICE: 'Price break',
  QUANTITY: 'Quantity discrepancy',
  CURRENCY: 'Currency issue',
  SETTLEMENT_DATE: 'Settlement-date conflict',
  NO_COUNTERPARTY_INSTRUCTION: 'No counterparty instruction',
  PLACE_OF_SETTLEMENT: 'Place-of-settlement mismatch',
  COUNTERPARTY: 'Counterparty problem',
  AMOUNT: 'Amount mismatch',
  SETTLEMENT_TYPE: 'Settlement-type mismatch',
  DIRECTION: 'Direction mismatch',
  SECURITY: 'Security mismatch',
  TRADE_DATE: 'Trade-date mismatch',
};

export const PRIORITY_MARKS: Readonly<Record<SettlementException['priority'], string>> = {
  P1: ':red_circle: P1',
  P2: ':large_orange_circle: P2',
  P3: ':large_yellow_circle: P3',
  P4: ':white_circle: P4',
};

/**
 * A decimal string with thousands separators in its integer part (`1234567.50` → `1,234,567.50`),
 * by string operations only; anything that is not a plain decimal is returned as it is.
 */
export function groupDigits(value: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(value);
  if (m === null) return value;
  const grouped = (m[2] ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1] ?? ''}${grouped}${m[3] ?? ''}`;
}
