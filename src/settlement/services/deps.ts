import type { Clock } from '../../clock.ts';
import type { AuditDigestLog } from '../audit-digest.ts';
import type { CalendarRegistry } from '../calendar.ts';
import type { ChainKey } from '../chain-key.ts';
import type { MatchingPolicy } from '../matching/index.ts';
import type { SlaPolicy } from '../sla-policy.ts';
import type { SettlementStore } from '../store/settlement-store.ts';

/** What the settlement use cases need. Composition roots build it; use cases never pick adapters. */
export interface SettlementDeps {
  readonly store: SettlementStore;
  /** The current instant; tests pass a fixed or stepping clock. */
  readonly now: Clock;
  readonly matching: MatchingPolicy;
  readonly calendars: CalendarRegistry;
  readonly sla: SlaPolicy;
  /**
   * The audit key and digest log, for verifications made by use cases and agent tools (the store
   * signs with the same key). Absent: signatures and digests are not checked.
   */
  readonly audit?: { readonly chainKey: ChainKey; readonly digests: AuditDigestLog };
}

export const SYSTEM = {
  ingest: 'system:ingest',
  matcher: 'system:matcher',
  autoResolver: 'system:auto-resolver',
  sweeper: 'system:sla-sweeper',
} as const;

export function nowIso(deps: Pick<SettlementDeps, 'now'>): string {
  return deps.now().toISOString();
}

/** How many times a use case re-reads and retries after losing an optimistic-concurrency race. */
export const MAX_ATTEMPTS = 5;
