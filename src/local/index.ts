export {
  LOCAL_AGENT_RUNTIME_ARN,
  type LocalAgentCoreEndpoint,
  type LocalAgentCoreEndpointOptions,
  startLocalAgentCoreEndpoint,
} from './agentcore-endpoint.ts';
export {
  type LocalAgentCoreIdentityEndpoint,
  type LocalAgentCoreIdentityEndpointOptions,
  startLocalAgentCoreIdentityEndpoint,
} from './agentcore-identity-endpoint.ts';
export {
  type LocalAgentCoreMemoryEndpoint,
  type LocalAgentCoreMemoryEndpointOptions,
  startLocalAgentCoreMemoryEndpoint,
} from './agentcore-memory-endpoint.ts';
export { auditDigestFile } from './audit-digest-file.ts';
export { openAuditKeyFile } from './audit-key-file.ts';
export { ensureDynamoDbLocal } from './dynamodb-local/artifact.ts';
export {
  type EmbeddedEngine,
  type EngineCredentials,
  isOurEngine,
  openEmbeddedEngine,
} from './dynamodb-local/embedded-engine.ts';
export { accepts, NO_BROWSER_ORIGIN, startDynamoDbLocal } from './dynamodb-local/launcher.ts';
export { loadOrCreateWorkloadIdentityKey, workloadIdentityKeyPath } from './identity-key-file.ts';
export { isLoopbackUrl } from './loopback.ts';
