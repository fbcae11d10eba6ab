import type { InvocationLedger } from '../../src/agents/runtime/index.ts';

/**
 * The runtime's invocation ledger, watched (it still does all the work): `nextRepeat` resolves when a
 * claim finds its invocation already taken, i.e. a repeat has reached the runtime.
 */
export function watchedClaims() {
  let onRepeat: () => void = () => {};
  return {
    observe: (ledger: InvocationLedger): InvocationLedger => ({
      async claim(input) {
        const claim = await ledger.claim(input);
        if (!claim.claimed) onRepeat();
        return claim;
      },
      get: (key) => ledger.get(key),
      finish: (key, principalId, outcome) => ledger.finish(key, principalId, outcome),
    }),
    nextRepeat: () =>
      new Promise<void>((resolve) => {
        onRepeat = resolve;
      }),
  };
}
