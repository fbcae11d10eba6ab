import { describe, expect, it } from 'vitest';
import {
  csvCell,
  ourBlockKitProblems,
  reportCsv,
  reportMessage,
  reportUsage,
} from '../../../../src/bot/views/index.ts';
import { readCsvRecords } from '../../../../src/ingest/index.ts';
import { buildReport, ExceptionType, type SettlementReport } from '../../../../src/settlement/index.ts';
import { anException, aStoredTrade } from '../../../support/settlement-records.ts';
import { aReport, HOSTILE, wire } from '../../../support/slack-views.ts';

function sectionText(message: { blocks: unknown[] }, blockId: string): string {
  const block = message.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as
    | { text?: { text: string }; fields?: Array<{ text: string }> }
    | undefined;
  return block?.text?.text ?? (block?.fields ?? []).map((f) => f.text).join(' | ');
}

function csvRows(csv: string): string[][] {
  return readCsvRecords(csv).map((r) => ('values' in r ? r.values : [`ERROR ${r.error}`]));
}

describe('reportMessage', () => {
  it('shows the figures, exceptions by type and age, SLA breaches and the counterparties with most breaks', () => {
    const message = reportMessage({ report: aReport(), timeZone: 'America/New_York' });
    expect(message.text).toBe(
      'Settlement report 2026-11-24 · EQ-US: match rate 90.0 %, STP 83.3 %, 5 open exceptions, 2 SLA breaches',
    );
    expect(message.blocks[0]).toStrictEqual({
      type: 'header',
      block_id: 'report_header',
      text: { type: 'plain_text', text: 'Settlement report 2026-11-24 · EQ-US', emoji: true },
    });
    expect(sectionText(message, 'report_figures')).toBe(
      [
        '*Trades*\n120 internal · 118 counterparty',
        '*Match rate*\n90.0 %',
        '*STP rate*\n83.3 %',
        '*Matched*\n100 auto · 8 approved',
        '*Waiting*\n3 for review · 4 unmatched',
        '*In exception*\n5 trades · 1 rejected matches',
      ].join(' | '),
    );
    expect(sectionText(message, 'report_exceptions')).toBe(
      '*Exceptions:* 5 open · 2 auto-resolved · 1 resolved\n' +
        '_Open by age:_ < 1 h 1 · 1–4 h 3 · > 4 h 1\n' +
        '_Open by type:_\n• Price break: 3\n• No counterparty instruction: 1\n• Quantity discrepancy: 1',
    );
    expect(sectionText(message, 'report_sla')).toBe(
      '*SLA:* 2 breaches · 1 warnings\n_Next deadlines:_\n• X|INTERNAL#T-1|price due Tue 24 Nov 2026 21:00 EST (P2)',
    );
    expect(sectionText(message, 'report_counterparties')).toBe(
      '*Counterparties with most breaks*\n• DEUTDEFF: 3 open breaks\n• BARCGB22: 2 open breaks',
    );
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
  });

  it('names every desk when the report is not for one', () => {
    const message = reportMessage({ report: aReport({ desk: null }) });
    expect(message.text).toContain('Settlement report 2026-11-24 · all desks');
    expect(wire(message)).toContain('generated Tue 24 Nov 2026 22:30 UTC');
  });

  it('summarises a day of 500 exceptions within the limits', () => {
    const types = ExceptionType.options;
    const trades = Array.from({ length: 500 }, (_, i) =>
      aStoredTrade({
        tradeId: `T-${i}`,
        counterpartyBic: i % 2 === 0 ? 'DEUTDEFF' : 'BARCGB22',
        status: 'EXCEPTION',
      }),
    );
    const exceptions = trades.map((t, i) =>
      anException({
        exceptionId: `X-${i}`,
        tradeRef: `INTERNAL#${t.tradeId}`,
        type: types[i % types.length],
      }),
    );
    const report = buildReport(
      { trades, matches: [], exceptions, instructions: [] },
      { tradeDate: '2026-11-24', now: '2026-11-24T22:00:00.000Z' },
    );
    const message = reportMessage({ report });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(sectionText(message, 'report_exceptions')).toContain('*Exceptions:* 500 open');
    expect(sectionText(message, 'report_exceptions')).toContain('… (2 more, see the attached CSV)');
  });

  it('lists at most ten of a long list, saying how many more are in the CSV, and escapes the data', () => {
    const report: SettlementReport = aReport({
      sla: {
        warnings: 0,
        breaches: 500,
        nextDeadlines: Array.from({ length: 500 }, (_, i) => ({
          exceptionId: `X-${i}${HOSTILE}`,
          deadline: '2026-11-25T02:00:00.000Z',
          priority: 'P1',
        })),
      },
      topCounterparties: Array.from({ length: 500 }, (_, i) => ({ bic: `${HOSTILE}${i}`, openBreaks: 1 })),
      unreadable: Array.from({ length: 500 }, (_, i) => ({
        id: `bad-${i}`,
        itemType: 'trade',
        problem: `${HOSTILE}${'x'.repeat(2000)}`,
      })),
      desk: HOSTILE,
    });
    const message = reportMessage({ report, blockIdSuffix: 'r2' });
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(wire(message)).not.toMatch(/<!|<@|<#/);
    expect(sectionText(message, 'report_sla.r2')).toContain('… (490 more, see the attached CSV)');
    expect(sectionText(message, 'report_counterparties.r2')).toContain('… (490 more, see the attached CSV)');
    expect(sectionText(message, 'report_unreadable.r2')).toMatch(
      /^\*Not counted:\* 500 unreadable records\n/,
    );
    expect(sectionText(message, 'report_unreadable.r2')).toContain('more, see the attached CSV)');
    // and the CSV carries every one of them
    const rows = csvRows(reportCsv(report));
    expect(rows.filter((r) => r[0] === 'unreadable')).toHaveLength(500);
    expect(rows.filter((r) => r[0] === 'next_deadline')).toHaveLength(500);
    expect(rows.filter((r) => r[0] === 'top_counterparty')).toHaveLength(500);
  });
});

describe('reportCsv', () => {
  it('writes the full detail as section,item,value,detail rows with CRLF line ends', () => {
    const csv = reportCsv(aReport());
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n').slice(0, 4)).toStrictEqual([
      'section,item,value,detail',
      'report,trade_date,2026-11-24,given',
      'report,desk,EQ-US,',
      'report,generated_at,2026-11-24T22:30:00.000Z,',
    ]);
    const rows = csvRows(csv);
    expect(rows).toContainEqual(['matching', 'auto_matched', '100', '']);
    expect(rows).toContainEqual(['matching', 'pending_review', '3', '']);
    expect(rows).toContainEqual(['rates', 'stp_rate', '83.3', 'percent']);
    expect(rows).toContainEqual(['open_by_type', 'PRICE', '3', '']);
    expect(rows).toContainEqual(['next_deadline', 'X|INTERNAL#T-1|price', '2026-11-25T02:00:00.000Z', 'P2']);
    expect(rows).toContainEqual(['top_counterparty', 'DEUTDEFF', '3', 'open breaks']);
  });

  it('quotes values per RFC 4180 and reads back to the same values', () => {
    const problem = 'price: "12,5" is not\na decimal';
    const report = aReport({ unreadable: [{ id: 'T-1, T-2', itemType: 'trade', problem }] });
    const csv = reportCsv(report);
    expect(csv).toContain('unreadable,"T-1, T-2",trade,"price: ""12,5"" is not\na decimal"\r\n');
    expect(csvRows(csv)).toContainEqual(['unreadable', 'T-1, T-2', 'trade', problem]);
  });

  it('defuses cells a spreadsheet would run as a formula, leaving negative numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell('plain')).toBe('plain');
  });
});

describe('reportUsage', () => {
  it('explains the arguments, with what was wrong', () => {
    const message = reportUsage('date: "2026-13-01" is not a date in YYYY-MM-DD form <!here>');
    expect(message.text).toBe(
      ':warning: date: "2026-13-01" is not a date in YYYY-MM-DD form &lt;!here&gt;\nUsage: /settle-report [date] [desk] [public]',
    );
    expect(wire(message)).toContain('*Usage:* `/settle-report [date] [desk] [public]`');
    expect(ourBlockKitProblems(message)).toStrictEqual([]);
    expect(reportUsage().text).toBe('Usage: /settle-report [date] [desk] [public]');
  });
});
