import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../../../src/agents/traces/trace-recorder.ts';
import { InMemoryTraceStore } from '../../../../src/agents/traces/trace-store.ts';
import { createJsonLogger } from '../../../../src/logger.ts';

const AT = '2026-06-01T12:00:00.000Z';

function clock(): () => Date {
  let ms = Date.parse(AT) - 100;
  return () => {
    ms += 100;
    return new Date(ms);
  };
}

describe('TraceRecorder', () => {
  it('collects the loop events and writes one trace with totals and cost at the end', async () => {
    const store = new InMemoryTraceStore();
    const lines: string[] = [];
    const recorder = new TraceRecorder({
      store,
      sessionId: 'so-session',
      principalId: 'alice',
      question: 'why is T-10042 not matched?',
      traceId: 'tr-1',
      now: clock(),
      logger: createJsonLogger({ level: 'debug', write: (l) => lines.push(l), now: () => new Date(AT) }),
    });
    recorder.record({
      type: 'model_call',
      at: AT,
      iteration: 1,
      modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      tier: 'strong',
      latencyMs: 800,
      usage: {
        inputTokens: 1000,
        outputTokens: 100,
        cacheReadInputTokens: 2000,
        cacheWriteInputTokens: 0,
        estimated: false,
      },
      stopReason: 'tool_use',
    });
    recorder.record({
      type: 'tool_call',
      at: AT,
      iteration: 1,
      name: 'get_trade_status',
      toolUseId: 't1',
      args: { level: 'full', args: { tradeId: 'T-10042' } },
      resultSize: 420,
      latencyMs: 12,
      ok: true,
    });
    recorder.record({
      type: 'tool_call',
      at: AT,
      iteration: 1,
      name: 'propose_resolution',
      toolUseId: 't2',
      args: { level: 'metadata', argKeys: ['exceptionId', 'note'], size: 80 },
      resultSize: 0,
      latencyMs: 3,
      ok: false,
      code: 'FORBIDDEN',
    });
    recorder.record({
      type: 'guardrail',
      at: AT,
      stage: 'output',
      kind: 'redaction',
      detail: '1 account masked',
    });
    recorder.record({ type: 'limit', at: AT, limit: 'tool_cap', detail: 'get_trade_status over 30 calls' });

    const trace = await recorder.finish({
      answeredBy: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      stoppedBy: 'tool_cap',
    });

    expect(trace).toStrictEqual({
      traceId: 'tr-1',
      sessionId: 'so-session',
      principalId: 'alice',
      question: 'why is T-10042 not matched?',
      startedAt: AT,
      finishedAt: '2026-06-01T12:00:00.100Z',
      steps: [
        {
          kind: 'model',
          at: AT,
          latencyMs: 800,
          iteration: 1,
          modelId: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
          tier: 'strong',
          stopReason: 'tool_use',
          tokens: { inputTokens: 1000, outputTokens: 100, cacheRead: 2000, cacheWrite: 0 },
          estimated: false,
        },
        {
          kind: 'tool',
          at: AT,
          latencyMs: 12,
          iteration: 1,
          name: 'get_trade_status',
          auditLevel: 'full',
          arguments: { tradeId: 'T-10042' },
          outcome: 'ok',
          resultSize: 420,
        },
        {
          kind: 'tool',
          at: AT,
          latencyMs: 3,
          iteration: 1,
          name: 'propose_resolution',
          auditLevel: 'metadata',
          argumentNames: ['exceptionId', 'note'],
          argumentsSize: 80,
          outcome: 'FORBIDDEN',
          resultSize: 0,
        },
        {
          kind: 'guardrail',
          at: AT,
          latencyMs: 0,
          guardrail: 'redaction',
          stage: 'output',
          detail: '1 account masked',
        },
        { kind: 'limit', at: AT, latencyMs: 0, limit: 'tool_cap', detail: 'get_trade_status over 30 calls' },
      ],
      totals: { inputTokens: 1000, outputTokens: 100, cacheRead: 2000, cacheWrite: 0 },
      // 1000×3 + 100×15 + 2000×0.3 = 5100 µ$
      estimatedCostUsd: 0.0051,
      answeredBy: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      stoppedBy: 'tool_cap',
    });
    expect(await store.get('tr-1')).toStrictEqual(trace);
    expect(await store.usage({ kind: 'session', sessionId: 'so-session' })).toStrictEqual({
      invocations: 1,
      inputTokens: 1000,
      outputTokens: 100,
      cacheRead: 2000,
      cacheWrite: 0,
      estimatedCostUsd: 0.0051,
    });
    // Every log line is one JSON object carrying the trace and session ids.
    expect(lines.length).toBe(6);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ traceId: 'tr-1', sessionId: 'so-session' });
    }
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({
      level: 'info',
      msg: 'trace recorded',
      estimatedCostUsd: 0.0051,
    });
  });

  it('writes once even when finished twice, and truncates long questions and arguments', async () => {
    const store = new InMemoryTraceStore();
    const recorder = new TraceRecorder({
      store,
      sessionId: 's',
      principalId: 'p',
      question: 'q'.repeat(2000),
    });
    recorder.record({
      type: 'tool_call',
      at: AT,
      iteration: 1,
      name: 'find_trades',
      toolUseId: 't1',
      args: { level: 'full', args: { isin: 'X'.repeat(5000) } },
      resultSize: 1,
      latencyMs: 1,
      ok: true,
    });
    const first = await recorder.finish({ answeredBy: 'offline-planner' });
    const second = await recorder.finish({ answeredBy: 'other' });
    expect(second).toBe(first);
    expect(first.question.length).toBe(500);
    expect(first.traceId).toMatch(/^tr-[0-9a-f-]{36}$/);
    const step = first.steps[0];
    expect(step?.kind === 'tool' && JSON.stringify(step.arguments).length).toBeLessThan(2100);
    expect((await store.usage({ kind: 'session', sessionId: 's' })).invocations).toBe(1);
  });
});
