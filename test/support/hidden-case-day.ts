import { generateSettlementDay, type Scenario, type SettlementDay } from '../../src/seed/index.ts';

/*
 * A settlement day whose ids look nothing like the demo's `T-10042`: our bookings are `H4-INT`,
 * `K1-INT`, …, the counterparties' records `GSCM12-EXT`, and the European desk is `EQ-UK`. Questions
 * are asked the next afternoon (2026-11-25 14:00 New York, 19:00 London), so "today" is not the trade
 * date, "yesterday" and "T-1" are, and European breaks are past their deadline. Pure: the test and
 * the bench seed it their own way.
 */

export const HIDDEN_TRADE_DATE = '2026-11-24';
export const HIDDEN_TODAY = '2026-11-25';
export const HIDDEN_INGESTED_AT = '2026-11-24T20:00:00.000Z';
/** When the SLA sweeper runs before the questions (then once more at HIDDEN_ASKED_AT). */
export const HIDDEN_SWEEPS = ['2026-11-25T01:00:00.000Z', '2026-11-25T02:30:00.000Z'];
export const HIDDEN_ASKED_AT = '2026-11-25T19:00:00.000Z';

/** The ids given to the first trades of each scenario; the rest are named `B1-INT`, `D1-INT`, …. */
const NAMED: Readonly<Partial<Record<Scenario, readonly string[]>>> = {
  PRICE_BREAK: ['H4-INT'],
  CLEAN: ['K1-INT', 'H2-INT'],
  QUANTITY_BREAK: ['K4-INT'],
  DUPLICATE_AMBIGUOUS: ['H7-INT', 'H8-INT'],
  MISSING_COUNTERPARTY: ['H1-INT'],
  REVIEW_NEAR_PRICE: ['H3-INT'],
  CURRENCY_BREAK: ['H5-INT'],
  SETTLEMENT_DATE_BREAK: ['H6-INT'],
  PLACE_BREAK: ['K2-INT'],
  AMOUNT_BREAK: ['K3-INT'],
  COUNTERPARTY_BREAK: ['K5-INT'],
  REVIEW_BIC_BRANCH: ['K6-INT'],
  WITHIN_TOLERANCE: ['K7-INT'],
};
const PREFIXES = 'BDFGJLNPRSVWZ';
const DESKS: Readonly<Record<string, string>> = { 'EQ-EU': 'EQ-UK' };

/** The generated day with every id and the European desk renamed. */
export function hiddenCaseDay(trades = 300, seed = 7): SettlementDay {
  const day = generateSettlementDay({ trades, seed, date: HIDDEN_TRADE_DATE });
  const rename = new Map<string, string>();
  const used = new Map<Scenario, number>();
  let n = 0;
  for (const s of day.scenarios) {
    const k = used.get(s.scenario) ?? 0;
    used.set(s.scenario, k + 1);
    const named = NAMED[s.scenario]?.[k];
    if (named !== undefined) rename.set(s.tradeId, named);
    else {
      rename.set(s.tradeId, `${PREFIXES[n % PREFIXES.length]}${Math.floor(n / PREFIXES.length) + 1}-INT`);
      n++;
    }
  }
  day.counterparty.forEach((t, i) => {
    rename.set(t.tradeId, `${t.counterpartyBic.slice(0, 4)}${i + 1}-EXT`);
  });
  const id = (x: string) => rename.get(x) ?? x;
  const desk = (d: string) => DESKS[d] ?? d;
  return {
    tradeDate: day.tradeDate,
    internal: day.internal.map((t) => ({ ...t, tradeId: id(t.tradeId), desk: desk(t.desk) })),
    counterparty: day.counterparty.map((t) => ({ ...t, tradeId: id(t.tradeId), desk: desk(t.desk) })),
    scenarios: day.scenarios.map((s) =>
      s.counterpartyTradeId === undefined
        ? { ...s, tradeId: id(s.tradeId) }
        : { ...s, tradeId: id(s.tradeId), counterpartyTradeId: id(s.counterpartyTradeId) },
    ),
  };
}
