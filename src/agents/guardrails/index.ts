export type { Guardrails, InputVerdict } from './guardrails.ts';
export { INJECTION_REFUSAL, LocalGuardrails, OFF_TOPIC_REFUSAL } from './guardrails.ts';
export type { FoundSignal, InjectionFinding, InjectionScore } from './injection-screen.ts';
export {
  describeScore,
  detectInjection,
  INJECTION_THRESHOLD,
  neutraliseText,
  neutraliseToolResult,
  scoreInjection,
  UNTRUSTED_MARKER,
} from './injection-screen.ts';
export type { Signal } from './injection-signals.ts';
export type { NormalisedText, TextView } from './normalise-text.ts';
export { normaliseText } from './normalise-text.ts';
export type { Redaction, RedactionContext, RedactionResult } from './redactor.ts';
export { collectAccountIds, maskAccount, redactOutput } from './redactor.ts';
export type { ScreenRates } from './screen-evaluation.ts';
export { describeRates, ScreenCorpus, screenLatency, screenRates } from './screen-evaluation.ts';
export type { TopicVerdict } from './topic-screen.ts';
export { screenTopic } from './topic-screen.ts';
export {
  closeUntrusted,
  delimitToolData,
  isUntrustedMarker,
  openUntrusted,
  untrustedTag,
} from './untrusted-data.ts';
