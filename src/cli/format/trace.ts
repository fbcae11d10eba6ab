import type { Trace } from '../../agents/index.ts';
import { printable } from '../../text/index.ts';

/** Plain-text rendering of one invocation's trace: steps, tokens, estimated cost. */
export function formatTrace(t: Trace): string {
  const ms = Date.parse(t.finishedAt) - Date.parse(t.startedAt);
  const lines = [
    `trace ${t.traceId}  session ${t.sessionId}  principal ${printable(t.principalId)}`,
    `question: ${printable(t.question)}`,
    `${t.startedAt} → ${t.finishedAt} (${ms} ms), answered by ${t.answeredBy}${t.stoppedBy === undefined ? '' : `, stopped by ${t.stoppedBy}`}`,
    `tokens: ${t.totals.inputTokens} in, ${t.totals.outputTokens} out, ${t.totals.cacheRead} cache read, ${t.totals.cacheWrite} cache write; estimated cost $${t.estimatedCostUsd.toFixed(6)}` +
      (t.unpricedModels === undefined ? '' : ` (no price for ${t.unpricedModels.join(', ')})`),
    'steps:',
  ];
  t.steps.forEach((s, i) => {
    const n = `${i + 1}.`.padEnd(4);
    switch (s.kind) {
      case 'model':
        lines.push(
          `  ${n}model ${s.modelId} → ${s.stopReason}, ${s.tokens.inputTokens} in / ${s.tokens.outputTokens} out${s.estimated ? ' (estimated)' : ''}, ${s.latencyMs} ms`,
        );
        break;
      case 'tool':
        lines.push(
          printable(
            `  ${n}tool ${s.name}(${s.arguments === undefined ? (s.argumentNames ?? []).join(', ') : JSON.stringify(s.arguments)}) → ${s.outcome}, ${s.resultSize} chars, ${s.latencyMs} ms`,
          ),
        );
        break;
      case 'guardrail':
        lines.push(`  ${n}guardrail ${s.guardrail} on ${s.stage}: ${printable(s.detail)}`);
        break;
      case 'limit':
        lines.push(`  ${n}limit ${s.limit}: ${printable(s.detail)}`);
        break;
    }
  });
  return lines.join('\n');
}
