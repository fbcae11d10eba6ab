import type { BotJob } from './jobs.ts';
import type { FifoKeys } from './sqs-job-queue.ts';

/**
 * A job's place on the FIFO queue: its conversation as the message group — the thread for a question
 * (`thread_ts ?? ts`), the alert message for a decision, the person for a command — so one
 * conversation's jobs are worked in order while others run beside them; and its first Slack delivery
 * key (the event id, else channel + ts) as the deduplication id, so a redelivery is sent once.
 */
export function botJobFifoKeys(job: BotJob & { readonly deliveryKeys: readonly string[] }): FifoKeys {
  const team = job.teamId === '' ? '-' : job.teamId;
  const groupId =
    job.kind === 'question'
      ? `${team}:${job.channelId}:${job.threadTs ?? job.ts}`
      : job.kind === 'decision'
        ? `${team}:${job.channelId}:${job.messageTs}`
        : `${team}:${job.userId}`;
  const deduplicationId = job.deliveryKeys[0];
  if (deduplicationId === undefined || deduplicationId === '')
    throw new Error('a queued job needs at least one delivery key');
  return { groupId, deduplicationId };
}
