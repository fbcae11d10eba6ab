import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, sealAuditRecord } from '../../../src/settlement/audit-chain.ts';
import { describeDifferences, stateDifferences } from '../../../src/settlement/audit-state.ts';
import type { AuditRecord } from '../../../src/settlement/model.ts';
import { aMatch, aStoredTrade } from '../../support/settlement-records.ts';
import { aTrade } from '../../support/trade-factory.ts';

const AT = '2026-11-24T15:00:00.000Z';

function trail(...entries: Array<Pick<AuditRecord, 'action' | 'actor' | 'details'>>): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (const [i, e] of entries.entries())
    out.push(sealAuditRecord(out.at(-1)?.hash ?? GENESIS_HASH, { entityId: 'X', seq: i + 1, at: AT, ...e }));
  return out;
}

describe('stateDifferences', () => {
  const booked = trail(
    { action: 'INGESTED', actor: 'principal:ann', details: { ...aTrade() } },
    { action: 'AMENDED', actor: 'principal:carl', details: { changed: ['price'], price: '101.30' } },
  );

  it('replays a trade from its booking and amendments and finds nothing when it agrees', () => {
    const trade = aStoredTrade({ price: '101.30', lastChangedBy: 'principal:carl', version: 2 });
    expect(stateDifferences({ entityKind: 'trade', entity: trade }, booked, 2)).toStrictEqual([]);
  });

  it('names the trade fields that differ from the trail, with both values', () => {
    const trade = aStoredTrade({ price: '99.00', account: 'ACC-666', lastChangedBy: 'principal:carl' });
    const differences = stateDifferences({ entityKind: 'trade', entity: trade }, booked, 2);

    expect(differences).toStrictEqual([
      { field: 'price', stored: '99.00', audited: '101.30' },
      { field: 'account', stored: 'ACC-666', audited: 'ACC-7' },
    ]);
    expect(describeDifferences(differences)).toBe(
      'price is "99.00" (the audit trail says "101.30"), account is "ACC-666" (the audit trail says "ACC-7")',
    );
  });

  it('names a decider who is not the one the trail shows decided', () => {
    const decided = trail(
      {
        action: 'REVIEW_REQUESTED',
        actor: 'system:matcher',
        details: { confidence: 90, internal: 'INTERNAL#T-10042', counterparty: 'COUNTERPARTY#C-T-10042' },
      },
      { action: 'APPROVED', actor: 'principal:ben', details: { confidence: 90 } },
    );
    const match = aMatch({ status: 'APPROVED', confidence: 90, decision: { by: 'principal:zed', at: AT } });
    const differences = stateDifferences({ entityKind: 'match', entity: match }, decided, 2);

    expect(differences.map((d) => d.field)).toStrictEqual(['decision.by']);
  });
});
