/*
 * A scripted Bedrock guardrail: denied topics as patterns. What it evaluates follows "Include a
 * guardrail with the Converse API" (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-use-converse-api.html):
 * - when the request has `guardContent` blocks, only those are evaluated on input; otherwise the text
 *   of every message is;
 * - tool results, tool definitions and tool-use arguments are not evaluated;
 * - the model's answer is evaluated on output;
 * - an intervention ends the answer with `stopReason: guardrail_intervened` and the guardrail's
 *   blocked messaging; with `trace: enabled` the response carries the assessment
 *   (`trace.guardrail.inputAssessment` / `outputAssessments`, keyed by guardrail id).
 */

export interface GuardrailPolicy {
  readonly deniedTopics: readonly { readonly name: string; readonly pattern: RegExp }[];
  readonly blockedInputMessaging?: string;
  readonly blockedOutputsMessaging?: string;
}

export const DEFAULT_BLOCKED_MESSAGING = 'Sorry, the model cannot answer this question.';

export interface GuardrailAssessment {
  readonly topicPolicy?: {
    readonly topics: readonly { name: string; type: 'DENY'; action: 'BLOCKED'; detected: true }[];
  };
  readonly invocationMetrics: {
    readonly guardrailProcessingLatency: number;
    readonly usage: { readonly topicPolicyUnits: number };
    readonly guardrailCoverage: { readonly textCharacters: { guarded: number; total: number } };
  };
}

export interface GuardrailVerdict {
  readonly blocked: boolean;
  readonly assessment: GuardrailAssessment;
  /** The texts the guardrail looked at (tests assert what it saw). */
  readonly evaluated: readonly string[];
}

type Block = Record<string, unknown>;
interface Body {
  readonly system?: readonly Block[];
  readonly messages?: readonly { readonly content?: readonly Block[] }[];
}

const guardText = (block: Block): string | undefined => {
  const guard = block.guardContent as { text?: { text?: unknown } } | undefined;
  return typeof guard?.text?.text === 'string' ? guard.text.text : undefined;
};

/** The input texts the guardrail evaluates, and the characters it could have. */
export function inputTexts(body: Body): { evaluated: string[]; total: number } {
  const guarded: string[] = [];
  const plain: string[] = [];
  for (const block of body.system ?? []) {
    const g = guardText(block);
    if (g !== undefined) guarded.push(g);
  }
  for (const message of body.messages ?? []) {
    for (const block of message.content ?? []) {
      const g = guardText(block);
      if (g !== undefined) guarded.push(g);
      else if (typeof block.text === 'string') plain.push(block.text);
    }
  }
  const total = [...guarded, ...plain].reduce((n, t) => n + t.length, 0);
  return { evaluated: guarded.length > 0 ? guarded : plain, total };
}

export function assess(policy: GuardrailPolicy, texts: readonly string[], total: number): GuardrailVerdict {
  const topics = policy.deniedTopics
    .filter((topic) => texts.some((t) => topic.pattern.test(t)))
    .map((topic) => ({
      name: topic.name,
      type: 'DENY' as const,
      action: 'BLOCKED' as const,
      detected: true as const,
    }));
  const guarded = texts.reduce((n, t) => n + t.length, 0);
  return {
    blocked: topics.length > 0,
    evaluated: texts,
    assessment: {
      ...(topics.length === 0 ? {} : { topicPolicy: { topics } }),
      invocationMetrics: {
        guardrailProcessingLatency: 40,
        usage: { topicPolicyUnits: Math.max(1, Math.ceil(guarded / 1000)) },
        guardrailCoverage: { textCharacters: { guarded, total } },
      },
    },
  };
}
