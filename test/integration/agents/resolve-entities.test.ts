import { beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedEntitiesData } from '../../../src/agents/tools/resolve-entities.ts';
import type { Principal } from '../../../src/identity/index.ts';
import type { SettlementStore } from '../../../src/settlement/store/settlement-store.ts';
import { type HiddenDay, seedHiddenDay } from '../../support/hidden-day.ts';
import { runTool, toolContext } from '../../support/offline-driver.ts';
import { settlementDeps } from '../../support/settlement.ts';

const UK_VIEWER: Principal = { principalId: 'uk-viewer', roles: ['viewer'], desks: ['EQ-UK'], accounts: [] };

let seeded: HiddenDay;
/** A trade of ours on EQ-UK and one on another desk. */
let mine: string;
let theirs: { tradeId: string; desk: string };

beforeAll(async () => {
  seeded = await seedHiddenDay();
  const uk = seeded.day.internal.find((t) => t.desk === 'EQ-UK');
  const other = seeded.day.internal.find((t) => t.desk !== 'EQ-UK');
  if (uk === undefined || other === undefined) throw new Error('the day lacks a desk');
  mine = uk.tradeId;
  theirs = { tradeId: other.tradeId, desk: other.desk };
});

async function resolve(text: string, principal?: Principal): Promise<ResolvedEntitiesData> {
  const out = await runTool('resolve_entities', { text }, toolContext(seeded.deps, principal));
  if (!out.ok) throw new Error(out.message);
  return out.data as ResolvedEntitiesData;
}

describe('resolve_entities', () => {
  it('finds trades as the store spells them, whatever the case and punctuation typed', async () => {
    const r = await resolve(`status of ${mine.toLowerCase()}, (${theirs.tradeId})?`);
    expect(r.trades.map((t) => [t.tradeId, t.source, t.typed])).toStrictEqual([
      [mine, 'INTERNAL', mine.toLowerCase()],
      [theirs.tradeId, 'INTERNAL', theirs.tradeId],
    ]);
    expect(r.unresolved).toStrictEqual([]);
  });

  it('reports a trade of another desk exactly like one that does not exist', async () => {
    const other = await resolve(`status of ${theirs.tradeId.toLowerCase()}`, UK_VIEWER);
    const missing = await resolve('status of zz9-int', UK_VIEWER);
    expect(other).toStrictEqual({ ...missing, unresolved: [theirs.tradeId.toLowerCase()] });
    expect(missing.unresolved).toStrictEqual(['zz9-int']);
    expect(other.trades).toStrictEqual([]);
  });

  it('resolves a desk the asker may see and no other, and gives its time zone', async () => {
    const admin = await resolve(`breaches on eq-uk and ${theirs.desk.toLowerCase()} and EQ-MARS`);
    expect(admin.desks).toStrictEqual([
      { desk: 'EQ-UK', timeZone: 'Europe/London', today: '2026-11-25' },
      {
        desk: theirs.desk,
        timeZone: theirs.desk === 'EQ-APAC' ? 'Asia/Tokyo' : 'America/New_York',
        today: theirs.desk === 'EQ-APAC' ? '2026-11-26' : '2026-11-25',
      },
    ]);
    expect(admin.unresolved).toStrictEqual(['EQ-MARS']);
    const viewer = await resolve(`breaches on eq-uk and ${theirs.desk}`, UK_VIEWER);
    expect(viewer.desks.map((d) => d.desk)).toStrictEqual(['EQ-UK']);
    expect(viewer.unresolved).toStrictEqual([theirs.desk]);
  });

  it('resolves exception ids of visible desks only', async () => {
    const broken = seeded.day.scenarios.find((s) => s.scenario === 'PRICE_BREAK');
    if (broken === undefined) throw new Error('no price break');
    const id = `X|INTERNAL#${broken.tradeId}|price`;
    const desk = seeded.day.internal.find((t) => t.tradeId === broken.tradeId)?.desk;
    expect((await resolve(`explain ${id}`)).exceptions).toStrictEqual([
      { exceptionId: id, tradeId: broken.tradeId, desk },
    ]);
    const asViewer = await resolve(`explain ${id}`, UK_VIEWER);
    expect(asViewer.exceptions.length).toBe(desk === 'EQ-UK' ? 1 : 0);
  });

  it('reads dates as typed, relative to today in New York', async () => {
    const r = await resolve('breaks for T-1, yesterday, 24 Nov and 2026-11-20');
    expect(r.today).toBe('2026-11-25');
    expect(r.dates).toStrictEqual([
      { typed: 'T-1', date: '2026-11-24' },
      { typed: 'yesterday', date: '2026-11-24' },
      { typed: '24 Nov', date: '2026-11-24' },
      { typed: '2026-11-20', date: '2026-11-20' },
    ]);
    expect(r.unresolved).toStrictEqual([]);
  });

  it('reads only keys and indexes: gets and one-item queries, never a whole day or a scan', async () => {
    const called: string[] = [];
    const store = seeded.table.store;
    const spy = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          called.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as SettlementStore;
    const deps = settlementDeps(spy, seeded.clock);
    const out = await runTool(
      'resolve_entities',
      {
        text: `why is ${mine} stuck, trades in US02079K3059 with GSCMUS33 on eq-uk yesterday, X|INTERNAL#${mine}|price`,
      },
      toolContext(deps),
    );
    expect(out.ok).toBe(true);
    expect([...new Set(called)].sort()).toStrictEqual(['getExceptions', 'getTrades', 'hasDeskDay']);
  });
});
