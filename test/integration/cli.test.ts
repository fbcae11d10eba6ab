import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../src/seed/index.ts';
import { runCli } from '../support/cli.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  table = await createTestTable();
  dir = await mkdtemp(join(tmpdir(), 'settleops-cli-'));
  env = { DYNAMODB_ENDPOINT: table.endpoint, SETTLEOPS_TABLE: table.tableName, SETTLEOPS_DATA_DIR: dir };
});

describe('settleops ingest', () => {
  it('reports each bad row by line and field, writes only the good rows and exits 1', async () => {
    const good = aTrade({ tradeId: 'T-GOOD' });
    const lines = toCsv([good, aCounterpartyRecordOf(good)])
      .trimEnd()
      .split('\n');
    const header = lines[0] ?? '';
    const bad = [
      (lines[1] ?? '').replace('T-GOOD', 'T-BAD1').replace('US0378331005', 'US0378331006'),
      (lines[1] ?? '').replace('T-GOOD', 'T-BAD2').replace(',101.25,', ',1.0125e2,'),
    ];
    const file = join(dir, 'mixed.csv');
    await writeFile(file, `\uFEFF${[header, lines[1], bad[0], lines[2], bad[1]].join('\r\n')}\r\n`);

    const result = await runCli(['ingest', file], env);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('line 3: isin: ');
    expect(result.stdout).toContain('line 5: price: ');
    expect(result.stdout).toContain('2 ingested, 0 unchanged, 0 amended, 2 rejected');
    expect(await table.store.getTrade('INTERNAL#T-GOOD')).toBeDefined();
    expect(await table.store.getTrades(['INTERNAL#T-BAD1', 'INTERNAL#T-BAD2'])).toStrictEqual([]);
  });

  it('changes nothing the second time and says so', async () => {
    const trade = aTrade({ tradeId: 'T-AGAIN' });
    const file = join(dir, 'again.csv');
    await writeFile(file, toCsv([trade, aCounterpartyRecordOf(trade)]));
    await runCli(['ingest', file], env);

    const again = await runCli(['ingest', file, '--json'], env);

    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ ingested: 0, unchanged: 2, amended: 0, rejected: 0 });
  });

  it('names a missing file', async () => {
    const result = await runCli(['ingest', join(dir, 'nope.csv')], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read');
  });
});

describe('settleops configuration', () => {
  it('fails fast naming every bad variable', async () => {
    const result = await runCli(['report'], {
      ...env,
      SETTLEOPS_AUTO_MATCH_THRESHOLD: 'lots',
      DYNAMODB_ENDPOINT: 'not a url',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SETTLEOPS_AUTO_MATCH_THRESHOLD: must be a number');
    expect(result.stderr).toContain('DYNAMODB_ENDPOINT: must be a URL');
  });
});

describe('settleops report and trade', () => {
  it('prints the day and one trade from indexed reads', async () => {
    const trade = aTrade({ tradeId: 'T-SHOW' });
    const file = join(dir, 'show.csv');
    await writeFile(file, toCsv([trade, aCounterpartyRecordOf(trade, { price: '102.50' })]));
    await runCli(['ingest', file], env);

    const report = await runCli(['report', '--date', trade.tradeDate, '--json'], env);
    const shown = await runCli(['trade', 'T-SHOW'], env);

    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({
      tradeDate: trade.tradeDate,
      exceptions: { openByType: { PRICE: 1 } },
    });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('INTERNAL T-SHOW — EXCEPTION');
    expect(shown.stdout).toContain('DDEA PRICE ESCALATED');
  });
});

describe('settleops start (npm start)', () => {
  it('plays a settlement day on the embedded defaults, then resumes it without writing anything twice', async () => {
    const day = await createTestTable();
    const startEnv = { ...env, SETTLEOPS_TABLE: day.tableName };
    const args = ['start', '--once', '--trades', '200', '--seed', '3'];

    const first = await runCli(args, startEnv);
    expect(first.stderr.split('\n').filter((l) => /error/i.test(l))).toStrictEqual([]);
    expect(first.code).toBe(0);
    const out = first.stdout;
    expect(out).toMatch(/16:00 ET {2}trade date \d{4}-\d{2}-\d{2}: booking 200 internal trades/);
    expect(out).toContain('bookings: 200 new, 0 unchanged, 0 amended');
    expect(out).toMatch(/wave 12\/12/);
    expect(out).toMatch(/ALERT \[exception\] INTERNAL#T-\d+: /);
    expect(out).toMatch(/ALERT \[review\] INTERNAL#T-\d+ ↔ COUNTERPARTY#\S+ confidence \d+/);
    expect(out).toMatch(
      /SLA sweeper: \d+ missing confirmations \(CMIS, or DELN\/DSEC\/DTRD for \d+ found with a wrong key field\), \d+ warnings, \d+ breaches/,
    );
    expect(out).toMatch(
      /Settlement report — trade date \S+ \(today in America\/New_York \(demo day\)\)\n {2}Trades: 200 internal, \d+ counterparty records/,
    );
    expect(out).toMatch(/17:00 ET {2}audit digest #1 written to .*: \d+ chain heads/);
    const reportOf = (s: string) => s.slice(s.indexOf('Settlement report'));

    // A restart on the same store resumes the day: nothing new, no alert printed again.
    const again = await runCli(args, startEnv);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already has \d+ records in the store: resuming, not seeding/);
    expect(again.stdout).toContain('bookings: 0 new, 200 unchanged, 0 amended');
    expect(again.stdout).not.toContain('ALERT [review]');
    expect(again.stdout).not.toContain('ALERT [exception]');
    expect(reportOf(again.stdout).split('\n').slice(0, 6)).toStrictEqual(
      reportOf(out).split('\n').slice(0, 6),
    );

    // The whole day verifies: every chain signed, bound to its entity's state, and as the digests saw it.
    const verified = await runCli(['audit', 'verify', '--json'], startEnv);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      keyed: true,
      legacy: [],
      failures: [],
      digest: { problems: [] },
    });
  });
});
