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
export {
  BLOCK_KIT_LIMITS,
  type BlockKitPayload,
  slackBlockKitProblems,
} from './slack/block-kit-limits.ts';
export type {
  EmulatedEphemeral,
  EmulatedMessage,
  OpenedView,
  RecordedCall,
  ResponseUrlContext,
  ResponseUrlPost,
  SlackEmulator,
  SlackEmulatorOptions,
  SlackEmulatorUser,
  SlackFailure,
  SlackRateLimit,
  UploadedFile,
} from './slack/slack-emulator-types.ts';
export {
  type AppMentionEventInput,
  appMentionEvent,
  directMessageEvent,
  slackTs,
} from './slack/slack-events.ts';
export {
  type BlockActionInput,
  createSlackRequestClient,
  type DeliveryOptions,
  type InteractionDelivery,
  type SlackDelivery,
  type SlackRequestClient,
  type SlackRequestClientOptions,
  type SlackUserRef,
  type SlashCommandInput,
  signRequest,
  type ViewSubmissionInput,
} from './slack/slack-request-client.ts';
export { startSlackEmulator } from './slack/slack-web-api-server.ts';
export { type LocalSqsEndpoint, type LocalSqsMessage, startLocalSqs } from './sqs-endpoint.ts';
