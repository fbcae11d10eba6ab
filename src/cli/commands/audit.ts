import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { tradeRef, verifyAllAudit, verifyEntityAudit } from '../../settlement/index.ts';
import { args, print } from '../args.ts';

/** `settleops audit verify [--entity ID]`: check the tamper-evident audit chains. */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(argv, { entity: { type: 'string' }, json: { type: 'boolean' } }, 1);
  if (positionals[0] !== 'verify')
    throw new UsageError('usage: settleops audit verify [--entity ID] [--json]');
  const entity = values.entity;
  return withSettlement(config, async (rt) => {
    if (entity !== undefined) {
      // A bare trade id means our booking; full ids (`COUNTERPARTY#…`, `M|…`, `X|…`) are taken as given.
      const entityId =
        entity.includes('#') || entity.includes('|')
          ? entity
          : tradeRef({ source: 'INTERNAL', tradeId: entity });
      const v = await verifyEntityAudit(rt.store, entityId);
      if (v === undefined) {
        console.error(`No entity ${entityId} and no audit records for it.`);
        return 1;
      }
      print(values.json, v, () =>
        v.problems.length === 0
          ? `${entityId}: audit chain intact (${v.trail.length} records)`
          : `${entityId}: AUDIT CHAIN BROKEN\n${v.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
      return v.problems.length === 0 ? 0 : 1;
    }
    const all = await verifyAllAudit(rt.store);
    print(values.json, all, () =>
      all.failures.length === 0
        ? `audit chains intact: ${all.entities} entities, ${all.records} records`
        : [
            `AUDIT CHAINS BROKEN for ${all.failures.length} of ${all.entities} entities:`,
            ...all.failures.flatMap((f) => [`  ${f.entityId}:`, ...f.problems.map((p) => `    - ${p}`)]),
          ].join('\n'),
    );
    return all.failures.length === 0 ? 0 : 1;
  });
}
