import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentResponse } from '../../src/agents/index.ts';
import {
  startLocalAgentCoreIdentityEndpoint,
  startLocalAgentCoreMemoryEndpoint,
} from '../../src/local/index.ts';
import type { MemoryFact } from '../../src/memory/index.ts';
import { startAgentCoreDataPlane } from '../support/agentcore-data-plane.ts';
import { runCli } from '../support/cli.ts';
import { aCliUser, usersAddArgs } from '../support/cli-users.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

/**
 * The product in AgentCore mode, end to end through the compiled CLI: AGENTCORE_MEMORY_ID (session
 * events and facts in AgentCore Memory) and WORKLOAD_IDENTITY_NAME (tokens from AgentCore Identity's
 * GetWorkloadAccessTokenForUserId), both on one AGENTCORE_ENDPOINT served by the local emulators.
 */
const MEMORY_ID = 'settleops_memory-AbCdE12345';
const WORKLOAD = 'settleops-runtime';
let table: TestTable;
let env: Record<string, string>;
const issued: string[] = [];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  table = await createTestTable();
  const memory = await startLocalAgentCoreMemoryEndpoint({ memories: [MEMORY_ID] });
  const identity = await startLocalAgentCoreIdentityEndpoint({
    workloads: [WORKLOAD],
    issue: async (_workload, userId) => {
      issued.push(userId);
      return `wat-${randomUUID()}`;
    },
  });
  const plane = await startAgentCoreDataPlane({ memories: memory.url, identities: identity.url });
  closers.push(plane.close, memory.close, identity.close);
  const dir = await mkdtemp(join(tmpdir(), 'settleops-agentcore-mode-'));
  env = {
    DYNAMODB_ENDPOINT: table.endpoint,
    SETTLEOPS_TABLE: table.tableName,
    SETTLEOPS_DATA_DIR: dir,
    AGENTCORE_ENDPOINT: plane.url,
    AGENTCORE_MEMORY_ID: MEMORY_ID,
    WORKLOAD_IDENTITY_NAME: WORKLOAD,
  };
  expect((await runCli(usersAddArgs(aCliUser({ principal: 'anna' })), env)).code).toBe(0);
});

afterAll(async () => {
  for (const close of closers) await close();
});

describe('AgentCore Memory and Identity through the composition root', () => {
  it('asks with a token from AgentCore Identity and keeps memory in AgentCore Memory, not DynamoDB', async () => {
    const asked = await runCli(
      ['ask', 'remember that I cover the EUR repo desk on Fridays', '--user', 'anna', '--json'],
      env,
    );
    expect({ code: asked.code, stderr: asked.stderr }).toStrictEqual({ code: 0, stderr: '' });
    expect((JSON.parse(asked.stdout) as AgentResponse).answer).toContain('EUR repo desk');
    expect(issued).toContain('anna');

    const listed = await runCli(['memory', 'list', '--user', 'anna', '--json'], env);
    expect((JSON.parse(listed.stdout) as MemoryFact[]).map((f) => f.text)).toStrictEqual([
      'You cover the EUR repo desk on Fridays.',
    ]);
    const recalled = await runCli(
      ['ask', 'which desk do I cover on Fridays?', '--user', 'anna', '--json'],
      env,
    );
    expect((JSON.parse(recalled.stdout) as AgentResponse).answer).toContain('EUR repo desk');

    // Nothing of memory went to DynamoDB; the session registry did (it is SettleOps's own record).
    const items = await table.doc.send(new ScanCommand({ TableName: table.tableName }));
    const pks = (items.Items ?? []).map((i) => String(i.pk));
    expect(pks.filter((pk) => pk.startsWith('MEMEVT#') || pk.startsWith('MEMFACT#'))).toStrictEqual([]);
    expect(pks.some((pk) => pk.startsWith('SESSION#'))).toBe(true);
  });

  it('has no local operator: ask without --user is refused, nothing asked', async () => {
    const before = issued.length;
    const result = await runCli(['ask', 'report'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('there is no local operator');
    expect(issued.length).toBe(before);
  });
});
