import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import type { PrincipalDirectory } from '../../identity/index.ts';
import type { Logger } from '../../logger.ts';
import { realSleep } from '../../retry.ts';
import type { OutboxRecord, SettlementDeps } from '../../settlement/index.ts';
import type { SlackMessage } from '../views/index.ts';
import type { AlertMessages } from './alert-messages.ts';
import { claimantIsGone, notifierClaimant } from './claimant.ts';
import { type RenderedAlert, renderAlert } from './render-alert.ts';

/** Alerts rendered ahead of the one being posted. */
const RENDER_AHEAD = 16;

/** Marks every alert the bot posts, so a post whose delivery was never recorded is found again. */
export const ALERT_EVENT_TYPE = 'settleops_alert';

/**
 * How the notifier's WebClient must be made: it never retries by itself (a post whose answer was lost
 * may have landed, and a blind retry posts it twice), 429s come back to the notifier, which waits
 * Slack's Retry-After (nothing was done) and tries again, and a call that hangs is given up after 30 s.
 */
export const NOTIFIER_CLIENT_OPTIONS = {
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  timeout: 30_000,
} as const satisfies WebClientOptions;

/** The notifier's Web API client: `options` (API URL, logger) with NOTIFIER_CLIENT_OPTIONS. */
export function notifierSlackClient(token: string, options: WebClientOptions = {}): WebClient {
  return new WebClient(token, { ...options, ...NOTIFIER_CLIENT_OPTIONS });
}

/** Attempts per Slack call: 429s waited out, or answers lost, before the alert is left for the next pass. */
const ATTEMPTS = 5;

export interface NotifierDeps {
  /** Made by notifierSlackClient (no retries of its own). */
  readonly slack: WebClient;
  readonly settlement: SettlementDeps;
  readonly directory: PrincipalDirectory;
  readonly channel: string;
  /** Where each alert was posted, by what it is about (to update it when that changes). */
  readonly messages: AlertMessages;
  readonly logger: Logger;
  /** Pause between posts to the channel (Slack allows about one message a second per channel). */
  readonly minIntervalMs?: number;
  /**
   * How long this notifier holds an alert it is delivering (default 60 s): another notifier over the
   * same outbox (a second process, a Lambda) leaves it alone until then, and takes it over after a
   * crash. Long enough for one post and the WebClient's retries.
   */
  readonly leaseMs?: number;
  /** Wall clock for leases (not the settlement clock, which tests fix). */
  readonly wallClock?: () => Date;
  /**
   * Whether a claimant holding a lease can no longer deliver, so its lease is taken over at once
   * (default: a notifier of a dead process on this host, see claimantIsGone).
   */
  readonly isClaimantGone?: (claimant: string) => boolean;
}

export interface NotifierPass {
  readonly posted: number;
  readonly updated: number;
  readonly recovered: number;
  readonly skipped: number;
  /** Held by another notifier, which delivers it. */
  readonly elsewhere: number;
  readonly failed: number;
}

/**
 * The outbox notifier: posts each pending alert once to the alert channel, records the message `ts`
 * on the outbox record, and updates the original message in place when a later record changes its
 * state (a review decided or superseded). Each post carries message metadata naming its alert, and a
 * pass first reads the channel's recent history for those marks, so an alert posted just before a
 * crash (its delivery not yet recorded) is recorded, not posted again. Slack's 429s are honoured by
 * the WebClient (Retry-After); a failed alert stays pending for the next pass, nothing is lost.
 */
export function createNotifier(deps: NotifierDeps) {
  const interval = deps.minIntervalMs ?? 1100;
  const leaseMs = deps.leaseMs ?? 60_000;
  const wallClock = deps.wallClock ?? (() => new Date());
  // Unique per notifier instance: a restarted process is another claimant. It takes over the leases
  // its killed predecessor left on this host at once, and waits out any other.
  const claimant = notifierClaimant();
  const isGone = deps.isClaimantGone ?? claimantIsGone;
  let lastPost = 0;
  const pace = async () => {
    const wait = lastPost + interval - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    lastPost = Date.now();
  };

  /** Alerts already in the channel (by outbox key) → their ts, from the channel's recent history. */
  const postedSince = async (oldest: string): Promise<Map<string, string>> => {
    const found = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = await deps.slack.conversations.history({
        channel: deps.channel,
        oldest: String(Math.max(0, Date.parse(oldest) / 1000 - 300)),
        include_all_metadata: true,
        limit: 200,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const m of page.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown } } | undefined;
        if (meta?.event_type === ALERT_EVENT_TYPE && typeof meta.event_payload?.key === 'string' && m.ts)
          found.set(meta.event_payload.key, m.ts);
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor !== undefined);
    return found;
  };

  /**
   * Posts an alert once. A 429 did nothing: wait and post. A lost answer (reset, timeout, 5xx) may
   * hide a post that landed: look for it in the channel before posting again.
   */
  const post = async (
    key: string,
    message: SlackMessage,
    since: string,
    lease: { readonly heldSince: number },
  ): Promise<string> => {
    for (let attempt = 1; ; attempt++) {
      await pace();
      try {
        const out = await deps.slack.chat.postMessage({
          channel: deps.channel,
          ...message,
          metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key } },
        });
        if (out.ts === undefined) throw new Error('chat.postMessage answered without a ts');
        return out.ts;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
        const wait = rateLimitedFor(error);
        if (wait !== undefined) {
          // Never past half the lease: another notifier cannot take the alert while this one may post.
          if (wallClock().getTime() - lease.heldSince + wait > leaseMs / 2) throw error;
          await realSleep(wait);
          continue;
        }
        if (!outcomeUnknown(error)) throw error;
        deps.logger.warn('alert post unanswered; checking the channel before posting again', { key, error });
        const landed = await idempotent(() => postedSince(since));
        const ts = landed.get(key);
        if (ts !== undefined) return ts;
      }
    }
  };

  /** A call that is safe to repeat (a read, an update to the same content), repeated as Slack allows. */
  const idempotent = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const wait = rateLimitedFor(error) ?? (outcomeUnknown(error) ? 250 * attempt : undefined);
        if (wait === undefined || attempt >= ATTEMPTS) throw error;
        await realSleep(wait);
      }
    }
  };

  return {
    /** One pass over the pending outbox, oldest first. */
    async runOnce(): Promise<NotifierPass> {
      const tally = { posted: 0, updated: 0, recovered: 0, skipped: 0, elsewhere: 0, failed: 0 };
      const pending: OutboxRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await deps.settlement.store.listPendingOutbox({
          limit: 100,
          ...(cursor === undefined ? {} : { cursor }),
        });
        pending.push(...page.items);
        cursor = page.cursor;
      } while (cursor !== undefined);
      if (pending.length === 0) return tally;
      pending.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.outboxId.localeCompare(b.outboxId));
      const since = pending[0]?.createdAt ?? new Date().toISOString();
      const already = await idempotent(() => postedSince(since));
      // Rendering only reads, so a few are rendered ahead while posts go out one at a time, in order.
      for (let i = 0; i < pending.length; i += RENDER_AHEAD) {
        const batch = pending.slice(i, i + RENDER_AHEAD);
        const rendered = batch.map((record) => settledLater(renderAlert(deps, record)));
        // Claimed ahead too (a lease outlasts the batch's posts): each post then waits on Slack only.
        const claimed = batch.map((record) => settledLater(claim(record.outboxId)));
        for (const [j, record] of batch.entries()) {
          try {
            const claimedAt = await (claimed[j] as Promise<number | undefined>);
            if (claimedAt === undefined) {
              tally.elsewhere++;
              continue;
            }
            const outcome = await deliver(record, await (rendered[j] as Promise<RenderedAlert>), already, {
              since,
              claimedAt,
            });
            tally[outcome]++;
          } catch (error) {
            tally.failed++;
            deps.logger.error('alert not delivered; it stays pending', { outboxId: record.outboxId, error });
          }
        }
      }
      return tally;
    },
  };

  /** Claims (or renews) the lease on an alert: the wall-clock ms it was taken at, or undefined. */
  async function claim(outboxId: string): Promise<number | undefined> {
    const wall = wallClock();
    const lease = { until: new Date(wall.getTime() + leaseMs).toISOString(), at: wall.toISOString() };
    const first = await deps.settlement.store.claimOutbox(outboxId, claimant, lease);
    if (first.claimed) return wall.getTime();
    if (first.heldBy === undefined || !isGone(first.heldBy)) return undefined;
    deps.logger.info('alert lease taken over from a notifier that is gone', { outboxId, from: first.heldBy });
    const again = await deps.settlement.store.claimOutbox(outboxId, claimant, {
      ...lease,
      takeOverFrom: first.heldBy,
    });
    return again.claimed ? wall.getTime() : undefined;
  }

  async function deliver(
    record: OutboxRecord,
    rendered: RenderedAlert,
    already: Map<string, string>,
    pass: { readonly since: string; readonly claimedAt: number },
  ): Promise<'posted' | 'updated' | 'recovered' | 'skipped' | 'elsewhere'> {
    const lease = { heldSince: pass.claimedAt };
    const now = deps.settlement.now().toISOString();
    const done = (delivery: Record<string, string>) =>
      deps.settlement.store.markOutboxDelivered(record.outboxId, delivery, now);
    if (rendered.kind === 'skip') {
      await done({ channel: 'none', reason: rendered.reason });
      return 'skipped';
    }
    if (rendered.kind === 'update') {
      if (rendered.updates.length === 0) {
        // The alert it changes was never posted (or not yet): that alert shows the current state
        // when it is posted.
        await done({ channel: 'none', reason: 'original alert not posted' });
        return 'skipped';
      }
      for (const { ts, message } of rendered.updates) {
        await idempotent(() => deps.slack.chat.update({ channel: deps.channel, ts, ...message }));
      }
      await done({
        channel: deps.channel,
        ts: rendered.updates.map((u) => u.ts).join(','),
        updated: 'true',
      });
      return 'updated';
    }
    const delivery: Record<string, string> = { channel: deps.channel };
    let recovered = 0;
    for (const [i, { key, about, message }] of rendered.posts.entries()) {
      let ts = already.get(key);
      if (ts === undefined) {
        // Claimed a batch ahead: renewed before posting if a quarter of it has gone (posts and 429
        // waits before it), so it never runs out while this notifier may still post.
        if (wallClock().getTime() - lease.heldSince > leaseMs / 4) {
          const renewed = await claim(record.outboxId);
          if (renewed === undefined) return 'elsewhere';
          lease.heldSince = renewed;
        }
        ts = await post(key, message, pass.since, lease);
        already.set(key, ts);
      } else {
        recovered++;
      }
      if (about !== undefined) await deps.messages.put(about, { channel: deps.channel, ts });
      delivery[i === 0 ? 'ts' : `ts${i + 1}`] = ts;
    }
    await done(delivery);
    return recovered === rendered.posts.length ? 'recovered' : 'posted';
  }
}

export type Notifier = ReturnType<typeof createNotifier>;

/** Milliseconds Slack asked to wait (a 429 from a client made with NOTIFIER_CLIENT_OPTIONS). */
function rateLimitedFor(error: unknown): number | undefined {
  if (!hasCode(error, ErrorCode.RateLimitedError)) return undefined;
  const seconds = (error as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === 'number' && seconds >= 0 ? seconds * 1000 : 1000;
}

/** No answer, or not Slack's (reset, timeout, HTTP 5xx): the call may or may not have taken effect. */
function outcomeUnknown(error: unknown): boolean {
  return hasCode(error, ErrorCode.RequestError) || hasCode(error, ErrorCode.HTTPError);
}

function hasCode(error: unknown, code: ErrorCode): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * A promise awaited later, after other awaits: marked handled now, so a failure that comes first is
 * not an unhandled rejection (which ends the process); awaiting it still throws.
 */
function settledLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
