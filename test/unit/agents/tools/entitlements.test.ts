import { describe, expect, it } from 'vitest';
import { TOOL_CATALOG } from '../../../../src/agents/tools/catalog.ts';
import { deskScope, maskAccount, maskAccountsIn } from '../../../../src/agents/tools/entitlements.ts';
import { newYorkDate } from '../../../../src/agents/tools/time.ts';
import type { ToolContext } from '../../../../src/agents/tools/tool.ts';
import type { Principal } from '../../../../src/identity/index.ts';
import type { SettlementDeps } from '../../../../src/settlement/services/deps.ts';

const viewer: Principal = {
  principalId: 'v',
  roles: ['viewer'],
  desks: ['EQ-EU'],
  accounts: ['EQEU-CORE-01'],
};

/** Settlement deps whose every use fails the test: the checks below must happen before any read. */
const untouchable = new Proxy(
  {},
  {
    get(_target, prop) {
      throw new Error(`settlement deps used: ${String(prop)}`);
    },
  },
) as SettlementDeps;

function ctx(principal: Principal): ToolContext {
  return { principal, settlement: untouchable, sessionId: 's', traceId: 't' };
}

describe('account masking', () => {
  it('shows an entitled account in full and others to their last four characters', () => {
    expect(maskAccount('EQEU-CORE-01', viewer)).toBe('EQEU-CORE-01');
    expect(maskAccount('ACC-1234567890', viewer)).toBe('****7890');
    expect(maskAccount('EQUS-PB-04', { accounts: [] })).toBe('****B-04');
  });

  it('masks short account numbers entirely', () => {
    expect(maskAccount('ACC-7', { accounts: [] })).toBe('****');
    expect(maskAccount('1234567', { accounts: [] })).toBe('****');
  });

  it('shows every account to a principal entitled to all', () => {
    expect(maskAccount('ACC-1234567890', { accounts: '*' })).toBe('ACC-1234567890');
  });

  it('masks account fields nested in free-form details', () => {
    expect(
      maskAccountsIn(
        { input: { account: 'ACC-1234567890', desk: 'EQ-US' }, list: [{ account: 'X' }] },
        { accounts: [] },
      ),
    ).toStrictEqual({ input: { account: '****7890', desk: 'EQ-US' }, list: [{ account: '****' }] });
  });
});

describe('desk scope', () => {
  it('is every desk for "*", the permitted desks otherwise, and none for a desk outside them', () => {
    expect(deskScope({ desks: '*' }, undefined)).toStrictEqual({ kind: 'all' });
    expect(deskScope({ desks: ['FI-RATES', 'EQ-EU'] }, undefined)).toStrictEqual({
      kind: 'desks',
      desks: ['EQ-EU', 'FI-RATES'],
    });
    expect(deskScope({ desks: ['EQ-EU'] }, 'EQ-US')).toStrictEqual({ kind: 'desks', desks: [] });
  });
});

describe('tool guards', () => {
  it('refuse a tool whose role the principal lacks before reading anything', async () => {
    const rerun = TOOL_CATALOG.find((t) => t.name === 'rerun_matching');
    expect(await rerun?.run({ tradeId: 'T-1' }, ctx(viewer))).toStrictEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'rerun_matching needs the approver role, which you do not hold.',
    });
  });

  it('refuse invalid input with the field named, before reading anything', async () => {
    const find = TOOL_CATALOG.find((t) => t.name === 'find_trades');
    const none = await find?.run({}, ctx(viewer));
    expect(none).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(none?.ok === false && none.message).toContain('at least one filter');
    const badIsin = await find?.run({ isin: 'US0378331006' }, ctx(viewer));
    expect(badIsin?.ok === false && badIsin.message).toContain('isin');
    const status = TOOL_CATALOG.find((t) => t.name === 'get_trade_status');
    expect(await status?.run({ tradeId: 'T-1', extra: 1 }, ctx(viewer))).toMatchObject({
      code: 'INVALID_INPUT',
    });
    const limit = TOOL_CATALOG.find((t) => t.name === 'list_pending_reviews');
    expect(await limit?.run({ limit: 51 }, ctx(viewer))).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('today', () => {
  it('is the New York date, not the UTC one', () => {
    expect(newYorkDate(new Date('2026-11-25T02:30:00.000Z'))).toBe('2026-11-24');
    expect(newYorkDate(new Date('2026-11-25T05:00:00.000Z'))).toBe('2026-11-25');
  });
});
