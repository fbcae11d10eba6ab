import type { Trace } from '../../src/agents/index.ts';
import type { MemoryFact } from '../../src/memory/index.ts';
import type { SettlementReport } from '../../src/settlement/index.ts';

/** Data that would ping or break mrkdwn if it reached Slack unescaped. */
export const HOSTILE = '<!channel> <!here> <@U123> <#C999|general> & <b> @channel @everyone *bold*';

/** Everything a message or view would send, as one string (to look for leaks of raw data). */
export function wire(target: unknown): string {
  return JSON.stringify(target);
}

/** Every action_id in a message or view. */
export function actionIds(target: unknown): string[] {
  const ids: string[] = [];
  JSON.stringify(target, (key, value: unknown) => {
    if (key === 'action_id' && typeof value === 'string') ids.push(value);
    return value;
  });
  return ids;
}

/** Every button (`{ text, action_id, value, style }`) in a message. */
export function buttons(
  target: unknown,
): Array<{ text: string; action_id: string; value?: string; style?: string }> {
  const found: Array<{ text: string; action_id: string; value?: string; style?: string }> = [];
  JSON.stringify(target, (_key, value: unknown) => {
    const v = value as {
      type?: unknown;
      text?: { text?: string };
      action_id?: string;
      value?: string;
      style?: string;
    };
    if (v !== null && typeof v === 'object' && v.type === 'button')
      found.push({
        text: v.text?.text ?? '',
        action_id: v.action_id ?? '',
        ...(v.value === undefined ? {} : { value: v.value }),
        ...(v.style === undefined ? {} : { style: v.style }),
      });
    return value;
  });
  return found;
}

/** A one-day report of desk EQ-US. */
export function aReport(overrides: Partial<SettlementReport> = {}): SettlementReport {
  return {
    tradeDate: '2026-11-24',
    dateBasis: 'given',
    desk: 'EQ-US',
    generatedAt: '2026-11-24T22:30:00.000Z',
    trades: { internal: 120, counterparty: 118 },
    matching: { autoMatched: 100, approved: 8, pendingReview: 3, rejected: 1, unmatched: 4, inException: 5 },
    matchRate: '90.0',
    stpRate: '83.3',
    exceptions: {
      open: 5,
      autoResolved: 2,
      resolved: 1,
      openByType: { PRICE: 3, QUANTITY: 1, NO_COUNTERPARTY_INSTRUCTION: 1 },
      openByAge: { under1h: 1, from1hTo4h: 3, over4h: 1 },
    },
    sla: {
      warnings: 1,
      breaches: 2,
      nextDeadlines: [
        { exceptionId: 'X|INTERNAL#T-1|price', deadline: '2026-11-25T02:00:00.000Z', priority: 'P2' },
      ],
    },
    topCounterparties: [
      { bic: 'DEUTDEFF', openBreaks: 3 },
      { bic: 'BARCGB22', openBreaks: 2 },
    ],
    orphans: { count: 0, byAge: { under1h: 0, from1hTo4h: 0, over4h: 0 }, oldest: [] },
    ...overrides,
  };
}

/** A trace of a two-step offline answer. */
export function aTrace(overrides: Partial<Trace> = {}): Trace {
  return {
    traceId: 'tr-1',
    sessionId: 's-1',
    principalId: 'ana',
    question: 'what is the status of T-10042?',
    startedAt: '2026-11-24T15:00:00.000Z',
    finishedAt: '2026-11-24T15:00:00.250Z',
    steps: [
      {
        kind: 'model',
        at: '2026-11-24T15:00:00.000Z',
        latencyMs: 12,
        modelId: 'offline-planner',
        stopReason: 'tool_use',
        tokens: { inputTokens: 1200, outputTokens: 40, cacheRead: 0, cacheWrite: 0 },
        estimated: true,
      },
      {
        kind: 'tool',
        at: '2026-11-24T15:00:00.012Z',
        latencyMs: 30,
        name: 'get_trade_status',
        auditLevel: 'full',
        arguments: { tradeId: 'T-10042' },
        outcome: 'ok',
        resultSize: 512,
      },
    ],
    totals: { inputTokens: 1200, outputTokens: 40, cacheRead: 0, cacheWrite: 0 },
    estimatedCostUsd: 0.0042,
    answeredBy: 'offline-planner',
    ...overrides,
  };
}

/** A preference of principal `ana`, stated on 2026-11-20. */
export function aFact(overrides: Partial<MemoryFact> = {}): MemoryFact {
  return {
    factId: 'f-01JD0000000000000000000000',
    principalId: 'ana',
    category: 'preference',
    text: 'prefers reports for the EQ-US desk',
    source: { sessionId: 's-1', eventId: 'e-1' },
    createdAt: '2026-11-20T15:00:00.000Z',
    updatedAt: '2026-11-20T15:00:00.000Z',
    expiresAt: '2027-11-20T15:00:00.000Z',
    ...overrides,
  };
}
