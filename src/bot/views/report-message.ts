import type { KnownBlock } from '@slack/types';
import type { SettlementReport } from '../../settlement/index.ts';
import { blockId } from './block-ids.ts';
import { mrkdwn, plainText, safe } from './mrkdwn.ts';
import { EXCEPTION_TYPE_LABELS } from './settlement-labels.ts';
import type { SlackMessage } from './slack-message.ts';
import { dateTime } from './time-format.ts';
import { value } from './trade-summary.ts';
import { truncateText } from './truncate.ts';

export interface ReportMessageInput {
  readonly report: SettlementReport;
  /** The date asked for (defaults to the report's trade date). */
  readonly date?: string;
  /** The desk asked for (defaults to the report's desk, or every desk). */
  readonly desk?: string;
  /** Zone for the instants shown (generated at, deadlines); UTC when absent. */
  readonly timeZone?: string;
  readonly blockIdSuffix?: string;
}

/** Items listed per part of the report before "… (n more, see the attached CSV)". */
const LISTED = 10;
const MORE_NOTE = 'see the attached CSV';

/** `/settle-report`: figures, exceptions by type and age, SLA, counterparties with most breaks. */
export function reportMessage(input: ReportMessageInput): SlackMessage {
  const { report: r } = input;
  const tz = input.timeZone ?? 'UTC';
  const date = input.date ?? r.tradeDate;
  const desk = input.desk ?? r.desk ?? 'all desks';
  const id = (base: string) => blockId(base, input.blockIdSuffix);
  const m = r.matching;
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: id('report_header'),
      text: plainText(`Settlement report ${date} · ${desk}`, 150),
    },
    {
      type: 'section',
      block_id: id('report_figures'),
      fields: [
        mrkdwn(`*Trades*\n${r.trades.internal} internal · ${r.trades.counterparty} counterparty`),
        mrkdwn(`*Match rate*\n${value(r.matchRate)} %`),
        mrkdwn(`*STP rate*\n${value(r.stpRate)} %`),
        mrkdwn(`*Matched*\n${m.autoMatched} auto · ${m.approved} approved`),
        mrkdwn(`*Waiting*\n${m.pendingReview} for review · ${m.unmatched} unmatched`),
        mrkdwn(`*In exception*\n${m.inException} trades · ${m.rejected} rejected matches`),
      ],
    },
    { type: 'section', block_id: id('report_exceptions'), text: mrkdwn(exceptionsText(r)) },
    { type: 'section', block_id: id('report_sla'), text: mrkdwn(slaText(r, tz)) },
    { type: 'section', block_id: id('report_counterparties'), text: mrkdwn(counterpartiesText(r)) },
  ];
  if (r.orphans.count > 0)
    blocks.push({ type: 'section', block_id: id('report_orphans'), text: mrkdwn(orphansText(r, tz)) });
  if (r.unreadable !== undefined && r.unreadable.length > 0)
    blocks.push({ type: 'section', block_id: id('report_unreadable'), text: mrkdwn(unreadableText(r)) });
  blocks.push({
    type: 'context',
    block_id: id('report_context'),
    elements: [
      mrkdwn(
        `Trade date ${value(r.tradeDate)} (${safe(r.dateBasis, 100)}) · generated ${dateTime(r.generatedAt, tz, 'report.generatedAt')} · full detail in the attached CSV`,
      ),
    ],
  });
  return {
    text: truncateText(
      `Settlement report ${safe(date, 40)} · ${safe(desk, 80)}: match rate ${value(r.matchRate)} %, STP ${value(r.stpRate)} %, ${r.exceptions.open} open exceptions, ${r.sla.breaches} SLA breaches`,
      3000,
    ),
    blocks,
  };
}

/**
 * The title and up to `LISTED` lines, as many as fit a section's 3000 characters, then the count of
 * the rest ("… (n more, see the attached CSV)").
 */
function listed(title: string, lines: readonly string[], empty: string): string {
  const reserve = 60;
  let text = truncateText(title, 3000 - reserve - empty.length - 1);
  if (lines.length === 0) return empty === '' ? text : `${text}\n${empty}`;
  let shown = 0;
  for (const line of lines.slice(0, LISTED)) {
    if (text.length + 1 + line.length > 3000 - reserve) break;
    text += `\n${line}`;
    shown++;
  }
  return shown < lines.length ? `${text}\n… (${lines.length - shown} more, ${MORE_NOTE})` : text;
}

function exceptionsText(r: SettlementReport): string {
  const e = r.exceptions;
  const byType = Object.entries(e.openByType)
    .filter(
      (entry): entry is [keyof typeof EXCEPTION_TYPE_LABELS, number] => entry[0] in EXCEPTION_TYPE_LABELS,
    )
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([type, n]) => `• ${EXCEPTION_TYPE_LABELS[type]}: ${n}`);
  const a = e.openByAge;
  return listed(
    `*Exceptions:* ${e.open} open · ${e.autoResolved} auto-resolved · ${e.resolved} resolved\n_Open by age:_ < 1 h ${a.under1h} · 1–4 h ${a.from1hTo4h} · > 4 h ${a.over4h}\n_Open by type:_`,
    byType,
    '• none',
  );
}

function slaText(r: SettlementReport, tz: string): string {
  const lines = r.sla.nextDeadlines.map(
    (d) =>
      `• ${value(d.exceptionId)} due ${dateTime(d.deadline, tz, 'sla.nextDeadlines.deadline')} (${value(d.priority)})`,
  );
  return listed(
    `*SLA:* ${r.sla.breaches} breaches · ${r.sla.warnings} warnings\n_Next deadlines:_`,
    lines,
    '• none open',
  );
}

function counterpartiesText(r: SettlementReport): string {
  const lines = r.topCounterparties.map((c) => `• ${value(c.bic)}: ${c.openBreaks} open breaks`);
  return listed('*Counterparties with most breaks*', lines, '• none');
}

function orphansText(r: SettlementReport, tz: string): string {
  const o = r.orphans;
  const lines = o.oldest.map(
    (x) =>
      `• ${value(x.ref)} from ${value(x.counterpartyBic)}, received ${dateTime(x.receivedAt, tz, 'orphans.oldest.receivedAt')}`,
  );
  const heading = `*Unmatched counterparty records:* ${o.count} (< 1 h ${o.byAge.under1h} · 1–4 h ${o.byAge.from1hTo4h} · > 4 h ${o.byAge.over4h})\n_Oldest:_`;
  return listed(heading, lines, '• –');
}

function unreadableText(r: SettlementReport): string {
  const list = r.unreadable ?? [];
  const lines = list.map((u) => `• ${value(u.id)} (${value(u.itemType)}): ${safe(u.problem, 150)}`);
  return listed(`*Not counted:* ${list.length} unreadable record${list.length === 1 ? '' : 's'}`, lines, '');
}
