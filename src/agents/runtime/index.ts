export {
  AgentCoreSdkShapeError,
  agentCoreFastify,
  PINNED_VERSION as AGENTCORE_PINNED_VERSION,
} from './agentcore-app-internals.ts';
export {
  type Authentication,
  type AuthenticatorDeps,
  type AuthRefusalReason,
  createInvocationAuthenticator,
  type InvocationAuthenticator,
} from './authenticate.ts';
export {
  DynamoDbInvocationLedger,
  INVOCATION_TTL_SECONDS,
  invocationKeys,
} from './dynamodb-invocation-ledger.ts';
export {
  type Admission,
  createInvocationGuard,
  DEFAULT_LEASE_MS,
  DEFAULT_REPEAT_WAIT_MS,
  type InvocationGuard,
  type InvocationGuardOptions,
  type RepeatRefusal,
} from './invocation-guard.ts';
export {
  type InvocationKey,
  type InvocationLedger,
  type InvocationOutcome,
  type InvocationRecord,
  type LedgerClaim,
  requestFingerprint,
} from './invocation-ledger.ts';
export {
  createRuntimeApp,
  DEFAULT_AGENT_HOST,
  DEFAULT_AGENT_PORT,
  type ListenOptions,
  REQUEST_ID_HEADER,
  type RuntimeApp,
  type RuntimeAppAddress,
  type RuntimeAppOptions,
  SESSION_ID_HEADER,
  WORKLOAD_TOKEN_HEADERS,
} from './runtime-app.ts';
