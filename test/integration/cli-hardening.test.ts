import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbTraceStore } from '../../src/agents/traces/dynamodb-trace-store.ts';
import { toCsv } from '../../src/seed/index.ts';
import { runCli } from '../support/cli.ts';
import { anApprover, directoryOf, enrol } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let dir: string;
let env: Record<string, string>;
const ESC = '\u001b';

beforeAll(async () => {
  table = await createTestTable();
  dir = await mkdtemp(join(tmpdir(), 'settleops-cli-hardening-'));
  env = { DYNAMODB_ENDPOINT: table.endpoint, SETTLEOPS_TABLE: table.tableName, SETTLEOPS_DATA_DIR: dir };
  await enrol(directoryOf(table), anApprover('ops-ben'));
});

/** A CSV file of a pair in the review band (the counterparty BIC differs only in its branch). */
async function reviewPairFile(tradeId: string): Promise<string> {
  const ours = aTrade({ tradeId, counterpartyBic: 'DEUTDEFF500' });
  const file = join(dir, `${tradeId}.csv`);
  await writeFile(file, toCsv([ours, aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' })]));
  return file;
}

async function matchIdOf(tradeId: string): Promise<string> {
  const matchId = (await table.store.getTrade(`INTERNAL#${tradeId}`))?.matchId;
  if (matchId === undefined) throw new Error(`no match for ${tradeId}`);
  return matchId;
}

describe('principal ids at the CLI', () => {
  it.each([
    ['', 'is empty'],
    ['x\ny', 'contains a control or invisible character'],
  ])('ingest --as %j is refused and writes nothing', async (as, problem) => {
    const file = await reviewPairFile(`T-AS${as.length}`);

    const result = await runCli(['ingest', file, '--as', as], env);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`settleops: --as: principal id ${problem}`);
    expect(await table.store.getTrade(`INTERNAL#T-AS${as.length}`)).toBeUndefined();
  });

  it('review --as is refused when empty or multi-line, and an unknown approver decides nothing', async () => {
    const file = await reviewPairFile('T-UNKNOWN');
    await runCli(['ingest', file, '--as', 'ops-carla'], env);
    const matchId = await matchIdOf('T-UNKNOWN');

    const empty = await runCli(['review', 'approve', matchId, '--as', ''], env);
    const twoLines = await runCli(['review', 'approve', matchId, '--as', 'x\ny'], env);
    const unknown = await runCli(['review', 'approve', matchId, '--as', 'Mallory'], env);

    expect([empty.code, empty.stderr.trim()]).toStrictEqual([2, 'settleops: --as: is empty']);
    expect([twoLines.code, twoLines.stderr.trim()]).toStrictEqual([
      2,
      'settleops: --as: contains a control or invisible character',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout.trim()).toBe(
      'mallory is not in the principal directory; only known approvers decide matches.',
    );
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
  });

  it('refuses the booker spelled in capitals (four eyes)', async () => {
    const file = await reviewPairFile('T-CAPS');
    await runCli(['ingest', file, '--as', 'ops-ben'], env);
    const matchId = await matchIdOf('T-CAPS');

    const booker = await runCli(['review', 'approve', matchId, '--as', 'OPS-BEN'], env);

    expect(booker.code).toBe(1);
    expect(booker.stdout.trim()).toBe(
      'ops-ben booked or changed INTERNAL#T-CAPS and COUNTERPARTY#C-T-CAPS (four eyes): cannot also decide the match.',
    );
  });
});

describe('limits before the write', () => {
  it('refuses a reason over 500 characters, and the day still reports', async () => {
    const file = await reviewPairFile('T-REASON');
    await runCli(['ingest', file], env);
    const matchId = await matchIdOf('T-REASON');

    const result = await runCli(
      ['review', 'reject', matchId, '--as', 'ops-ben', '--reason', 'x'.repeat(501)],
      env,
    );
    const report = await runCli(['report', '--date', '2026-11-24', '--json'], env);

    expect([result.code, result.stderr.trim()]).toStrictEqual([
      2,
      'settleops: --reason: is longer than 500 characters',
    ]);
    expect((await table.store.getMatch(matchId))?.status).toBe('PENDING_REVIEW');
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).unreadable).toBeUndefined();
  });

  it('rejects a 9,000-digit quantity as its line and keeps the good rows of the file', async () => {
    const good = aTrade({ tradeId: 'T-BIGOK' });
    const lines = toCsv([good, aCounterpartyRecordOf(good)])
      .trimEnd()
      .split('\n');
    const bad = (lines[1] ?? '').replace('T-BIGOK', 'T-BIG').replace(',1000,', `,${'9'.repeat(9000)},`);
    const file = join(dir, 'big.csv');
    await writeFile(file, `${[lines[0], bad, lines[1], lines[2]].join('\n')}\n`);

    const result = await runCli(['ingest', file], env);

    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('    at ');
    expect(result.stdout).toContain(
      'line 2: quantity: has 9000 digits before the decimal point, more than 18',
    );
    expect(result.stdout).toContain('2 ingested, 0 unchanged, 0 amended, 1 rejected');
    expect(await table.store.getTrade('INTERNAL#T-BIGOK')).toBeDefined();
  });

  it('states the question limit instead of a transport error', async () => {
    const result = await runCli(['ask', 'q'.repeat(100_000)], env);

    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'settleops: ask: question: is longer than 4000 characters (got 100000)',
    );
  });
});

describe('terminal output', () => {
  it('prints escape sequences of an unknown column escaped', async () => {
    const good = aTrade({ tradeId: 'T-ESC' });
    const [header, row] = toCsv([good]).trimEnd().split('\n');
    const file = join(dir, 'esc.csv');
    await writeFile(file, `${header},${ESC}]0;pwned${ESC}\\\n${row},x\n`);

    const result = await runCli(['ingest', file], env);

    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toContain('unknown column \\x1b]0;pwned\\x1b\\ (known:');
  });

  it('prints a trace with the escape sequences of its question escaped', async () => {
    const traces = new DynamoDbTraceStore(table.doc, table.tableName, () => new Date());
    const at = new Date().toISOString();
    await traces.put({
      traceId: 'tr-esc',
      sessionId: 's'.repeat(40),
      principalId: 'ops-ben',
      question: `status of T-1?${ESC}[2J${ESC}]0;owned\u0007`,
      startedAt: at,
      finishedAt: at,
      steps: [],
      totals: { inputTokens: 0, outputTokens: 0, cacheRead: 0, cacheWrite: 0 },
      estimatedCostUsd: 0,
      answeredBy: 'offline-planner',
    });

    const result = await runCli(['trace', 'tr-esc'], env);

    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(ESC);
    expect(result.stdout).toContain('question: status of T-1?\\x1b[2J\\x1b]0;owned\\x07');
  });
});

describe('settleops seed --out', () => {
  it('creates a folder that does not exist yet', async () => {
    const out = join(dir, 'new', 'nested');

    const result = await runCli(['seed', '--trades', '10', '--date', '2026-11-24', '--out', out], env);

    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toStrictEqual([
      'counterparty-2026-11-24.csv',
      'internal-2026-11-24.csv',
    ]);
  });
});
