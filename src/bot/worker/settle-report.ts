import { dayReport } from '../../settlement/index.ts';
import type { ReportJob } from '../jobs.ts';
import { respond } from '../respond.ts';
import { reportCsv, reportMessage, reportUsage } from '../views/index.ts';
import type { WorkerDeps } from './deps.ts';
import { principalOfSlackUser } from './slack-principal.ts';

/** `/settle-report [date] [desk] [public]`, parsed; a problem names the argument. */
export type ReportArgs =
  | { readonly ok: true; readonly date?: string; readonly desk?: string; readonly public: boolean }
  | { readonly ok: false; readonly problem: string };

export function parseReportArgs(text: string): ReportArgs {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  let date: string | undefined;
  let desk: string | undefined;
  let isPublic = false;
  for (const w of words) {
    if (/^public$/i.test(w)) {
      if (isPublic) return { ok: false, problem: '`public` given twice' };
      isPublic = true;
    } else if (/^\d{4}-\d{2}-\d{2}$/.test(w)) {
      if (date !== undefined) return { ok: false, problem: `two dates (${date} and ${w})` };
      if (
        Number.isNaN(Date.parse(`${w}T00:00:00Z`)) ||
        new Date(`${w}T00:00:00Z`).toISOString().slice(0, 10) !== w
      )
        return { ok: false, problem: `${w} is not a calendar date` };
      date = w;
    } else if (/^[A-Za-z][A-Za-z0-9-]{1,31}$/.test(w)) {
      if (desk !== undefined) return { ok: false, problem: `two desks (${desk} and ${w})` };
      desk = w.toUpperCase();
    } else {
      return {
        ok: false,
        problem: `"${w.slice(0, 40)}" is neither a date (YYYY-MM-DD), a desk nor \`public\``,
      };
    }
  }
  return {
    ok: true,
    ...(date === undefined ? {} : { date }),
    ...(desk === undefined ? {} : { desk }),
    public: isPublic,
  };
}

/**
 * The report as `settleops report` builds it, for the desks the person may see (a desk they do not
 * hold is refused), through the command's `response_url` — ephemeral unless `public` — with the full
 * detail as a CSV file (in the channel when public, else in the person's DM with the bot).
 */
export async function settleReport(deps: WorkerDeps, job: ReportJob): Promise<void> {
  const args = parseReportArgs(job.args);
  if (!args.ok) {
    await respond(job.responseUrl, { ...reportUsage(), text: `${args.problem}. ${reportUsage().text}` });
    return;
  }
  const asker = await principalOfSlackUser(deps.directory, job.teamId, job.userId);
  if (asker === undefined) {
    await respond(job.responseUrl, {
      text: 'You are not in the SettleOps directory yet; ask an administrator for access.',
    });
    return;
  }
  const { desks } = asker.principal;
  if (args.desk !== undefined && desks !== '*' && !desks.includes(args.desk)) {
    await respond(job.responseUrl, { text: `You do not hold desk ${args.desk}; no report.` });
    return;
  }
  // Without a desk: every desk for someone who holds them all, their one desk otherwise; someone with
  // several desks names one (a report mixing some desks would match no report the CLI prints).
  const scopeDesk = args.desk ?? (desks !== '*' && desks.length === 1 ? desks[0] : undefined);
  if (scopeDesk === undefined && desks !== '*') {
    await respond(job.responseUrl, {
      text: `You hold several desks (${desks.join(', ')}): name one, e.g. \`/settle-report ${desks[0] ?? 'DESK'}\`.`,
    });
    return;
  }
  const report = await dayReport(deps.settlement, { date: args.date, desk: scopeDesk });
  const { tradeDate } = report;
  const message = reportMessage({
    report,
    date: tradeDate,
    ...(scopeDesk === undefined ? {} : { desk: scopeDesk }),
  });
  await respond(job.responseUrl, { ...message, response_type: args.public ? 'in_channel' : 'ephemeral' });
  const channel = args.public
    ? job.channelId
    : (await deps.slack.conversations.open({ users: job.userId })).channel?.id;
  if (channel === undefined) return;
  await deps.slack.filesUploadV2({
    channel_id: channel,
    filename: `settlement-report-${tradeDate}${scopeDesk === undefined ? '' : `-${scopeDesk}`}.csv`,
    title: `Settlement report ${tradeDate}${scopeDesk === undefined ? '' : ` ${scopeDesk}`}`,
    content: reportCsv(report),
    initial_comment: 'The full detail of the report, as CSV.',
  });
}
