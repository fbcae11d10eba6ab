import { ALL_EXCEPTION_KEYS, exceptionIdFor } from '../exceptions.ts';
import { type AuditRecord, type Match, type SettlementException, type Trade, tradeRefsOf } from '../model.ts';
import type { SettlementStore } from '../store/settlement-store.ts';

export interface TradeView {
  readonly trade: Trade;
  readonly match: Match | undefined;
  readonly counterpart: Trade | undefined;
  readonly exceptions: readonly SettlementException[];
  readonly audit: readonly AuditRecord[];
}

/** One trade with its match, exceptions and audit trail, found by id (either source). Keyed reads only. */
export async function viewTrade(store: SettlementStore, tradeId: string): Promise<TradeView[]> {
  const trades = await store.getTrades([...tradeRefsOf(tradeId)]);
  const views: TradeView[] = [];
  for (const trade of trades.sort((a, b) => a.source.localeCompare(b.source))) {
    const ref = `${trade.source}#${trade.tradeId}`;
    const match = trade.matchId === undefined ? undefined : await store.getMatch(trade.matchId);
    const counterpartRef =
      match === undefined ? undefined : match.internalRef === ref ? match.counterpartyRef : match.internalRef;
    const [counterpart, exceptions, audit] = await Promise.all([
      counterpartRef === undefined ? undefined : store.getTrade(counterpartRef),
      trade.source === 'INTERNAL'
        ? store.getExceptions(ALL_EXCEPTION_KEYS.map((k) => exceptionIdFor(ref, k)))
        : [],
      store.listAudit(ref, trade),
    ]);
    views.push({ trade, match, counterpart, exceptions, audit });
  }
  return views;
}
