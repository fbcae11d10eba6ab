import { type Trade, tradeRef } from './model.ts';

/** Counts by age: under an hour, one to four hours, over four hours. */
export interface AgeBuckets {
  readonly under1h: number;
  readonly from1hTo4h: number;
  readonly over4h: number;
}

/** Counterparty records nothing of ours has matched, by how long they have been waiting. */
export interface OrphanSummary {
  readonly count: number;
  readonly byAge: AgeBuckets;
  /** The oldest few, oldest first. */
  readonly oldest: ReadonlyArray<{
    readonly ref: string;
    readonly counterpartyBic: string;
    readonly receivedAt: string;
  }>;
}

const HOUR = 3_600_000;

/** Buckets instants (ISO) by their age at `nowMs`. */
export function ageBuckets(instants: Iterable<string>, nowMs: number): AgeBuckets {
  let under1h = 0;
  let from1hTo4h = 0;
  let over4h = 0;
  for (const at of instants) {
    const age = nowMs - Date.parse(at);
    if (age < HOUR) under1h++;
    else if (age <= 4 * HOUR) from1hTo4h++;
    else over4h++;
  }
  return { under1h, from1hTo4h, over4h };
}

/** Pure: the summary of unmatched counterparty records, the oldest `listed` named. */
export function summariseOrphans(orphans: readonly Trade[], nowMs: number, listed: number): OrphanSummary {
  const sorted = [...orphans].sort(
    (a, b) => a.createdAt.localeCompare(b.createdAt) || a.tradeId.localeCompare(b.tradeId),
  );
  return {
    count: sorted.length,
    byAge: ageBuckets(
      sorted.map((t) => t.createdAt),
      nowMs,
    ),
    oldest: sorted
      .slice(0, listed)
      .map((t) => ({ ref: tradeRef(t), counterpartyBic: t.counterpartyBic, receivedAt: t.createdAt })),
  };
}
