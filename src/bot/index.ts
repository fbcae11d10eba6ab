export { type BotAppOptions, createBotApp } from './app.ts';
export { DELIVERY_TTL_SECONDS, type DeliveryLedger, DynamoDbDeliveryLedger } from './delivery-ledger.ts';
export { botJobFifoKeys } from './fifo-keys.ts';
export { InProcessJobQueue, type JobQueue } from './job-queue.ts';
export { BotJobSchema, type ParsedJob, parseBotJob } from './job-schema.ts';
export type { BotJob } from './jobs.ts';
export type { IngressDeps } from './listeners/ingress.ts';
export {
  ALERT_MESSAGE_TTL_SECONDS,
  type AlertMessage,
  type AlertMessages,
  DynamoDbAlertMessages,
} from './notifier/alert-messages.ts';
export {
  ALERT_EVENT_TYPE,
  createNotifier,
  NOTIFIER_CLIENT_OPTIONS,
  type Notifier,
  type NotifierDeps,
  type NotifierPass,
  notifierSlackClient,
} from './notifier/notifier.ts';
export { type FifoKeys, SqsJobQueue, sqsId } from './sqs-job-queue.ts';
export { createWorker, parseReportArgs, type WorkerDeps, withoutMention } from './worker/index.ts';
