import type { BotJob } from './jobs.ts';
import type { FifoKeys } from './sqs-job-queue.ts';

/**
 * A job's place on the FIFO queue: its conversation as the message group — the thread for a question
 * (`thread_ts ?? ts`), the alert message for a decision, the person for a command — so one
 * conversation's jobs are worked in order while other conversations run beside them; and Slack's id
 * for the delivery (event id or trigger id) as the deduplication id, so a job sent twice (a retry
 * racing its first delivery past the ledger) is queued once.
 */
export function botJobFifoKeys(job: BotJob): FifoKeys {
  const team = job.teamId === '' ? '-' : job.teamId;
  const groupId =
    job.kind === 'question'
      ? `${team}:${job.channelId}:${job.threadTs ?? job.ts}`
      : job.kind === 'decision'
        ? `${team}:${job.channelId}:${job.messageTs}`
        : `${team}:${job.userId}`;
  if (job.deliveryId === '') throw new Error(`a ${job.kind} job needs its Slack delivery id to be queued`);
  return { groupId, deduplicationId: job.deliveryId };
}
