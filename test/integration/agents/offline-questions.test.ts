import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { OfflinePlanner } from '../../../src/agents/model/offline-planner.ts';
import { instant } from '../../../src/agents/tools/time.ts';
import type { Principal } from '../../../src/identity/index.ts';
import type { SettlementException } from '../../../src/settlement/model.ts';
import { buildReport } from '../../../src/settlement/report.ts';
import { isOpen } from '../../../src/settlement/services/exception-sync.ts';
import { ask, SEEDED_DATE, type SeededDay, seedDay, toolContext } from '../../support/offline-driver.ts';

interface Fact {
  readonly kind: string;
  readonly trade?: string;
  readonly exception?: string;
  readonly entity?: string;
  readonly value?: string;
  readonly field?: string;
  readonly filter?: Readonly<Record<string, string | number | boolean>>;
}
interface Question {
  readonly pattern: string;
  readonly question: string;
  readonly calls: ReadonlyArray<{ readonly name: string; readonly input: Record<string, unknown> }>;
  readonly facts: readonly Fact[];
}
interface Corpus {
  readonly questions: readonly Question[];
  readonly declines: ReadonlyArray<{ readonly question: string; readonly mustSay: readonly string[] }>;
}

const RAW = readFileSync(new URL('../../fixtures/offline-questions.json', import.meta.url), 'utf8');
const CORPUS = JSON.parse(RAW) as Corpus;

let seeded: SeededDay;
let planner: OfflinePlanner;
const values = new Map<string, string>();

/** Replaces every {{placeholder}} in the fixture with a value from the seeded day. */
function resolve<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value).replace(/\{\{([^}]+)\}\}/g, (_, key: string) => {
      const v = values.get(key);
      if (v === undefined) throw new Error(`unresolved placeholder ${key}`);
      return v;
    }),
  ) as T;
}

async function resolvePlaceholders(): Promise<void> {
  const { day } = seeded;
  const desks = new Map(day.internal.map((t) => [t.tradeId, t]));
  const used = JSON.stringify([CORPUS.questions, CORPUS.declines]);
  for (const [, key] of used.matchAll(/\{\{([^}]+)\}\}/g)) {
    if (key === undefined || values.has(key)) continue;
    const m = /^(?:(ISIN|BIC|X|MATCH):)?([A-Z_]+)(?:@([A-Z-]+))?(\.cp)?(?::([A-Za-z]+))?$/.exec(key);
    if (m === null) throw new Error(`bad placeholder ${key}`);
    const [, prefix, scenario, desk, cp, field] = m;
    const entry = day.scenarios.find(
      (s) => s.scenario === scenario && (desk === undefined || desks.get(s.tradeId)?.desk === desk),
    );
    if (entry === undefined)
      throw new Error(`no ${scenario} trade${desk === undefined ? '' : ` on ${desk}`}`);
    const trade = desks.get(entry.tradeId);
    if (trade === undefined) throw new Error(`no trade ${entry.tradeId}`);
    let v: string | undefined;
    if (prefix === 'ISIN') v = trade.isin;
    else if (prefix === 'BIC') v = trade.counterpartyBic;
    else if (prefix === 'X') v = `X|INTERNAL#${trade.tradeId}|${field}`;
    else if (prefix === 'MATCH')
      v = (await seeded.table.store.getTrade(`INTERNAL#${trade.tradeId}`))?.matchId;
    else v = cp === undefined ? trade.tradeId : entry.counterpartyTradeId;
    if (v === undefined) throw new Error(`placeholder ${key} has no value`);
    values.set(key, v);
  }
}

async function openExceptions(): Promise<SettlementException[]> {
  const { store } = seeded.table;
  const all: SettlementException[] = [];
  for (const status of ['OPEN', 'ESCALATED'] as const) {
    let cursor: string | undefined;
    do {
      const page = await store.listExceptionsByStatus(status, cursor === undefined ? {} : { cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  return all;
}

function countRe(n: number, noun: string, after = ''): RegExp {
  return new RegExp(`(^|[^0-9])${n} ${noun}${after}`);
}

/** What the answer must contain for one fact, computed from the store now. */
async function expectedFor(fact: Fact): Promise<Array<string | RegExp>> {
  const { store } = seeded.table;
  const now = seeded.clock.now().toISOString();
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
      if (m === undefined) throw new Error(`no match for ${fact.trade}`);
      return [`confidence ${m.confidence}`];
    }
    case 'matchDeadline': {
      const t = await store.getTrade(`INTERNAL#${fact.trade}`);
      if (t === undefined) throw new Error(`no trade ${fact.trade}`);
      return [instant(t.matchDeadline).newYork, `${t.matchDeadline.slice(11, 16)} UTC`];
    }
    case 'exceptionDeadline': {
      const e = await store.getException(fact.exception ?? '');
      if (e === undefined) throw new Error(`no exception ${fact.exception}`);
      return [instant(e.slaDeadline).newYork, `${e.slaDeadline.slice(11, 16)} UTC`];
    }
    case 'exceptionValues': {
      const e = await store.getException(fact.exception ?? '');
      if (e === undefined) throw new Error(`no exception ${fact.exception}`);
      return [`ours ${e.ours}`, `theirs ${e.theirs}`];
    }
    case 'thresholds': {
      const t = seeded.deps.matching.thresholds;
      return [`review threshold ${t.review}`, `auto-match ${t.autoMatch}`];
    }
    case 'tradeCount': {
      const day = await store.listDay(SEEDED_DATE);
      const n = day.trades.filter(
        (t) =>
          (f.isin === undefined || t.isin === f.isin) &&
          (f.counterpartyBic === undefined || t.counterpartyBic === f.counterpartyBic) &&
          (f.status === undefined || t.status === f.status) &&
          (f.desk === undefined || t.desk === f.desk),
      ).length;
      return [countRe(n, 'trades? on trade date')];
    }
    case 'openExceptionCount': {
      const n = (await openExceptions()).filter(
        (e) =>
          (f.type === undefined || e.type === f.type) &&
          (f.reasonCode === undefined || e.reasonCode === f.reasonCode) &&
          (f.desk === undefined || e.desk === f.desk) &&
          (f.tradeDate === undefined || e.tradeDate === f.tradeDate) &&
          (f.breached === undefined || e.breachedAt !== undefined) &&
          (typeof f.minAgeMinutes !== 'number' ||
            Date.parse(now) - Date.parse(e.createdAt) >= f.minAgeMinutes * 60_000),
      ).length;
      return [countRe(n, 'open exceptions?')];
    }
    case 'slaBreaches': {
      const day = await store.listDay(SEEDED_DATE, typeof f.desk === 'string' ? f.desk : undefined);
      const n = day.exceptions.filter((e) => e.breachedAt !== undefined).length;
      expect(n).toBeGreaterThan(0);
      return [countRe(n, 'breach(es)?')];
    }
    case 'pendingReviewCount': {
      const page = await store.listPendingReviews({ limit: 1000 });
      const n = page.items.filter((m) => f.desk === undefined || m.desk === f.desk).length;
      return [countRe(n, 'match(es)? waiting for review')];
    }
    case 'report': {
      const desk = typeof f.desk === 'string' ? f.desk : undefined;
      const r = buildReport(await store.listDay(SEEDED_DATE, desk), { tradeDate: SEEDED_DATE, now });
      if (fact.field === 'stpRate') return [`STP rate ${r.stpRate} %`];
      if (fact.field === 'matchRate') return [`Match rate ${r.matchRate} %`];
      if (fact.field === 'open') return [`Exceptions: ${r.exceptions.open} open`];
      return [`${r.trades.internal} internal trades`];
    }
    case 'auditRecords': {
      const n = (await store.listAudit(fact.entity ?? '')).length;
      expect(n).toBeGreaterThan(0);
      return [countRe(n, 'records?')];
    }
    case 'unchanged':
      return [];
    default:
      throw new Error(`unknown fact ${fact.kind}`);
  }
}

beforeAll(async () => {
  seeded = await seedDay();
  planner = new OfflinePlanner();
  await resolvePlaceholders();
});

describe('the offline planner over a seeded day', () => {
  it('has a corpus of at least 30 questions and 5 it must decline', () => {
    expect(CORPUS.questions.length).toBeGreaterThanOrEqual(30);
    expect(CORPUS.declines.length).toBeGreaterThanOrEqual(5);
  });

  for (const [i, raw] of CORPUS.questions.entries()) {
    it(`answers #${i + 1} (${raw.pattern}): ${raw.question}`, async () => {
      const q = resolve(raw);
      const versions = new Map<string, number | undefined>();
      for (const fact of q.facts.filter((x) => x.kind === 'unchanged'))
        versions.set(
          fact.exception ?? '',
          (await seeded.table.store.getException(fact.exception ?? ''))?.version,
        );

      const turn = await ask(planner, q.question, toolContext(seeded.deps));

      // Every turn starts by resolving what the question names; the calls after it are the plan.
      expect(turn.calls[0]).toStrictEqual({ name: 'resolve_entities', input: { text: q.question } });
      expect(turn.calls.slice(1)).toStrictEqual(q.calls);
      expect(turn.result.stopReason).toBe('end_turn');
      expect(turn.answer).toMatch(/Sources: /);
      for (const fact of q.facts) {
        for (const expected of await expectedFor(fact)) {
          if (typeof expected === 'string') expect(turn.answer, fact.kind).toContain(expected);
          else expect(turn.answer, fact.kind).toMatch(expected);
        }
      }
      for (const [id, version] of versions)
        expect((await seeded.table.store.getException(id))?.version).toBe(version);
    });
  }

  for (const raw of CORPUS.declines) {
    it(`declines honestly: ${raw.question}`, async () => {
      const d = resolve(raw);
      const turn = await ask(planner, d.question, toolContext(seeded.deps));
      expect(turn.calls.filter((c) => c.name !== 'resolve_entities')).toStrictEqual([]);
      for (const s of d.mustSay) expect(turn.answer).toContain(s);
      expect(turn.answer).not.toMatch(/\bI am an? (AI|LLM|language model)\b/i);
    });
  }
});

describe('the offline planner for a viewer of desk A', () => {
  const viewer: Principal = { principalId: 'eu-viewer', roles: ['viewer'], desks: ['EQ-EU'], accounts: [] };

  it('gives nothing of desk B by id, ISIN, report, audit trail or explanation', async () => {
    const { store } = seeded.table;
    const b = await store.listDay(SEEDED_DATE, 'EQ-US');
    const broken = b.exceptions.find(isOpen);
    const trade = b.trades.find((t) => t.source === 'INTERNAL' && t.status === 'EXCEPTION');
    if (broken === undefined || trade === undefined) throw new Error('desk B has no break');
    const ctx = toolContext(seeded.deps, viewer);
    const questions = [
      `status of ${trade.tradeId}`,
      `why is ${trade.tradeId} not matched?`,
      `trades in ${trade.isin} today`,
      `trades with ${trade.counterpartyBic}`,
      'settlement report',
      'report for EQ-US',
      `audit trail for ${trade.tradeId}`,
      `explain ${broken.exceptionId}`,
      `explain the match for ${trade.tradeId}`,
      'open exceptions',
      'pending approvals',
      'SLA status today',
    ];
    const answers: string[] = [];
    for (const q of questions) {
      const turn = await ask(planner, q, ctx);
      // The asker's own id may be echoed in the refusal; nothing else of desk B may appear.
      answers.push(
        turn.answer.split(trade.tradeId).join('<asked>').split(broken.exceptionId).join('<asked>'),
      );
    }
    expect(answers[0]).toBe(
      'No trade <asked> that you are permitted to see.\nSources: resolve_entities, get_trade_status.',
    );
    const text = answers.join('\n');
    const leaks = b.trades.filter(
      (t) =>
        new RegExp(`\\b${t.tradeId}\\b`).test(text) ||
        text.includes(t.account) ||
        (t.netAmount !== undefined && text.includes(t.netAmount)),
    );
    expect(leaks.map((t) => t.tradeId)).toStrictEqual([]);
    expect(text).not.toContain('EQ-US)');
  });
});
