import type { KnownBlock, MrkdwnElement } from '@slack/types';
import type { SettlementException, Trade } from '../../settlement/index.ts';
import { blockId } from './block-ids.ts';
import { mrkdwn, plainText, safe } from './mrkdwn.ts';
import { EXCEPTION_TYPE_LABELS, PRIORITY_MARKS } from './settlement-labels.ts';
import type { SlackMessage } from './slack-message.ts';
import { dateTime, deadlineDistance } from './time-format.ts';
import { tradeSummary, value } from './trade-summary.ts';
import { truncateText } from './truncate.ts';

export interface ExceptionAlertInput {
  readonly exception: SettlementException;
  /** Our trade the exception is about. */
  readonly trade: Trade;
  /** The desk's time zone (`deskTimeZone(exception.desk)`). */
  readonly timeZone: string;
  readonly blockIdSuffix?: string;
}

export interface SlaAlertInput extends ExceptionAlertInput {
  readonly level: 'WARNING' | 'BREACH';
  /** The sweeper's `now` (ISO): builders never read the clock. */
  readonly now: string;
}

/** A new exception: trade, type, ISO reason code, what differs, priority, SLA deadline in the desk's zone. */
export function exceptionAlert(input: ExceptionAlertInput): SlackMessage {
  const { exception: e, trade } = input;
  const label = EXCEPTION_TYPE_LABELS[e.type];
  const title = `${label} (${e.reasonCode}) on ${trade.tradeId}`;
  return {
    text: fallback(
      `:rotating_light: ${label} (${e.reasonCode}) on ${safe(trade.tradeId, 100)}, ${e.priority}`,
      input,
    ),
    blocks: exceptionBlocks(input, `:rotating_light: ${title}`),
  };
}

/**
 * An exception that has closed (resolved, auto-resolved): what its alerts become, no longer asking
 * anyone to act; who resolved it and how are in the context line.
 */
export function exceptionResolvedAlert(input: ExceptionAlertInput): SlackMessage {
  const { exception: e, trade } = input;
  const label = EXCEPTION_TYPE_LABELS[e.type];
  return {
    text: fallback(
      `:white_check_mark: Resolved: ${label} (${e.reasonCode}) on ${safe(trade.tradeId, 100)}`,
      input,
    ),
    blocks: exceptionBlocks(
      input,
      `:white_check_mark: Resolved: ${label} (${e.reasonCode}) on ${trade.tradeId}`,
    ),
  };
}

/** An exception nearing (WARNING) or past (BREACH) its SLA deadline. */
export function slaAlert(input: SlaAlertInput): SlackMessage {
  const { exception: e, trade } = input;
  const distance = deadlineDistance(e.slaDeadline, input.now);
  const head = input.level === 'BREACH' ? ':red_circle: SLA breach' : ':alarm_clock: SLA warning';
  const title = `${head}: ${trade.tradeId} ${distance}`;
  const blocks = exceptionBlocks(input, title);
  blocks.splice(1, 0, {
    type: 'section',
    block_id: blockId('sla_distance', input.blockIdSuffix),
    text: mrkdwn(
      `*${distance}* — deadline ${dateTime(e.slaDeadline, input.timeZone, 'exception.slaDeadline')} for the ${EXCEPTION_TYPE_LABELS[e.type].toLowerCase()} (${e.reasonCode}).`,
    ),
  });
  return {
    text: fallback(
      `${head}: ${safe(trade.tradeId, 100)} ${distance} (${e.reasonCode}, ${e.priority})`,
      input,
    ),
    blocks,
  };
}

/**
 * CMIS at the deadline: our trade reached its matching cut-off with no counterparty record. Takes the
 * CMIS exception the sweeper raised and our trade.
 */
export function missingConfirmationAlert(input: ExceptionAlertInput): SlackMessage {
  const { trade, timeZone } = input;
  const title = `:hourglass: No counterparty confirmation (CMIS) for ${trade.tradeId}`;
  const blocks = exceptionBlocks(input, title);
  blocks.splice(1, 0, {
    type: 'section',
    block_id: blockId('cmis_deadline', input.blockIdSuffix),
    text: mrkdwn(
      `No record from ${value(trade.counterpartyBic)} was received for this trade by its matching deadline, ${dateTime(trade.matchDeadline, timeZone, 'trade.matchDeadline')}. Chase the counterparty for its confirmation.`,
    ),
  });
  return {
    text: fallback(
      `No counterparty confirmation (CMIS) for ${safe(trade.tradeId, 100)} from ${value(trade.counterpartyBic)}`,
      input,
    ),
    blocks,
  };
}

function fallback(text: string, input: ExceptionAlertInput): string {
  return truncateText(`${text} — desk ${safe(input.exception.desk, 100)}`, 3000);
}

function exceptionBlocks(input: ExceptionAlertInput, title: string): KnownBlock[] {
  const { exception: e, trade, timeZone, blockIdSuffix } = input;
  const id = (base: string) => blockId(base, blockIdSuffix);
  const fields: MrkdwnElement[] = [
    mrkdwn(`*Trade*\n${value(trade.tradeId)} (${value(e.tradeRef)})`),
    mrkdwn(`*Type*\n${EXCEPTION_TYPE_LABELS[e.type]} · ${e.reasonCode}`),
    mrkdwn(`*Priority*\n${PRIORITY_MARKS[e.priority]}`),
    mrkdwn(`*SLA deadline*\n${dateTime(e.slaDeadline, timeZone, 'exception.slaDeadline')}`),
    mrkdwn(`*Desk*\n${value(e.desk)}`),
    mrkdwn(`*Trade date*\n${value(e.tradeDate)}`),
    mrkdwn(`*Notional*\n${value(e.notional)} ${value(e.currency)}`),
    mrkdwn(`*Status*\n${e.status}`),
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', block_id: id('exception_header'), text: plainText(title, 150) },
    { type: 'section', block_id: id('exception_summary'), fields },
  ];
  const differs =
    e.ours === undefined && e.theirs === undefined
      ? ''
      : `*What differs:* ours *${value(e.ours)}* · theirs *${value(e.theirs)}*\n`;
  blocks.push({
    type: 'section',
    block_id: id('exception_details'),
    text: mrkdwn(truncateText(`${differs}${safe(e.details, 1000)}`, 3000)),
  });
  blocks.push({ type: 'section', block_id: id('exception_trade'), text: mrkdwn(tradeSummary(trade)) });
  const resolved =
    e.resolution === undefined
      ? ''
      : ` · resolved by ${safe(e.resolution.by, 100)} (${safe(e.resolution.how, 100)})`;
  blocks.push({
    type: 'context',
    block_id: id('exception_context'),
    elements: [
      mrkdwn(
        `Exception ${value(e.exceptionId)} · raised ${dateTime(e.createdAt, timeZone, 'exception.createdAt')}${resolved}`,
      ),
    ],
  });
  return blocks;
}
