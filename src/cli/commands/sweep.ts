import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { sweepSla } from '../../settlement/index.ts';
import { args, print } from '../args.ts';

/** `settleops sweep`: one pass of the SLA sweeper. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' } });
  return withSettlement(config, async (rt) => {
    const r = await sweepSla(rt.deps);
    print(
      values.json,
      r,
      () =>
        `SLA sweep: ${r.missingCounterparty} missing counterparty records raised, ${r.warned} warnings, ${r.breached} breaches` +
        (r.matchedAtDeadline > 0 ? `, ${r.matchedAtDeadline} matched at their deadline instead` : '') +
        (r.skipped > 0 ? ` (${r.skipped} already handled by another sweeper)` : ''),
    );
    return 0;
  });
}
