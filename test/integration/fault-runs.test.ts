import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
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
 *
 * An uninterrupted run of the three steps is recorded once, with a copy of its table after each step.
 * A fault run starts from a copy of the table as the step before its victim left it, kills the victim
 * part-way, runs it again, and must then equal the uninterrupted run after that step — item for item
 * in the day's picture and the outbox, with every audit chain verifying.
 */
const SEED = 20261202;
const DAY = generateSettlementDay({ trades: 100, seed: 23, date: '2026-11-24' });
// Every tenth confirmation never arrives, so the sweeper has missing confirmations (CMIS) to raise.
const RECORDS = [...DAY.internal, ...DAY.counterparty.filter((_, i) => i % 10 !== 0)];
const REVIEWER = 'ops-reviewer';

type Step = 'ingest' | 'review' | 'sweep';

let file: string;
let clean: TestTable;
let reviewMs: number;
/** The clean table's items before each step, and its day picture and outbox after it. */
const before = new Map<Step, Record<string, unknown>[]>();
const after = new Map<Step, { picture: ReturnType<typeof dayPicture>; outbox: string[] }>();
/** Progress lines an uninterrupted run prints (`stored N/M`, `matched N/M`, `swept N`): the kill points. */
let ingestPoints: string[];
let sweepPoints: string[];

async function outboxKinds(table: TestTable): Promise<string[]> {
  const items = (await table.store.listPendingOutbox({ limit: 10_000 })).items;
  return items.map((o) => `${o.kind}:${o.entityId}`).sort();
}

/** Every item of a table (small tables: one day of 100 trades a side). */
async function allItems(table: TestTable): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new ScanCommand({
        TableName: table.tableName,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/** Writes `items` into an empty table, as they are. */
async function putItems(table: TestTable, items: readonly Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const write = async (batch: Record<string, unknown>[]) => {
    let requests: Record<string, Record<string, unknown>[]> = {
      [table.tableName]: batch.map((Item) => ({ PutRequest: { Item } })),
    };
    while (Object.keys(requests).length > 0) {
      const out = await table.doc.send(new BatchWriteCommand({ RequestItems: requests }));
      requests = (out.UnprocessedItems ?? {}) as Record<string, Record<string, unknown>[]>;
    }
  };
  // A few batches at a time: the copy is set-up, not what is tested.
  for (let i = 0; i < batches.length; i += 4) await Promise.all(batches.slice(i, i + 4).map(write));
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
  const snapshot = async (step: Step) => {
    after.set(step, {
      picture: dayPicture(await clean.store.listDay(DAY.tradeDate)),
      outbox: await outboxKinds(clean),
    });
  };
  before.set('ingest', await allItems(clean));
  const ingest = await runCli(['ingest', file, '--progress'], cliEnvFor(clean));
  expect(ingest.code).toBe(0);
  ingestPoints = progressLines(ingest.stderr);
  await snapshot('ingest');
  before.set('review', await allItems(clean));
  const review = await timed(async () =>
    runCli(['review', 'approve', await pendingReview(clean), '--as', REVIEWER], cliEnvFor(clean)),
  );
  expect(review.value.code).toBe(0);
  reviewMs = review.ms;
  await snapshot('review');
  before.set('sweep', await allItems(clean));
  const sweep = await runCli(['sweep', '--progress'], cliEnvFor(clean));
  expect(sweep.code).toBe(0);
  sweepPoints = progressLines(sweep.stderr);
  await snapshot('sweep');
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
    victim: (['ingest', 'sweep', 'review'] as const)[i % 3] ?? ('ingest' as Step),
    at: random.next(),
  }));
  let reviewsKilled = 0;

  it.each(runs)(
    'run $run: $victim killed part-way ends as the uninterrupted run',
    async ({ victim, at }) => {
      const crashed = await createTestTable();
      await putItems(crashed, before.get(victim) ?? []);
      const args =
        victim === 'ingest'
          ? ['ingest', file, '--progress']
          : victim === 'review'
            ? ['review', 'approve', await pendingReview(crashed), '--as', REVIEWER]
            : ['sweep', '--progress'];
      if (victim === 'review') {
        const result = await killedAfter(args, crashed, reviewMs * at);
        if (result.signal === 'SIGKILL') reviewsKilled++;
      } else {
        const points = victim === 'ingest' ? ingestPoints : sweepPoints;
        // Never the last line: the command is still working when it is killed.
        const point = points[Math.floor(at * (points.length - 1))] ?? '';
        const result = await killedAtProgress(args, crashed, point);
        expect(result.signal).toBe('SIGKILL');
      }
      // Run again: the result must not depend on the kill. A decision that did land before the kill
      // is refused the second time (exit 1, "already decided"), changing nothing.
      const again = await runCli(args, cliEnvFor(crashed));
      expect([0, 1]).toContain(again.code);
      if (victim !== 'review') expect(again.code).toBe(0);

      const expected = after.get(victim);
      expect(dayPicture(await crashed.store.listDay(DAY.tradeDate))).toStrictEqual(expected?.picture);
      expect(await outboxKinds(crashed)).toStrictEqual(expected?.outbox);
      expect((await verifyAllAudit(crashed.store)).failures).toStrictEqual([]);
    },
    180_000,
  );

  afterAll(() => {
    // A decision is one conditional transaction: killed or not, the run must end the same (checked above).
    console.log(`fault runs: ${reviewsKilled} of 6 review decisions killed before they finished`);
  });
});
