import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { sweepSla } from '../../settlement/index.ts';
import { args, print } from '../args.ts';
import { describeSweep } from '../format/sweep.ts';

/** `settleops sweep`: one pass of the SLA sweeper. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values } = args(argv, { json: { type: 'boolean' }, progress: { type: 'boolean' } });
  const onProgress =
    values.progress === true
      ? (committed: number) => process.stderr.write(`swept ${committed}\n`)
      : undefined;
  return withSettlement(config, async (rt) => {
    const r = await sweepSla(rt.deps, onProgress === undefined ? {} : { onProgress });
    print(values.json, r, () => describeSweep(r));
    return 0;
  });
}
