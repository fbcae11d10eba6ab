import type { Logger } from '../logger.ts';

/**
 * Where ingress hands work to workers: it returns at once (Slack wants an ack within 3 seconds) and
 * the slow part runs elsewhere. The in-process adapter runs jobs in this process; the infrastructure
 * step adds SQS, with the same handlers behind it.
 */
export interface JobQueue<J> {
  enqueue(job: J): Promise<void>;
}

/** Runs jobs in this process, at most `concurrency` at a time, in arrival order. */
export class InProcessJobQueue<J> implements JobQueue<J> {
  readonly #queue: J[] = [];
  readonly #concurrency: number;
  #running = 0;
  #idle: Array<() => void> = [];

  constructor(
    private readonly handle: (job: J) => Promise<void>,
    private readonly logger: Logger,
    options: { readonly concurrency?: number } = {},
  ) {
    this.#concurrency = Math.max(1, options.concurrency ?? 8);
  }

  async enqueue(job: J): Promise<void> {
    this.#queue.push(job);
    // Jobs start after pending I/O (Slack's requests waiting to be acked), never inside the caller.
    setImmediate(() => this.#pump());
  }

  /** Resolves once every job enqueued so far has finished (shutdown, tests). */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running < this.#concurrency) {
      const job = this.#queue.shift();
      if (job === undefined) break;
      this.#running++;
      this.handle(job)
        .catch((error: unknown) => this.logger.error('job failed', { error }))
        .finally(() => {
          this.#running--;
          this.#pump();
          if (this.#running === 0 && this.#queue.length === 0) {
            const waiting = this.#idle;
            this.#idle = [];
            for (const resolve of waiting) resolve();
          }
        });
    }
  }
}
