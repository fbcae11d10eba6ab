/*
 * The offline planner's fixed texts: what it is, what it can do, and what it refuses before looking
 * anything up (approvals, changes, forecasts, off-topic requests).
 */

/** The planner's model id in traces and answers. */
export const OFFLINE_PLANNER_LABEL = 'offline-planner';
export const OFFLINE_PLANNER_NAME = 'SettleOps offline planner (rule-based, no language model)';

/** Questions it answers, for the decline text. */
export const EXAMPLES = [
  '"status of <trade id>"',
  '"why is <trade id> not matched?"',
  '"open price breaks on EQ-US"',
  '"exceptions older than 2 hours"',
  '"missing confirmations"',
  '"what is at risk of breaching SLA today?"',
  '"pending approvals"',
  '"today\'s settlement report" or "STP rate"',
  '"audit trail for <trade id>"',
  '"trades with GSCMUS33" or "trades in US0378331005"',
  '"explain <exception id>"',
];

/** What it says when a question is not one it can answer by rules. */
export const DECLINE_TEXT = [
  `I can't answer that offline. I am the ${OFFLINE_PLANNER_NAME}: I recognise common settlement questions by rules and answer them from the settlement records, nothing else.`,
  `Things I can do, for example: ${EXAMPLES.join('; ')}.`,
].join('\n');

/** What it refuses, whatever the wording: deciding matches, changing trades, predicting prices. */
export const REFUSALS: Record<'approval' | 'change' | 'forecast', string> = {
  approval:
    'I cannot approve or reject anything. Approvals are made by a person with the approver role, with the Approve/Reject buttons on the review message in Slack (four eyes: not the person who booked or last amended the trade). I can list what is waiting: ask "pending approvals".',
  change:
    'I cannot delete, cancel or change trades, and nobody can through this assistant. Trades change only through ingestion and the deterministic settlement services; for a break I can raise a proposal for an approver, e.g. "propose a counterparty amendment for X|INTERNAL#T-…|price".',
  forecast: `I can't predict prices or markets. ${DECLINE_TEXT}`,
};

/** Refusals and off-topic requests, decided before anything is looked up. */
export function screen(question: string): string | undefined {
  const lower = question.toLowerCase();
  if (/\b(poem|haiku|limerick|song|joke|story|essay)\b/.test(lower)) return DECLINE_TEXT;
  if (
    /\b(weather|forecast|predict|prediction)\b|\bwill the price\b|\bprice (?:of \S+ )?(?:be )?tomorrow\b/.test(
      lower,
    )
  )
    return /\bprice\b|\bstock\b|\bshares?\b/.test(lower) ? REFUSALS.forecast : DECLINE_TEXT;
  if (/\bpropos/.test(lower)) return undefined;
  if (
    /\b(approve|reject|sign[- ]?off|accept)\b/.test(lower) &&
    !/\bpending\b|\bwaiting\b|\bneeds?\b|\bwho\b|\bawaiting\b|\bqueue\b|\bto (?:approve|review)\b|\bcan\b|\bshould\b|\bhow\b/.test(
      lower,
    )
  )
    return REFUSALS.approval;
  if (/\b(delete|remove|cancel|purge|wipe|drop|truncate|nuke|kill|scrap|bin)\b/.test(lower))
    return REFUSALS.change;
  if (
    /^(?:please |pls |can you |could you |would you |go |now |just )*(amend|modify|change|edit|update|overwrite|set|force|mark|book|settle|fix)\b/.test(
      lower,
    )
  )
    return REFUSALS.change;
  return undefined;
}
