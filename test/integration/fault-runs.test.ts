import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSettlementDay, Prng, toCsv } from '../../src/seed/index.ts';
import { type DayRecords, verifyAllAudit } from '../../src/settlement/index.ts';
import { runCli } from '../support/cli.ts';
import { anApprover, directoryOf, enrol } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

/**
 * Fault runs: the real `settleops` killed with SIGKILL at seeded random points of an ingest, a review
 * decision and an SLA sweep, then run again. Each run must end exactly where an uninterrupted run
 * ends: nothing lost, nothing twice, every audit chain intact.
 */
const SEED = 20261202;
const DAY = generateSettlementDay({ trades: 150, seed: 23, date: '2026-11-24' });
const RECORDS = [...DAY.internal, ...DAY.counterparty];
const REVIEWER = 'ops-reviewer';

let file: string;
let clean: TestTable;
let cleanMs: { ingest: number; review: number; sweep: number };

function env(table: TestTable): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: table.endpoint,
    SETTLEOPS_TABLE: table.tableName,
    SETTLEOPS_DATA_DIR: join(tmpdir(), 'unused'),
  };
}

/** Everything that must come out the same whether or not a command was interrupted. */
function picture(day: DayRecords) {
  return {
    trades: day.trades
      .map((t) => `${t.source}#${t.tradeId}:${t.status}:${t.version}:${t.needsMatching}`)
      .sort(),
    matches: day.matches.map((m) => `${m.matchId}:${m.status}:${m.decision?.by ?? ''}`).sort(),
    exceptions: day.exceptions
      .map((e) => `${e.exceptionId}:${e.status}:${e.warnedAt !== undefined}:${e.breachedAt !== undefined}`)
      .sort(),
    instructions: day.instructions.map((i) => i.instructionId).sort(),
  };
}

async function outboxKinds(table: TestTable): Promise<string[]> {
  const items = (await table.store.listPendingOutbox({ limit: 10_000 })).items;
  return items.map((o) => `${o.kind}:${o.entityId}`).sort();
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/** Runs a command and kills it with SIGKILL `afterMs` after it starts, if it is still running. */
function killedAfter(args: readonly string[], table: TestTable, afterMs: number) {
  let killer: NodeJS.Timeout | undefined;
  return runCli(args, env(table), undefined, (child) => {
    killer = setTimeout(() => child.kill('SIGKILL'), afterMs);
  }).finally(() => clearTimeout(killer));
}

async function pendingReview(table: TestTable): Promise<string> {
  const day = await table.store.listDay(DAY.tradeDate);
  const pending = day.matches
    .filter((m) => m.status === 'PENDING_REVIEW')
    .map((m) => m.matchId)
    .sort();
  const first = pending[0];
  if (first === undefined) throw new Error('the seeded day has no match waiting for review');
  return first;
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'settleops-faults-'));
  file = join(dir, 'day.csv');
  await writeFile(file, toCsv(RECORDS));
  clean = await createTestTable();
  await enrol(directoryOf(clean), anApprover(REVIEWER, { desks: '*' }));
  const ingest = await timed(() => runCli(['ingest', file], env(clean)));
  expect(ingest.value.code).toBe(0);
  const review = await timed(async () =>
    runCli(['review', 'approve', await pendingReview(clean), '--as', REVIEWER], env(clean)),
  );
  expect(review.value.code).toBe(0);
  const sweep = await timed(() => runCli(['sweep'], env(clean)));
  expect(sweep.value.code).toBe(0);
  cleanMs = { ingest: ingest.ms, review: review.ms, sweep: sweep.ms };
}, 180_000);

describe('20 fault runs with kill -9 at random points', () => {
  const random = new Prng(SEED);
  const runs = Array.from({ length: 20 }, (_, i) => ({
    run: i + 1,
    // Which command is killed, and how far through its clean duration.
    victim: (['ingest', 'review', 'sweep'] as const)[i % 3] ?? 'ingest',
    at: Math.round((0.2 + random.next() * 0.8) * 100) / 100,
  }));
  let killed = 0;

  it.each(runs)(
    'run $run: $victim killed at $at of its course ends as the clean run',
    async ({ victim, at }) => {
      const crashed = await createTestTable();
      await enrol(directoryOf(crashed), anApprover(REVIEWER, { desks: '*' }));
      const steps = ['ingest', 'review', 'sweep'] as const;
      for (const step of steps) {
        const args =
          step === 'ingest'
            ? ['ingest', file]
            : step === 'review'
              ? ['review', 'approve', await pendingReview(crashed), '--as', REVIEWER]
              : ['sweep'];
        if (step === victim) {
          const result = await killedAfter(args, crashed, cleanMs[step] * at);
          if (result.signal === 'SIGKILL') killed++;
        }
        // Run again (or for the first time): the result must not depend on the kill.
        const again = await runCli(args, env(crashed));
        expect([0, 1]).toContain(again.code);
        if (step !== 'review') expect(again.code).toBe(0);
      }

      const expected = await clean.store.listDay(DAY.tradeDate);
      expect(picture(await crashed.store.listDay(DAY.tradeDate))).toStrictEqual(picture(expected));
      expect(await outboxKinds(crashed)).toStrictEqual(await outboxKinds(clean));
      expect((await verifyAllAudit(crashed.store)).failures).toStrictEqual([]);
    },
    180_000,
  );

  it('killed the command in most runs (a run whose command finished first proves less)', () => {
    expect(killed).toBeGreaterThanOrEqual(15);
  });
});
