export { type AgentMemory, createAgentService } from './agent-service.ts';
export { type AgentRuntimeInvoker, createAgentRuntimeInvoker } from './client/agent-runtime-invoker.ts';
export { runtimeSessionId } from './client/session-id.ts';
export {
  type AgentEvent,
  type AgentRequest,
  type AgentResponse,
  type AgentService,
  agentRequestProblem,
  type InvocationContext,
  REQUEST_ID_PATTERN,
} from './contract.ts';
export { BedrockConverseClient } from './model/bedrock-converse.ts';
export { OfflinePlanner } from './model/offline-planner.ts';
export type { ModelClient } from './model/types.ts';
export {
  createInvocationAuthenticator,
  createRuntimeApp,
  DEFAULT_AGENT_HOST,
  DynamoDbInvocationLedger,
  type InvocationAuthenticator,
  type InvocationLedger,
  type RuntimeApp,
  type RuntimeAppAddress,
} from './runtime/index.ts';
export { catalogForReview, type ToolReviewRow } from './tools/catalog.ts';
export { DynamoDbTraceStore } from './traces/dynamodb-trace-store.ts';
export type { Trace } from './traces/trace.ts';
