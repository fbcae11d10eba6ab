import { DateTime } from 'luxon';
import {
  type ExceptionType,
  isValidBic,
  isValidIsin,
  ReasonCode,
  type TradeStatus,
} from '../../../settlement/index.ts';

/*
 * The offline planner's rules: a question in, what it is about out. Pure and deterministic; the
 * planner turns an intent into the same tool calls a model would emit.
 */

export interface ToolCall {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

export type Intent =
  | { readonly kind: 'status'; readonly tradeIds: readonly string[] }
  | { readonly kind: 'why'; readonly tradeId: string }
  | { readonly kind: 'tools'; readonly topic: Topic; readonly calls: readonly ToolCall[] }
  | { readonly kind: 'refuse'; readonly reason: 'approval' | 'change' | 'forecast' }
  | { readonly kind: 'unknown' };

/** Which composer writes the answer for a one-step intent. */
export type Topic =
  | 'find_trades'
  | 'open_exceptions'
  | 'explain_exception'
  | 'explain_match'
  | 'pending_reviews'
  | 'sla'
  | 'report'
  | 'audit'
  | 'rerun'
  | 'propose';

export interface RouteContext {
  /** The current instant, for "today" / "yesterday" (New York dates). */
  readonly now: Date;
}

const TRADE_ID = /\b(T-\d{1,9}|C-[A-Z0-9]{4}-\d{6})\b/gi;
const EXCEPTION_ID = /X\|(?:INTERNAL|COUNTERPARTY)#[A-Za-z0-9._:/-]+\|[A-Za-z]+/g;
const MATCH_ID = /M\|INTERNAL#[A-Za-z0-9._:/-]+@\d+\|COUNTERPARTY#[A-Za-z0-9._:/-]+@\d+/g;
const REASON_CODES: readonly ReasonCode[] = ReasonCode.options;

const TYPE_WORDS: ReadonlyArray<readonly [RegExp, ExceptionType]> = [
  [
    /\bmissing (?:counterparty |trade )?(?:confirm|instruction|record)|\bunconfirmed\b|\bno (?:counterparty )?(?:confirm|instruction)|\bnot confirmed\b/,
    'NO_COUNTERPARTY_INSTRUCTION',
  ],
  [/\bsettlement[- ]date\b|\bvalue[- ]date\b/, 'SETTLEMENT_DATE'],
  [/\bplace of settlement\b|\bcsd\b|\bdepositor/, 'PLACE_OF_SETTLEMENT'],
  [/\bnet amount\b|\bamount\b|\bcommission\b|\bfees?\b/, 'AMOUNT'],
  [/\bprice\b|\bpricing\b/, 'PRICE'],
  [/\bquantity\b|\bqty\b|\bshares? count\b/, 'QUANTITY'],
  [/\bcurrency\b|\bccy\b/, 'CURRENCY'],
  [/\bwrong counterparty\b|\bcounterparty (?:break|mismatch)/, 'COUNTERPARTY'],
];

const EXCEPTION_NOUN =
  /\bexceptions?\b|\bbreaks?\b|\bbroken\b|\bmismatch|\bdiscrepanc|\bmissing (?:counterparty |trade )?(?:confirm|instruction|record)|\bunconfirmed\b|\bopen items?\b|\bfails?\b|\bcmis\b/;

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function newYorkToday(now: Date): DateTime {
  return DateTime.fromJSDate(now).setZone('America/New_York').startOf('day');
}

/** `today` → undefined (the tools default to today in New York), `yesterday` and YYYY-MM-DD → a date. */
function dateOf(q: string, now: Date): string | undefined {
  const explicit = /\b(\d{4}-\d{2}-\d{2})\b/.exec(q)?.[1];
  if (explicit !== undefined) return explicit;
  if (/\byesterday\b/i.test(q)) return newYorkToday(now).minus({ days: 1 }).toISODate() ?? undefined;
  return undefined;
}

function deskOf(q: string): string | undefined {
  return (
    /\b((?:EQ|FI|FX|IR)-[A-Za-z]{2,10})\b/i.exec(q)?.[1]?.toUpperCase() ??
    /\b([A-Z]{2,4}-[A-Z]{2,10})\b/.exec(q)?.[1]
  );
}

function isinsOf(q: string): string[] {
  return unique(
    (q.match(/\b[A-Za-z]{2}[A-Za-z0-9]{9}\d\b/g) ?? []).map((s) => s.toUpperCase()).filter(isValidIsin),
  );
}

/** BICs as ops write them: upper case (so ordinary words never pass for one). */
function bicsOf(q: string): string[] {
  return unique((q.match(/\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b/g) ?? []).filter(isValidBic));
}

function minAgeOf(q: string): number | undefined {
  const m =
    /\b(?:older than|more than|over|at least|for more than|aged? over)\s+(\d+(?:\.\d+)?)\s*(h|hrs?|hours?|m|mins?|minutes?)\b/i.exec(
      q,
    );
  if (m === null) return undefined;
  const n = Number(m[1]);
  return Math.round((m[2] ?? 'h').toLowerCase().startsWith('h') ? n * 60 : n);
}

function statusOf(lower: string): TradeStatus | undefined {
  if (/\bunmatched\b|\bnot (?:yet )?matched\b/.test(lower)) return 'UNMATCHED';
  if (/\bpending review\b|\bin review\b/.test(lower)) return 'PENDING_REVIEW';
  if (/\bin exception\b|\bbroken\b/.test(lower)) return 'EXCEPTION';
  if (/\bmatched\b/.test(lower)) return 'MATCHED';
  return undefined;
}

function typeOf(lower: string): ExceptionType | undefined {
  return TYPE_WORDS.find(([re]) => re.test(lower))?.[1];
}

function reasonCodeOf(q: string): ReasonCode | undefined {
  const m = /\b(DDEA|DQUA|NCRR|DDAT|CMIS|DEPT|ICAG|IEXE|DMON|FRAP|DELN|DSEC|DTRD)\b/i
    .exec(q)?.[1]
    ?.toUpperCase();
  return REASON_CODES.find((c) => c === m);
}

function withDefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

const PROPOSALS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\baccept\b|\bwithin tolerance\b|\bwrite[- ]?off\b/, 'ACCEPT_WITHIN_TOLERANCE'],
  [/\bescalat/, 'ESCALATE_TO_DESK'],
  [/\bamend (?:our|my|the) booking\b|\bfix our\b|\bour booking\b/, 'AMEND_OUR_BOOKING'],
  [/\bcounterparty\b|\bchase\b|\bask them\b|\bamendment\b/, 'REQUEST_COUNTERPARTY_AMENDMENT'],
];

/** What a question asks, by rules. Unknown when no rule fits: the planner then says so. */
export function route(question: string, ctx: RouteContext): Intent {
  const q = question.trim();
  const lower = q.toLowerCase();
  const tradeIds = unique((q.match(TRADE_ID) ?? []).map((s) => s.toUpperCase()));
  const exceptionIds = unique(q.match(EXCEPTION_ID) ?? []);
  const matchIds = unique(q.match(MATCH_ID) ?? []);
  const date = dateOf(q, ctx.now);
  const desk = deskOf(q.replace(TRADE_ID, ' '));

  // Off-topic requests that borrow settlement words, before any tool rule can fire.
  if (/\b(poem|haiku|limerick|song|joke|story|essay)\b/.test(lower)) return { kind: 'unknown' };
  if (
    /\b(weather|forecast|predict|prediction)\b|\bwill the price\b|\bprice (?:of \S+ )?(?:be )?tomorrow\b/.test(
      lower,
    )
  ) {
    return /\bprice\b|\bstock\b|\bshares?\b/.test(lower)
      ? { kind: 'refuse', reason: 'forecast' }
      : { kind: 'unknown' };
  }

  if (/\bpropos/.test(lower) && exceptionIds[0] !== undefined) {
    const proposal = PROPOSALS.find(([re]) => re.test(lower))?.[1] ?? 'ESCALATE_TO_DESK';
    return {
      kind: 'tools',
      topic: 'propose',
      calls: [
        {
          name: 'propose_resolution',
          input: { exceptionId: exceptionIds[0], proposal, note: `Proposed in chat: ${q.slice(0, 400)}` },
        },
      ],
    };
  }
  if (
    /\b(approve|reject|sign[- ]?off|accept)\b/.test(lower) &&
    !/\bpending\b|\bwaiting\b|\bneeds?\b|\bwho\b/.test(lower)
  )
    return { kind: 'refuse', reason: 'approval' };
  if (/\b(delete|remove|cancel|purge|wipe|drop|truncate)\b/.test(lower))
    return { kind: 'refuse', reason: 'change' };
  if (
    /^(?:please |pls |can you |could you |would you |go |now )*(amend|modify|change|edit|update|overwrite|set|force|mark|book|settle)\b/.test(
      lower,
    )
  )
    return { kind: 'refuse', reason: 'change' };

  if (
    /\bre-?run\b|\bre-?match\b|\brun (?:the )?matching (?:again|for)\b|\bmatch (?:it|t-\S+) again\b/.test(
      lower,
    ) &&
    tradeIds[0] !== undefined
  )
    return {
      kind: 'tools',
      topic: 'rerun',
      calls: [{ name: 'rerun_matching', input: { tradeId: tradeIds[0] } }],
    };

  if (
    /\baudit\b|\bhistory\b|\btrail\b|\bwho (?:changed|touched|did|booked|amended|approved)\b|\bchain\b/.test(
      lower,
    )
  ) {
    const entityId = exceptionIds[0] ?? matchIds[0];
    if (entityId !== undefined)
      return { kind: 'tools', topic: 'audit', calls: [{ name: 'get_audit_trail', input: { entityId } }] };
    if (tradeIds.length > 0)
      return {
        kind: 'tools',
        topic: 'audit',
        calls: tradeIds.slice(0, 5).map((tradeId) => ({ name: 'get_audit_trail', input: { tradeId } })),
      };
  }

  if (exceptionIds.length > 0)
    return {
      kind: 'tools',
      topic: 'explain_exception',
      calls: exceptionIds
        .slice(0, 5)
        .map((exceptionId) => ({ name: 'explain_exception', input: { exceptionId } })),
    };
  if (matchIds.length > 0)
    return {
      kind: 'tools',
      topic: 'explain_match',
      calls: matchIds.slice(0, 5).map((matchId) => ({ name: 'explain_match', input: { matchId } })),
    };

  const first = tradeIds[0];
  if (first !== undefined) {
    if (/\bfield by field\b|\bexplain (?:the )?match\b|\bcompare\b|\bcomparison\b|\bconfidence\b/.test(lower))
      return {
        kind: 'tools',
        topic: 'explain_match',
        calls: [{ name: 'explain_match', input: { tradeId: first } }],
      };
    if (
      /\bwhy\b|\bwhat'?s wrong\b|\bwhat is wrong\b|\bwhat happened\b|\bexplain\b|\bstuck\b|\bhow come\b/.test(
        lower,
      )
    )
      return { kind: 'why', tradeId: first };
    return { kind: 'status', tradeIds: tradeIds.slice(0, 5) };
  }

  if (
    /\bpending (?:approvals?|reviews?|decisions?)\b|\bawaiting (?:approval|review|a decision)\b|\bneeds? (?:an? )?(?:approval|review|sign[- ]?off|decision)\b|\bto (?:approve|review)\b|\b(?:review|approval) queue\b|\bin review\b|\bpending review\b/.test(
      lower,
    )
  )
    return {
      kind: 'tools',
      topic: 'pending_reviews',
      calls: [{ name: 'list_pending_reviews', input: withDefined({ desk, limit: 20 }) }],
    };

  if (
    /\breport\b|\bstp\b|\bmatch(?:ing)? rate\b|\bhow (?:did|are) we (?:do|doing)\b|\bnumbers\b|\bkpis?\b|\bsummary\b|\bdashboard\b/.test(
      lower,
    )
  )
    return {
      kind: 'tools',
      topic: 'report',
      calls: [{ name: 'settlement_report', input: withDefined({ tradeDate: date, desk }) }],
    };

  const exceptionNoun = EXCEPTION_NOUN.test(lower) || reasonCodeOf(q) !== undefined;
  if (exceptionNoun) {
    const slaState = /\bbreach(?:ed|es)?\b|\boverdue\b|\bpast (?:the |their )?deadline\b|\blate\b/.test(lower)
      ? 'BREACHED'
      : /\bwarned\b|\bat risk\b/.test(lower)
        ? 'WARNED'
        : undefined;
    const reasonCode = reasonCodeOf(q);
    return {
      kind: 'tools',
      topic: 'open_exceptions',
      calls: [
        {
          name: 'list_open_exceptions',
          input: withDefined({
            type: reasonCode === undefined ? typeOf(lower) : undefined,
            reasonCode,
            desk,
            tradeDate: date,
            minAgeMinutes: minAgeOf(q),
            slaState,
            limit: 20,
          }),
        },
      ],
    };
  }

  if (/\bsla\b|\bat risk\b|\bbreach|\bdeadlines?\b|\bcut-?offs?\b|\boverdue\b/.test(lower))
    return {
      kind: 'tools',
      topic: 'sla',
      calls: [{ name: 'get_sla_status', input: withDefined({ tradeDate: date, desk }) }],
    };

  const isins = isinsOf(q);
  const bics = bicsOf(q);
  const status = statusOf(lower);
  if (
    isins.length > 0 ||
    bics.length > 0 ||
    ((status !== undefined || desk !== undefined) && /\btrades?\b|\bbookings?\b/.test(lower))
  ) {
    const tradeDate = date ?? newYorkToday(ctx.now).toISODate() ?? undefined;
    const base = { status, desk, tradeDate, limit: 20 };
    const calls: ToolCall[] =
      isins.length > 0
        ? isins.slice(0, 3).map((isin) => ({
            name: 'find_trades',
            input: withDefined({ ...base, isin, counterpartyBic: bics[0] }),
          }))
        : bics.length > 0
          ? bics.slice(0, 3).map((counterpartyBic) => ({
              name: 'find_trades',
              input: withDefined({ ...base, counterpartyBic }),
            }))
          : [{ name: 'find_trades', input: withDefined(base) }];
    return { kind: 'tools', topic: 'find_trades', calls };
  }
  return { kind: 'unknown' };
}
