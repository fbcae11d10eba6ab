import { beforeAll, describe, expect, it } from 'vitest';
import { removePrincipal } from '../../../src/identity/index.ts';
import { DEMO_PRINCIPALS, enrolDemoPrincipals } from '../../../src/seed/index.ts';
import { anApprover, directoryOf, enrol } from '../../support/directory.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

let table: TestTable;
const now = () => new Date('2026-11-24T12:00:00.000Z');

beforeAll(async () => {
  table = await createTestTable();
});

describe('enrolDemoPrincipals', () => {
  it('leaves a demo principal an administrator removed as removed, and adds the others once', async () => {
    const directory = directoryOf(table);
    const [viewer, ...others] = DEMO_PRINCIPALS;
    if (viewer === undefined) throw new Error('no demo principals');
    await enrol(directory, viewer);
    await removePrincipal({ directory, now }, String(viewer.principalId), 'system:test-setup');

    const first = await enrolDemoPrincipals({ directory, now }, 'system:seed');
    const second = await enrolDemoPrincipals({ directory, now }, 'system:seed');

    expect(first.map((o) => o.kind)).toStrictEqual(['LEFT_REMOVED', ...others.map(() => 'ADDED')]);
    expect(second.map((o) => o.kind)).toStrictEqual(['LEFT_REMOVED', ...others.map(() => 'PRESENT')]);
    expect((await directory.list()).map((e) => e.principalId)).toStrictEqual(
      others.map((p) => String(p.principalId)).sort(),
    );
  });

  it('reports a demo principal whose Slack user belongs to someone else as refused, writing nothing for it', async () => {
    const fresh = await createTestTable();
    const directory = directoryOf(fresh);
    const [viewer] = DEMO_PRINCIPALS;
    if (viewer?.slack === undefined) throw new Error('no demo viewer');
    await enrol(directory, anApprover('squatter', { slack: viewer.slack }));

    const outcomes = await enrolDemoPrincipals({ directory, now }, 'system:seed', [viewer]);

    expect(outcomes).toStrictEqual([
      {
        kind: 'REFUSED',
        principalId: viewer.principalId,
        reason: `Slack user ${viewer.slack.teamId}/${viewer.slack.userId} already belongs to another principal`,
      },
    ]);
    expect(await directory.get(String(viewer.principalId))).toBeUndefined();
  });
});
