import { directoryApprovalGate } from '../../src/identity/approval-gate.ts';
import { addPrincipal, type NewPrincipal } from '../../src/identity/directory-admin.ts';
import { DynamoDbPrincipalDirectory } from '../../src/identity/dynamodb-principal-directory.ts';
import type { ChainKey } from '../../src/settlement/chain-key.ts';
import type { ApprovalGate } from '../../src/settlement/services/decide-review.ts';
import type { TestTable } from './dynamodb.ts';

/** An approver of desk EQ-US (the trade factory's desk) named `principalId`. Overrides replace fields. */
export function anApprover(principalId: string, overrides: Partial<NewPrincipal> = {}): NewPrincipal {
  return { principalId, roles: ['approver'], desks: ['EQ-US'], accounts: [], ...overrides };
}

/** The principal directory in a test table. */
export function directoryOf(table: TestTable, chainKey?: ChainKey): DynamoDbPrincipalDirectory {
  return new DynamoDbPrincipalDirectory(
    table.doc,
    table.tableName,
    chainKey === undefined ? {} : { chainKey },
  );
}

/** Puts principals into the directory (as the test administrator); fails the test if one is refused. */
export async function enrol(
  directory: DynamoDbPrincipalDirectory,
  ...principals: readonly NewPrincipal[]
): Promise<void> {
  const now = () => new Date('2026-11-24T12:00:00.000Z');
  for (const p of principals) {
    const outcome = await addPrincipal({ directory, now }, p, 'system:test-setup');
    if (outcome.kind !== 'CHANGED')
      throw new Error(`could not enrol ${p.principalId}: ${JSON.stringify(outcome)}`);
  }
}

/** The directory's approval gate over a test table, with `approvers` enrolled as approvers of every desk. */
export async function approvalGateWith(
  table: TestTable,
  approvers: readonly string[],
  chainKey?: ChainKey,
): Promise<ApprovalGate> {
  const directory = directoryOf(table, chainKey);
  await enrol(directory, ...approvers.map((id) => anApprover(id, { desks: '*' })));
  return directoryApprovalGate(directory);
}
