import type { Match, OutboxRecord, SettlementException, Trade } from '../../settlement/index.ts';
import {
  exceptionAlert,
  exceptionResolvedAlert,
  missingConfirmationAlert,
  reviewAlert,
  reviewDecidedAlert,
  type SlackMessage,
  slaAlert,
} from '../views/index.ts';
import { displayNameOf } from '../worker/people.ts';
import type { NotifierDeps } from './notifier.ts';

/**
 * What to do for an outbox record: post new messages (each under its own key, and remembered by what
 * it is `about` when later changes update it), update posted ones, or nothing.
 */
export type RenderedAlert =
  | {
      readonly kind: 'post';
      readonly posts: ReadonlyArray<{
        readonly key: string;
        readonly about?: string;
        readonly message: SlackMessage;
      }>;
    }
  | {
      readonly kind: 'update';
      /** The messages to change (none found: the change is recorded, nothing is posted). */
      readonly updates: ReadonlyArray<{ readonly ts: string; readonly message: SlackMessage }>;
    }
  | { readonly kind: 'skip'; readonly reason: string };

/** What an alert is about, for finding its message again. */
export const aboutException = (exceptionId: string) => `exception:${exceptionId}`;
export const aboutSla = (level: 'WARNING' | 'BREACH', exceptionId: string) => `sla:${level}:${exceptionId}`;

/** The message(s) an outbox record becomes, from the records' current state. */
export async function renderAlert(
  deps: Pick<NotifierDeps, 'settlement' | 'directory' | 'messages'>,
  record: OutboxRecord,
): Promise<RenderedAlert> {
  const { store, sla } = deps.settlement;
  const p = record.payload;
  const zone = sla.timeZoneOf(record.desk);
  switch (record.kind) {
    case 'REVIEW_REQUESTED':
    case 'REVIEW_DECIDED': {
      const matchId = typeof p.matchId === 'string' ? p.matchId : record.entityId;
      const match = await store.getMatch(matchId);
      if (match === undefined) return { kind: 'skip', reason: `match ${matchId} not found` };
      const pair = await tradesOf(deps, match);
      if (pair === undefined) return { kind: 'skip', reason: `trades of ${matchId} not found` };
      const message = await reviewMessage(deps, match, pair, zone);
      if (record.kind === 'REVIEW_REQUESTED') {
        if (message === undefined) return { kind: 'skip', reason: `match ${matchId} is ${match.status}` };
        return { kind: 'post', posts: [{ key: record.outboxId, message }] };
      }
      const original = await store.getOutbox(`OB|REVIEW|${matchId}`);
      if (message === undefined) return { kind: 'skip', reason: `match ${matchId} is ${match.status}` };
      const ts = original?.delivery?.ts;
      return { kind: 'update', updates: ts === undefined ? [] : [{ ts, message }] };
    }
    case 'EXCEPTIONS_RAISED': {
      const ids = Array.isArray(p.exceptionIds)
        ? p.exceptionIds.filter((x): x is string => typeof x === 'string')
        : [];
      const exceptions = await store.getExceptions(ids);
      const trade = await store.getTrade(typeof p.tradeRef === 'string' ? p.tradeRef : record.entityId);
      if (trade === undefined) return { kind: 'skip', reason: 'trade not found' };
      const open = exceptions.filter((e) => e.status === 'OPEN' || e.status === 'ESCALATED');
      if (open.length === 0) return { kind: 'skip', reason: 'no open exception left' };
      return {
        kind: 'post',
        posts: open.map((exception) => ({
          key: `${record.outboxId}#${exception.exceptionId}`,
          about: aboutException(exception.exceptionId),
          message: exceptionMessage(exception, trade, zone),
        })),
      };
    }
    case 'EXCEPTION_RESOLVED': {
      const exceptionId = String(p.exceptionId ?? record.entityId);
      const exception = await store.getException(exceptionId);
      if (exception === undefined) return { kind: 'skip', reason: 'exception not found' };
      const trade = await store.getTrade(exception.tradeRef);
      if (trade === undefined) return { kind: 'skip', reason: 'trade not found' };
      // Reopened since: its alerts are about an open exception again; leave them.
      if (exception.status === 'OPEN' || exception.status === 'ESCALATED')
        return { kind: 'skip', reason: 'reopened since' };
      const posted = await Promise.all(
        [aboutException(exceptionId), aboutSla('WARNING', exceptionId), aboutSla('BREACH', exceptionId)].map(
          (about) => deps.messages.get(about),
        ),
      );
      const message = exceptionResolvedAlert({ exception, trade, timeZone: zone });
      return {
        kind: 'update',
        updates: posted.flatMap((m) => (m === undefined ? [] : [{ ts: m.ts, message }])),
      };
    }
    case 'SLA_WARNING':
    case 'SLA_BREACH': {
      const exception = await store.getException(String(p.exceptionId ?? record.entityId));
      if (exception === undefined) return { kind: 'skip', reason: 'exception not found' };
      if (exception.status === 'RESOLVED' || exception.status === 'AUTO_RESOLVED')
        return { kind: 'skip', reason: 'resolved before the alert went out' };
      const trade = await store.getTrade(exception.tradeRef);
      if (trade === undefined) return { kind: 'skip', reason: 'trade not found' };
      return {
        kind: 'post',
        posts: [
          {
            key: record.outboxId,
            about: aboutSla(record.kind === 'SLA_BREACH' ? 'BREACH' : 'WARNING', exception.exceptionId),
            message: slaAlert({
              exception,
              trade,
              level: record.kind === 'SLA_BREACH' ? 'BREACH' : 'WARNING',
              timeZone: zone,
              now: deps.settlement.now().toISOString(),
            }),
          },
        ],
      };
    }
    default:
      // Instruction lifecycle records are for downstream systems, not the ops channel.
      return { kind: 'skip', reason: `${record.kind} is not posted to Slack` };
  }
}

function exceptionMessage(exception: SettlementException, trade: Trade, timeZone: string): SlackMessage {
  return exception.reasonCode === 'CMIS'
    ? missingConfirmationAlert({ exception, trade, timeZone })
    : exceptionAlert({ exception, trade, timeZone });
}

async function tradesOf(
  deps: Pick<NotifierDeps, 'settlement'>,
  match: Match,
): Promise<{ internal: Trade; counterparty: Trade } | undefined> {
  const [internal, counterparty] = await Promise.all([
    deps.settlement.store.getTrade(match.internalRef),
    deps.settlement.store.getTrade(match.counterpartyRef),
  ]);
  return internal === undefined || counterparty === undefined ? undefined : { internal, counterparty };
}

/** The review alert as the match stands: with buttons while pending, with the decision after. */
async function reviewMessage(
  deps: Pick<NotifierDeps, 'directory'>,
  match: Match,
  pair: { internal: Trade; counterparty: Trade },
  timeZone: string,
): Promise<SlackMessage | undefined> {
  const base = { match, ...pair, rivals: [], timeZone };
  if (match.status === 'PENDING_REVIEW') return reviewAlert(base);
  if ((match.status === 'APPROVED' || match.status === 'REJECTED') && match.decision !== undefined) {
    return reviewDecidedAlert({
      ...base,
      decision: match.status,
      decidedBy: await displayNameOf(deps.directory, match.decision.by),
      decidedAt: match.decision.at,
      ...(match.decision.reason === undefined ? {} : { reason: match.decision.reason }),
    });
  }
  return undefined;
}
