import type { GuardrailKind } from '../loop/trace.ts';
import {
  describeScore,
  type InjectionScore,
  neutraliseToolResult,
  scoreInjection,
} from './injection-screen.ts';
import { type RedactionContext, type RedactionResult, redactOutput } from './redactor.ts';
import { screenTopic } from './topic-screen.ts';

export type InputVerdict =
  | {
      readonly allowed: true;
      /** Set when the injection screen scored the question above zero but under its threshold. */
      readonly injection?: InjectionScore;
    }
  | {
      readonly allowed: false;
      readonly kind: Extract<GuardrailKind, 'prompt_injection' | 'off_topic'>;
      /** The short refusal shown to the user. */
      readonly message: string;
      /** What was detected, for the trace. */
      readonly detail: string;
      /** The injection screen's score and signals (a prompt-injection refusal). */
      readonly injection?: InjectionScore;
    };

/** The screens the loop runs on input, on tool results and on output. */
export interface Guardrails {
  screenInput(question: string): InputVerdict;
  /** Neutralises instruction-like free text in a tool result; one line per intervention. */
  screenToolResult(value: unknown): { readonly value: unknown; readonly interventions: readonly string[] };
  redactOutput(text: string, ctx: RedactionContext): RedactionResult;
}

export const INJECTION_REFUSAL =
  'I can’t act on that: the question looks like an attempt to change my instructions. ' +
  'Ask me about trades, matches, exceptions, SLAs, approvals or reports.';

export const OFF_TOPIC_REFUSAL =
  'I only help with settlement operations: trade status, matching breaks, exceptions, SLAs, approvals and reports.';

/** The local screens, always on (Bedrock Guardrails adds to them when configured). */
export class LocalGuardrails implements Guardrails {
  screenInput(question: string): InputVerdict {
    const injection = scoreInjection(question);
    if (injection.score >= injection.threshold) {
      return {
        allowed: false,
        kind: 'prompt_injection',
        message: INJECTION_REFUSAL,
        detail: describeScore(injection),
        injection,
      };
    }
    const topic = screenTopic(question);
    if (!topic.onTopic) {
      return { allowed: false, kind: 'off_topic', message: OFF_TOPIC_REFUSAL, detail: topic.category };
    }
    return injection.score > 0 ? { allowed: true, injection } : { allowed: true };
  }

  screenToolResult(value: unknown): { readonly value: unknown; readonly interventions: readonly string[] } {
    return neutraliseToolResult(value);
  }

  redactOutput(text: string, ctx: RedactionContext): RedactionResult {
    return redactOutput(text, ctx);
  }
}
