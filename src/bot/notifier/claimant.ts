import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A notifier's name on the leases it takes: `notifier:<host>:<pid>:<8 hex>`, unique per instance (a
 * restarted process is another claimant).
 */
export function notifierClaimant(): string {
  return `notifier:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

const CLAIMANT = /^notifier:(.+):(\d+):[0-9a-f]{8}$/;

/**
 * True only when `claimant` certainly cannot deliver any more: a notifier of another process on this
 * host whose process is gone (a `settleops start` killed and started again). Anything else — another
 * host, a live process, a name in another form — may still be posting, so its lease is waited out.
 * A reused pid only makes this answer false, never wrongly true.
 */
export function claimantIsGone(claimant: string): boolean {
  const found = CLAIMANT.exec(claimant);
  if (found === null || found[1] !== hostname()) return false;
  const pid = Number(found[2]);
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists under another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
