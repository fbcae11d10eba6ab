import { z } from 'zod';
import {
  ALL_DESKS,
  buildReport,
  isOpen,
  type SettlementReport,
  snapshotDeskReports,
  snapshotReport,
} from '../../settlement/index.ts';
import { defineTool, fields } from './define-tool.ts';
import { describeScope, deskScope, readPermittedDay } from './entitlements.ts';
import { type Instant, instant, minutesBetween, newYorkDate } from './time.ts';
import type { RecordRef } from './tool.ts';
import { byDeadline, type ExceptionRow, exceptionRow } from './views.ts';

const DayInput = z.object({ tradeDate: fields.tradeDate.optional(), desk: fields.desk.optional() }).strict();

export interface SettlementReportData {
  /** The desks the figures cover: every desk, or the asker's permitted ones. */
  readonly desks: string | readonly string[];
  readonly report: SettlementReport;
}

export const settlementReport = defineTool({
  name: 'settlement_report',
  description:
    'The settlement report for one trade date (default: today in New York), optionally one desk: ' +
    'trade counts, match rate, STP rate, open exceptions by type and age, SLA warnings and ' +
    'breaches, counterparties with most breaks. Covers only the desks the asker may see.',
  input: DayInput,
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 10,
  auditLevel: 'full',
  async execute(input, ctx) {
    const tradeDate = input.tradeDate ?? newYorkDate(ctx.settlement.now());
    const scope = deskScope(ctx.principal, input.desk);
    // The whole day is the expensive read: reports come from a snapshot at most a minute old.
    const report = await snapshotReport(ctx.settlement.store, {
      tradeDate,
      scope:
        scope.kind === 'all' ? ALL_DESKS : scope.desks.length === 0 ? '-' : [...scope.desks].sort().join(','),
      now: ctx.settlement.now(),
      build: async () => {
        const { day } = await readPermittedDay(ctx.settlement.store, tradeDate, ctx.principal, input.desk);
        const now = ctx.settlement.now().toISOString();
        // Every desk's figures are in a whole day read: stored too, a desk's report is then one GetItem.
        if (scope.kind === 'all') await snapshotDeskReports(ctx.settlement.store, day, { tradeDate, now });
        return buildReport(day, {
          tradeDate,
          now,
          ...(input.desk === undefined ? {} : { desk: input.desk }),
        });
      },
    });
    const data: SettlementReportData = { desks: describeScope(scope), report };
    const id = `${tradeDate}${input.desk === undefined ? '' : `/${input.desk}`}`;
    return { ok: true, data, records: [{ kind: 'report', id }] };
  },
});

export interface SlaStatusData {
  readonly tradeDate: string;
  readonly desks: string | readonly string[];
  readonly now: Instant;
  readonly openExceptions: number;
  readonly warnings: number;
  readonly breaches: number;
  /** Open exceptions already past their deadline. */
  readonly breached: readonly ExceptionRow[];
  /** Open exceptions warned (past 80 % of their window) but not yet breached: the ones at risk. */
  readonly atRisk: readonly ExceptionRow[];
  /** The soonest deadlines of open, unbreached exceptions. */
  readonly nextDeadlines: readonly ExceptionRow[];
  /** Our trades with no counterparty record yet, and how many of them are past their matching deadline. */
  readonly unmatched: {
    readonly count: number;
    readonly pastDeadline: number;
    readonly nextDeadline: Instant | null;
  };
}

const SHOW = 10;

export const getSlaStatus = defineTool({
  name: 'get_sla_status',
  description:
    'SLA picture for one trade date (default: today in New York), optionally one desk: breached ' +
    'exceptions, exceptions at risk (warned, deadline near), the next deadlines, and our trades ' +
    'still without a counterparty record. Deadlines in UTC and New York time.',
  input: DayInput,
  risk: 'read',
  requiredRole: 'viewer',
  sessionCallCap: 10,
  auditLevel: 'full',
  async execute(input, ctx) {
    const tradeDate = input.tradeDate ?? newYorkDate(ctx.settlement.now());
    const now = ctx.settlement.now().toISOString();
    const { day, scope } = await readPermittedDay(
      ctx.settlement.store,
      tradeDate,
      ctx.principal,
      input.desk,
      {
        trades: { source: 'INTERNAL', status: 'UNMATCHED' },
        exceptions: true,
      },
    );
    const open = day.exceptions.filter(isOpen).sort(byDeadline);
    const breached = open.filter((e) => e.breachedAt !== undefined);
    const atRisk = open.filter((e) => e.breachedAt === undefined && e.warnedAt !== undefined);
    const upcoming = open.filter((e) => e.breachedAt === undefined);
    const unmatched = day.trades
      .filter((t) => t.source === 'INTERNAL' && t.status === 'UNMATCHED')
      .sort((a, b) => a.matchDeadline.localeCompare(b.matchDeadline));
    const next = unmatched.find((t) => t.matchDeadline > now);
    const data: SlaStatusData = {
      tradeDate,
      desks: describeScope(scope),
      now: instant(now),
      openExceptions: open.length,
      warnings: atRisk.length,
      breaches: day.exceptions.filter((e) => e.breachedAt !== undefined).length,
      breached: breached.slice(0, SHOW).map((e) => exceptionRow(e, now)),
      atRisk: atRisk.slice(0, SHOW).map((e) => exceptionRow(e, now)),
      nextDeadlines: upcoming.slice(0, 5).map((e) => exceptionRow(e, now)),
      unmatched: {
        count: unmatched.length,
        pastDeadline: unmatched.filter((t) => minutesBetween(now, t.matchDeadline) <= 0).length,
        nextDeadline: next === undefined ? null : instant(next.matchDeadline),
      },
    };
    const records: RecordRef[] = [
      { kind: 'report', id: `${tradeDate}${input.desk === undefined ? '' : `/${input.desk}`}` },
      ...[...breached.slice(0, SHOW), ...atRisk.slice(0, SHOW)].map((e) => ({
        kind: 'exception' as const,
        id: e.exceptionId,
      })),
    ];
    return { ok: true, data, records };
  },
});
