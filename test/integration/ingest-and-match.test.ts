import { beforeEach, describe, expect, it } from 'vitest';
import { directoryApprovalGate } from '../../src/identity/approval-gate.ts';
import { verifyEntityAudit } from '../../src/settlement/services/audit-verify.ts';
import { decideReview } from '../../src/settlement/services/decide-review.ts';
import { ingestTrades } from '../../src/settlement/services/ingest-trades.ts';
import { sweepSla } from '../../src/settlement/services/sweep-sla.ts';
import { viewTrade } from '../../src/settlement/services/trade-view.ts';
import { anApprover, directoryOf, enrol } from '../support/directory.ts';
import { createTestTable, type TestTable } from '../support/dynamodb.ts';
import { rowsOf, settlementDeps, TestClock } from '../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

// Trade date 2026-11-24 (US): the affirmation deadline is 21:00 New York = 02:00Z next day.
const MORNING = '2026-11-24T15:00:00.000Z';

// Each test gets its own table: they all trade the same ISIN on the same day, so they would
// otherwise see each other's records as candidates.
let table: TestTable;
beforeEach(async () => {
  table = await createTestTable();
});

function fresh(prefix: string) {
  const clock = new TestClock(MORNING);
  const deps = settlementDeps(table.store, clock);
  let n = 0;
  const id = () => `${prefix}-${++n}`;
  return { clock, deps, id };
}

describe('ingesting a pair of records', () => {
  it('auto-matches identical records, writes one settlement instruction and an audit trail', async () => {
    const { deps, id } = fresh('AUTO');
    const ours = aTrade({ tradeId: id() });
    const theirs = aCounterpartyRecordOf(ours);

    const summary = await ingestTrades(deps, rowsOf(ours, theirs));

    expect(summary).toStrictEqual({
      ingested: 2,
      unchanged: 0,
      amended: 0,
      conflicts: 0,
      matching: {
        NOT_FOUND: 0,
        NOT_OPEN: 1,
        UP_TO_DATE: 0,
        AUTO_MATCHED: 1,
        PENDING_REVIEW: 0,
        EXCEPTION: 0,
        NO_CANDIDATE: 0,
        CONFLICT: 0,
      },
    });
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.trade.status).toBe('MATCHED');
    expect(view?.match?.status).toBe('AUTO_MATCHED');
    expect(view?.match?.confidence).toBe(100);
    expect(view?.counterpart?.tradeId).toBe(theirs.tradeId);
    expect(view?.exceptions).toStrictEqual([]);
    expect(view?.audit.map((a) => a.action)).toStrictEqual(['INGESTED', 'MATCHED']);
    const instruction = await table.store.getInstruction(`SI|${view?.match?.matchId}`);
    expect(instruction).toMatchObject({
      tradeRef: `INTERNAL#${ours.tradeId}`,
      quantity: '1000',
      settlementAmount: '101250.00',
    });
    expect((await verifyEntityAudit(table.store, `INTERNAL#${ours.tradeId}`))?.problems).toStrictEqual([]);
  });

  it('sends a pair in the review band to review with one alert, and matches nothing', async () => {
    const { deps, id } = fresh('REVIEW');
    const ours = aTrade({ tradeId: id(), counterpartyBic: 'DEUTDEFF500' });
    const theirs = aCounterpartyRecordOf(ours, { counterpartyBic: 'DEUTDEFF600' });

    const summary = await ingestTrades(deps, rowsOf(ours, theirs));

    expect(summary.matching.PENDING_REVIEW).toBe(1);
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.trade.status).toBe('PENDING_REVIEW');
    expect(view?.match?.status).toBe('PENDING_REVIEW');
    expect(view?.match?.confidence).toBeGreaterThanOrEqual(85);
    expect(view?.match?.confidence).toBeLessThan(98);
    const outbox = await table.store.listPendingOutbox({ limit: 1000 });
    const alerts = outbox.items.filter((o) => o.entityId === view?.match?.matchId);
    expect(alerts.map((a) => a.kind)).toStrictEqual(['REVIEW_REQUESTED']);
    expect(await table.store.getInstruction(`SI|${view?.match?.matchId}`)).toBeUndefined();
  });

  it.each([
    ['price', 'PRICE', 'DDEA', { price: '102.50' }],
    ['quantity', 'QUANTITY', 'DQUA', { quantity: '900', netAmount: '91125.00' }],
    ['currency', 'CURRENCY', 'NCRR', { currency: 'EUR' }],
    ['settlementDate', 'SETTLEMENT_DATE', 'DDAT', { settlementDate: '2026-11-27' }],
    ['counterpartyBic', 'COUNTERPARTY', 'IEXE', { counterpartyBic: 'BARCGB22' }],
    ['placeOfSettlement', 'PLACE_OF_SETTLEMENT', 'DEPT', { placeOfSettlement: 'MGTCBEBE' }],
    ['netAmount', 'AMOUNT', 'DMON', { netAmount: '102000.00' }],
  ] as const)('raises a %s break as %s with reason code %s', async (field, type, code, override) => {
    const { deps, id } = fresh(`BREAK-${field}`);
    const ours = aTrade({ tradeId: id() });
    const theirs = aCounterpartyRecordOf(ours, override);

    const summary = await ingestTrades(deps, rowsOf(ours, theirs));

    expect(summary.matching.EXCEPTION).toBeGreaterThanOrEqual(1);
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.trade.status).toBe('EXCEPTION');
    const open = view?.exceptions.filter((e) => e.status === 'ESCALATED') ?? [];
    expect(open.map((e) => [e.type, e.reasonCode])).toContainEqual([type, code]);
    const exception = open.find((e) => e.reasonCode === code);
    expect(exception).toMatchObject({
      tradeRef: `INTERNAL#${ours.tradeId}`,
      counterpartyRef: `COUNTERPARTY#${theirs.tradeId}`,
      slaDeadline: '2026-11-25T02:00:00.000Z',
      desk: 'EQ-US',
      tradeDate: '2026-11-24',
    });
    const alerts = (await table.store.listPendingOutbox({ limit: 1000 })).items.filter(
      (o) => o.entityId === `INTERNAL#${ours.tradeId}`,
    );
    expect(alerts.map((a) => a.kind)).toStrictEqual(['EXCEPTIONS_RAISED']);
  });

  it('never auto-matches when two candidates are equally good', async () => {
    const { deps, id } = fresh('AMBIG');
    const ours = aTrade({ tradeId: id() });
    const theirsA = aCounterpartyRecordOf(ours, { tradeId: id() });
    const theirsB = aCounterpartyRecordOf(ours, { tradeId: id() });

    await ingestTrades(deps, rowsOf(theirsA, theirsB));
    const summary = await ingestTrades(deps, rowsOf(ours));

    expect(summary.matching.AUTO_MATCHED).toBe(0);
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.match?.status).toBe('PENDING_REVIEW');
    expect(view?.match?.confidence).toBe(100);
    expect(view?.match?.ambiguousWith).toHaveLength(1);
  });

  // Two bookings equally good for one record (a duplicate booking) must not be settled by whichever
  // arrived first: the record's pair goes to review naming the other booking, in every arrival order.
  for (const order of ['bookings first', 'record first', 'all in one file'] as const) {
    it(`never auto-matches one record to one of two equally good bookings (${order})`, async () => {
      const { deps, id } = fresh('TWIN');
      const a = aTrade({ tradeId: id() });
      const b = aTrade({ tradeId: id() });
      const theirs = aCounterpartyRecordOf(a, { tradeId: id() });
      const files =
        order === 'bookings first'
          ? [rowsOf(a, b), rowsOf(theirs)]
          : order === 'record first'
            ? [rowsOf(theirs), rowsOf(a, b)]
            : [rowsOf(a, theirs, b)];
      let autoMatched = 0;
      for (const file of files) autoMatched += (await ingestTrades(deps, file)).matching.AUTO_MATCHED;

      expect(autoMatched).toBe(0);
      const [va] = await viewTrade(table.store, a.tradeId);
      const [vb] = await viewTrade(table.store, b.tradeId);
      expect(va?.match).toMatchObject({
        status: 'PENDING_REVIEW',
        confidence: 100,
        counterpartyRef: `COUNTERPARTY#${theirs.tradeId}`,
        ambiguousWith: [`INTERNAL#${b.tradeId}`],
      });
      expect(vb?.trade.status).toBe('UNMATCHED');
      expect(await table.store.getInstruction(`SI|${va?.match?.matchId}`)).toBeUndefined();
    });
  }

  it('never auto-matches one booking to one of two equally good records sent together', async () => {
    const { deps, id } = fresh('DUPREC');
    const ours = aTrade({ tradeId: id() });
    await ingestTrades(deps, rowsOf(ours));
    const first = aCounterpartyRecordOf(ours, { tradeId: id() });
    const second = aCounterpartyRecordOf(ours, { tradeId: id() });
    const summary = await ingestTrades(deps, rowsOf(first, second));

    expect(summary.matching.AUTO_MATCHED).toBe(0);
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.match?.status).toBe('PENDING_REVIEW');
    expect(view?.match?.ambiguousWith).toStrictEqual([`COUNTERPARTY#${second.tradeId}`]);
  });

  it('offers the record to the other booking as soon as a reviewer rejects the first, without a false CMIS', async () => {
    const { deps, clock, id } = fresh('TWINREJ');
    const a = aTrade({ tradeId: id() });
    const b = aTrade({ tradeId: id() });
    const theirs = aCounterpartyRecordOf(a, { tradeId: id() });
    await ingestTrades(deps, rowsOf(a, theirs, b));
    const [review] = await viewTrade(table.store, a.tradeId);
    const directory = directoryOf(table);
    await enrol(directory, anApprover('ops-ben', { desks: [a.desk] }));
    const rejected = await decideReview(
      deps,
      { matchId: review?.match?.matchId as string, decision: 'REJECT', principalId: 'ops-ben' },
      directoryApprovalGate(directory),
    );

    // The rejected booking is no rival for that record any more: the record goes to the other one.
    expect(rejected).toMatchObject({ kind: 'DECIDED', rematched: { AUTO_MATCHED: 1, NO_CANDIDATE: 1 } });
    const [vb] = await viewTrade(table.store, b.tradeId);
    expect(vb?.match).toMatchObject({
      status: 'AUTO_MATCHED',
      counterpartyRef: `COUNTERPARTY#${theirs.tradeId}`,
    });
    expect(vb?.match?.ambiguousWith).toBeUndefined();
    // The rejected booking had no breaks against the record: it waits, unmatched, for its own.
    const [va] = await viewTrade(table.store, a.tradeId);
    expect(va?.trade).toMatchObject({ status: 'UNMATCHED', needsMatching: true });
    expect(va?.exceptions).toStrictEqual([]);

    // At the deadline only the booking without a record is missing one.
    clock.set('2026-11-25T02:01:00.000Z');
    expect(await sweepSla(deps)).toMatchObject({ missingCounterparty: 1, matchedAtDeadline: 0 });
    const [late] = await viewTrade(table.store, a.tradeId);
    expect(late?.exceptions.map((e) => e.reasonCode)).toStrictEqual(['CMIS']);
  });

  it('matches a stored but unmatched record at the deadline instead of raising CMIS', async () => {
    const { deps, clock, id } = fresh('LATE');
    const ours = aTrade({ tradeId: id() });
    // An ingest that stopped after storing, before matching (a crash, a failed re-match).
    await expect(
      ingestTrades(deps, rowsOf(ours, aCounterpartyRecordOf(ours)), {
        onProgress: (phase) => {
          if (phase === 'stored') throw new Error('stopped before matching');
        },
      }),
    ).rejects.toThrow('stopped before matching');
    const [stored] = await viewTrade(table.store, ours.tradeId);
    expect(stored?.trade).toMatchObject({ status: 'UNMATCHED', needsMatching: true });

    clock.set('2026-11-25T02:01:00.000Z');
    expect(await sweepSla(deps)).toMatchObject({ missingCounterparty: 0, matchedAtDeadline: 1 });
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.trade.status).toBe('MATCHED');
    expect(view?.exceptions).toStrictEqual([]);
  });

  it('changes nothing when the same file is ingested again', async () => {
    const { deps, clock, id } = fresh('IDEM');
    const ours = aTrade({ tradeId: id() });
    const theirs = aCounterpartyRecordOf(ours, { price: '101.30' });
    await ingestTrades(deps, rowsOf(ours, theirs));
    const before = await viewTrade(table.store, ours.tradeId);
    const outboxBefore = (await table.store.listPendingOutbox({ limit: 1000 })).items.length;

    clock.advanceMinutes(30);
    const again = await ingestTrades(deps, rowsOf(ours, theirs));

    expect(again.ingested + again.amended).toBe(0);
    expect(again.unchanged).toBe(2);
    expect(await viewTrade(table.store, ours.tradeId)).toStrictEqual(before);
    expect((await table.store.listPendingOutbox({ limit: 1000 })).items.length).toBe(outboxBefore);
  });

  it('treats a changed record as an amendment: next version, re-matched, audited', async () => {
    const { deps, clock, id } = fresh('AMEND');
    const ours = aTrade({ tradeId: id() });
    const theirs = aCounterpartyRecordOf(ours, { price: '102.50' });
    await ingestTrades(deps, rowsOf(ours, theirs));
    const [broken] = await viewTrade(table.store, ours.tradeId);
    expect(broken?.trade.status).toBe('EXCEPTION');

    clock.advanceMinutes(10);
    const summary = await ingestTrades(
      deps,
      rowsOf(aCounterpartyRecordOf(ours, { tradeId: theirs.tradeId })),
      {
        actor: 'principal:ops-anna',
      },
    );

    expect(summary).toMatchObject({ ingested: 0, amended: 1, unchanged: 0 });
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.trade.status).toBe('MATCHED');
    expect(view?.counterpart?.version).toBeGreaterThan(1);
    expect(view?.counterpart?.price).toBe('101.25');
    const cpAudit = await table.store.listAudit(`COUNTERPARTY#${theirs.tradeId}`);
    expect(cpAudit.map((a) => a.action)).toContain('AMENDED');
    expect(cpAudit.find((a) => a.action === 'AMENDED')?.actor).toBe('principal:ops-anna');
    expect(view?.exceptions.map((e) => e.status)).not.toContain('ESCALATED');
    expect(view?.exceptions.find((e) => e.reasonCode === 'DDEA')?.resolution?.how).toBeDefined();
  });

  it('supersedes a match when one of its trades is amended and re-matches both', async () => {
    const { deps, id } = fresh('SUPERSEDE');
    const ours = aTrade({ tradeId: id() });
    const theirs = aCounterpartyRecordOf(ours);
    await ingestTrades(deps, rowsOf(ours, theirs));
    const [matched] = await viewTrade(table.store, ours.tradeId);
    const firstMatch = matched?.match?.matchId ?? '';

    await ingestTrades(deps, rowsOf({ ...ours, quantity: '2000', netAmount: '202500.00' }));

    expect((await table.store.getMatch(firstMatch))?.status).toBe('SUPERSEDED');
    const [view] = await viewTrade(table.store, ours.tradeId);
    expect(view?.trade.version).toBeGreaterThan(matched?.trade.version ?? 0);
    expect(view?.trade.status).toBe('EXCEPTION');
    expect(view?.exceptions.filter((e) => e.status === 'ESCALATED').map((e) => e.reasonCode)).toContain(
      'DQUA',
    );
  });

  it('matches a counterparty record that arrives before our booking', async () => {
    const { deps, id } = fresh('EARLY');
    const ours = aTrade({ tradeId: id() });
    await ingestTrades(deps, rowsOf(aCounterpartyRecordOf(ours)));
    const summary = await ingestTrades(deps, rowsOf(ours));
    expect(summary.matching.AUTO_MATCHED).toBe(1);
  });
});
