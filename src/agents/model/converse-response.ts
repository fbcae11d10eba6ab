import type {
  ConverseCommandOutput,
  GuardrailAssessment,
  GuardrailTraceAssessment,
} from '@aws-sdk/client-bedrock-runtime';
import { estimateTokens } from './token-estimate.ts';
import type { ContentBlock, GuardrailOutcome, ModelResponse, StopReason, Usage } from './types.ts';

/** What `fromConverseOutput` reads: a `Converse` response, or one assembled from a stream. */
export type ConverseResult = Pick<ConverseCommandOutput, 'output' | 'stopReason' | 'usage' | 'trace'> & {
  /** A tool use the output limit cut short was left out (streams only). */
  readonly cutToolUse?: boolean;
  /** True when the usage was not reported (a stream without its metadata event): estimated. */
  readonly usageEstimated?: boolean;
};

/**
 * The SDK's response → ours. Blank text blocks are left out (the message goes back to Converse in
 * the next call, which refuses blank text); content blocks we do not use (reasoning, citations, …)
 * are dropped. A tool use in a `max_tokens` answer is incomplete: it is left out and flagged.
 */
export function fromConverseOutput(
  output: ConverseResult,
  modelId: string,
  latencyMs: number,
): ModelResponse {
  const stopReason = mapStopReason(output.stopReason);
  const content: ContentBlock[] = [];
  let cutToolUse = output.cutToolUse === true;
  for (const block of output.output?.message?.content ?? []) {
    if (block.text !== undefined) {
      if (block.text.trim() !== '') content.push({ text: block.text });
    } else if (block.toolUse !== undefined) {
      if (stopReason === 'max_tokens') {
        cutToolUse = true;
        continue;
      }
      content.push({
        toolUse: {
          toolUseId: block.toolUse.toolUseId ?? '',
          name: block.toolUse.name ?? '',
          input: block.toolUse.input ?? {},
        },
      });
    }
  }
  // Without the stream's metadata event, the output is estimated and the input unknown (0).
  const outputTokens = output.usageEstimated
    ? estimateTokens(JSON.stringify(content).length)
    : (output.usage?.outputTokens ?? 0);
  const usage: Usage = {
    inputTokens: output.usage?.inputTokens ?? 0,
    outputTokens,
    cacheReadInputTokens: output.usage?.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: output.usage?.cacheWriteInputTokens ?? 0,
    estimated: output.usageEstimated === true,
  };
  const guardrail = guardrailOutcome(stopReason, output.trace?.guardrail);
  return {
    message: { role: 'assistant', content },
    stopReason,
    usage,
    modelId,
    latencyMs,
    ...(guardrail === undefined ? {} : { guardrail }),
    ...(cutToolUse ? { cutToolUse } : {}),
  };
}

/**
 * Converse's stop reasons, said as they are (API_runtime_Converse, `stopReason`):
 * `model_context_window_exceeded` is the context window, not the output limit; malformed output or
 * tool use is the model's failure, not a content filter. An unknown reason reads as `end_turn`.
 */
export function mapStopReason(reason: string | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'guardrail_intervened':
    case 'content_filtered':
      return reason;
    case 'model_context_window_exceeded':
      return 'context_window_exceeded';
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return 'malformed_output';
    default:
      return 'end_turn';
  }
}

/**
 * The guardrail's part of an answer: when it intervened, or when its trace shows it acted (masked
 * PII, say). The trace (`trace: enabled`) names the policies that fired; their matched text is not
 * kept, only what kind of finding it was.
 */
function guardrailOutcome(
  stopReason: StopReason,
  trace: GuardrailTraceAssessment | undefined,
): GuardrailOutcome | undefined {
  const input = Object.values(trace?.inputAssessment ?? {}).flatMap(findings);
  const output = Object.values(trace?.outputAssessments ?? {}).flatMap((list) => list.flatMap(findings));
  if (stopReason !== 'guardrail_intervened' && input.length === 0 && output.length === 0) return undefined;
  const stage = input.length > 0 ? 'input' : output.length > 0 ? 'output' : undefined;
  const parts = [
    ...(input.length === 0 ? [] : [`input: ${input.join('; ')}`]),
    ...(output.length === 0 ? [] : [`output: ${output.join('; ')}`]),
  ];
  const coverage = Object.values(trace?.inputAssessment ?? {})
    .map((a) => a.invocationMetrics?.guardrailCoverage?.textCharacters)
    .find((c) => c !== undefined);
  if (coverage?.guarded !== undefined && coverage.total !== undefined) {
    parts.push(`guarded ${coverage.guarded} of ${coverage.total} input characters`);
  }
  return {
    source: 'bedrock-guardrails',
    action: stopReason === 'guardrail_intervened' ? 'GUARDRAIL_INTERVENED' : 'NONE',
    ...(stage === undefined ? {} : { stage }),
    ...(parts.length === 0 ? {} : { detail: parts.join(' | ') }),
  };
}

/** One line per policy finding that did something (action other than NONE). */
function findings(a: GuardrailAssessment): string[] {
  const acted = (action: string | undefined) => action !== undefined && action !== 'NONE';
  return [
    ...(a.topicPolicy?.topics ?? [])
      .filter((t) => acted(t.action))
      .map((t) => `topic "${t.name}" ${t.action}`),
    ...(a.contentPolicy?.filters ?? [])
      .filter((f) => acted(f.action))
      .map((f) => `content ${f.type} (${f.confidence}) ${f.action}`),
    ...(a.wordPolicy?.customWords ?? []).filter((w) => acted(w.action)).map((w) => `custom word ${w.action}`),
    ...(a.wordPolicy?.managedWordLists ?? [])
      .filter((w) => acted(w.action))
      .map((w) => `managed word ${w.type} ${w.action}`),
    ...(a.sensitiveInformationPolicy?.piiEntities ?? [])
      .filter((p) => acted(p.action))
      .map((p) => `PII ${p.type} ${p.action}`),
    ...(a.sensitiveInformationPolicy?.regexes ?? [])
      .filter((r) => acted(r.action))
      .map((r) => `regex ${r.name} ${r.action}`),
    ...(a.contextualGroundingPolicy?.filters ?? [])
      .filter((f) => acted(f.action))
      .map((f) => `grounding ${f.type} ${f.action}`),
  ];
}
