import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSettlementDay, Prng, toCsv } from '../../src/seed/index.ts';
import { verifyAllAudit } from '../../src/settlement/index.ts';
import { runCli } from '../support/cli.ts';
import { cliEnvFor, dayPicture } from '../support/day-picture.ts';
import { anApprover, directoryOf, enrol } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

/**
 * Fault runs: the real `settleops` killed with SIGKILL at seeded random points of an ingest, a review
 * decision and an SLA sweep, then run again. Each run must end exactly where an uninterrupted run
 * ends: nothing lost, nothing twice, every audit chain intact.
 */
const SEED = 20261202;
const DAY = generateSettlementDay({ trades: 150, seed: 23, date: '2026-11-24' });
// Every tenth confirmation never arrives, so the sweeper has missing confirmations (CMIS) to raise.
const RECORDS = [...DAY.internal, ...DAY.counterparty.filter((_, i) => i % 10 !== 0)];
const REVIEWER = 'ops-reviewer';

let file: string;
let clean: TestTable;
let reviewMs: number;
/** Progress lines an uninterrupted run prints (`stored N/M`, `matched N/M`, `swept N`): the kill points. */
let ingestPoints: string[];
let sweepPoints: string[];

async function outboxKinds(table: TestTable): Promise<string[]> {
  const items = (await table.store.listPendingOutbox({ limit: 10_000 })).items;
  return items.map((o) => `${o.kind}:${o.entityId}`).sort();
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

/**
 * Runs a command and kills it with SIGKILL once its progress reaches `point` (`stored 100/285`: the
 * first `stored` line at 100 or more; concurrent batches need not print the same counts every run).
 */
function killedAtProgress(args: readonly string[], table: TestTable, point: string) {
  const [phase, at] = point.split(' ');
  const target = Number.parseInt(at ?? '0', 10);
  return runCli(args, cliEnvFor(table), (line, child) => {
    const [p, n] = line.split(' ');
    if (p === phase && Number.parseInt(n ?? '', 10) >= target) child.kill('SIGKILL');
  });
}

/** Runs a command and kills it with SIGKILL `afterMs` after it starts, if it is still running. */
function killedAfter(args: readonly string[], table: TestTable, afterMs: number) {
  let killer: NodeJS.Timeout | undefined;
  return runCli(args, cliEnvFor(table), undefined, (child) => {
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

/** Stderr lines of a run that report progress. */
function progressLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^(stored|matched) \d+\/\d+$|^swept \d+$/.test(l));
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'settleops-faults-'));
  file = join(dir, 'day.csv');
  await writeFile(file, toCsv(RECORDS));
  clean = await createTestTable();
  await enrol(directoryOf(clean), anApprover(REVIEWER, { desks: '*' }));
  const ingest = await runCli(['ingest', file, '--progress'], cliEnvFor(clean));
  expect(ingest.code).toBe(0);
  ingestPoints = progressLines(ingest.stderr);
  const review = await timed(async () =>
    runCli(['review', 'approve', await pendingReview(clean), '--as', REVIEWER], cliEnvFor(clean)),
  );
  expect(review.value.code).toBe(0);
  reviewMs = review.ms;
  const sweep = await runCli(['sweep', '--progress'], cliEnvFor(clean));
  expect(sweep.code).toBe(0);
  sweepPoints = progressLines(sweep.stderr);
  // Enough places to stop each command part-way.
  expect(ingestPoints.length).toBeGreaterThan(4);
  expect(sweepPoints.length).toBeGreaterThan(4);
}, 180_000);

describe('20 fault runs with kill -9 at random points', () => {
  const random = new Prng(SEED);
  // Ingest and sweep are killed at a random progress line of theirs (always part-way through);
  // a review decision is one transaction, so it is killed at a random moment of its clean duration.
  const runs = Array.from({ length: 20 }, (_, i) => ({
    run: i + 1,
    victim: (['ingest', 'sweep', 'review'] as const)[i % 3] ?? 'ingest',
    at: random.next(),
  }));
  let reviewsKilled = 0;

  it.each(runs)(
    'run $run: $victim killed part-way ends as the uninterrupted run',
    async ({ victim, at }) => {
      const crashed = await createTestTable();
      await enrol(directoryOf(crashed), anApprover(REVIEWER, { desks: '*' }));
      for (const step of ['ingest', 'review', 'sweep'] as const) {
        const args =
          step === 'ingest'
            ? ['ingest', file, '--progress']
            : step === 'review'
              ? ['review', 'approve', await pendingReview(crashed), '--as', REVIEWER]
              : ['sweep', '--progress'];
        if (step === victim && step === 'review') {
          const result = await killedAfter(args, crashed, reviewMs * at);
          if (result.signal === 'SIGKILL') reviewsKilled++;
        } else if (step === victim) {
          const points = step === 'ingest' ? ingestPoints : sweepPoints;
          // Never the last line: the command is still working when it is killed.
          const point = points[Math.floor(at * (points.length - 1))] ?? '';
          const result = await killedAtProgress(args, crashed, point);
          expect(result.signal).toBe('SIGKILL');
        }
        // Run again (or for the first time): the result must not depend on the kill.
        const again = await runCli(args, cliEnvFor(crashed));
        expect([0, 1]).toContain(again.code);
        if (step !== 'review') expect(again.code).toBe(0);
      }

      const expected = await clean.store.listDay(DAY.tradeDate);
      expect(dayPicture(await crashed.store.listDay(DAY.tradeDate))).toStrictEqual(dayPicture(expected));
      expect(await outboxKinds(crashed)).toStrictEqual(await outboxKinds(clean));
      expect((await verifyAllAudit(crashed.store)).failures).toStrictEqual([]);
    },
    180_000,
  );

  afterAll(() => {
    // A decision is one conditional transaction: killed or not, the run must end the same (checked above).
    console.log(`fault runs: ${reviewsKilled} of 6 review decisions killed before they finished`);
  });
});
