import type { SlackRateLimit } from './slack-emulator-types.ts';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per method and channel, as Slack paces `chat.postMessage` (about one message a second
 * per channel, short bursts allowed). `take` answers the seconds to wait when the bucket is empty.
 */
export class SlackRateLimiter {
  private readonly limits = new Map<string, SlackRateLimit>();
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => Date) {}

  set(method: string, limit: SlackRateLimit): void {
    if (!(limit.perChannelPerSecond > 0) || !(limit.burst >= 1))
      throw new RangeError('rateLimit needs perChannelPerSecond > 0 and burst >= 1');
    this.limits.set(method, limit);
  }

  /** Undefined when the call may go ahead (and is counted), else the Retry-After in whole seconds. */
  take(method: string, channel: string | undefined): number | undefined {
    const limit = this.limits.get(method);
    if (limit === undefined) return undefined;
    const key = `${method}\u0000${channel ?? ''}`;
    const now = this.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((now - bucket.at) / 1000) * limit.perChannelPerSecond,
    );
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perChannelPerSecond));
  }
}
