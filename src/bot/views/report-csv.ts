import type { SettlementReport } from '../../settlement/index.ts';

/**
 * The whole report as CSV for `files.uploadV2`: one row per figure or listed item, in four columns
 * `section,item,value,detail`, RFC 4180 (CRLF line ends, quoting where a value needs it). Cells that
 * a spreadsheet would run as a formula (`=`, `+`, `@`, `-` not followed by a number) get a leading `'`.
 */
export function reportCsv(r: SettlementReport): string {
  const rows: string[][] = [['section', 'item', 'value', 'detail']];
  const add = (section: string, item: string, value: string | number, detail = '') => {
    rows.push([section, item, String(value), detail]);
  };
  add('report', 'trade_date', r.tradeDate, r.dateBasis);
  add('report', 'desk', r.desk ?? 'all');
  add('report', 'generated_at', r.generatedAt);
  add('trades', 'internal', r.trades.internal);
  add('trades', 'counterparty', r.trades.counterparty);
  for (const [k, v] of Object.entries(r.matching)) add('matching', snake(k), v);
  add('rates', 'match_rate', r.matchRate, 'percent');
  add('rates', 'stp_rate', r.stpRate, 'percent');
  const e = r.exceptions;
  add('exceptions', 'open', e.open);
  add('exceptions', 'auto_resolved', e.autoResolved);
  add('exceptions', 'resolved', e.resolved);
  for (const [type, n] of Object.entries(e.openByType)) add('open_by_type', type, n ?? 0);
  add('open_by_age', 'under_1h', e.openByAge.under1h);
  add('open_by_age', '1h_to_4h', e.openByAge.from1hTo4h);
  add('open_by_age', 'over_4h', e.openByAge.over4h);
  add('sla', 'warnings', r.sla.warnings);
  add('sla', 'breaches', r.sla.breaches);
  for (const d of r.sla.nextDeadlines) add('next_deadline', d.exceptionId, d.deadline, d.priority);
  for (const c of r.topCounterparties) add('top_counterparty', c.bic, c.openBreaks, 'open breaks');
  add('orphans', 'count', r.orphans.count);
  add('orphans', 'under_1h', r.orphans.byAge.under1h);
  add('orphans', '1h_to_4h', r.orphans.byAge.from1hTo4h);
  add('orphans', 'over_4h', r.orphans.byAge.over4h);
  for (const o of r.orphans.oldest) add('orphan', o.ref, o.receivedAt, o.counterpartyBic);
  for (const u of r.unreadable ?? []) add('unreadable', u.id, u.itemType, u.problem);
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** One cell: formula-looking values defused, then quoted when it holds `"`, `,`, CR, LF or edge spaces. */
export function csvCell(raw: string): string {
  const value = /^[=+@\t\r]|^-(?!\d+(\.\d+)?$)/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
