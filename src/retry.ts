/**
 * Retries with "full jitter" (the AWS Architecture Blog's backoff study), for every caller: the Converse
 * client's throttling retries and the store's optimistic-concurrency retries.
 */
/** How often and how long to retry a throttled call. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryOptions extends RetryPolicy {
  /** True when the error is worth another attempt (throttling, 5xx); anything else is rethrown at once. */
  readonly isRetryable: (error: unknown) => boolean;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A number in [0, 1); `Math.random` unless a test injects one. */
  readonly random?: () => number;
  readonly signal?: AbortSignal;
  /** Called before each wait, with the attempt that failed (0-based) and the delay chosen. */
  readonly onRetry?: (info: {
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: unknown;
  }) => void;
}

/**
 * The "full jitter" delay of the AWS Architecture Blog's backoff study:
 * `random(0, min(cap, base · 2^attempt))`, with `attempt` counted from 0.
 */
export function fullJitterDelay(
  attempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error, or `maxAttempts` is spent; waits a
 * full-jitter delay between attempts. The last error is rethrown unchanged.
 */
export async function retryWithFullJitter<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const attempts = Math.max(1, Math.floor(options.maxAttempts));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !options.isRetryable(error) || options.signal?.aborted) throw error;
      const delayMs = fullJitterDelay(attempt, options, random);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
