import { type Clock, systemClock } from '../../clock.ts';
import { type Logger, silentLogger } from '../../logger.ts';
import { realSleep } from '../../retry.ts';
import type {
  InvocationKey,
  InvocationLedger,
  InvocationOutcome,
  InvocationRecord,
} from './invocation-ledger.ts';

/** Longer than any turn: a RUNNING claim older than this was abandoned (its runtime died). */
export const DEFAULT_LEASE_MS = 15 * 60_000;
/** How long a repeat waits for the invocation it repeats before it is refused as still running. */
export const DEFAULT_REPEAT_WAIT_MS = 5 * 60_000;

/** Why a repeat is refused (409): nothing runs, and nothing of the first invocation is shown. */
export type RepeatRefusal =
  /** Still running after the wait: ask again later with the same request id. */
  | 'already_running'
  /** Its runtime died mid-turn: it is not run again (a tool may have run); ask anew. */
  | 'abandoned'
  /** The request id is someone else's, or was used for another question. */
  | 'request_id_conflict';

export type Admission =
  /** This call runs the turn, and reports how it ended with `settle` (which never throws). */
  | { readonly kind: 'run'; settle(outcome: InvocationOutcome): Promise<void> }
  /** A repeat of a finished invocation: answer with how it ended, run nothing. */
  | { readonly kind: 'replay'; readonly outcome: InvocationOutcome }
  | { readonly kind: 'refuse'; readonly reason: RepeatRefusal };

export interface InvocationGuard {
  admit(input: {
    readonly key: InvocationKey;
    readonly principalId: string;
    readonly fingerprint: string;
  }): Promise<Admission>;
}

export interface InvocationGuardOptions {
  readonly ledger: InvocationLedger;
  readonly leaseMs?: number;
  readonly repeatWaitMs?: number;
  /** First pause between reads of a claim another process runs (doubling to 1 s). */
  readonly pollMs?: number;
  readonly logger?: Logger;
  readonly now?: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Each invocation (session, request id) runs once. The first call claims it in the ledger and runs;
 * a repeat by the same principal with the same request waits while it runs (in this process: for its
 * outcome; in another: reading the ledger) and is answered with the stored outcome; anything else is
 * refused without a word of the first one's answer.
 */
export function createInvocationGuard(options: InvocationGuardOptions): InvocationGuard {
  const { ledger } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const repeatWaitMs = options.repeatWaitMs ?? DEFAULT_REPEAT_WAIT_MS;
  const pollMs = options.pollMs ?? 50;
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? systemClock;
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms));
  // The invocations this process runs, by key: repeats wait on them without reading the ledger.
  const running = new Map<string, Promise<InvocationOutcome>>();

  const waitHere = async (local: Promise<InvocationOutcome>): Promise<Admission> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), repeatWaitMs);
    });
    try {
      const outcome = await Promise.race([local, timeout]);
      return outcome === undefined ? refuse('already_running') : { kind: 'replay', outcome };
    } finally {
      clearTimeout(timer);
    }
  };

  const waitInLedger = async (first: InvocationRecord): Promise<Admission> => {
    const deadline = now().getTime() + repeatWaitMs;
    let record: InvocationRecord | undefined = first;
    let pause = pollMs;
    for (;;) {
      if (record === undefined) return refuse('abandoned');
      if (record.outcome !== undefined) return { kind: 'replay', outcome: record.outcome };
      const at = now().getTime();
      if (Date.parse(record.leaseUntil) <= at) return refuse('abandoned');
      if (at >= deadline) return refuse('already_running');
      await sleep(Math.min(pause, deadline - at));
      pause = Math.min(pause * 2, 1000);
      record = await ledger.get(record.key);
    }
  };

  return {
    async admit({ key, principalId, fingerprint }) {
      const id = `${key.sessionId}\n${key.requestId}`;
      const claim = await ledger.claim({ key, principalId, fingerprint, leaseMs });
      if (claim.claimed) {
        let resolve: (outcome: InvocationOutcome) => void = () => {};
        running.set(
          id,
          new Promise<InvocationOutcome>((r) => {
            resolve = r;
          }),
        );
        return {
          kind: 'run',
          async settle(outcome) {
            running.delete(id);
            resolve(outcome);
            try {
              await ledger.finish(key, principalId, outcome);
            } catch (error) {
              // The caller still gets its answer; a repeat sees the claim lapse into "abandoned".
              logger.error('could not record how the invocation ended', { ...key, error });
            }
          },
        };
      }
      const { record } = claim;
      if (record.principalId !== principalId || record.fingerprint !== fingerprint) {
        return refuse('request_id_conflict');
      }
      const local = running.get(id);
      if (local !== undefined) return waitHere(local);
      return waitInLedger(record);
    },
  };
}

const refuse = (reason: RepeatRefusal): Admission => ({ kind: 'refuse', reason });
