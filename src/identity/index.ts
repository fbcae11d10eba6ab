export { AgentCoreDeliveredTokenVerifier } from './agentcore-delivered-token-verifier.ts';
export { AgentCoreWorkloadIdentity } from './agentcore-workload-identity.ts';
export { directoryApprovalGate } from './approval-gate.ts';
export { type ApprovalCheck, type ApprovalRefusal, canApprove } from './can-approve.ts';
export {
  addPrincipal,
  type DirectoryChangeOutcome,
  type DirectoryDeps,
  type Entitlement,
  grant,
  listPrincipals,
  lookupPrincipal,
  NewPrincipal,
  principalOf,
  removePrincipal,
  revoke,
} from './directory-admin.ts';
export { DirectoryEntry, directoryEntityId, SlackUser } from './directory-entry.ts';
export { DynamoDbPrincipalDirectory, directoryItem, directoryKeys } from './dynamodb-principal-directory.ts';
export { DynamoDbSessionRegistry, SESSION_TTL_SECONDS, sessionKeys } from './dynamodb-session-registry.ts';
export { LocalWorkloadTokens, type LocalWorkloadTokensOptions } from './local-workload-tokens.ts';
export { hasRole, LOCAL_ADMIN, mayViewAccount, mayViewDesk, Principal, Role } from './principal.ts';
export type { DirectoryWrite, DirectoryWriteResult, PrincipalDirectory } from './principal-directory.ts';
export {
  canonicalPrincipalId,
  checkPrincipalId,
  InvalidPrincipalIdError,
  normalisePrincipalId,
  PrincipalId,
  type PrincipalIdCheck,
  principalActor,
} from './principal-id.ts';
export { checkSessionId, InvalidSessionIdError, isRegistrableSessionId } from './session-id.ts';
export type {
  SessionClaim,
  SessionOrigin,
  SessionRecord,
  SessionRegistry,
} from './session-registry.ts';
export { MAX_WORKLOAD_TOKEN_BYTES, tokenRefusal } from './token-refusal.ts';
export type {
  TokenExpectation,
  TokenRefusalReason,
  TokenVerification,
  WorkloadTokenIssuer,
  WorkloadTokenVerifier,
} from './workload-token.ts';
