import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorActor } from '../../src/cli/operator.ts';
import type { DirectoryEntry } from '../../src/identity/index.ts';
import { DEMO_PRINCIPALS } from '../../src/seed/index.ts';
import { runCli } from '../support/cli.ts';
import { aCliUser, usersAddArgs } from '../support/cli-users.ts';
import { directoryOf } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';

async function cliEnv(): Promise<{ table: TestTable; env: Record<string, string> }> {
  const table = await createTestTable();
  const dir = await mkdtemp(join(tmpdir(), 'settleops-users-'));
  return {
    table,
    env: { DYNAMODB_ENDPOINT: table.endpoint, SETTLEOPS_TABLE: table.tableName, SETTLEOPS_DATA_DIR: dir },
  };
}

/** What `users list --json` shows of an entry, without its changing bookkeeping. */
function who(e: DirectoryEntry) {
  const { updatedAt: _u, auditHash: _h, ...rest } = e;
  return rest;
}

async function auditTrail(env: Record<string, string>, principalId: string) {
  const out = await runCli(['audit', 'verify', '--entity', `PRINCIPAL#${principalId}`, '--json'], env);
  // A directory entry's chain verifies against the head its item records, like any audited entity.
  expect({
    code: out.code,
    problems: (JSON.parse(out.stdout) as { problems: unknown[] }).problems,
  }).toStrictEqual({
    code: 0,
    problems: [],
  });
  return (JSON.parse(out.stdout) as { trail: { action: string; actor: string }[] }).trail.map((r) => ({
    action: r.action,
    actor: r.actor,
  }));
}

describe('settleops users', () => {
  let table: TestTable;
  let env: Record<string, string>;
  beforeAll(async () => {
    ({ table, env } = await cliEnv());
  });

  it('adds, lists, grants, revokes and removes a principal, each change audited, chains intact', async () => {
    const alice = aCliUser({
      principal: 'Alice',
      roles: ['viewer', 'viewer'],
      desks: ['EQ-US', 'EQ-US'],
      name: 'Alice Ops',
    });

    const added = await runCli(usersAddArgs(alice), env);
    const granted = await runCli(['users', 'grant', '--principal', 'alice', '--role', 'approver'], env);
    const grantedDesk = await runCli(['users', 'grant', '--principal', 'alice', '--desk', 'EQ-EU'], env);
    const revoked = await runCli(['users', 'revoke', '--principal', 'alice', '--role', 'viewer'], env);
    const again = await runCli(['users', 'revoke', '--principal', 'alice', '--role', 'viewer'], env);
    const listed = await runCli(['users', 'list', '--json'], env);
    const text = await runCli(['users', 'list'], env);

    expect([added, granted, grantedDesk, revoked, again].map((r) => [r.code, r.stderr])).toStrictEqual(
      Array.from({ length: 5 }, () => [0, '']),
    );
    expect(added.stdout).toBe(
      'added: alice "Alice Ops"  roles viewer  desks EQ-US  accounts none  slack T0TEST/U0ALICE\n',
    );
    expect(again.stdout).toContain('nothing to change');
    expect(text.stdout).toBe(
      '1 principal:\n  alice "Alice Ops"  roles approver  desks EQ-US,EQ-EU  accounts none  slack T0TEST/U0ALICE\n',
    );
    expect((JSON.parse(listed.stdout) as DirectoryEntry[]).map(who)).toStrictEqual([
      {
        principalId: 'alice',
        displayName: 'Alice Ops',
        roles: ['approver'],
        desks: ['EQ-US', 'EQ-EU'],
        accounts: [],
        slack: { teamId: 'T0TEST', userId: 'U0ALICE' },
        status: 'ACTIVE',
        version: 4,
      },
    ]);

    const removed = await runCli(['users', 'remove', '--principal', 'alice'], env);
    const after = await runCli(['users', 'list', '--json'], env);
    const verify = await runCli(['audit', 'verify', '--json'], env);

    expect(removed.code).toBe(0);
    expect(JSON.parse(after.stdout)).toStrictEqual([]);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      entities: 1,
      records: 5,
      failures: [],
      keyed: true,
      legacy: [],
    });
    const actor = operatorActor();
    expect(await auditTrail(env, 'alice')).toStrictEqual(
      [
        'PRINCIPAL_ADDED',
        'ENTITLEMENT_GRANTED',
        'ENTITLEMENT_GRANTED',
        'ENTITLEMENT_REVOKED',
        'PRINCIPAL_REMOVED',
      ].map((action) => ({ action, actor })),
    );
  });

  it('refuses bad flags with one line naming the flag, exit 2, and writes nothing', async () => {
    const bob = aCliUser({ principal: 'bob', user: 'U0BOB' });
    const cases: [string[], string][] = [
      [usersAddArgs({ ...bob, roles: ['boss'] }), '--role'],
      [usersAddArgs({ ...bob, desks: ['EQ US'] }), '--desk'],
      [usersAddArgs({ ...bob, principal: 'bob smith' }), '--principal'],
      [usersAddArgs({ ...bob, team: 't-lower' }), '--slack-team'],
      [usersAddArgs({ ...bob, roles: [] }), '--role'],
      [
        usersAddArgs(bob).filter((a, i, all) => a !== '--slack-user' && all[i - 1] !== '--slack-user'),
        '--slack-user',
      ],
      [[...usersAddArgs(bob), '--colour', 'red'], '--colour'],
      [['users', 'grant', '--principal', 'bob', '--role', 'admin', '--desk', 'EQ-EU'], '--role'],
      [['users', 'grant', '--principal', 'bob'], '--role'],
      [['users', 'revoke', '--principal', 'bob', '--desk', 'EQ/US?'], '--desk'],
      [['users', 'remove'], '--principal'],
    ];

    for (const [argv, flag] of cases) {
      const result = await runCli(argv, env);
      expect({ argv, code: result.code, lines: result.stderr.trimEnd().split('\n').length }).toStrictEqual({
        argv,
        code: 2,
        lines: 1,
      });
      expect(result.stderr).toContain(flag);
      expect(result.stdout).toBe('');
    }
    expect(await directoryOf(table).get('bob')).toBeUndefined();
    expect(JSON.parse((await runCli(['audit', 'verify', '--json'], env)).stdout)).toMatchObject({
      entities: 1,
      records: 5,
      failures: [],
      keyed: true,
      legacy: [],
    });
  });

  it('refuses a Slack user that belongs to someone else, and an id already active, changing nothing', async () => {
    await runCli(usersAddArgs(aCliUser({ principal: 'carol', user: 'U0CAROL' })), env);

    const taken = await runCli(usersAddArgs(aCliUser({ principal: 'dave', user: 'U0CAROL' })), env);
    const twice = await runCli(
      usersAddArgs(aCliUser({ principal: 'carol', user: 'U0CAROL2', roles: ['admin'] })),
      env,
    );

    expect(taken.code).toBe(1);
    expect(taken.stdout).toContain('Slack user T0TEST/U0CAROL already belongs to another principal');
    expect(await directoryOf(table).get('dave')).toBeUndefined();
    expect(twice.code).toBe(1);
    expect(twice.stdout).toContain('carol is already in the directory');
    expect((await directoryOf(table).get('carol'))?.roles).toStrictEqual(['viewer']);
  });
});

describe('settleops seed', () => {
  it('creates the demo principals once, prints them, and a second seed adds nothing', async () => {
    const { table, env } = await cliEnv();

    const first = await runCli(['seed', '--trades', '20'], env);
    const stored = await directoryOf(table).list();
    const second = await runCli(['seed', '--trades', '20'], env);

    expect(first.code).toBe(0);
    expect(first.stdout).toContain('demo principals: 4 added, 0 already there');
    for (const p of DEMO_PRINCIPALS)
      expect(first.stdout).toContain(`added    ${p.principalId} "${p.displayName}"`);
    expect(stored.map(who)).toStrictEqual(
      [...DEMO_PRINCIPALS]
        .sort((a, b) => String(a.principalId).localeCompare(String(b.principalId)))
        .map((p) => ({ ...p, status: 'ACTIVE', version: 1 })),
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('demo principals: 0 added, 4 already there');
    expect(await directoryOf(table).list()).toStrictEqual(stored);
  });
});
