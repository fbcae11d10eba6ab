import { z } from 'zod';
import {
  type ChainProblem,
  describeChainProblem,
  describeMalformedRecord,
  verifyChain,
} from '../audit-chain.ts';
import type { AuditRecord } from '../model.ts';
import type { SettlementStore } from '../store/settlement-store.ts';

export interface EntityVerification {
  readonly entityId: string;
  /** The records read, in sequence (none when one of them could not be read). */
  readonly trail: readonly AuditRecord[];
  readonly problems: readonly string[];
}

export interface AuditVerification {
  readonly entities: number;
  readonly records: number;
  readonly failures: readonly EntityVerification[];
}

/** Verifies one entity's chain against the head the entity records (trade ref, match id or exception id). */
export async function verifyEntityAudit(
  store: SettlementStore,
  entityId: string,
): Promise<EntityVerification | undefined> {
  const trade =
    entityId.startsWith('M|') || entityId.startsWith('X|') ? undefined : await store.getTrade(entityId);
  const entity = entityId.startsWith('M|')
    ? await store.getMatch(entityId)
    : entityId.startsWith('X|')
      ? await store.getException(entityId)
      : trade;
  const head = entity === undefined ? undefined : { seq: entity.version, hash: entity.auditHash };
  let trail: AuditRecord[];
  try {
    // The trade read here names its receipt (or none): the store need not read it again.
    trail = await store.listAudit(entityId, trade);
  } catch (error) {
    // A record edited into another shape is a broken chain to report, not a crash.
    if (!(error instanceof z.ZodError)) throw error;
    return { entityId, trail: [], problems: [describeMalformedRecord(error)] };
  }
  if (head === undefined && trail.length === 0) return undefined;
  const problems: ChainProblem[] = verifyChain(trail, head);
  const extra = head === undefined ? ['the entity itself is missing but its audit records remain'] : [];
  return { entityId, trail, problems: [...extra, ...problems.map(describeChainProblem)] };
}

/** Verifies every chain in the store: edits, removals (gaps or a truncated tail) and orphans. */
export async function verifyAllAudit(store: SettlementStore): Promise<AuditVerification> {
  const heads = new Map<string, { seq: number; hash: string }>();
  const chains = new Map<string, AuditRecord[]>();
  const malformed = new Map<string, string[]>();
  let records = 0;
  for await (const item of store.scanAuditData()) {
    if (item.kind === 'head') {
      heads.set(item.entityId, { seq: item.seq, hash: item.hash });
    } else if (item.kind === 'malformed') {
      malformed.set(item.entityId, [...(malformed.get(item.entityId) ?? []), item.problem]);
    } else {
      records++;
      const list = chains.get(item.record.entityId) ?? [];
      list.push(item.record);
      chains.set(item.record.entityId, list);
    }
  }
  const failures: EntityVerification[] = [];
  for (const entityId of new Set([...heads.keys(), ...chains.keys(), ...malformed.keys()])) {
    const chain = (chains.get(entityId) ?? []).sort((a, b) => a.seq - b.seq);
    const head = heads.get(entityId);
    const problems = [
      ...(malformed.get(entityId) ?? []),
      ...verifyChain(chain, head).map(describeChainProblem),
    ];
    if (head === undefined) problems.unshift('the entity itself is missing but its audit records remain');
    if (problems.length > 0) failures.push({ entityId, trail: chain, problems });
  }
  return { entities: heads.size, records, failures };
}
