import type { RememberOutcome, ScreenReason } from '../memory/index.ts';

const WHY: Readonly<Record<ScreenReason | 'NOT_A_USER_TURN_OF_THE_SESSION', string>> = {
  EMPTY: 'there was nothing in it to keep',
  TOO_LONG: 'it is too long to keep as one fact',
  UNPRINTABLE: 'it contains characters I do not store',
  SECRET: 'it looks like a secret (passwords, tokens and keys are never kept)',
  CONTACT_DETAIL: 'it contains contact details, which I do not keep',
  ISIN: 'it names an instrument (trade data is never kept)',
  ACCOUNT_NUMBER: 'it contains an account number, which I never keep',
  TRADE_REFERENCE: 'it names a trade (trade data is never kept)',
  AMOUNT: 'it contains an amount or price, which I never keep',
  ENTITLEMENT_CLAIM:
    'it is about roles or access, which only the principal directory grants (ask an administrator)',
  INSTRUCTION_OVERRIDE: 'it would change how I work, which a remembered fact cannot do',
  COUNTERPARTY_OUTSIDE_NOTE: 'counterparty details are kept only as notes about that counterparty',
  NOT_A_USER_TURN_OF_THE_SESSION: 'it was not something you said in this conversation',
};

const KINDS =
  'I keep standing facts about you: what you cover, your preferences, standing instructions and notes on counterparties — never trade data, amounts, account numbers or secrets.';

/** The agent's reply to an explicit "remember that …" turn, from what consolidation did with it. */
export function rememberReply(outcome: RememberOutcome): string {
  if (!outcome.ok) {
    return outcome.reason === 'NOTHING_TO_REMEMBER'
      ? `I found nothing durable to keep in that. ${KINDS}`
      : `I could not keep that just now (${outcome.reason.toLowerCase().replaceAll('_', ' ')}); nothing was stored.`;
  }
  const lines: string[] = [];
  if (outcome.kept.length > 0) {
    lines.push('Noted. I will remember:', ...outcome.kept.map((f) => `• ${f.text}`));
  }
  const reasons = [...new Set(outcome.refused.map((r) => WHY[r.reason]))];
  if (reasons.length > 0) {
    lines.push(
      `${outcome.kept.length > 0 ? 'I left out part of it' : 'I did not keep that'}: ${reasons.join('; ')}.`,
    );
  }
  if (lines.length === 0) return `I found nothing durable to keep in that. ${KINDS}`;
  lines.push('See or forget what I keep with /settle-memory (or `settleops memory list`).');
  return lines.join('\n');
}
