import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentResponse } from '../../src/agents/index.ts';
import { toCsv } from '../../src/seed/index.ts';
import { runCli } from '../support/cli.ts';
import { aCliUser, usersAddArgs } from '../support/cli-users.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

let table: TestTable;
let env: Record<string, string>;

/** An EQ-US trade and an EQ-EU trade, each with its counterparty record; a viewer of EQ-US only. */
beforeAll(async () => {
  table = await createTestTable();
  const dir = await mkdtemp(join(tmpdir(), 'settleops-ask-user-'));
  env = { DYNAMODB_ENDPOINT: table.endpoint, SETTLEOPS_TABLE: table.tableName, SETTLEOPS_DATA_DIR: dir };
  const us = aTrade({ tradeId: 'T-20001', desk: 'EQ-US' });
  const eu = aTrade({ tradeId: 'T-30001', desk: 'EQ-EU', account: 'EU-ACC-9' });
  const file = join(dir, 'two-desks.csv');
  await writeFile(file, toCsv([us, aCounterpartyRecordOf(us), eu, aCounterpartyRecordOf(eu)]));
  expect((await runCli(['ingest', file], env)).code).toBe(0);
  expect((await runCli(usersAddArgs(aCliUser({ principal: 'us-viewer', desks: ['EQ-US'] })), env)).code).toBe(
    0,
  );
});

async function ask(question: string, ...flags: string[]): Promise<AgentResponse> {
  const result = await runCli(['ask', question, '--json', ...flags], env);
  expect({ code: result.code, stderr: result.stderr }).toStrictEqual({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as AgentResponse;
}

async function traceCount(): Promise<number> {
  const out = await table.doc.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': 'TRACE#' },
    }),
  );
  return out.Items?.length ?? 0;
}

describe('settleops ask --user', () => {
  it('answers a viewer of one desk from that desk only', async () => {
    const own = await ask("what's the status of T-20001?", '--user', 'US-Viewer');
    const other = await ask("what's the status of T-30001?", '--user', 'us-viewer');
    const report = await ask('report for 2026-11-24', '--user', 'us-viewer');

    expect(own.records.map((r) => r.id)).toContain('INTERNAL#T-20001');
    expect(other.records).toStrictEqual([]);
    expect(other.answer).toContain('No trade T-30001 that you are permitted to see');
    expect(JSON.stringify(other)).not.toContain('EU-ACC-9');
    expect(report.answer).toContain('(desk EQ-US)');
    expect(report.answer).toContain('1 internal trade');
  });

  it('answers the local administrator (no --user) from every desk', async () => {
    const other = await ask("what's the status of T-30001?");

    expect(other.records.map((r) => r.id)).toContain('INTERNAL#T-30001');
  });

  it('refuses an unknown or removed user in one line, exit 1, asking nothing', async () => {
    await runCli(usersAddArgs(aCliUser({ principal: 'gone', user: 'U0GONE' })), env);
    await runCli(['users', 'remove', '--principal', 'gone'], env);
    const before = await traceCount();

    const unknown = await runCli(['ask', 'report', '--user', 'nobody'], env);
    const removed = await runCli(['ask', 'report', '--user', 'gone'], env);

    for (const [result, id] of [
      [unknown, 'nobody'],
      [removed, 'gone'],
    ] as const) {
      expect(result).toStrictEqual({
        code: 1,
        signal: null,
        stdout: '',
        stderr: `settleops: ask: --user ${id} is not in the principal directory (or was removed); nothing asked\n`,
      });
    }
    expect(await traceCount()).toBe(before);
  });

  it('refuses a malformed --user before opening anything, naming the flag', async () => {
    const result = await runCli(['ask', 'report', '--user', 'not a user'], env);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^settleops: ask: --user: principal id may hold only letters/);
  });

  it('no longer takes a claimed --principal, --role or --desk', async () => {
    for (const flag of ['--principal', '--role', '--desk']) {
      const result = await runCli(['ask', 'report', flag, 'admin'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Unknown option '${flag}'`);
    }
  });
});
