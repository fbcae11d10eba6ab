import { type ExceptionType, ReasonCode, type TradeStatus } from '../../../settlement/index.ts';
import type { ResolvedEntitiesData } from '../../tools/resolve-entities.ts';
import type { IntentName } from './intents.ts';
import { hasPhrase } from './intents.ts';
import type { Reading } from './language.ts';

/*
 * From an intent and the resolved entities to the tool calls a model would make, and the scope the
 * answer states. Pure: the planner reads the entities from the resolve_entities result.
 */

export interface ToolCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export interface Plan {
  readonly calls: readonly ToolCall[];
  /** One line saying what the answer covers ("open items, whatever their trade date"), if any. */
  readonly scope?: string | undefined;
}

export const NO_ENTITIES: ResolvedEntitiesData = {
  today: '',
  trades: [],
  exceptions: [],
  matches: [],
  isins: [],
  bics: [],
  desks: [],
  accounts: [],
  dates: [],
  unresolved: [],
};

/** How far a search by ISIN or firm with no date looks: today and the three business days before. */
const SEARCH_BUSINESS_DAYS = 4;

const TYPE_PHRASES: ReadonlyArray<readonly [readonly string[], ExceptionType]> = [
  [
    [
      'missing confirmation',
      'missing counterparty',
      'missing instruction',
      'missing record',
      'unconfirmed',
      'no confirmation',
      'not confirmed',
      'no counterparty',
    ],
    'NO_COUNTERPARTY_INSTRUCTION',
  ],
  [['settlement date', 'value date'], 'SETTLEMENT_DATE'],
  [['place settlement', 'csd', 'depository'], 'PLACE_OF_SETTLEMENT'],
  [['amount', 'commission', 'fee', 'fees', 'money'], 'AMOUNT'],
  [['price', 'pricing'], 'PRICE'],
  [['quantity', 'shares count', 'nominal'], 'QUANTITY'],
  [['currency'], 'CURRENCY'],
  [['wrong counterparty', 'counterparty break', 'counterparty mismatch'], 'COUNTERPARTY'],
];

const REASON_CODES: readonly ReasonCode[] = ReasonCode.options;
const REASON_CODE_WORD = new RegExp(`\\b(${REASON_CODES.join('|')})\\b`, 'i');

const PROPOSALS: ReadonlyArray<readonly [readonly string[], string]> = [
  [['accept', 'within tolerance', 'write off'], 'ACCEPT_WITHIN_TOLERANCE'],
  [['escalate'], 'ESCALATE_TO_DESK'],
  [['amend our', 'fix our', 'our booking'], 'AMEND_OUR_BOOKING'],
  [['counterparty', 'chase', 'ask them', 'amendment'], 'REQUEST_COUNTERPARTY_AMENDMENT'],
];

function any(reading: Reading, phrases: readonly string[]): boolean {
  return phrases.some((p) => hasPhrase(reading.words, p));
}

export function exceptionTypeOf(reading: Reading): ExceptionType | undefined {
  return TYPE_PHRASES.find(([phrases]) => any(reading, phrases))?.[1];
}

export function reasonCodeOf(question: string): ReasonCode | undefined {
  const m = REASON_CODE_WORD.exec(question)?.[1]?.toUpperCase();
  return REASON_CODES.find((c) => c === m);
}

function slaStateOf(reading: Reading): 'BREACHED' | 'WARNED' | undefined {
  if (any(reading, ['breach', 'breached', 'overdue', 'late', 'blown', 'past deadline', 'missed']))
    return 'BREACHED';
  if (any(reading, ['at risk', 'warned', 'warning', 'about to breach', 'close to deadline'])) return 'WARNED';
  return undefined;
}

function minAgeOf(question: string): number | undefined {
  const m =
    /\b(?:older than|more than|over|at least|for more than|aged? over|>)\s*(\d+(?:\.\d+)?)\s*(h|hrs?|hours?|m|mins?|minutes?)\b/i.exec(
      question,
    );
  if (m === null) return undefined;
  const n = Number(m[1]);
  return Math.round((m[2] ?? 'h').toLowerCase().startsWith('h') ? n * 60 : n);
}

function tradeStatusOf(reading: Reading): TradeStatus | undefined {
  if (any(reading, ['unmatched', 'not match', 'no match'])) return 'UNMATCHED';
  if (any(reading, ['pending review', 'in review'])) return 'PENDING_REVIEW';
  if (any(reading, ['in exception', 'broken', 'break'])) return 'EXCEPTION';
  if (any(reading, ['matched'])) return 'MATCHED';
  return undefined;
}

function withDefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/**
 * Ids the resolver found nothing for that the asker may still mean as trades: asked for through the
 * tools anyway, whose one answer for missing and not permitted is the same.
 */
export function unresolvedIds(e: ResolvedEntitiesData): string[] {
  return e.unresolved.filter((u) => /\d/.test(u) && !/^[XM]\|/.test(u)).map((u) => u.toUpperCase());
}

/** Distinct trade ids named, ours first (the resolver lists ours before theirs), then unresolved ones, at most `n`. */
function tradeIdsOf(e: ResolvedEntitiesData, n: number): string[] {
  return [...new Set([...e.trades.map((t) => t.tradeId), ...unresolvedIds(e)])].slice(0, n);
}

function deskList(e: ResolvedEntitiesData): ReadonlyArray<string | undefined> {
  return e.desks.length === 0 ? [undefined] : e.desks.slice(0, 3).map((d) => d.desk);
}

/** "today" is not a date given: it means now (open items) or today where the desk is (reports). */
const TODAY = /^(?:today|tonight)(?:'?s)?$/i;

/** The date given in the question, if any (the first one). */
export function givenDate(e: ResolvedEntitiesData): string | undefined {
  return e.dates.find((d) => !TODAY.test(d.typed))?.date;
}

/** The tool calls for an intent over the resolved entities. */
export function planFor(
  intent: IntentName,
  e: ResolvedEntitiesData,
  reading: Reading,
  question: string,
): Plan {
  const trades = tradeIdsOf(e, 5);
  const date = givenDate(e);
  switch (intent) {
    case 'status':
      return { calls: trades.map((tradeId) => ({ name: 'get_trade_status', input: { tradeId } })) };
    case 'why':
      return {
        calls: trades.slice(0, 3).map((tradeId) => ({ name: 'get_trade_status', input: { tradeId } })),
      };
    case 'duplicate':
    case 'explain_match': {
      const byTrade = trades.slice(0, 3).map((tradeId) => ({ name: 'explain_match', input: { tradeId } }));
      const byMatch = e.matches
        .slice(0, 3)
        .map((m) => ({ name: 'explain_match', input: { matchId: m.matchId } }));
      return { calls: byMatch.length > 0 && intent === 'explain_match' ? byMatch : byTrade };
    }
    case 'explain_exception':
      return {
        calls: e.exceptions
          .slice(0, 5)
          .map((x) => ({ name: 'explain_exception', input: { exceptionId: x.exceptionId } })),
      };
    case 'audit': {
      const entities = [...e.exceptions.map((x) => x.exceptionId), ...e.matches.map((m) => m.matchId)];
      if (entities.length > 0)
        return {
          calls: entities.slice(0, 3).map((entityId) => ({ name: 'get_audit_trail', input: { entityId } })),
        };
      return { calls: trades.map((tradeId) => ({ name: 'get_audit_trail', input: { tradeId } })) };
    }
    case 'rerun':
      return { calls: trades.slice(0, 1).map((tradeId) => ({ name: 'rerun_matching', input: { tradeId } })) };
    case 'propose': {
      const target = e.exceptions[0];
      if (target === undefined) return { calls: [] };
      const proposal = PROPOSALS.find(([phrases]) => any(reading, phrases))?.[1] ?? 'ESCALATE_TO_DESK';
      return {
        calls: [
          {
            name: 'propose_resolution',
            input: {
              exceptionId: target.exceptionId,
              proposal,
              note: `Proposed in chat: ${question.slice(0, 400)}`,
            },
          },
        ],
      };
    }
    case 'open_exceptions': {
      const reasonCode = reasonCodeOf(question);
      const slaState = slaStateOf(reading);
      const calls = deskList(e).map((desk) => ({
        name: 'list_open_exceptions',
        input: withDefined({
          type: reasonCode === undefined ? exceptionTypeOf(reading) : undefined,
          reasonCode,
          desk,
          tradeDate: date,
          minAgeMinutes: minAgeOf(question),
          slaState,
          limit: 20,
        }),
      }));
      const what =
        slaState === 'BREACHED'
          ? 'open items past their SLA deadline'
          : slaState === 'WARNED'
            ? 'open items at risk (past the SLA warning point, not yet breached)'
            : 'open items';
      return {
        calls,
        scope:
          date === undefined
            ? `${what}, whatever their trade date`
            : `${what} of trade date ${date} (the date you gave)`,
      };
    }
    case 'sla_status': {
      const zoneDesk = e.desks[0];
      const tradeDate = date ?? zoneDesk?.today;
      return {
        calls: deskList(e).map((desk) => ({
          name: 'get_sla_status',
          input: withDefined({ tradeDate, desk }),
        })),
        scope: scopeOfDate(date, zoneDesk, e.today),
      };
    }
    case 'pending_reviews':
      return {
        calls: [
          ...trades.slice(0, 3).map((tradeId) => ({ name: 'get_trade_status', input: { tradeId } })),
          ...(trades.length > 0
            ? []
            : deskList(e).map((desk) => ({
                name: 'list_pending_reviews',
                input: withDefined({ desk, limit: 20 }),
              }))),
        ],
        scope: trades.length > 0 ? undefined : 'every match waiting for review, whatever its trade date',
      };
    case 'report': {
      const zoneDesk = e.desks[0];
      const tradeDate = date ?? zoneDesk?.today;
      return {
        calls: deskList(e).map((desk) => ({
          name: 'settlement_report',
          input: withDefined({ tradeDate, desk }),
        })),
        scope: scopeOfDate(date, zoneDesk, e.today),
      };
    }
    case 'find_trades': {
      // An ISIN or a firm with no date ("today" is one here): today and the business days before it,
      // in one search.
      const recent =
        date === undefined &&
        e.today !== '' &&
        e.isins.length + e.bics.length > 0 &&
        !e.dates.some((d) => TODAY.test(d.typed));
      const base = {
        status: tradeStatusOf(reading),
        ...(recent
          ? { lastBusinessDays: SEARCH_BUSINESS_DAYS }
          : { tradeDate: date ?? (e.today === '' ? undefined : e.today) }),
        limit: 20,
      };
      const desks = deskList(e);
      const calls: ToolCall[] =
        e.isins.length > 0
          ? e.isins.slice(0, 3).map((isin) => ({
              name: 'find_trades',
              input: withDefined({ ...base, isin, counterpartyBic: e.bics[0], desk: desks[0] }),
            }))
          : e.bics.length > 0
            ? e.bics.slice(0, 3).map((counterpartyBic) => ({
                name: 'find_trades',
                input: withDefined({ ...base, counterpartyBic, desk: desks[0] }),
              }))
            : base.status !== undefined || e.desks.length > 0
              ? desks.map((desk) => ({ name: 'find_trades', input: withDefined({ ...base, desk }) }))
              : [];
      return {
        calls,
        scope:
          date !== undefined
            ? `trade date ${date} (the date you gave)`
            : recent
              ? `the last ${SEARCH_BUSINESS_DAYS} business days up to ${e.today} (today in New York; name a date, e.g. "yesterday" or "24 Nov", for one day)`
              : `trade date ${e.today} (today in New York; name a date, e.g. "yesterday" or "24 Nov", for another day)`,
      };
    }
  }
}

function scopeOfDate(
  date: string | undefined,
  desk: ResolvedEntitiesData['desks'][number] | undefined,
  today: string,
): string {
  if (date !== undefined) return `trade date ${date} (the date you gave)`;
  if (desk !== undefined)
    return `trade date ${desk.today} (today in ${desk.timeZone}, desk ${desk.desk}'s time zone)`;
  return `trade date ${today} (today in New York)`;
}
