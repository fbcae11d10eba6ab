import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { claimantIsGone, notifierClaimant } from '../../../../src/bot/notifier/claimant.ts';

/** The pid of a process that has finished (and been reaped). */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', '0']);
  if (done.pid === undefined) throw new Error('no child pid');
  return done.pid;
}

describe('claimantIsGone', () => {
  it('takes over only from a notifier of this host whose process has ended', () => {
    expect(claimantIsGone(`notifier:${hostname()}:${deadPid()}:0a1b2c3d`)).toBe(true);
  });

  it('waits out a live process, this process, another host and any other name', () => {
    expect(claimantIsGone(`notifier:${hostname()}:${process.ppid}:0a1b2c3d`)).toBe(false);
    expect(claimantIsGone(notifierClaimant())).toBe(false);
    expect(claimantIsGone(`notifier:another-host-${hostname()}:${deadPid()}:0a1b2c3d`)).toBe(false);
    expect(claimantIsGone(`worker:${hostname()}:${deadPid()}:0a1b2c3d`)).toBe(false);
    expect(claimantIsGone(`notifier:${hostname()}:0:0a1b2c3d`)).toBe(false);
    expect(claimantIsGone(`notifier:${hostname()}:99999999999999999999:0a1b2c3d`)).toBe(false);
  });

  it('names each notifier instance apart, on this host and process', () => {
    const a = notifierClaimant();
    expect(a).toMatch(new RegExp(`^notifier:${hostname()}:${process.pid}:[0-9a-f]{8}$`));
    expect(notifierClaimant()).not.toBe(a);
  });
});
