import { describe, expect, it } from 'vitest';
import type { AgentResponse } from '../../../../src/agents/index.ts';
import {
  ACTION_IDS,
  answerMessage,
  onboardingMessage,
  ourBlockKitProblems,
  progressMessage,
} from '../../../../src/bot/views/index.ts';
import { buttons, HOSTILE, wire } from '../../../support/slack-views.ts';

function aResponse(overrides: Partial<AgentResponse> = {}): AgentResponse {
  return {
    answer: 'T-10042 is matched (M-1), settling 2026-11-25.',
    records: [{ kind: 'trade', id: 'T-10042' }],
    traceId: 'tr-1',
    answeredBy: 'anthropic.claude',
    ...overrides,
  };
}

describe('answerMessage', () => {
  it('shows the answer, the tools, tokens and cost, and a Why? button carrying the trace id', () => {
    const message = answerMessage({
      response: aResponse(),
      toolsUsed: ['get_trade_status', 'get_match', 'get_trade_status'],
      tokens: { input: 1000, output: 234 },
      costUsd: '0.0042',
      offline: false,
    });
    expect(message).toStrictEqual({
      text: 'T-10042 is matched (M-1), settling 2026-11-25.',
      blocks: [
        {
          type: 'section',
          block_id: 'answer_0',
          text: { type: 'mrkdwn', text: 'T-10042 is matched (M-1), settling 2026-11-25.', verbatim: true },
        },
        {
          type: 'context',
          block_id: 'answer_context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'tools: get_trade_status, get_match · 1,234 tokens · ~$0.0042',
              verbatim: true,
            },
          ],
        },
        {
          type: 'actions',
          block_id: 'answer_actions',
          elements: [
            {
              type: 'button',
              action_id: ACTION_IDS.why,
              text: { type: 'plain_text', text: 'Why?', emoji: true },
              value: 'tr-1',
              accessibility_label: 'Show how this answer was produced (only you will see it)',
            },
          ],
        },
      ],
    });
  });

  it('labels the offline planner and says why a turn stopped early', () => {
    const message = answerMessage({
      response: aResponse({ stoppedBy: 'token_budget' }),
      toolsUsed: [],
      offline: true,
    });
    expect(wire(message.blocks[1])).toContain('offline planner · stopped: token_budget');
  });

  it('has no Why? button when there is no trace', () => {
    const message = answerMessage({ response: aResponse({ traceId: 'none' }), toolsUsed: [], offline: true });
    expect(buttons(message)).toStrictEqual([]);
  });

  it('splits a long answer at paragraph boundaries into sections of at most 3000 characters', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `${String(i)}${'x'.repeat(1199)}`);
    const message = answerMessage({
      response: aResponse({ answer: paragraphs.join('\n\n') }),
      toolsUsed: [],
      offline: true,
    });
    const sections = message.blocks.filter((b) => b.type === 'section').map((b) => wire(b));
    expect(sections).toHaveLength(3);
    expect(sections.map((s) => JSON.parse(s).text.text)).toStrictEqual([
      `${paragraphs[0]}\n\n${paragraphs[1]}`,
      `${paragraphs[2]}\n\n${paragraphs[3]}`,
      `${paragraphs[4]}\n\n${paragraphs[5]}`,
    ]);
  });

  it('keeps a 100,000-character answer within Block Kit’s limits, with nothing lost', () => {
    const answer = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n');
    expect(answer.length).toBeGreaterThan(100_000);
    const message = answerMessage({ response: aResponse({ answer }), toolsUsed: [], offline: true });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    const shown = message.blocks.flatMap((b) =>
      b.type === 'section' && b.text !== undefined ? [b.text.text] : [],
    );
    expect(shown.join('\n')).toBe(answer);
  });

  it('truncates an answer too long for 50 blocks with an explicit note', () => {
    const answer = 'z'.repeat(400_000);
    const message = answerMessage({ response: aResponse({ answer }), toolsUsed: [], offline: true });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(message.blocks).toHaveLength(48);
    expect(wire(message.blocks[45])).toMatch(
      /… \([\d,]+ more characters, ask for the rest or a narrower answer\)/,
    );
  });

  it('escapes mentions and entities in the answer and tool names so nothing pings', () => {
    const message = answerMessage({
      response: aResponse({ answer: HOSTILE, stoppedBy: '<!here>' }),
      toolsUsed: ['<@U123>'],
      offline: false,
    });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    const out = wire(message);
    expect(out).not.toMatch(/<!|<@|<#/);
    expect(out).toContain(
      '&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C999|general&gt; &amp; &lt;b&gt;',
    );
  });

  it('gives every block a fresh id when asked, so an updated message reuses none', () => {
    const a = answerMessage({ response: aResponse(), toolsUsed: [], offline: true, blockIdSuffix: 'v2' });
    expect(a.blocks.map((b) => b.block_id)).toStrictEqual([
      'answer_0.v2',
      'answer_context.v2',
      'answer_actions.v2',
    ]);
  });
});

describe('progressMessage', () => {
  it('is a one-line placeholder naming the step', () => {
    expect(progressMessage('looking up trades')).toStrictEqual({
      text: 'Working on it… looking up trades',
      blocks: [
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: ':hourglass_flowing_sand: Working on it… looking up trades',
              verbatim: true,
            },
          ],
        },
      ],
    });
  });

  it('escapes and shortens the step', () => {
    const message = progressMessage(`${HOSTILE}${'s'.repeat(5000)}`);
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(wire(message)).not.toMatch(/<!|<@/);
  });
});

describe('onboardingMessage', () => {
  it('says who to ask for access, and nothing else', () => {
    expect(onboardingMessage({ adminContact: 'U0ADMIN1' }).text).toBe(
      'You are not set up to use SettleOps yet. Please ask <@U0ADMIN1> to give you access.',
    );
    expect(onboardingMessage().text).toBe(
      'You are not set up to use SettleOps yet. Please ask your SettleOps administrator to give you access.',
    );
  });

  it('shows any other contact as text', () => {
    const message = onboardingMessage({ adminContact: 'ops-admins <!channel>' });
    expect(message.text).toBe(
      'You are not set up to use SettleOps yet. Please ask ops-admins &lt;!channel&gt; to give you access.',
    );
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });
});
