import { describe, expect, it } from 'vitest';
import { canApprove } from '../../../src/identity/can-approve.ts';
import type { Principal, Role } from '../../../src/identity/index.ts';
import { makersAfterChange, makersOf } from '../../../src/settlement/makers.ts';
import { aMatch, aStoredTrade } from '../../support/settlement-records.ts';

function aPrincipal(roles: Role[], desks: Principal['desks']): Principal {
  return { principalId: 'ops-ben', roles, desks, accounts: [] };
}

const match = aMatch({ desk: 'EQ-US' });
const tradesMadeBy = (maker: string | undefined) => [
  aStoredTrade({ makers: maker === undefined ? [] : [maker] }),
  aStoredTrade({ tradeId: 'C-T-10042', source: 'COUNTERPARTY', side: 'SELL', makers: [] }),
];

type Row = [role: Role, desks: Principal['desks'], maker: string | undefined, expected: string];

/** role × desk held × who made the trades → the answer (`ok` or the refusal). */
const TABLE: Row[] = [
  ['viewer', ['EQ-US'], undefined, 'NOT_APPROVER'],
  ['viewer', '*', 'ops-ben', 'NOT_APPROVER'],
  ['approver', ['EQ-US'], undefined, 'ok'],
  ['approver', ['EQ-US'], 'ops-carla', 'ok'],
  ['approver', ['EQ-US'], 'ops-ben', 'MAKER'],
  ['approver', ['EQ-US'], 'OPS-BEN', 'MAKER'],
  ['approver', ['FX'], undefined, 'DESK_NOT_HELD'],
  ['approver', [], 'ops-carla', 'DESK_NOT_HELD'],
  ['approver', '*', undefined, 'ok'],
  ['approver', '*', 'ops-ben', 'MAKER'],
  ['admin', '*', undefined, 'ok'],
  ['admin', ['EQ-US'], 'ops-ben', 'MAKER'],
  ['admin', ['FX'], undefined, 'DESK_NOT_HELD'],
];

describe('canApprove', () => {
  it.each(TABLE)('%s of %j, trades made by %s → %s', (role, desks, maker, expected) => {
    const check = canApprove(aPrincipal([role], desks), match, tradesMadeBy(maker));
    expect(check.ok ? 'ok' : check.reason).toBe(expected);
  });

  it('says why, naming the trade a maker made', () => {
    expect(canApprove(aPrincipal(['approver'], ['EQ-US']), match, tradesMadeBy('ops-ben'))).toStrictEqual({
      ok: false,
      reason: 'MAKER',
      message: 'ops-ben booked or changed INTERNAL#T-10042 (four eyes)',
    });
  });

  it("holds the counterparty record's desk to the same rule", () => {
    const trades = [aStoredTrade(), aStoredTrade({ tradeId: 'C-1', source: 'COUNTERPARTY', desk: 'FX' })];
    expect(canApprove(aPrincipal(['approver'], ['EQ-US']), match, trades)).toStrictEqual({
      ok: false,
      reason: 'DESK_NOT_HELD',
      message: 'ops-ben does not hold desk FX',
    });
  });
});

describe('makers', () => {
  it('falls back to the principal of lastChangedBy for trades stored before makers were kept', () => {
    expect(makersOf({ lastChangedBy: 'principal:alice' })).toStrictEqual(['alice']);
    expect(makersOf({ lastChangedBy: 'system:ingest' })).toStrictEqual([]);
  });

  it('adds the changer of an economic field, and nobody for a note-only change', () => {
    const booked = { makers: ['alice'], lastChangedBy: 'principal:alice' };
    expect(makersAfterChange(booked, 'principal:bob', ['note'])).toStrictEqual(['alice']);
    expect(makersAfterChange(booked, 'principal:bob', ['price', 'note'])).toStrictEqual(['alice', 'bob']);
    expect(makersAfterChange(booked, 'system:ingest', ['price'])).toStrictEqual(['alice']);
  });
});
