import { beforeEach, describe, expect, it } from 'vitest';
import {
  addPrincipal,
  type DirectoryDeps,
  grant,
  listPrincipals,
  lookupPrincipal,
  removePrincipal,
  revoke,
} from '../../../src/identity/directory-admin.ts';
import { verifyAllAudit } from '../../../src/settlement/services/audit-verify.ts';
import { anApprover, directoryOf } from '../../support/directory.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

let table: TestTable;
let deps: DirectoryDeps;
const ADMIN = 'principal:root-admin';
const AT = '2026-11-24T12:00:00.000Z';

beforeEach(async () => {
  table = await createTestTable();
  deps = { directory: directoryOf(table), now: () => new Date(AT) };
});

describe('the principal directory', () => {
  it('adds a principal in canonical form, audited, and finds it by id and by Slack user', async () => {
    const outcome = await addPrincipal(
      deps,
      anApprover(' OPS-Ben ', { displayName: 'Ben', slack: { teamId: 'T1', userId: 'U1' } }),
      ADMIN,
    );

    expect(outcome.kind).toBe('CHANGED');
    const stored = await deps.directory.get('ops-ben');
    expect(stored).toStrictEqual(outcome.kind === 'CHANGED' ? outcome.entry : undefined);
    expect(stored?.principalId).toBe('ops-ben');
    expect(await deps.directory.findBySlackUser({ teamId: 'T1', userId: 'U1' })).toStrictEqual(stored);
    expect(await lookupPrincipal(deps.directory, 'Ops-Ben')).toStrictEqual({
      principalId: 'ops-ben',
      displayName: 'Ben',
      roles: ['approver'],
      desks: ['EQ-US'],
      accounts: [],
    });
    const audit = await table.store.listAudit('PRINCIPAL#ops-ben');
    expect(audit.map((r) => [r.action, r.actor])).toStrictEqual([['PRINCIPAL_ADDED', ADMIN]]);
  });

  it('refuses a bad id, an unknown role and a bad actor, writing nothing', async () => {
    const outcome = await addPrincipal(
      deps,
      { principalId: 'x\ny', roles: ['boss' as 'admin'], desks: [] },
      'principal:',
    );

    expect(outcome).toStrictEqual({
      kind: 'INVALID',
      problems: [
        'principalId: contains a control or invisible character',
        'roles.0: Invalid option: expected one of "viewer"|"approver"|"admin"',
        'actor: principal id is empty',
      ],
    });
    expect(await listPrincipals(deps)).toStrictEqual([]);
  });

  it('grants and revokes roles, desks and accounts, one audit record per change', async () => {
    await addPrincipal(deps, anApprover('ops-ben'), ADMIN);

    const outcomes = [
      await grant(deps, 'ops-ben', { desk: 'FX' }, ADMIN),
      await grant(deps, 'ops-ben', { desk: 'FX' }, ADMIN),
      await grant(deps, 'ops-ben', { role: 'admin' }, ADMIN),
      await revoke(deps, 'ops-ben', { desk: 'EQ-US' }, ADMIN),
      await grant(deps, 'ops-ben', { account: 'ACC-7' }, ADMIN),
    ].map((o) => o.kind);

    expect(outcomes).toStrictEqual(['CHANGED', 'UNCHANGED', 'CHANGED', 'CHANGED', 'CHANGED']);
    expect(await lookupPrincipal(deps.directory, 'ops-ben')).toStrictEqual({
      principalId: 'ops-ben',
      roles: ['approver', 'admin'],
      desks: ['FX'],
      accounts: ['ACC-7'],
    });
    const audit = await table.store.listAudit('PRINCIPAL#ops-ben');
    expect(audit.map((r) => [r.seq, r.action, r.details])).toStrictEqual([
      [1, 'PRINCIPAL_ADDED', { principalId: 'ops-ben', roles: ['approver'], desks: ['EQ-US'], accounts: [] }],
      [2, 'ENTITLEMENT_GRANTED', { desk: 'FX' }],
      [3, 'ENTITLEMENT_GRANTED', { role: 'admin' }],
      [4, 'ENTITLEMENT_REVOKED', { desk: 'EQ-US' }],
      [5, 'ENTITLEMENT_GRANTED', { account: 'ACC-7' }],
    ]);
  });

  it('refuses to revoke the last role', async () => {
    await addPrincipal(deps, anApprover('ops-ben'), ADMIN);

    expect(await revoke(deps, 'ops-ben', { role: 'approver' }, ADMIN)).toStrictEqual({
      kind: 'INVALID',
      problems: ['role: a principal keeps at least one role (remove the principal instead)'],
    });
  });

  it('removes a principal: it resolves to nobody, its Slack user is free, its chain stays intact', async () => {
    await addPrincipal(deps, anApprover('ops-ben', { slack: { teamId: 'T1', userId: 'U1' } }), ADMIN);

    const removed = await removePrincipal(deps, 'ops-ben', ADMIN);

    expect(removed.kind).toBe('CHANGED');
    expect(await lookupPrincipal(deps.directory, 'ops-ben')).toBeUndefined();
    expect(await deps.directory.findBySlackUser({ teamId: 'T1', userId: 'U1' })).toBeUndefined();
    expect(await listPrincipals(deps)).toStrictEqual([]);
    expect(await removePrincipal(deps, 'ops-ben', ADMIN)).toStrictEqual({
      kind: 'NOT_FOUND',
      principalId: 'ops-ben',
    });
    const taken = await addPrincipal(
      deps,
      anApprover('ops-carla', { slack: { teamId: 'T1', userId: 'U1' } }),
      ADMIN,
    );
    expect(taken.kind).toBe('CHANGED');
    const verification = await verifyAllAudit(table.store);
    expect(verification.failures).toStrictEqual([]);
  });

  it('maps one Slack user to one principal only', async () => {
    await addPrincipal(deps, anApprover('ops-ben', { slack: { teamId: 'T1', userId: 'U1' } }), ADMIN);

    const second = await addPrincipal(
      deps,
      anApprover('ops-carla', { slack: { teamId: 'T1', userId: 'U1' } }),
      ADMIN,
    );

    expect(second).toStrictEqual({
      kind: 'SLACK_USER_TAKEN',
      message: 'Slack user T1/U1 already belongs to another principal',
    });
    expect(await deps.directory.get('ops-carla')).toBeUndefined();
  });

  it('lists active principals by id', async () => {
    await addPrincipal(deps, anApprover('zed'), ADMIN);
    await addPrincipal(deps, anApprover('amy', { roles: ['viewer'] }), ADMIN);

    expect((await listPrincipals(deps)).map((e) => [e.principalId, e.roles])).toStrictEqual([
      ['amy', ['viewer']],
      ['zed', ['approver']],
    ]);
    expect((await addPrincipal(deps, anApprover('amy'), ADMIN)).kind).toBe('EXISTS');
  });
});
