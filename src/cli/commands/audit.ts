import { withSettlement } from '../../app/settlement.ts';
import type { Config } from '../../config.ts';
import { UsageError } from '../../errors.ts';
import { tradeRef, verifyAllAudit, verifyEntityAudit, writeAuditDigest } from '../../settlement/index.ts';
import { args, print } from '../args.ts';
import {
  auditIntact,
  formatAuditVerification,
  formatDigestOutcome,
  formatEntityVerification,
} from '../format/audit.ts';

const USAGE = 'usage: settleops audit verify [--entity ID] [--json] | audit digest [--json]';

/**
 * `settleops audit verify [--entity ID]`: check the audit chains, their signatures, each entity's
 * state, the references between entities and the digests; `settleops audit digest`: sign and append
 * a digest of every chain head.
 */
export async function run(argv: readonly string[], config: Config): Promise<number> {
  const { values, positionals } = args(argv, { entity: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const verb = positionals[0];
  if (verb !== 'verify' && verb !== 'digest') throw new UsageError(USAGE);
  const entity = values.entity;
  return withSettlement(config, async (rt) => {
    if (verb === 'digest') {
      const o = await writeAuditDigest(rt.store, rt.audit, rt.deps.now().toISOString());
      print(values.json, o, () => formatDigestOutcome(o));
      return o.kind === 'WRITTEN' ? 0 : 1;
    }
    if (entity !== undefined) {
      // A bare trade id means our booking; full ids (`COUNTERPARTY#…`, `M|…`, `X|…`) are taken as given.
      const entityId =
        entity.includes('#') || entity.includes('|')
          ? entity
          : tradeRef({ source: 'INTERNAL', tradeId: entity });
      const v = await verifyEntityAudit(rt.store, entityId, rt.audit);
      if (v === undefined) {
        console.error(`No entity ${entityId} and no audit records for it.`);
        return 1;
      }
      print(values.json, v, () => formatEntityVerification(v));
      return v.problems.length === 0 ? 0 : 1;
    }
    const all = await verifyAllAudit(rt.store, rt.audit);
    print(values.json, all, () => formatAuditVerification(all));
    return auditIntact(all) ? 0 : 1;
  });
}
