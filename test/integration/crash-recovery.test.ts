import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSettlementDay, toCsv } from '../../src/seed/index.ts';
import { verifyAllAudit } from '../../src/settlement/services/audit-verify.ts';
import { runCli } from '../support/cli.ts';
import { cliEnvFor, dayPicture } from '../support/day-picture.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

const DAY = generateSettlementDay({ trades: 200, seed: 11, date: '2026-11-24' });
const RECORDS = [...DAY.internal, ...DAY.counterparty];

async function ingestFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'settleops-crash-'));
  const file = join(dir, 'day.csv');
  await writeFile(file, toCsv(RECORDS));
  return file;
}

async function outboxIds(table: TestTable): Promise<string[]> {
  return (await table.store.listPendingOutbox({ limit: 10_000 })).items.map((o) => o.outboxId).sort();
}

describe('an ingest killed part-way and run again', () => {
  // The uninterrupted run both kills are compared with.
  let file: string;
  let clean: TestTable;
  beforeAll(async () => {
    file = await ingestFile();
    clean = await createTestTable();
    const first = await runCli(['ingest', file, '--progress'], cliEnvFor(clean));
    expect(first.code).toBe(0);
  }, 120_000);

  it.each([
    ['while storing trades', 'stored', RECORDS.length / 4],
    ['while matching', 'matched', 100],
  ])('loses nothing and does nothing twice when killed %s', async (_when, phase, after) => {
    const crashed = await createTestTable();
    const killed = await runCli(['ingest', file, '--progress'], cliEnvFor(crashed), (line, child) => {
      const [p, counts] = line.split(' ');
      if (p === phase && Number(counts?.split('/')[0]) >= after) child.kill('SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    const partial = await crashed.store.listDay(DAY.tradeDate);
    expect(partial.trades.length).toBeLessThanOrEqual(RECORDS.length);

    const rerun = await runCli(['ingest', file, '--json'], cliEnvFor(crashed));
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as {
      ingested: number;
      unchanged: number;
      amended: number;
      rejected: number;
    };
    expect(summary.ingested + summary.unchanged).toBe(RECORDS.length);
    expect(summary.amended + summary.rejected).toBe(0);

    const expected = dayPicture(await clean.store.listDay(DAY.tradeDate));
    expect(expected.trades).toHaveLength(RECORDS.length);
    expect(dayPicture(await crashed.store.listDay(DAY.tradeDate))).toStrictEqual(expected);
    expect(await outboxIds(crashed)).toStrictEqual(await outboxIds(clean));
    expect((await verifyAllAudit(crashed.store)).failures).toStrictEqual([]);
  });
});
