import { describe, expect, it } from 'vitest';
import { DECLINE_TEXT, OfflinePlanner } from '../../../../src/agents/model/offline-planner.ts';
import type { Message, ModelRequest } from '../../../../src/agents/model/types.ts';
import { TOOL_CATALOG, toolByName, toolSpecs } from '../../../../src/agents/tools/catalog.ts';
import type { ResolvedEntitiesData, ResolvedTrade } from '../../../../src/agents/tools/resolve-entities.ts';

const planner = new OfflinePlanner();
const TODAY = '2026-11-25';

/** What resolve_entities would return; only the named parts are set. */
function entities(part: Partial<ResolvedEntitiesData> = {}): ResolvedEntitiesData {
  return {
    today: TODAY,
    trades: [],
    exceptions: [],
    matches: [],
    isins: [],
    bics: [],
    desks: [],
    accounts: [],
    dates: [],
    unresolved: [],
    ...part,
  };
}

function trade(
  tradeId: string,
  typed = tradeId,
  source: ResolvedTrade['source'] = 'INTERNAL',
): ResolvedTrade {
  return { tradeId, typed, source, desk: 'EQ-UK', status: 'EXCEPTION' };
}

function desk(name: string, timeZone = 'America/New_York', today = TODAY) {
  return { desk: name, timeZone, today };
}

function request(messages: Message[], tools = TOOL_CATALOG): ModelRequest {
  return { system: 'test', messages, tools: toolSpecs(tools), tier: 'fast', maxTokens: 1000 };
}

/** The question, then resolve_entities' call and result, as the loop sends them. */
function resolvedTurn(question: string, found: ResolvedEntitiesData): Message[] {
  return [
    { role: 'user', content: [{ text: question }] },
    {
      role: 'assistant',
      content: [
        { toolUse: { toolUseId: 'offline_1_1', name: 'resolve_entities', input: { text: question } } },
      ],
    },
    {
      role: 'user',
      content: [{ toolResult: { toolUseId: 'offline_1_1', status: 'success', content: [{ json: found }] } }],
    },
  ];
}

async function plan(question: string, found: ResolvedEntitiesData = entities(), tools = TOOL_CATALOG) {
  const res = await planner.converse(request(resolvedTurn(question, found), tools));
  const calls = res.message.content.flatMap((b) =>
    'toolUse' in b ? [{ name: b.toolUse.name, input: b.toolUse.input }] : [],
  );
  for (const c of calls) {
    const tool = toolByName(c.name);
    expect(tool, c.name).toBeDefined();
    expect(tool?.input.safeParse(c.input).success, `${c.name} ${JSON.stringify(c.input)}`).toBe(true);
  }
  const text = res.message.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('\n');
  return { res, calls, text };
}

type Call = { name: string; input: Record<string, unknown> };
const Y = { typed: 'yesterday', date: '2026-11-24' };

const ROUTES: ReadonlyArray<readonly [string, ResolvedEntitiesData, readonly Call[]]> = [
  [
    'status K1-INT',
    entities({ trades: [trade('K1-INT')] }),
    [{ name: 'get_trade_status', input: { tradeId: 'K1-INT' } }],
  ],
  [
    'status of trades h1-int and H2-INT',
    entities({ trades: [trade('H1-INT', 'h1-int'), trade('H2-INT')] }),
    [
      { name: 'get_trade_status', input: { tradeId: 'H1-INT' } },
      { name: 'get_trade_status', input: { tradeId: 'H2-INT' } },
    ],
  ],
  [
    'tell me about k4-int',
    entities({ trades: [trade('K4-INT', 'k4-int')] }),
    [{ name: 'get_trade_status', input: { tradeId: 'K4-INT' } }],
  ],
  [
    "what's wrong with H4-INT",
    entities({ trades: [trade('H4-INT')] }),
    [{ name: 'get_trade_status', input: { tradeId: 'H4-INT' } }],
  ],
  [
    'show me the breaks on H4-INT',
    entities({ trades: [trade('H4-INT')] }),
    [{ name: 'get_trade_status', input: { tradeId: 'H4-INT' } }],
  ],
  [
    'is there a duplicate for H7-INT?',
    entities({ trades: [trade('H7-INT')] }),
    [{ name: 'explain_match', input: { tradeId: 'H7-INT' } }],
  ],
  [
    'compare H3-INT field by field',
    entities({ trades: [trade('H3-INT')] }),
    [{ name: 'explain_match', input: { tradeId: 'H3-INT' } }],
  ],
  [
    'history of k4-int',
    entities({ trades: [trade('K4-INT', 'k4-int')] }),
    [{ name: 'get_audit_trail', input: { tradeId: 'K4-INT' } }],
  ],
  [
    'status of ZZ9-INT',
    entities({ unresolved: ['ZZ9-INT'] }),
    [{ name: 'get_trade_status', input: { tradeId: 'ZZ9-INT' } }],
  ],
  [
    'list SLA breaches for EQ-UK',
    entities({ desks: [desk('EQ-UK', 'Europe/London')] }),
    [{ name: 'list_open_exceptions', input: { desk: 'EQ-UK', slaState: 'BREACHED', limit: 20 } }],
  ],
  [
    'what is at risk',
    entities(),
    [{ name: 'list_open_exceptions', input: { slaState: 'WARNED', limit: 20 } }],
  ],
  ['any px breaks?', entities(), [{ name: 'list_open_exceptions', input: { type: 'PRICE', limit: 20 } }]],
  ['qty mismatches', entities(), [{ name: 'list_open_exceptions', input: { type: 'QUANTITY', limit: 20 } }]],
  [
    'missing confos',
    entities(),
    [{ name: 'list_open_exceptions', input: { type: 'NO_COUNTERPARTY_INSTRUCTION', limit: 20 } }],
  ],
  [
    'show DDEA exceptions',
    entities(),
    [{ name: 'list_open_exceptions', input: { reasonCode: 'DDEA', limit: 20 } }],
  ],
  [
    'exceptions older than 2 hours',
    entities(),
    [{ name: 'list_open_exceptions', input: { minAgeMinutes: 120, limit: 20 } }],
  ],
  [
    'breaks for yesterday',
    entities({ dates: [Y] }),
    [{ name: 'list_open_exceptions', input: { tradeDate: '2026-11-24', limit: 20 } }],
  ],
  ['pending approvals', entities(), [{ name: 'list_pending_reviews', input: { limit: 20 } }]],
  [
    'who approves H3-INT',
    entities({ trades: [trade('H3-INT')] }),
    [{ name: 'get_trade_status', input: { tradeId: 'H3-INT' } }],
  ],
  [
    "today's report",
    entities({ dates: [{ typed: "today's", date: TODAY }] }),
    [{ name: 'settlement_report', input: {} }],
  ],
  [
    "today's report for EQ-UK",
    entities({ desks: [desk('EQ-UK', 'Europe/London', '2026-11-26')] }),
    [{ name: 'settlement_report', input: { tradeDate: '2026-11-26', desk: 'EQ-UK' } }],
  ],
  [
    'stp rate yesterday',
    entities({ dates: [Y] }),
    [{ name: 'settlement_report', input: { tradeDate: '2026-11-24' } }],
  ],
  [
    'trades in US02079K3059',
    entities({ isins: ['US02079K3059'] }),
    // No date: today and the three business days before, in one search.
    [{ name: 'find_trades', input: { lastBusinessDays: 4, limit: 20, isin: 'US02079K3059' } }],
  ],
  [
    // "today" said: that trade date only.
    'trades with cpty gscmus33 today',
    entities({ bics: ['GSCMUS33'], dates: [{ typed: 'today', date: TODAY }] }),
    [{ name: 'find_trades', input: { tradeDate: TODAY, limit: 20, counterpartyBic: 'GSCMUS33' } }],
  ],
  [
    'trades with cpty gscmus33 yesterday',
    entities({ bics: ['GSCMUS33'], dates: [Y] }),
    [{ name: 'find_trades', input: { tradeDate: '2026-11-24', limit: 20, counterpartyBic: 'GSCMUS33' } }],
  ],
  [
    're-run matching for K4-INT',
    entities({ trades: [trade('K4-INT')] }),
    [{ name: 'rerun_matching', input: { tradeId: 'K4-INT' } }],
  ],
  [
    'propose a counterparty amendment for X|INTERNAL#H4-INT|price',
    entities({ exceptions: [{ exceptionId: 'X|INTERNAL#H4-INT|price', tradeId: 'H4-INT', desk: 'EQ-UK' }] }),
    [
      {
        name: 'propose_resolution',
        input: {
          exceptionId: 'X|INTERNAL#H4-INT|price',
          proposal: 'REQUEST_COUNTERPARTY_AMENDMENT',
          note: 'Proposed in chat: propose a counterparty amendment for X|INTERNAL#H4-INT|price',
        },
      },
    ],
  ],
];

describe('the offline planner', () => {
  it('asks resolve_entities first, with the question', async () => {
    const res = await planner.converse(request([{ role: 'user', content: [{ text: 'status H4-INT' }] }]));
    expect(res.stopReason).toBe('tool_use');
    expect(res.message.content.flatMap((b) => ('toolUse' in b ? [b.toolUse] : []))).toStrictEqual([
      { toolUseId: 'offline_1_1', name: 'resolve_entities', input: { text: 'status H4-INT' } },
    ]);
  });

  for (const [question, found, expected] of ROUTES) {
    it(`plans "${question}" as ${expected.map((c) => c.name).join(', ')}`, async () => {
      const { res, calls } = await plan(question, found);
      expect(res.stopReason).toBe('tool_use');
      expect(calls).toStrictEqual(expected);
    });
  }

  it('asks which one is meant when two readings score the same', async () => {
    const { res, text } = await plan('summary of breaks', entities());
    expect(res.stopReason).toBe('end_turn');
    expect(text.split('\n')[0]).toMatch(
      /^Do you mean (open exceptions|the settlement report) or (open exceptions|the settlement report)\?$/,
    );
  });

  it('says what it understood and offers the closest questions when it cannot answer', async () => {
    const { text } = await plan('EQ-UK', entities({ desks: [desk('EQ-UK', 'Europe/London')] }));
    expect(text.split('\n').slice(1)).toStrictEqual([
      'What I understood: desk EQ-UK; it may be about a trade search.',
      'Closest questions I can answer: "trades on EQ-UK yesterday"; "open breaks on EQ-UK"; "settlement report on EQ-UK".',
    ]);
  });

  it('offers questions for the date it understood', async () => {
    const { text } = await plan('what about yesterday', entities({ dates: [Y] }));
    expect(text.split('\n').at(-1)).toBe(
      'Closest questions I can answer: "open breaks for 2026-11-24"; "settlement report for 2026-11-24"; "SLA status for 2026-11-24".',
    );
  });

  it('asks about a tie with an example of each reading', async () => {
    const { text } = await plan('summary of breaks', entities());
    expect(text.split('\n')[1]).toBe('For example: "open breaks" or "settlement report".');
  });

  it('offers questions about the trade it understood', async () => {
    const { text } = await plan('H4-INT to the moon and back', entities({ trades: [trade('H4-INT')] }));
    expect(text).not.toContain('Closest');
    const vague = await plan('hmm', entities({ trades: [trade('H4-INT')] }));
    expect(vague.calls).toStrictEqual([{ name: 'get_trade_status', input: { tradeId: 'H4-INT' } }]);
  });

  it('is labelled as a rule-based planner, not a language model', () => {
    expect(planner.label).toBe('offline-planner');
    expect(planner.isLanguageModel).toBe(false);
    expect(DECLINE_TEXT).toContain('SettleOps offline planner (rule-based, no language model)');
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
    const a = await plan('open price breaks on EQ-US', entities({ desks: [desk('EQ-US')] }));
    const b = await plan('open price breaks on EQ-US', entities({ desks: [desk('EQ-US')] }));
    expect(a.res.message).toStrictEqual(b.res.message);
  });

  it('says so when the tool it needs is not offered', async () => {
    const { text } = await plan(
      'audit trail for T-1',
      entities({ trades: [trade('T-1')] }),
      TOOL_CATALOG.filter((t) => t.name !== 'get_audit_trail'),
    );
    expect(text).toBe(
      "I would need get_audit_trail for that, which is not available in this conversation, so I can't answer it offline.",
    );
  });

  it('states a not-found-or-not-permitted result plainly, as the loop sends it', async () => {
    const messages: Message[] = [
      ...resolvedTurn('status of T-99999', entities({ unresolved: ['T-99999'] })),
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 'offline_2_1', name: 'get_trade_status', input: { tradeId: 'T-99999' } } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'offline_2_1',
              status: 'error',
              content: [
                {
                  json: {
                    error: 'NOT_FOUND_OR_NOT_PERMITTED',
                    message: 'No trade T-99999 that you are permitted to see.',
                  },
                },
              ],
            },
          },
        ],
      },
    ];
    const res = await planner.converse(request(messages));
    expect(res.message.content).toStrictEqual([
      {
        text: 'No trade T-99999 that you are permitted to see.\nSources: resolve_entities, get_trade_status.',
      },
    ]);
  });
});

describe('the offline planner declines', () => {
  for (const question of [
    'write me a poem about settlement',
    'what will the price of AAPL be tomorrow?',
    'delete all trades',
    'nuke trade K1-INT',
    'approve T-10042',
    'reject the match for T-10042',
    'amend the price of T-10042 to 100',
  ]) {
    it(`"${question}" without looking anything up`, async () => {
      const res = await planner.converse(request([{ role: 'user', content: [{ text: question }] }]));
      expect(res.stopReason).toBe('end_turn');
      expect(res.message.content.some((b) => 'toolUse' in b)).toBe(false);
    });
  }

  it('saying that approvals are made by a person on the review message', async () => {
    const res = await planner.converse(request([{ role: 'user', content: [{ text: 'approve T-10042' }] }]));
    const text = res.message.content.flatMap((b) => ('text' in b ? [b.text] : [])).join('');
    expect(text).toContain('Approve/Reject');
    expect(text).toContain('approver role');
  });
});
