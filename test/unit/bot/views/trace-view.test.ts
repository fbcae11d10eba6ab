import { describe, expect, it } from 'vitest';
import { ourBlockKitProblems, whyMessage } from '../../../../src/bot/views/index.ts';
import { aTrace, buttons, HOSTILE, wire } from '../../../support/slack-views.ts';

describe('whyMessage', () => {
  it('lists the steps with model or tool, name and latency, then tokens, cost and who answered', () => {
    const message = whyMessage({ trace: aTrace() });
    expect(message).toStrictEqual({
      text: 'How this answer was produced: 2 steps, answered by offline-planner',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*How this answer was produced* — answered by `offline-planner` in 250 ms\n_Question:_ what is the status of T-10042?',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              '1. model `offline-planner` → tool_use · 1,200 in / 40 out (estimated) · 12 ms\n' +
              '2. tool `get_trade_status` → ok · 30 ms',
            verbatim: true,
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '1,200 in · 40 out · 0 cache read · 0 cache write · ~$0.0042 · trace tr-1',
              verbatim: true,
            },
          ],
        },
      ],
    });
    expect(buttons(message)).toStrictEqual([]);
  });

  it('shows guardrails, limits and an early stop', () => {
    const trace = aTrace({
      stoppedBy: 'token_budget',
      steps: [
        {
          kind: 'guardrail',
          at: '2026-11-24T15:00:00.000Z',
          latencyMs: 1,
          guardrail: 'redaction',
          stage: 'output',
          detail: 'an IBAN was redacted',
        },
        {
          kind: 'limit',
          at: '2026-11-24T15:00:00.000Z',
          latencyMs: 0,
          limit: 'token_budget',
          detail: '40,000 used',
        },
      ],
    });
    const out = wire(whyMessage({ trace }));
    expect(out).toContain('· stopped: token_budget');
    expect(out).toContain(
      '1. guardrail redaction on output: an IBAN was redacted\\n2. limit token_budget: 40,000 used',
    );
  });

  it('stays compact and within the limits for 500 hostile steps', () => {
    const steps = Array.from({ length: 500 }, (_, i) => ({
      kind: 'tool' as const,
      at: '2026-11-24T15:00:00.000Z',
      latencyMs: i,
      name: `${HOSTILE}${'n'.repeat(2000)}`,
      auditLevel: 'full' as const,
      outcome: HOSTILE,
      resultSize: 1,
    }));
    const message = whyMessage({
      trace: aTrace({ steps, question: `${HOSTILE}${'q'.repeat(5000)}`, answeredBy: HOSTILE }),
    });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(wire(message)).not.toMatch(/<!|<@|<#/);
    expect(wire(message)).toContain('… (460 more steps, ask for the full list: `settleops trace tr-1`)');
  });
});
