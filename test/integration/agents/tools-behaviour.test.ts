import { beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRequest } from '../../../src/agents/tools/propose-resolution.ts';
import type { FindTradesData } from '../../../src/agents/tools/trade-tools.ts';
import type { Principal } from '../../../src/identity/index.ts';
import { isOpen } from '../../../src/settlement/services/exception-sync.ts';
import { runTool, SEEDED_DATE, type SeededDay, seedDay, toolContext } from '../../support/offline-driver.ts';

const viewer: Principal = { principalId: 'ops-1', roles: ['viewer'], desks: '*', accounts: [] };
let seeded: SeededDay;

beforeAll(async () => {
  seeded = await seedDay({ trades: 200, seed: 11 });
});

describe('the tools over a seeded day', () => {
  it('take "today" as the New York date when the UTC date has already moved on', async () => {
    expect(seeded.clock.now().toISOString().slice(0, 10)).not.toBe(SEEDED_DATE);
    const out = await runTool(
      'find_trades',
      { status: 'MATCHED', limit: 1 },
      toolContext(seeded.deps, viewer),
    );
    expect(out.ok && (out.data as FindTradesData).tradeDate).toBe(SEEDED_DATE);
    expect(out.ok && (out.data as FindTradesData).total).toBeGreaterThan(0);
  });

  it('mask accounts the asker is not entitled to', async () => {
    const t = (await seeded.table.store.listDay(SEEDED_DATE)).trades[0];
    if (t === undefined) throw new Error('no trades');
    const out = await runTool('get_trade_status', { tradeId: t.tradeId }, toolContext(seeded.deps, viewer));
    const text = JSON.stringify(out);
    expect(text).not.toContain(t.account);
    expect(text).toContain(`****${t.account.slice(-4)}`);
  });

  it('propose a resolution as an approval request without changing anything', async () => {
    const { store } = seeded.table;
    const e = (await store.listDay(SEEDED_DATE)).exceptions.find(isOpen);
    if (e === undefined) throw new Error('no open exception');
    const before = {
      exception: await store.getException(e.exceptionId),
      audit: await store.listAudit(e.exceptionId),
    };
    const outbox = (await store.listPendingOutbox({ limit: 1000 })).items.length;
    const input = {
      exceptionId: e.exceptionId,
      proposal: 'ESCALATE_TO_DESK',
      note: 'Counterparty unreachable.',
    };
    const first = await runTool('propose_resolution', input, toolContext(seeded.deps, viewer));
    const again = await runTool('propose_resolution', input, toolContext(seeded.deps, viewer));
    expect(again).toStrictEqual(first);
    expect(first.ok).toBe(true);
    if (first.ok) {
      const request = first.data as ApprovalRequest;
      expect(request.kind).toBe('APPROVAL_REQUEST');
      expect(request.status).toBe('AWAITING_HUMAN_APPROVAL');
      expect(request.requestedBy).toBe('principal:ops-1');
      expect(request.what.exceptionId).toBe(e.exceptionId);
      expect(request.why).toBe('Counterparty unreachable.');
    }
    expect(await store.getException(e.exceptionId)).toStrictEqual(before.exception);
    expect(await store.listAudit(e.exceptionId)).toStrictEqual(before.audit);
    expect((await store.listPendingOutbox({ limit: 1000 })).items.length).toBe(outbox);
  });

  it('re-run matching only for an approver, through the matching service', async () => {
    const t = (await seeded.table.store.listDay(SEEDED_DATE)).trades.find(
      (x) => x.source === 'INTERNAL' && x.status === 'EXCEPTION',
    );
    if (t === undefined) throw new Error('no break');
    expect(
      await runTool('rerun_matching', { tradeId: t.tradeId }, toolContext(seeded.deps, viewer)),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    const approver: Principal = { ...viewer, roles: ['approver'] };
    const out = await runTool('rerun_matching', { tradeId: t.tradeId }, toolContext(seeded.deps, approver));
    expect(out).toMatchObject({ ok: true, data: { tradeId: t.tradeId, outcome: 'EXCEPTION' } });
  });

  it('verify the audit chain of a trade', async () => {
    const t = (await seeded.table.store.listDay(SEEDED_DATE)).trades[0];
    if (t === undefined) throw new Error('no trades');
    const out = await runTool('get_audit_trail', { tradeId: t.tradeId }, toolContext(seeded.deps, viewer));
    expect(out).toMatchObject({
      ok: true,
      data: {
        trails: [{ entityId: `${t.source}#${t.tradeId}`, verification: { intact: true, problems: [] } }],
      },
    });
  });
});
