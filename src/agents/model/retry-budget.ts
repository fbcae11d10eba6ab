/**
 * A retry budget shared by every call of one model client (a token bucket, as the AWS SDKs' standard
 * retry mode keeps one): each retry takes `retryCost` tokens, each call that succeeds at its first
 * attempt gives one back, up to `capacity`. When the service is failing for everyone, retries stop
 * soon instead of multiplying the load (the AWS Builders' Library, "Timeouts, retries, and backoff
 * with jitter": https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
 */
export class RetryBudget {
  readonly capacity: number;
  readonly retryCost: number;
  #tokens: number;

  constructor(options: { readonly capacity?: number; readonly retryCost?: number } = {}) {
    this.capacity = options.capacity ?? 100;
    this.retryCost = options.retryCost ?? 5;
    this.#tokens = this.capacity;
  }

  get available(): number {
    return this.#tokens;
  }

  /** Takes the cost of one retry; false (and nothing taken) when the budget cannot pay for it. */
  tryAcquire(): boolean {
    if (this.#tokens < this.retryCost) return false;
    this.#tokens -= this.retryCost;
    return true;
  }

  /** A call succeeded at its first attempt. */
  recordSuccess(): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + 1);
  }
}
