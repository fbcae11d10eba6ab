export {
  type CostEstimate,
  DEFAULT_MODEL_PRICES,
  estimateCost,
  type ModelPrice,
  OFFLINE_PLANNER_ID,
  priceFor,
} from './cost.ts';
export {
  DynamoDbTraceStore,
  TRACE_TTL_SECONDS,
  traceKeys,
  USAGE_TTL_SECONDS,
} from './dynamodb-trace-store.ts';
export {
  INVOCATION_SPAN,
  type InvocationSpanAttributes,
  invocationAttributes,
  setTraceId,
  settleOpsTracer,
  withInvocationSpan,
} from './spans.ts';
export {
  GuardrailStep,
  LimitStep,
  MAX_TRACE_QUESTION,
  ModelStep,
  sumTokens,
  TokenCounts,
  ToolStep,
  Trace,
  TraceStep,
  ZERO_TOKENS,
} from './trace.ts';
export {
  type FinishInput,
  MAX_STORED_ARGUMENTS,
  newTraceId,
  TraceRecorder,
  type TraceRecorderOptions,
  toStep,
} from './trace-recorder.ts';
export { InMemoryTraceStore, NO_USAGE, type TraceStore, type Usage, type UsageScope } from './trace-store.ts';
