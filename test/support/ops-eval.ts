import { type PlannerReading, readingOf } from '../../src/agents/model/offline-planner.ts';
import type { Message } from '../../src/agents/model/types.ts';
import type { ResolvedEntitiesData } from '../../src/agents/tools/resolve-entities.ts';
import { instant } from '../../src/agents/tools/time.ts';
import type { SettlementDay } from '../../src/seed/index.ts';
import type { SettlementException } from '../../src/settlement/model.ts';
import { buildReport } from '../../src/settlement/report.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { isOpen } from '../../src/settlement/services/exception-sync.ts';

/*
 * Scoring of the offline planner on an evaluation set (test/fixtures/ops-questions*.json): the
 * intent it read, the entities resolve_entities found, and facts — computed from the store, never
 * written in the fixture — the answer must contain. Shared by the test and `npm run bench`.
 */

export interface Fact {
  readonly kind: string;
  readonly trade?: string;
  readonly field?: string;
  readonly entity?: string;
  readonly value?: string;
  readonly tradeDate?: string;
  readonly desk?: string;
  readonly filter?: Readonly<Record<string, string | number | boolean>>;
}

export interface OpsQuestion {
  readonly question: string;
  readonly intent: PlannerReading;
  readonly entities: readonly string[];
  readonly facts: readonly Fact[];
}

export interface EvalSet {
  readonly about: string;
  readonly questions: readonly OpsQuestion[];
}

/** Replaces `{{ISIN:ID}}`, `{{BIC:ID}}`, `{{CP:ID}}` and `{{X:ID:field}}` with values of the day. */
export function fillPlaceholders<T>(value: T, day: SettlementDay): T {
  const trades = new Map(day.internal.map((t) => [t.tradeId, t]));
  const cps = new Map(day.scenarios.map((s) => [s.tradeId, s.counterpartyTradeId]));
  return JSON.parse(
    JSON.stringify(value).replace(
      /\{\{([A-Za-z]+):([^}:]+)(?::([A-Za-z]+))?\}\}/g,
      (_, kind: string, id: string, field?: string) => {
        const t = trades.get(id);
        if (t === undefined) throw new Error(`no trade ${id} in the day`);
        const k = kind.toUpperCase();
        const v =
          k === 'ISIN'
            ? t.isin
            : k === 'BIC'
              ? t.counterpartyBic
              : k === 'CP'
                ? cps.get(id)
                : k === 'X'
                  ? `X|INTERNAL#${id}|${field}`
                  : undefined;
        if (v === undefined) throw new Error(`placeholder ${kind}:${id} has no value`);
        return kind === kind.toLowerCase() ? v.toLowerCase() : v;
      },
    ),
  ) as T;
}

async function openExceptions(deps: SettlementDeps): Promise<SettlementException[]> {
  const all: SettlementException[] = [];
  for (const status of ['OPEN', 'ESCALATED'] as const) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.listExceptionsByStatus(status, cursor === undefined ? {} : { cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  return all.filter(isOpen);
}

function countRe(n: number, noun: string): RegExp {
  return new RegExp(`(^|[^0-9])${n} ${noun}`);
}

/** What the answer must contain for one fact, read from the store now. */
export async function expectedFor(
  fact: Fact,
  deps: SettlementDeps,
  day: SettlementDay,
): Promise<Array<string | RegExp>> {
  const { store } = deps;
  const now = deps.now().toISOString();
  const f = fact.filter ?? {};
  switch (fact.kind) {
    case 'text':
      return [fact.value ?? ''];
    case 'tradeStatus': {
      const [t] = await store.getTrades([`INTERNAL#${fact.trade}`, `COUNTERPARTY#${fact.trade}`]);
      if (t === undefined) throw new Error(`no trade ${fact.trade}`);
      return [`${t.tradeId} (`, `): ${t.status}.`];
    }
    case 'matchConfidence': {
      const t = await store.getTrade(`INTERNAL#${fact.trade}`);
      const m = t?.matchId === undefined ? undefined : await store.getMatch(t.matchId);
      if (m === undefined) return [`${fact.trade} is not matched; compared afresh`];
      return [`confidence ${m.confidence}`];
    }
    case 'matchDeadline': {
      const t = await store.getTrade(`INTERNAL#${fact.trade}`);
      if (t === undefined) throw new Error(`no trade ${fact.trade}`);
      return [instant(t.matchDeadline).newYork];
    }
    case 'exceptionValues': {
      const e = await store.getException(`X|INTERNAL#${fact.trade}|${fact.field}`);
      if (e === undefined) throw new Error(`no ${fact.field} exception on ${fact.trade}`);
      return [`ours ${e.ours}`, `theirs ${e.theirs}`];
    }
    case 'rival': {
      const entry = day.scenarios.find((s) => s.tradeId === fact.trade);
      const twin = day.scenarios.find(
        (s) =>
          s.scenario === entry?.scenario && s.tradeId !== fact.trade && s.counterpartyTradeId !== undefined,
      );
      if (twin === undefined) throw new Error(`no twin for ${fact.trade}`);
      return ['Possible duplicate', twin.tradeId];
    }
    case 'openExceptionCount': {
      const n = (await openExceptions(deps)).filter(
        (e) =>
          (f.type === undefined || e.type === f.type) &&
          (f.reasonCode === undefined || e.reasonCode === f.reasonCode) &&
          (f.desk === undefined || e.desk === f.desk) &&
          (f.tradeDate === undefined || e.tradeDate === f.tradeDate) &&
          (f.breached === undefined || e.breachedAt !== undefined) &&
          (f.warned === undefined ||
            (e.breachedAt === undefined && Date.parse(e.slaWarnAt) <= Date.parse(now))) &&
          (typeof f.minAgeMinutes !== 'number' ||
            Math.floor((Date.parse(now) - Date.parse(e.createdAt)) / 60_000) >= f.minAgeMinutes),
      ).length;
      return [countRe(n, 'open exceptions?')];
    }
    case 'pendingReviewCount': {
      const page = await store.listPendingReviews({ limit: 1000 });
      const n = page.items.filter((m) => f.desk === undefined || m.desk === f.desk).length;
      return [countRe(n, 'match(es)? waiting for review')];
    }
    case 'report': {
      const date = fact.tradeDate ?? day.tradeDate;
      const r = buildReport(await store.listDay(date, fact.desk), { tradeDate: date, now });
      if (fact.field === 'stpRate') return [`STP rate ${r.stpRate} %`];
      if (fact.field === 'matchRate') return [`Match rate ${r.matchRate} %`];
      if (fact.field === 'open') return [`Exceptions: ${r.exceptions.open} open`];
      return [`trade date ${date}`, `${r.trades.internal} internal trades`];
    }
    case 'tradeCount': {
      const records = await store.listDay(typeof f.tradeDate === 'string' ? f.tradeDate : day.tradeDate);
      const n = records.trades.filter(
        (t) =>
          (f.isin === undefined || t.isin === f.isin) &&
          (f.counterpartyBic === undefined || t.counterpartyBic.slice(0, 8) === f.counterpartyBic) &&
          (f.status === undefined || t.status === f.status) &&
          (f.desk === undefined || t.desk === f.desk),
      ).length;
      return [countRe(n, 'trades? on trade date')];
    }
    case 'auditRecords': {
      const n = (await store.listAudit(fact.entity ?? '')).length;
      if (n === 0) throw new Error(`no audit records for ${fact.entity}`);
      return [countRe(n, 'records?')];
    }
    default:
      throw new Error(`unknown fact ${fact.kind}`);
  }
}

/** The resolve_entities result of a turn, read from the messages the loop kept. */
export function resolvedOf(messages: readonly Message[]): ResolvedEntitiesData | undefined {
  let id: string | undefined;
  for (const m of messages) {
    for (const b of m.content) {
      if ('toolUse' in b && b.toolUse.name === 'resolve_entities') id = b.toolUse.toolUseId;
      if ('toolResult' in b && b.toolResult.toolUseId === id && b.toolResult.status === 'success') {
        // The data block between the untrusted-data markers.
        const c = b.toolResult.content.find((block) => 'json' in block);
        if (c !== undefined && 'json' in c) return c.json as ResolvedEntitiesData;
      }
    }
  }
  return undefined;
}

/** Every entity the resolver found, as canonical strings. */
export function entityStrings(e: ResolvedEntitiesData | undefined): Set<string> {
  if (e === undefined) return new Set();
  return new Set([
    ...e.trades.map((t) => t.tradeId),
    ...e.exceptions.map((x) => x.exceptionId),
    ...e.matches.map((m) => m.matchId),
    ...e.isins,
    ...e.bics,
    ...e.desks.map((d) => d.desk),
    ...e.accounts,
    ...e.dates.map((d) => d.date),
  ]);
}

export interface Verdict {
  readonly ok: boolean;
  readonly reading: PlannerReading;
  readonly problems: readonly string[];
}

/** Scores one answered question: intent, entities, facts. */
export async function judge(
  q: OpsQuestion,
  turn: { readonly answer: string; readonly messages: readonly Message[] },
  deps: SettlementDeps,
  day: SettlementDay,
): Promise<Verdict> {
  const resolved = resolvedOf(turn.messages);
  const reading = readingOf(q.question, resolved);
  const problems: string[] = [];
  if (reading !== q.intent) problems.push(`intent ${reading}, expected ${q.intent}`);
  const found = entityStrings(resolved);
  for (const e of q.entities) if (!found.has(e)) problems.push(`entity ${e} not resolved`);
  for (const fact of q.facts) {
    for (const expected of await expectedFor(fact, deps, day)) {
      const present =
        typeof expected === 'string' ? turn.answer.includes(expected) : expected.test(turn.answer);
      if (!present) problems.push(`${fact.kind}: answer lacks ${String(expected)}`);
    }
  }
  return { ok: problems.length === 0, reading, problems };
}

/** True when an answer given to a viewer of `desks` names a trade, account or amount of another desk. */
export function leaksOf(
  answer: string,
  question: string,
  day: SettlementDay,
  desks: readonly string[],
): string[] {
  const asked = question.toUpperCase();
  const leaks: string[] = [];
  for (const t of [...day.internal, ...day.counterparty]) {
    if (desks.includes(t.desk)) continue;
    if (new RegExp(`(^|[^A-Z0-9-])${t.tradeId}($|[^A-Z0-9-])`).test(answer) && !asked.includes(t.tradeId))
      leaks.push(t.tradeId);
    if (answer.includes(t.account)) leaks.push(t.account);
    if (t.netAmount !== undefined && answer.includes(`net ${t.netAmount}`))
      leaks.push(`${t.tradeId} net amount`);
  }
  return [...new Set(leaks)];
}
