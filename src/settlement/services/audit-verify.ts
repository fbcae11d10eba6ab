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
  readonly records: number;
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
  const head = await entityHead(store, entityId);
  let records: AuditRecord[];
  try {
    records = await store.listAudit(entityId);
  } catch (error) {
    // A record edited into another shape is a broken chain to report, not a crash.
    if (!(error instanceof z.ZodError)) throw error;
    return { entityId, records: 0, problems: [describeMalformedRecord(error)] };
  }
  if (head === undefined && records.length === 0) return undefined;
  const problems: ChainProblem[] = verifyChain(records, head);
  const extra = head === undefined ? ['the entity itself is missing but its audit records remain'] : [];
  return { entityId, records: records.length, problems: [...extra, ...problems.map(describeChainProblem)] };
}

async function entityHead(
  store: SettlementStore,
  entityId: string,
): Promise<{ seq: number; hash: string } | undefined> {
  const entity = entityId.startsWith('M|')
    ? await store.getMatch(entityId)
    : entityId.startsWith('X|')
      ? await store.getException(entityId)
      : await store.getTrade(entityId);
  return entity === undefined ? undefined : { seq: entity.version, hash: entity.auditHash };
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
    if (problems.length > 0) failures.push({ entityId, records: chain.length, problems });
  }
  return { entities: heads.size, records, failures };
}
