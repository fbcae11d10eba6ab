import type { Logger } from '../../logger.ts';
import type { DeliveryLedger } from '../delivery-ledger.ts';
import type { JobQueue } from '../job-queue.ts';
import type { BotJob } from '../jobs.ts';

/** What every listener gets: the ledger of deliveries already taken, the queue, a logger. */
export interface IngressDeps {
  readonly ledger: DeliveryLedger;
  readonly queue: JobQueue<BotJob>;
  readonly logger: Logger;
}

/**
 * Enqueues `job` unless one of `keys` was delivered before (a Slack retry, a duplicate with a new
 * event id): the check and its record are one conditional write. If the queue refuses the job, the
 * keys are released and the error goes up, so Slack's retry is taken rather than lost as a
 * "duplicate".
 */
export async function enqueueOnce(deps: IngressDeps, keys: readonly string[], job: BotJob): Promise<boolean> {
  // Bolt runs this right after the ack. Let the requests already waiting on their sockets be read and
  // acked first: in a burst, each ledger write's client-side work would otherwise hold up the acks
  // of the requests behind it.
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (!(await deps.ledger.firstDelivery(keys))) {
    deps.logger.info('duplicate delivery ignored', { keys });
    return false;
  }
  try {
    await deps.queue.enqueue(job);
  } catch (error) {
    await deps.ledger.release(keys);
    throw error;
  }
  return true;
}
