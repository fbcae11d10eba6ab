export {
  AgentInvocationError,
  type AgentRuntimeInvoker,
  type AgentRuntimeInvokerOptions,
  type AskOptions,
  createAgentRuntimeInvoker,
  readEventStream,
} from './agent-runtime-invoker.ts';
export {
  isValidSessionId,
  MEMORY_SESSION_ID_MAX,
  RUNTIME_SESSION_ID_MAX,
  RUNTIME_SESSION_ID_MIN,
  runtimeSessionId,
} from './session-id.ts';
export { parseSse, type SseEvent, SseParser } from './sse.ts';
