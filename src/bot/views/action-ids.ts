/** The action_ids the bot's buttons carry; the listeners match on these. */
export const ACTION_IDS = {
  approve: 'review_approve',
  reject: 'review_reject',
  why: 'answer_why',
  forgetFact: 'memory_forget',
  forgetAll: 'memory_forget_all',
} as const;

/** The callback_ids of the bot's modals. */
export const CALLBACK_IDS = {
  rejectReason: 'review_reject_reason',
} as const;

/** Where the reject modal's reason sits in `view.state.values[blockId][actionId].value`. */
export const REJECT_REASON_INPUT = {
  blockId: 'review_reject_reason_input',
  actionId: 'reason',
} as const;

/** Slack's limit on an action_id. */
const MAX_ACTION_ID = 255;

const FORGET_PREFIX = `${ACTION_IDS.forgetFact}:`;

/**
 * `memory_forget:<factId>`: one action_id per fact, so the ids of a message stay unique. Undefined
 * when the id would not fit Slack's 255 characters.
 */
export function forgetFactActionId(factId: string): string | undefined {
  const id = FORGET_PREFIX + factId;
  return factId === '' || id.length > MAX_ACTION_ID ? undefined : id;
}

/** The fact id of a `memory_forget:<factId>` action_id, or undefined for any other action. */
export function parseForgetFactActionId(actionId: string): string | undefined {
  if (!actionId.startsWith(FORGET_PREFIX)) return undefined;
  const factId = actionId.slice(FORGET_PREFIX.length);
  return factId === '' ? undefined : factId;
}

/** Matches every per-fact Forget action_id (for `app.action(...)`). */
export const FORGET_FACT_ACTION_PATTERN = /^memory_forget:.+$/;
