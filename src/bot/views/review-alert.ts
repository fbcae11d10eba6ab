import type { KnownBlock } from '@slack/types';
import type { FieldResult, Match, Trade } from '../../settlement/index.ts';
import { ACTION_IDS } from './action-ids.ts';
import { blockId } from './block-ids.ts';
import { mrkdwn, plainText, safe } from './mrkdwn.ts';
import { reviewButtonValue } from './review-payloads.ts';
import { FIELD_LABELS } from './settlement-labels.ts';
import type { SlackMessage } from './slack-message.ts';
import { clockTime, dateTime } from './time-format.ts';
import { tradeSummary, value } from './trade-summary.ts';
import { splitText, truncateText } from './truncate.ts';

export interface ReviewAlertInput {
  readonly match: Match;
  readonly internal: Trade;
  readonly counterparty: Trade;
  /** Other candidates that scored as well (ambiguous matches); empty otherwise. */
  readonly rivals: readonly Match[];
  /** The desk's time zone (`deskTimeZone(match.desk)`). */
  readonly timeZone: string;
  readonly blockIdSuffix?: string;
}

export interface ReviewDecidedInput extends ReviewAlertInput {
  readonly decision: 'APPROVED' | 'REJECTED';
  /** The decider's display name. */
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly reason?: string;
}

const MAX_RIVALS = 5;
const MAX_REASONS = 5;

/** An escalated match (PENDING_REVIEW) with **Approve** and **Reject** buttons. */
export function reviewAlert(input: ReviewAlertInput): SlackMessage {
  const { match, blockIdSuffix } = input;
  const value = reviewButtonValue({ matchId: match.matchId, version: match.version });
  const blocks = reviewContent(input, `Match to review: ${pairName(input)}`);
  blocks.push({
    type: 'actions',
    block_id: blockId('review_actions', blockIdSuffix),
    elements: [
      {
        type: 'button',
        action_id: ACTION_IDS.approve,
        text: plainText('Approve', 75),
        style: 'primary',
        value,
      },
      {
        type: 'button',
        action_id: ACTION_IDS.reject,
        text: plainText('Reject', 75),
        style: 'danger',
        value,
      },
    ],
  });
  return {
    text: truncateText(
      `Match to review: ${safe(pairName(input), 400)} (confidence ${match.confidence}, desk ${safe(match.desk, 100)})`,
      3000,
    ),
    blocks,
  };
}

/** The same alert once decided: no buttons, and who decided and when. */
export function reviewDecidedAlert(input: ReviewDecidedInput): SlackMessage {
  const verb = input.decision === 'APPROVED' ? 'Approved' : 'Rejected';
  const mark = input.decision === 'APPROVED' ? ':white_check_mark:' : ':x:';
  const line = `${verb} by ${safe(input.decidedBy, 100)} at ${clockTime(input.decidedAt, input.timeZone, 'decidedAt')}`;
  const reason =
    input.reason === undefined || input.reason.trim() === ''
      ? ''
      : `\n*Reason:* ${safe(input.reason.replace(/\s+/g, ' ').trim(), 500)}`;
  const blocks = reviewContent(input, `${verb}: ${pairName(input)}`);
  blocks.push({
    type: 'section',
    block_id: blockId('review_decision', input.blockIdSuffix),
    text: mrkdwn(`${mark} *${line}*${reason}`),
  });
  return {
    text: truncateText(`${verb}: ${safe(pairName(input), 400)}. ${line}`, 3000),
    blocks,
  };
}

function pairName(input: ReviewAlertInput): string {
  return `${truncateText(input.internal.tradeId, 60)} ↔ ${truncateText(input.counterparty.tradeId, 60)}`;
}

/** Header, summary, both sides, the field-by-field comparison, rivals and a context line. */
function reviewContent(input: ReviewAlertInput, title: string): KnownBlock[] {
  const { match, internal, counterparty, timeZone, blockIdSuffix } = input;
  const id = (base: string) => blockId(base, blockIdSuffix);
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: id('review_header'), text: plainText(title, 150) },
    {
      type: 'section',
      block_id: id('review_summary'),
      fields: [
        mrkdwn(`*Confidence*\n${match.confidence} / 100`),
        mrkdwn(`*Desk*\n${value(match.desk)}`),
        mrkdwn(`*Trade date*\n${value(match.tradeDate)}`),
        mrkdwn(`*Match*\n${value(match.matchId)}`),
      ],
    },
    {
      type: 'section',
      block_id: id('review_sides'),
      fields: [mrkdwn(tradeSummary(internal)), mrkdwn(tradeSummary(counterparty))],
    },
  ];
  const comparison = match.fields.map(fieldLine);
  if (comparison.length === 0) comparison.push('_No fields were compared._');
  splitText(`*Field by field* (ours vs theirs)\n${comparison.join('\n')}`, 3000)
    .slice(0, 8)
    .forEach((text, i) => {
      blocks.push({ type: 'section', block_id: id(`review_fields_${i}`), text: mrkdwn(text) });
    });
  const reasons = match.reviewReasons ?? [];
  if (reasons.length > 0) {
    const more = reasons.length > MAX_REASONS ? `\n… (${reasons.length - MAX_REASONS} more)` : '';
    const text = reasons
      .slice(0, MAX_REASONS)
      .map((r) => `• ${safe(r, 300)}`)
      .join('\n');
    blocks.push({
      type: 'section',
      block_id: id('review_reasons'),
      text: mrkdwn(truncateText(`*Why it needs a person*\n${text}`, 2900) + more),
    });
  }
  const rivalText = rivalsText(input.rivals, match);
  if (rivalText !== undefined)
    blocks.push({ type: 'section', block_id: id('review_rivals'), text: mrkdwn(rivalText) });
  blocks.push({
    type: 'context',
    block_id: id('review_context'),
    elements: [
      mrkdwn(
        `Match ${value(match.matchId)} v${match.version} · trades v${match.internalVersion}/v${match.counterpartyVersion} · raised ${dateTime(match.createdAt, timeZone, 'match.createdAt')}`,
      ),
    ],
  });
  return blocks;
}

/** One compared field: equal fields plain, differing ones marked and bold with code and tolerance. */
function fieldLine(f: FieldResult): string {
  const label = FIELD_LABELS[f.field];
  if (f.outcome === 'EXACT') return `:white_check_mark: ${label}: ${value(f.ours)}`;
  const sides = `ours *${value(f.ours)}* · theirs *${value(f.theirs)}*`;
  if (f.outcome === 'NOT_COMPARED') return `:grey_question: ${label}: ${sides} (not compared)`;
  const verdict =
    f.outcome === 'WITHIN'
      ? 'within tolerance'
      : f.outcome === 'RULE'
        ? `explained by rule ${safe(f.rule ?? 'unnamed', 80)}`
        : f.outcome === 'PARTIAL'
          ? 'partial match'
          : 'outside tolerance';
  const code = f.reasonCode === undefined ? '' : `${f.reasonCode}, `;
  const penalty = f.penalty > 0 ? ` (−${f.penalty} pts)` : '';
  return `:warning: *${label}*: ${sides} — ${code}${verdict} ${safe(f.tolerance, 80)}${penalty}`;
}

function rivalsText(rivals: readonly Match[], match: Match): string | undefined {
  const others = rivals.filter((r) => r.matchId !== match.matchId);
  if (others.length === 0) return undefined;
  const lines = others
    .slice(0, MAX_RIVALS)
    .map(
      (r) =>
        `• ${value(r.matchId)} with ${value(r.counterpartyRef)} — confidence ${r.confidence} (${r.status.toLowerCase()})`,
    );
  const more =
    others.length > MAX_RIVALS ? `\n… (${others.length - MAX_RIVALS} more, ask for the full list)` : '';
  return `:twisted_rightwards_arrows: *Ambiguous:* ${others.length} other candidate${others.length === 1 ? '' : 's'} scored as well\n${truncateText(lines.join('\n'), 2700)}${more}`;
}
