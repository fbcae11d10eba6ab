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
 * event id): the check and its record are one conditional write.
 */
export async function enqueueOnce(deps: IngressDeps, keys: readonly string[], job: BotJob): Promise<boolean> {
  if (!(await deps.ledger.firstDelivery(keys))) {
    deps.logger.info('duplicate delivery ignored', { keys });
    return false;
  }
  await deps.queue.enqueue(job);
  return true;
}
