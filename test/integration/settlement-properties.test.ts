import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacChainKey } from '../../src/settlement/chain-key.ts';
import type { Match, SettlementInstruction, Trade } from '../../src/settlement/model.ts';
import { verifyAllAudit } from '../../src/settlement/services/audit-verify.ts';
import { decideReview } from '../../src/settlement/services/decide-review.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { writeAuditDigest } from '../../src/settlement/services/write-audit-digest.ts';
import { DynamoDbSettlementStore } from '../../src/settlement/store/dynamodb-settlement-store.ts';
import { approvalGateWith } from '../support/directory.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { MemoryDigestLog } from '../support/memory-digest-log.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade, seededRandom, type TradeRecord } from '../support/trade-factory.ts';

/*
 * Random sequences of ingest, amend, approve, reject, digest and sweep on a small day, against
 * DynamoDB Local. After every step: at most one live instruction per trade, `audit verify` (keyed,
 * with the digests written so far) intact, and every trade in a state the rules can reach.
 */

const SEEDS = [11, 23, 37, 41, 53, 67];
const STEPS = 18;
const ISINS = ['US0378331005', 'US5949181045'];
const BOOKER = 'principal:ops-ann';
const AMENDER = 'principal:ops-carl';

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T | undefined =>
  list[Math.floor(random() * list.length)];

/** Our bookings: two per ISIN, different quantities so each has its own counterpart. */
function bookings(): TradeRecord[] {
  return ISINS.flatMap((isin, i) =>
    [0, 1].map((j) =>
      aTrade({ tradeId: `T-${i}${j}`, isin, quantity: String(1000 * (j + 1)), netAmount: undefined }),
    ),
  );
}

/** A counterparty record for `ours`: exact (auto-match), a BIC branch off (review) or a price break. */
function counterpartOf(random: Random, ours: TradeRecord): TradeRecord {
  const roll = random();
  if (roll < 0.4) return aCounterpartyRecordOf(ours);
  if (roll < 0.75) return aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' });
  return aCounterpartyRecordOf(ours, { price: '104.00' });
}

/** One amendment of a booked record: a note, a price tick, or a BIC branch. */
function amendmentOf(random: Random, record: TradeRecord, step: number): TradeRecord {
  const roll = random();
  if (roll < 0.4) return { ...record, note: `amended at step ${step}` };
  if (roll < 0.7) return { ...record, price: record.price === '101.25' ? '101.26' : '101.25' };
  return { ...record, counterpartyBic: record.counterpartyBic === 'DEUTDEFF' ? 'DEUTDEFF500' : 'DEUTDEFF' };
}

/** Why `trade` is in a state the rules cannot reach, if it is. */
function unreachable(
  trade: Trade,
  matches: ReadonlyMap<string, Match>,
  instructions: ReadonlyMap<string, SettlementInstruction>,
): string | undefined {
  const ref = `${trade.source}#${trade.tradeId}`;
  const match = trade.matchId === undefined ? undefined : matches.get(trade.matchId);
  switch (trade.status) {
    case 'UNMATCHED':
    case 'EXCEPTION':
      if (trade.source === 'COUNTERPARTY' && trade.status === 'EXCEPTION')
        return 'a counterparty record in EXCEPTION';
      if (trade.status === 'EXCEPTION' && !trade.hasExceptions) return 'EXCEPTION without exceptions';
      if (trade.matchId !== undefined || trade.instructionId !== undefined)
        return `${trade.status} with a match`;
      return undefined;
    case 'PENDING_REVIEW':
      return match?.status === 'PENDING_REVIEW' && trade.instructionId === undefined
        ? undefined
        : 'PENDING_REVIEW without a pending match';
    case 'MATCHED': {
      if (match === undefined || (match.status !== 'AUTO_MATCHED' && match.status !== 'APPROVED'))
        return 'MATCHED without an affirmed match';
      if (match.internalRef !== ref && match.counterpartyRef !== ref) return 'MATCHED to a match of others';
      if (trade.source === 'COUNTERPARTY') return undefined;
      const si = trade.instructionId === undefined ? undefined : instructions.get(trade.instructionId);
      return si?.status === 'NEW' && si.matchId === match.matchId
        ? undefined
        : 'MATCHED without its live instruction';
    }
  }
}

describe('random days of ingest, amend, approve, reject, digest and sweep', () => {
  it.each(SEEDS)('keep every invariant (seed %i)', async (seed) => {
    const random = seededRandom(seed);
    const table = await createTestTable();
    const chainKey = hmacChainKey(randomBytes(32), 'test');
    const gate = await approvalGateWith(table, ['ops-ben'], chainKey);
    const digests = new MemoryDigestLog();
    const store = new DynamoDbSettlementStore(table.doc, table.tableName, { chainKey });
    const clock = new TestClock('2026-11-24T15:00:00.000Z');
    const deps = settlementDeps(store, clock);
    const booked = new Map<string, TradeRecord>();
    const ingest = async (records: TradeRecord[], actor: string) => {
      await ingestTrades(deps, rowsOf(...records), { actor });
      for (const r of records) booked.set(`${r.source}#${r.tradeId}`, r);
    };
    const ours = bookings();
    await ingest(ours, BOOKER);
    const log: string[] = [];

    for (let step = 0; step < STEPS; step++) {
      clock.advanceMinutes(10);
      const roll = random();
      const reviews = (await store.listPendingReviews({ limit: 100 })).items;
      if (reviews.length > 0 && roll < 0.35) {
        const match = pick(random, reviews) as Match;
        const decision = random() < 0.5 ? 'APPROVE' : 'REJECT';
        log.push(`${decision} ${match.matchId}`);
        const outcome = await decideReview(
          deps,
          {
            matchId: match.matchId,
            decision,
            principalId: 'ops-ben',
          },
          gate,
        );
        expect(outcome.kind).toBe('DECIDED');
      } else if (roll < 0.5) {
        const missing = ours.filter((o) => !booked.has(`COUNTERPARTY#C-${o.tradeId}`));
        const target = pick(random, missing.length > 0 ? missing : ours) as TradeRecord;
        const record = counterpartOf(random, target);
        log.push(`ingest ${record.tradeId}`);
        await ingest([record], BOOKER);
      } else if (roll < 0.8) {
        const record = pick(random, [...booked.values()]) as TradeRecord;
        log.push(`amend ${record.source}#${record.tradeId}`);
        await ingest([amendmentOf(random, record, step)], AMENDER);
      } else if (roll < 0.9) {
        log.push('digest');
        expect((await writeAuditDigest(store, { chainKey, digests }, clock.now().toISOString())).kind).toBe(
          'WRITTEN',
        );
      } else {
        clock.advanceMinutes(240);
        log.push('sweep');
        await sweepSla(deps);
      }

      const day = await store.listDay('2026-11-24');
      const matches = new Map(day.matches.map((m) => [m.matchId, m]));
      const instructions = new Map(day.instructions.map((i) => [i.instructionId, i]));
      const live = new Map<string, number>();
      for (const si of day.instructions)
        if (si.status === 'NEW') live.set(si.tradeRef, (live.get(si.tradeRef) ?? 0) + 1);
      const context = `seed ${seed} after ${log.join(', ')}`;
      expect(
        [...live.values()].filter((n) => n > 1),
        context,
      ).toStrictEqual([]);
      const verification = await verifyAllAudit(store, { chainKey, digests });
      expect(
        verification.failures.map((f) => [f.entityId, f.problems]),
        context,
      ).toStrictEqual([]);
      expect(verification.legacy, context).toStrictEqual([]);
      const wrong = day.trades.flatMap((t) => {
        const why = unreachable(t, matches, instructions);
        return why === undefined ? [] : [`${t.source}#${t.tradeId}: ${why}`];
      });
      expect(wrong, context).toStrictEqual([]);
    }
  });
});
