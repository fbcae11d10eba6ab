export {
  LOCAL_AGENT_RUNTIME_ARN,
  type LocalAgentCoreEndpoint,
  type LocalAgentCoreEndpointOptions,
  startLocalAgentCoreEndpoint,
} from './agentcore-endpoint.ts';
export { ensureDynamoDbLocal } from './dynamodb-local/artifact.ts';
export { accepts, startDynamoDbLocal } from './dynamodb-local/launcher.ts';
export { isLoopbackUrl } from './loopback.ts';
