import { createHash } from 'node:crypto';
import { actorProblem, InvalidActorError } from '../actor.ts';
import { canonicalJson } from '../audit-chain.ts';
import { marketOfPlaceOfSettlement } from '../calendar.ts';
import { makersAfterChange, makersOfBooking } from '../makers.ts';
import type { Match, Trade, TradeInput } from '../model.ts';
import { type AuditEntry, ChangeSet, type Unsealed } from '../store/change-set.ts';
import { inParallel } from './concurrency.ts';
import { MAX_ATTEMPTS, nowIso, type SettlementDeps, SYSTEM } from './deps.ts';
import { exceptionsOfTrade, syncExceptions } from './exception-sync.ts';
import { endInstruction, liveInstructionOf } from './instruction-lifecycle.ts';
import { type MatchTally, matchMany, tradeRefOf } from './match-trade.ts';

export interface IngestRow {
  /** Where the row came from (file line or record number), for reporting. */
  readonly line: number;
  readonly input: TradeInput;
}

export type RowResult = 'INGESTED' | 'UNCHANGED' | 'AMENDED' | 'CONFLICT';

export interface IngestSummary {
  readonly ingested: number;
  readonly unchanged: number;
  readonly amended: number;
  /** Rows that could not be written after retries (concurrent writers); re-running finishes them. */
  readonly conflicts: number;
  readonly matching: Readonly<MatchTally>;
}

/** 49 trades, 49 trade-index entries and one receipt: 99 of a transaction's 100 items. */
const MAX_BATCH = 49;

export interface IngestOptions {
  /** `principal:…` or `system:…`: recorded as who booked or amended the trades (four eyes). */
  readonly actor?: string;
  /**
   * Trades written per transaction, at most 49: each trade is two items (the trade and its trade-index
   * entry), plus one receipt holding their audit records, within DynamoDB's 100 per transaction.
   */
  readonly batchSize?: number;
  /** Concurrent matching tasks. */
  readonly concurrency?: number;
  /** Rows stored so far (`stored`), then trades decided by matching (`matched`). */
  readonly onProgress?: (phase: 'stored' | 'matched', done: number, total: number) => void;
}

/** SHA-256 of a trade's received content: the same content is a re-delivery, different content an amendment. */
export function contentHash(input: TradeInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/**
 * Stores trades and matches them. Idempotent: re-ingesting the same rows changes nothing, and
 * re-running after a crash finishes whatever the crash interrupted (trades are stored with
 * `needsMatching` set in the same transaction as their audit record; matching clears it).
 */
export async function ingestTrades(
  deps: SettlementDeps,
  rows: readonly IngestRow[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const actor = options.actor ?? SYSTEM.ingest;
  // Fail closed before anything is written: a malformed actor would make every trade's audit
  // record fail its own schema (unreadable trades, `audit verify` crying tamper).
  const problem = actorProblem(actor);
  if (problem !== undefined) throw new InvalidActorError(actor, problem);
  const batchSize = Math.max(1, Math.min(MAX_BATCH, options.batchSize ?? MAX_BATCH));
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const counts = { ingested: 0, unchanged: 0, amended: 0, conflicts: 0 };
  const toMatch = new Set<string>();
  const written: Trade[] = [];

  const batches: IngestRow[][] = [];
  for (let i = 0; i < rows.length; i += batchSize) batches.push(rows.slice(i, i + batchSize));
  let done = 0;
  /** Creates rows in one transaction; false when one of them exists already (nothing written). */
  const createAll = async (toCreate: readonly IngestRow[]): Promise<boolean> => {
    const cs = new ChangeSet();
    const trades = cs.createTrades(toCreate.map((row) => newTrade(deps, row.input, actor)));
    if (!(await deps.store.commit(cs)).ok) return false;
    counts.ingested += trades.length;
    written.push(...trades);
    for (const t of trades) toMatch.add(tradeRefOf(t));
    return true;
  };
  // New trades are created optimistically, without reading first: one round trip per batch for a
  // new file. Once a batch meets trades that exist (a re-delivery, amendments), read first.
  let optimistic = true;
  await inParallel(batches, concurrency, async (batch) => {
    if (!optimistic || !(await createAll(batch))) {
      optimistic = false;
      const existing = new Map(
        (await deps.store.getTrades(batch.map((r) => tradeRefOf(r.input)))).map((t) => [tradeRefOf(t), t]),
      );
      const fresh: IngestRow[] = [];
      for (const row of batch) {
        const current = existing.get(tradeRefOf(row.input));
        if (current === undefined) {
          fresh.push(row);
        } else if (current.contentHash === contentHash(row.input)) {
          counts.unchanged++;
          if (current.needsMatching) toMatch.add(tradeRefOf(current));
        } else {
          const amended = await amendTrade(deps, row.input, actor);
          count(counts, amended.result);
          for (const ref of amended.rematch) toMatch.add(ref);
        }
      }
      if (fresh.length > 0 && !(await createAll(fresh))) {
        // Someone wrote one of these trades meanwhile: settle each row on its own.
        for (const row of fresh) {
          const result = await upsertOne(deps, row.input, actor);
          count(counts, result);
          if (result !== 'CONFLICT') toMatch.add(tradeRefOf(row.input));
        }
      }
    }
    done += batch.length;
    options.onProgress?.('stored', done, rows.length);
  });

  // Match in file order, so the outcome does not depend on how the batches interleaved.
  const order = new Set(rows.map((r) => tradeRefOf(r.input)).filter((ref) => toMatch.has(ref)));
  for (const ref of toMatch) order.add(ref);
  const matching = await matchMany(deps, [...order], {
    known: written,
    concurrency,
    ...(options.onProgress === undefined
      ? {}
      : { onProgress: (n: number, total: number) => options.onProgress?.('matched', n, total) }),
  });
  return { ...counts, matching };
}

function count(
  counts: { ingested: number; unchanged: number; amended: number; conflicts: number },
  r: RowResult,
) {
  if (r === 'INGESTED') counts.ingested++;
  else if (r === 'UNCHANGED') counts.unchanged++;
  else if (r === 'AMENDED') counts.amended++;
  else counts.conflicts++;
}

async function upsertOne(deps: SettlementDeps, input: TradeInput, actor: string): Promise<RowResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.getTrade(tradeRefOf(input));
    if (current !== undefined) {
      return current.contentHash === contentHash(input)
        ? 'UNCHANGED'
        : (await amendTrade(deps, input, actor)).result;
    }
    const cs = new ChangeSet();
    const { trade, audit } = newTrade(deps, input, actor);
    cs.create('trade', trade, audit);
    if ((await deps.store.commit(cs)).ok) return 'INGESTED';
  }
  return 'CONFLICT';
}

function newTrade(
  deps: SettlementDeps,
  input: TradeInput,
  actor: string,
): { trade: Unsealed<Trade>; audit: AuditEntry } {
  const at = nowIso(deps);
  const { matchDeadline, dateWarnings } = datesOf(deps, input);
  const trade: Unsealed<Trade> = {
    ...input,
    status: 'UNMATCHED',
    contentHash: contentHash(input),
    matchDeadline,
    ...(dateWarnings.length > 0 ? { dateWarnings } : {}),
    createdAt: at,
    updatedAt: at,
    lastChangedBy: actor,
    makers: makersOfBooking(actor),
    needsMatching: true,
    hasExceptions: false,
  };
  const details = dateWarnings.length > 0 ? { ...input, dateWarnings } : { ...input };
  return { trade, audit: { action: 'INGESTED', actor, details, at } };
}

/**
 * The matching deadline and the settlement-date warnings (closed day, off the standard cycle) of a
 * trade as received: the warnings are kept on the trade, and an agreed pair carrying one is reviewed.
 */
function datesOf(
  deps: Pick<SettlementDeps, 'sla'>,
  input: TradeInput,
): { matchDeadline: string; dateWarnings: string[] } {
  const check = deps.sla.checkSettlementDate(input);
  const market = marketOfPlaceOfSettlement(input.placeOfSettlement);
  return { matchDeadline: deps.sla.matchDeadline(input, market, check), dateWarnings: check.warnings };
}

/**
 * An existing trade received with different content: the new content becomes the next version and
 * is matched again. A match it was part of no longer stands (SUPERSEDED, its partner reopened), and
 * exceptions raised on the old content are resolved as `amended`.
 */
export async function amendTrade(
  deps: SettlementDeps,
  input: TradeInput,
  actor: string,
): Promise<{ result: RowResult; rematch: string[] }> {
  const ref = tradeRefOf(input);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.getTrade(ref);
    if (current === undefined) {
      const result = await upsertOne(deps, input, actor);
      return { result, rematch: result === 'CONFLICT' ? [] : [ref] };
    }
    if (current.contentHash === contentHash(input)) return { result: 'UNCHANGED', rematch: [] };
    const at = nowIso(deps);
    const cs = new ChangeSet();
    const changed = Object.keys(input).filter(
      (k) => (input as Record<string, unknown>)[k] !== (current as Record<string, unknown>)[k],
    );
    const {
      matchId: _oldMatch,
      instructionId: _oldInstruction,
      rejectedCandidates: _rejected,
      netAmount: _oldNet,
      note: _oldNote,
      instrumentClass: _oldClass,
      dateWarnings: _oldWarnings,
      ...kept
    } = current;
    const makers = makersAfterChange(current, actor, changed);
    const makersChanged = makers.join('\n') !== (current.makers ?? []).join('\n');
    const { matchDeadline, dateWarnings } = datesOf(deps, input);
    cs.update(
      'trade',
      current,
      {
        ...kept,
        ...input,
        status: 'UNMATCHED',
        contentHash: contentHash(input),
        matchDeadline,
        ...(dateWarnings.length > 0 ? { dateWarnings } : {}),
        // A repaired trade is never counted as straight-through, whatever matches it later.
        repairedBy: current.repairedBy ?? actor,
        updatedAt: at,
        lastChangedBy: actor,
        makers,
        needsMatching: true,
      },
      {
        action: 'AMENDED',
        actor,
        details: {
          changed,
          ...Object.fromEntries(changed.map((k) => [k, (input as Record<string, unknown>)[k]])),
          ...(makersChanged ? { makers } : {}),
          ...(dateWarnings.length > 0 ? { dateWarnings } : {}),
        },
        at,
      },
    );
    const refs = [ref];
    const match = current.matchId === undefined ? undefined : await deps.store.getMatch(current.matchId);
    if (match === undefined && current.instructionId !== undefined) {
      // Fail closed: a live instruction whose match cannot be read is not left live.
      endInstruction(
        cs,
        { instructionId: current.instructionId, tradeRef: ref, desk: current.desk },
        { at, by: actor, reason: 'MATCH_SUPERSEDED' },
      );
    }
    if (match !== undefined && isStanding(match)) {
      cs.update(
        'match',
        match,
        { ...match, status: 'SUPERSEDED' },
        {
          action: 'SUPERSEDED',
          actor,
          details: { amended: ref, previousStatus: match.status },
          at,
        },
      );
      const partnerRef = match.internalRef === ref ? match.counterpartyRef : match.internalRef;
      const partner = await deps.store.getTrade(partnerRef);
      // The instruction the match produced is cancelled with it, in this same commit.
      const internal = current.source === 'INTERNAL' ? current : partner;
      const live = liveInstructionOf(match, internal);
      if (live !== undefined) {
        endInstruction(
          cs,
          { instructionId: live, tradeRef: match.internalRef, desk: match.desk },
          { at, by: actor, reason: 'MATCH_SUPERSEDED' },
        );
      }
      if (partner !== undefined && partner.matchId === match.matchId) {
        const { matchId: _m, instructionId: _i, ...rest } = partner;
        cs.update(
          'trade',
          partner,
          { ...rest, status: 'UNMATCHED', needsMatching: true, updatedAt: at },
          {
            action: 'MATCH_SUPERSEDED',
            actor,
            details: { matchId: match.matchId, amended: ref },
            at,
          },
        );
        refs.push(partnerRef);
      }
      cs.outbox({
        outboxId: `OB|SUPERSEDED|${match.matchId}`,
        kind: 'REVIEW_DECIDED',
        entityId: match.matchId,
        desk: match.desk,
        payload: { matchId: match.matchId, status: 'SUPERSEDED', amended: ref },
        createdAt: at,
        status: 'PENDING',
      });
    }
    if (current.source === 'INTERNAL') {
      syncExceptions(cs, deps, {
        internal: current,
        counterpartyRef: undefined,
        drafts: [],
        existing: await exceptionsOfTrade(deps.store, current),
        resolveOthersAs: 'amended',
        actor,
        at,
      });
    }
    if ((await deps.store.commit(cs)).ok) return { result: 'AMENDED', rematch: refs };
  }
  return { result: 'CONFLICT', rematch: [] };
}

function isStanding(m: Match): boolean {
  return m.status === 'AUTO_MATCHED' || m.status === 'PENDING_REVIEW' || m.status === 'APPROVED';
}
