export { bareModelId, type FamilyRules, familyOf } from './families.ts';
export { DEFAULT_BLOCKED_MESSAGING, type GuardrailPolicy } from './guardrail.ts';
export { estimateTokens, requestTokens } from './prompt-cache.ts';
export {
  connectionReset,
  guardrailTurn,
  internalError,
  maxTokensTurn,
  modelError,
  modelNotReady,
  modelTimeout,
  type ResponseTurn,
  type ScriptedTurn,
  type StreamExceptionType,
  serviceUnavailable,
  streamedTextTurn,
  streamedToolUseTurn,
  textTurn,
  throttled,
  toolUseTurn,
  truncatedToolUseTurn,
  type WireContentBlock,
} from './script.ts';
export {
  type ConverseServer,
  type ConverseServerOptions,
  type Outcome,
  type RecordedRequest,
  startConverseServer,
  type WireUsage,
} from './server.ts';
export { encodeEvent, streamEvents } from './stream-encoding.ts';
export {
  converseClientFor,
  FAST,
  field,
  LLAMA,
  NOVA,
  NOVA_LITE,
  reportedUsage,
  SONNET_45,
  STRONG,
  testBedrockClient,
} from './test-client.ts';
export { type ConverseStandIn, useConverseServer } from './use-converse-server.ts';
