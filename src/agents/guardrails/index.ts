export type { Guardrails, InputVerdict } from './guardrails.ts';
export { INJECTION_REFUSAL, LocalGuardrails, OFF_TOPIC_REFUSAL } from './guardrails.ts';
export type { InjectionFinding } from './injection-screen.ts';
export {
  detectInjection,
  neutraliseText,
  neutraliseToolResult,
  UNTRUSTED_MARKER,
} from './injection-screen.ts';
export type { Redaction, RedactionContext, RedactionResult } from './redactor.ts';
export { collectAccountIds, maskAccount, redactOutput } from './redactor.ts';
export type { TopicVerdict } from './topic-screen.ts';
export { screenTopic } from './topic-screen.ts';
