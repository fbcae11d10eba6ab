import { describe, expect, it } from 'vitest';
import { DECLINE_TEXT, OfflinePlanner } from '../../../../src/agents/model/offline-planner.ts';
import type { Message, ModelRequest } from '../../../../src/agents/model/types.ts';
import { TOOL_CATALOG, toolByName, toolSpecs } from '../../../../src/agents/tools/catalog.ts';

// 21:30 in New York on 2026-11-24 (already the 25th in UTC).
const NOW = new Date('2026-11-25T02:30:00.000Z');
const planner = new OfflinePlanner({ now: () => NOW });

function request(messages: Message[], tools = TOOL_CATALOG): ModelRequest {
  return { system: 'test', messages, tools: toolSpecs(tools), tier: 'fast', maxTokens: 1000 };
}

async function plan(question: string) {
  const res = await planner.converse(request([{ role: 'user', content: [{ text: question }] }]));
  const calls = res.message.content.flatMap((b) =>
    'toolUse' in b ? [{ name: b.toolUse.name, input: b.toolUse.input }] : [],
  );
  for (const c of calls) {
    const tool = toolByName(c.name);
    expect(tool, c.name).toBeDefined();
    expect(tool?.input.safeParse(c.input).success, `${c.name} ${JSON.stringify(c.input)}`).toBe(true);
  }
  return { res, calls };
}

const ROUTES: ReadonlyArray<
  readonly [string, ReadonlyArray<{ name: string; input: Record<string, unknown> }>]
> = [
  ["what's the status of T-10042?", [{ name: 'get_trade_status', input: { tradeId: 'T-10042' } }]],
  [
    'check t-10042 and T-10043',
    [
      { name: 'get_trade_status', input: { tradeId: 'T-10042' } },
      { name: 'get_trade_status', input: { tradeId: 'T-10043' } },
    ],
  ],
  ['where is C-GSCM-000123?', [{ name: 'get_trade_status', input: { tradeId: 'C-GSCM-000123' } }]],
  ['why is T-10042 not matched?', [{ name: 'get_trade_status', input: { tradeId: 'T-10042' } }]],
  [
    'explain the match for T-10042 field by field',
    [{ name: 'explain_match', input: { tradeId: 'T-10042' } }],
  ],
  [
    'explain X|INTERNAL#T-10042|price',
    [{ name: 'explain_exception', input: { exceptionId: 'X|INTERNAL#T-10042|price' } }],
  ],
  [
    'explain M|INTERNAL#T-1@1|COUNTERPARTY#C-GSCM-000001@1',
    [{ name: 'explain_match', input: { matchId: 'M|INTERNAL#T-1@1|COUNTERPARTY#C-GSCM-000001@1' } }],
  ],
  [
    'trades with GSCMUS33 today',
    [{ name: 'find_trades', input: { tradeDate: '2026-11-24', limit: 20, counterpartyBic: 'GSCMUS33' } }],
  ],
  [
    'show trades in US0378331005 on 2026-11-23',
    [{ name: 'find_trades', input: { tradeDate: '2026-11-23', limit: 20, isin: 'US0378331005' } }],
  ],
  [
    'unmatched trades on EQ-US',
    [
      {
        name: 'find_trades',
        input: { status: 'UNMATCHED', desk: 'EQ-US', tradeDate: '2026-11-24', limit: 20 },
      },
    ],
  ],
  ['list open exceptions', [{ name: 'list_open_exceptions', input: { limit: 20 } }]],
  [
    'open price breaks on eq-us',
    [{ name: 'list_open_exceptions', input: { type: 'PRICE', desk: 'EQ-US', limit: 20 } }],
  ],
  ['any quantity mismatches?', [{ name: 'list_open_exceptions', input: { type: 'QUANTITY', limit: 20 } }]],
  ['show DDEA exceptions', [{ name: 'list_open_exceptions', input: { reasonCode: 'DDEA', limit: 20 } }]],
  [
    'missing confirmations',
    [{ name: 'list_open_exceptions', input: { type: 'NO_COUNTERPARTY_INSTRUCTION', limit: 20 } }],
  ],
  [
    'exceptions older than 2 hours',
    [{ name: 'list_open_exceptions', input: { minAgeMinutes: 120, limit: 20 } }],
  ],
  [
    'breaks on FI-RATES over 30 minutes old',
    [{ name: 'list_open_exceptions', input: { desk: 'FI-RATES', minAgeMinutes: 30, limit: 20 } }],
  ],
  [
    'which exceptions have breached?',
    [{ name: 'list_open_exceptions', input: { slaState: 'BREACHED', limit: 20 } }],
  ],
  ["what's at risk of missing SLA today?", [{ name: 'get_sla_status', input: {} }]],
  ['SLA status for EQ-US', [{ name: 'get_sla_status', input: { desk: 'EQ-US' } }]],
  ['pending approvals', [{ name: 'list_pending_reviews', input: { limit: 20 } }]],
  ['what needs review on EQ-EU?', [{ name: 'list_pending_reviews', input: { desk: 'EQ-EU', limit: 20 } }]],
  ["today's settlement report", [{ name: 'settlement_report', input: {} }]],
  ['STP rate yesterday', [{ name: 'settlement_report', input: { tradeDate: '2026-11-23' } }]],
  [
    'report for FI-CREDIT on 2026-11-24',
    [{ name: 'settlement_report', input: { tradeDate: '2026-11-24', desk: 'FI-CREDIT' } }],
  ],
  ['audit trail for T-10042', [{ name: 'get_audit_trail', input: { tradeId: 'T-10042' } }]],
  ['who touched T-10042?', [{ name: 'get_audit_trail', input: { tradeId: 'T-10042' } }]],
  [
    'audit history of X|INTERNAL#T-10042|price',
    [{ name: 'get_audit_trail', input: { entityId: 'X|INTERNAL#T-10042|price' } }],
  ],
  ['rerun matching for T-10042', [{ name: 'rerun_matching', input: { tradeId: 'T-10042' } }]],
  [
    'propose a counterparty amendment for X|INTERNAL#T-10042|price',
    [
      {
        name: 'propose_resolution',
        input: {
          exceptionId: 'X|INTERNAL#T-10042|price',
          proposal: 'REQUEST_COUNTERPARTY_AMENDMENT',
          note: 'Proposed in chat: propose a counterparty amendment for X|INTERNAL#T-10042|price',
        },
      },
    ],
  ],
];

describe('the offline planner routes', () => {
  for (const [question, expected] of ROUTES) {
    it(`"${question}" to ${expected.map((c) => c.name).join(', ')}`, async () => {
      const { res, calls } = await plan(question);
      expect(res.stopReason).toBe('tool_use');
      expect(calls).toStrictEqual(expected);
    });
  }
});

describe('the offline planner declines', () => {
  for (const question of [
    "what's the weather in New York?",
    'write me a poem about settlement',
    'tell me a joke',
    'what will the price of AAPL be tomorrow?',
    'delete all trades',
    'approve T-10042',
    'reject the match for T-10042',
    'amend the price of T-10042 to 100',
  ]) {
    it(`"${question}" without calling a tool`, async () => {
      const { res, calls } = await plan(question);
      expect(calls).toStrictEqual([]);
      expect(res.stopReason).toBe('end_turn');
      expect(res.message.content).toHaveLength(1);
    });
  }

  it('saying it is not a language model and what it can do', async () => {
    const { res } = await plan('what is the meaning of life?');
    expect(res.message.content).toStrictEqual([{ text: DECLINE_TEXT }]);
    expect(DECLINE_TEXT).toContain('SettleOps offline planner (rule-based, no language model)');
    expect(DECLINE_TEXT).toContain('status of T-10042');
  });

  it('that approvals are made by a person on the review message', async () => {
    const { res } = await plan('approve T-10042');
    const text = res.message.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('');
    expect(text).toContain('Approve/Reject');
    expect(text).toContain('approver role');
  });

  it('when the tool it needs is not offered', async () => {
    const res = await planner.converse(
      request(
        [{ role: 'user', content: [{ text: 'audit trail for T-1' }] }],
        TOOL_CATALOG.filter((t) => t.name !== 'get_audit_trail'),
      ),
    );
    expect(res.stopReason).toBe('end_turn');
    expect(res.message.content).toStrictEqual([
      {
        text: "I would need get_audit_trail for that, which is not available in this conversation, so I can't answer it offline.",
      },
    ]);
  });
});

describe('the offline planner', () => {
  it('is labelled as a rule-based planner, not a language model', () => {
    expect(planner.label).toBe('offline-planner');
    expect(planner.isLanguageModel).toBe(false);
  });

  it('estimates usage at four characters a token', async () => {
    const req = request([{ role: 'user', content: [{ text: 'pending approvals' }] }]);
    const res = await planner.converse(req);
    const input = req.system.length + JSON.stringify(req.tools).length + JSON.stringify(req.messages).length;
    expect(res.usage).toStrictEqual({
      inputTokens: Math.ceil(input / 4),
      outputTokens: Math.ceil(JSON.stringify(res.message.content).length / 4),
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
      estimated: true,
    });
    expect(res.modelId).toBe('offline-planner');
  });

  it('answers the same question the same way', async () => {
    const a = await plan('open price breaks on EQ-US');
    const b = await plan('open price breaks on EQ-US');
    expect(a.res.message).toStrictEqual(b.res.message);
  });

  it('states a not-found-or-not-permitted result plainly, with nothing invented', async () => {
    const res = await planner.converse(
      request([
        { role: 'user', content: [{ text: 'status of T-99999' }] },
        {
          role: 'assistant',
          content: [
            {
              toolUse: { toolUseId: 'offline_1_1', name: 'get_trade_status', input: { tradeId: 'T-99999' } },
            },
          ],
        },
        {
          role: 'user',
          content: [
            {
              toolResult: {
                toolUseId: 'offline_1_1',
                status: 'error',
                content: [
                  {
                    json: {
                      ok: false,
                      code: 'NOT_FOUND_OR_NOT_PERMITTED',
                      message: 'No trade T-99999 that you are permitted to see.',
                    },
                  },
                ],
              },
            },
          ],
        },
      ]),
    );
    expect(res.stopReason).toBe('end_turn');
    expect(res.message.content).toStrictEqual([
      { text: 'No trade T-99999 that you are permitted to see.\nSources: get_trade_status.' },
    ]);
  });
});
