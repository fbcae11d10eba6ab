import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

let table: TestTable;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  table = await createTestTable();
  dir = await mkdtemp(join(tmpdir(), 'settleops-cli-errors-'));
  env = { DYNAMODB_ENDPOINT: table.endpoint, SETTLEOPS_TABLE: table.tableName, SETTLEOPS_DATA_DIR: dir };
});

/** One line on stderr, no stack trace (no `    at …` frames). */
function expectOneLine(stderr: string, text: string): void {
  expect(stderr).toContain(`settleops: ${text}`);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('expected failures print one clear line and exit 2', () => {
  it('names an unknown command', async () => {
    const result = await runCli(['frobnicate'], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, 'unknown command "frobnicate"');
  });

  it('names an unknown flag', async () => {
    const result = await runCli(['report', '--dsk', 'EQ-UK'], env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, "Unknown option '--dsk'");
  });

  it('names every bad configuration variable', async () => {
    const result = await runCli(['report'], { ...env, SETTLEOPS_REVIEW_THRESHOLD: 'lots' });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, 'invalid configuration');
    expect(result.stderr).toContain('SETTLEOPS_REVIEW_THRESHOLD: must be a number');
  });

  it('names a policy file that is not JSON', async () => {
    const file = join(dir, 'sla.json');
    await writeFile(file, '{ not json');
    const result = await runCli(['report'], { ...env, SETTLEOPS_SLA_POLICY: file });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, `${file} is not valid JSON`);
  });

  it('names an invalid matching profile field', async () => {
    const file = join(dir, 'profile.json');
    await writeFile(file, JSON.stringify({ thresholds: { autoMatch: 'high' } }));
    const result = await runCli(['report'], { ...env, SETTLEOPS_MATCHING_PROFILE: file });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, 'invalid matching policy');
    expect(result.stderr).toContain('thresholds.autoMatch');
  });

  it('says DynamoDB cannot be reached when nothing listens at DYNAMODB_ENDPOINT', async () => {
    const result = await runCli(['trade', 'T-1'], { ...env, DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, 'cannot reach DynamoDB at http://127.0.0.1:9');
  });

  it('says Java is missing when the embedded engine is needed and no java is on PATH', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'settleops-no-java-'));
    const result = await runCli(['trade', 'T-1'], {
      SETTLEOPS_TABLE: table.tableName,
      SETTLEOPS_DATA_DIR: empty,
      DYNAMODB_ENDPOINT: '',
      PATH: empty,
    });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, 'DynamoDB Local needs Java 17 or later');
  });
});

describe('the compiled command', () => {
  it('prints its help without loading configuration', async () => {
    const result = await runCli(['help'], { SETTLEOPS_REVIEW_THRESHOLD: 'lots' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: settleops <command> [options]');
  });
});
