import { DynamoDbPrincipalDirectory, type PrincipalDirectory } from '../identity/index.ts';
import type { SettlementRuntime } from './settlement.ts';

/** The principal directory, in the settlement table on the process's one DynamoDB client. */
export function principalDirectory(rt: SettlementRuntime): PrincipalDirectory {
  return new DynamoDbPrincipalDirectory(rt.doc, rt.table, { chainKey: rt.audit.chainKey });
}
