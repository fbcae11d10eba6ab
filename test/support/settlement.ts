import { CalendarRegistry } from '../../src/settlement/calendar.ts';
import { buildMatchingPolicy } from '../../src/settlement/matching/index.ts';
import type { TradeInput } from '../../src/settlement/model.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import type { IngestRow } from '../../src/settlement/services/ingest-trades.ts';
import { DEFAULT_SLA_POLICY, SlaPolicy } from '../../src/settlement/sla-policy.ts';
import type { SettlementStore } from '../../src/settlement/store/settlement-store.ts';

/** A clock the test moves by hand. */
export class TestClock {
  #ms: number;
  constructor(iso: string) {
    this.#ms = Date.parse(iso);
  }
  readonly now = (): Date => new Date(this.#ms);
  set(iso: string): void {
    this.#ms = Date.parse(iso);
  }
  advanceMinutes(minutes: number): void {
    this.#ms += minutes * 60_000;
  }
}

/** Real policies (defaults) over the given store, with a hand-moved clock. */
export function settlementDeps(store: SettlementStore, clock: TestClock): SettlementDeps {
  const calendars = new CalendarRegistry();
  return {
    store,
    now: clock.now,
    matching: buildMatchingPolicy({}),
    calendars,
    sla: new SlaPolicy(DEFAULT_SLA_POLICY, calendars),
  };
}

export function rowsOf(...inputs: TradeInput[]): IngestRow[] {
  return inputs.map((input, i) => ({ line: i + 2, input }));
}
