export {
  ACTION_IDS,
  CALLBACK_IDS,
  FORGET_FACT_ACTION_PATTERN,
  forgetFactActionId,
  parseForgetFactActionId,
  REJECT_REASON_INPUT,
} from './action-ids.ts';
export {
  type AnswerMessageInput,
  answerMessage,
  onboardingMessage,
  progressMessage,
} from './answer-message.ts';
export {
  type ExceptionAlertInput,
  exceptionAlert,
  exceptionResolvedAlert,
  missingConfirmationAlert,
  type SlaAlertInput,
  slaAlert,
} from './exception-alert.ts';
export { ourBlockKitProblems } from './limits.ts';
export { MAX_FACTS_SHOWN, type MemoryMessageInput, memoryMessage } from './memory-view.ts';
export { escapeMrkdwn } from './mrkdwn.ts';
export { MIN_REJECT_REASON_LENGTH, rejectReasonModal } from './reject-reason-modal.ts';
export { csvCell, reportCsv } from './report-csv.ts';
export { type ReportMessageInput, reportMessage } from './report-message.ts';
export { reportUsage } from './report-usage.ts';
export {
  type ReviewAlertInput,
  type ReviewDecidedInput,
  reviewAlert,
  reviewDecidedAlert,
} from './review-alert.ts';
export { alreadyDecidedEphemeral, refusalEphemeral } from './review-ephemerals.ts';
export {
  parseRejectReasonMetadata,
  parseReviewButtonValue,
  type RejectReasonMetadata,
  type ReviewButtonValue,
  rejectReasonMetadata,
  reviewButtonValue,
} from './review-payloads.ts';
export type { SlackMessage } from './slack-message.ts';
export { whyMessage } from './trace-view.ts';
export { ViewInputError } from './view-input-error.ts';
