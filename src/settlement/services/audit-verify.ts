import { z } from 'zod';
import { describeChainProblem, describeMalformedRecord, stateHashOf, verifyChain } from '../audit-chain.ts';
import {
  exceptionReferenceProblems,
  instructionProblems,
  matchReferenceProblems,
  type RefLookup,
  tradeReferenceProblems,
} from '../audit-cross-refs.ts';
import {
  type AuditDigestLog,
  checkDigestLog,
  type DigestedHead,
  type DigestLogCheck,
} from '../audit-digest.ts';
import { describeDifferences, stateDifferences } from '../audit-state.ts';
import { type ChainKey, recordMacMessage, sameMac } from '../chain-key.ts';
import type { AuditRecord, Match, SettlementInstruction, Trade } from '../model.ts';
import type { AuditedEntity, SettlementStore } from '../store/settlement-store.ts';

/** What kind of wrong a finding is (stable, for machines; the message is for people). */
export type AuditFindingCode =
  /** A record or item no longer parses. */
  | 'MALFORMED'
  /** Audit records remain for an entity that is not in the table. */
  | 'ENTITY_MISSING'
  /** A record edited, removed, out of order, or the chain not ending where the entity says. */
  | 'CHAIN_BROKEN'
  /** A record's MAC does not verify: written without the audit key. */
  | 'SIGNATURE_INVALID'
  /** An unsigned record after a signed one: its signature was stripped. */
  | 'UNSIGNED'
  /** The entity's fields are not the state its latest record sealed. */
  | 'STATE_MISMATCH'
  /** A reference to or from another entity does not hold. */
  | 'REFERENCE'
  /** A digest recorded this entity; it is gone. */
  | 'DELETED'
  /** A digest recorded a longer chain than the table holds. */
  | 'ROLLED_BACK'
  /** A digest recorded a different record at that position. */
  | 'DIGEST_MISMATCH';

export interface AuditFinding {
  readonly code: AuditFindingCode;
  readonly message: string;
  /** For STATE_MISMATCH: the fields the trail shows were changed, when it can tell. */
  readonly fields?: readonly string[];
}

export interface EntityVerification {
  readonly entityId: string;
  /** The records read, in sequence (none when one of them could not be read). */
  readonly trail: readonly AuditRecord[];
  /** One line per finding (the findings' messages). */
  readonly problems: readonly string[];
  readonly findings: readonly AuditFinding[];
  /**
   * `keyed`: every record is signed and verified; `legacy`: some records were written before
   * chains were keyed (unsigned, and nothing signed after them), so only their hashes are checked;
   * `unchecked`: no audit key was given to check with.
   */
  readonly signing: 'keyed' | 'legacy' | 'unchecked';
  /** False when the entity's latest record predates state binding (its fields are not checked). */
  readonly stateBound: boolean;
}

export interface AuditVerification {
  readonly entities: number;
  readonly records: number;
  readonly failures: readonly EntityVerification[];
  /** Whether signatures were checked (an audit key was given). */
  readonly keyed: boolean;
  /** Entities verified only as far as their pre-key or pre-binding records allow (not failures). */
  readonly legacy: readonly string[];
  /** The digest log's own state, when one was given. */
  readonly digest?: {
    readonly location: string;
    readonly digests: number;
    readonly latest: { readonly seq: number; readonly at: string } | undefined;
    readonly problems: readonly string[];
  };
}

export interface AuditVerifyOptions {
  /** Checks record signatures (and is needed to read digests). */
  readonly chainKey?: ChainKey;
  /** Checks every chain head the digests recorded against the table. */
  readonly digests?: AuditDigestLog;
}

interface EntityEvidence {
  readonly entityId: string;
  readonly stored: AuditedEntity | undefined;
  /** The head the entity item records (also for a malformed item, as far as readable). */
  readonly head: { readonly seq: number; readonly hash: string } | undefined;
  readonly trail: readonly AuditRecord[];
  /** False when a record could not be read: the chain, signatures and state are then not judged. */
  readonly trailReadable: boolean;
  readonly malformed: readonly string[];
  readonly references: readonly string[];
  readonly digested: readonly DigestedHead[];
}

/** Verifies one entity (trade ref, match id or exception id): chain, signatures, state, references, digests. */
export async function verifyEntityAudit(
  store: SettlementStore,
  entityId: string,
  options: AuditVerifyOptions = {},
): Promise<EntityVerification | undefined> {
  const malformed: string[] = [];
  let stored: AuditedEntity | undefined;
  try {
    stored = await readEntity(store, entityId);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    malformed.push(describeMalformedRecord(error, "the entity's stored item"));
  }
  let trail: AuditRecord[] = [];
  let trailReadable = true;
  try {
    // The trade read here names its receipt (or none): the store need not read it again.
    trail = await store.listAudit(entityId, stored?.entityKind === 'trade' ? stored.entity : undefined);
  } catch (error) {
    // A record edited into another shape is a broken chain to report, not a crash.
    if (!(error instanceof z.ZodError)) throw error;
    malformed.push(describeMalformedRecord(error));
    trailReadable = false;
  }
  const digest = await digestCheck(options);
  const digested = digest?.heads.get(entityId) ?? [];
  if (stored === undefined && trail.length === 0 && malformed.length === 0 && digested.length === 0)
    return undefined;
  const references = stored === undefined ? [] : referenceProblems(stored, await lookupAround(store, stored));
  // A directory entry is not a settlement entity: its chain is checked against the head it records.
  const otherHead = entityId.startsWith('PRINCIPAL#') ? await store.auditHeadOf(entityId) : undefined;
  return checkEntity(
    {
      entityId,
      stored,
      head: stored === undefined ? otherHead : { seq: stored.entity.version, hash: stored.entity.auditHash },
      trail,
      trailReadable,
      malformed,
      references,
      digested,
    },
    options.chainKey,
  );
}

/**
 * Verifies the whole store: every chain (edits, removals, orphans), its signatures, each entity's
 * fields against the state its latest record sealed, the references between entities, and every
 * chain head the digests recorded (so a deleted entity or a chain cut back after a digest shows).
 */
export async function verifyAllAudit(
  store: SettlementStore,
  options: AuditVerifyOptions = {},
): Promise<AuditVerification> {
  const entities = new Map<string, AuditedEntity>();
  const heads = new Map<string, { seq: number; hash: string }>();
  const chains = new Map<string, AuditRecord[]>();
  const malformed = new Map<string, string[]>();
  const instructions = new Map<string, SettlementInstruction>();
  const addMalformed = (id: string, problem: string) =>
    malformed.set(id, [...(malformed.get(id) ?? []), problem]);
  let records = 0;
  for await (const item of store.scanAuditData()) {
    switch (item.kind) {
      case 'entity':
        entities.set(item.entityId, item);
        heads.set(item.entityId, { seq: item.entity.version, hash: item.entity.auditHash });
        break;
      case 'malformedEntity':
        heads.set(item.entityId, { seq: item.seq, hash: item.hash });
        addMalformed(item.entityId, item.problem);
        break;
      case 'head':
        heads.set(item.entityId, { seq: item.seq, hash: item.hash });
        break;
      case 'instruction':
        instructions.set(item.instruction.instructionId, item.instruction);
        break;
      case 'malformed':
        addMalformed(item.entityId, item.problem);
        break;
      case 'record': {
        records++;
        const list = chains.get(item.record.entityId) ?? [];
        list.push(item.record);
        chains.set(item.record.entityId, list);
        break;
      }
    }
  }
  const digest = await digestCheck(options);
  const refs: RefLookup = {
    trade: (ref) => tradeOf(entities.get(ref)),
    match: (id) => matchOf(entities.get(id)),
    instruction: (id) => instructions.get(id),
  };

  const failures = new Map<string, EntityVerification>();
  const legacy: string[] = [];
  const ids = new Set([
    ...heads.keys(),
    ...chains.keys(),
    ...malformed.keys(),
    ...(digest?.heads.keys() ?? []),
  ]);
  for (const entityId of ids) {
    const stored = entities.get(entityId);
    const v = await checkEntity(
      {
        entityId,
        stored,
        head: heads.get(entityId),
        trail: (chains.get(entityId) ?? []).sort((a, b) => a.seq - b.seq),
        trailReadable: true,
        malformed: malformed.get(entityId) ?? [],
        references: stored === undefined ? [] : referenceProblems(stored, refs),
        digested: digest?.heads.get(entityId) ?? [],
      },
      options.chainKey,
    );
    if (v.findings.length > 0) failures.set(entityId, v);
    else if (v.signing === 'legacy' || !v.stateBound) legacy.push(entityId);
  }
  for (const { entityId, problem } of instructionProblems([...instructions.values()], refs)) {
    const finding: AuditFinding = { code: 'REFERENCE', message: problem };
    const known = failures.get(entityId);
    failures.set(
      entityId,
      known === undefined
        ? {
            entityId,
            trail: [],
            problems: [problem],
            findings: [finding],
            signing: 'unchecked',
            stateBound: true,
          }
        : { ...known, problems: [...known.problems, problem], findings: [...known.findings, finding] },
    );
  }
  return {
    entities: heads.size,
    records,
    failures: [...failures.values()].sort((a, b) => (a.entityId < b.entityId ? -1 : 1)),
    keyed: options.chainKey !== undefined,
    legacy: legacy.sort(),
    ...(digest === undefined
      ? {}
      : {
          digest: {
            location: digest.location,
            digests: digest.digests,
            latest: digest.latest,
            problems: digest.problems,
          },
        }),
  };
}

async function digestCheck(options: AuditVerifyOptions): Promise<DigestLogCheck | undefined> {
  if (options.digests === undefined) return undefined;
  if (options.chainKey === undefined) throw new Error('checking audit digests needs the audit key');
  return checkDigestLog(options.digests, options.chainKey);
}

async function checkEntity(e: EntityEvidence, key: ChainKey | undefined): Promise<EntityVerification> {
  const findings: AuditFinding[] = e.malformed.map((message) => ({ code: 'MALFORMED', message }));
  if (e.head === undefined && e.trail.length > 0)
    findings.push({
      code: 'ENTITY_MISSING',
      message: 'the entity itself is missing but its audit records remain',
    });
  if (!e.trailReadable) {
    for (const message of e.references) findings.push({ code: 'REFERENCE', message });
    return {
      entityId: e.entityId,
      trail: [],
      problems: findings.map((f) => f.message),
      findings,
      signing: key === undefined ? 'unchecked' : 'legacy',
      stateBound: false,
    };
  }
  for (const p of verifyChain(e.trail, e.head))
    findings.push({ code: 'CHAIN_BROKEN', message: describeChainProblem(p) });

  let signing: EntityVerification['signing'] = 'unchecked';
  if (key !== undefined) {
    const macs = await key.mac(e.trail.map((r) => recordMacMessage(r.hash)));
    let signedSeq: number | undefined;
    let unsigned = 0;
    e.trail.forEach((r, i) => {
      if (r.mac !== undefined) {
        if (!sameMac(r.mac, macs[i] as string))
          findings.push({
            code: 'SIGNATURE_INVALID',
            message: `record ${r.seq}'s signature does not verify: written without the audit key`,
          });
        signedSeq = r.seq;
      } else if (signedSeq !== undefined) {
        findings.push({
          code: 'UNSIGNED',
          message: `record ${r.seq} is unsigned though record ${signedSeq} before it is signed`,
        });
      } else {
        unsigned++;
      }
    });
    signing = unsigned > 0 ? 'legacy' : 'keyed';
  }

  let stateBound = true;
  if (e.stored !== undefined) {
    const sealing = e.trail.find((r) => r.seq === e.stored?.entity.version);
    if (sealing?.stateHash === undefined) {
      stateBound = sealing === undefined;
    } else if (stateHashOf(e.stored.entity) !== sealing.stateHash) {
      const differences = stateDifferences(e.stored, e.trail, sealing.seq);
      findings.push({
        code: 'STATE_MISMATCH',
        message:
          `its stored fields are not the state audit record ${sealing.seq} sealed` +
          (differences.length > 0 ? `: ${describeDifferences(differences)}` : ' (edited outside SettleOps)'),
        fields: differences.map((d) => d.field),
      });
    }
  }
  for (const message of e.references) findings.push({ code: 'REFERENCE', message });
  findings.push(...digestFindings(e));
  return {
    entityId: e.entityId,
    trail: e.trail,
    problems: findings.map((f) => f.message),
    findings,
    signing,
    stateBound,
  };
}

function digestFindings(e: EntityEvidence): AuditFinding[] {
  const last = e.digested.at(-1);
  if (last === undefined) return [];
  const seen = (d: DigestedHead) => `digest ${d.digest} (${d.at})`;
  if (e.head === undefined && e.trail.length === 0)
    return [
      {
        code: 'DELETED',
        message: `${seen(last)} recorded it at record ${last.seq}; the entity and its audit records are gone`,
      },
    ];
  const findings: AuditFinding[] = [];
  const ends = e.head?.seq ?? e.trail.at(-1)?.seq ?? 0;
  const longest = e.digested.reduce((a, b) => (b.seq > a.seq ? b : a));
  if (ends < longest.seq)
    findings.push({
      code: 'ROLLED_BACK',
      message: `${seen(longest)} recorded its chain up to record ${longest.seq}; the table's ends at record ${ends} (cut back)`,
    });
  for (const d of e.digested) {
    const record = e.trail.find((r) => r.seq === d.seq);
    if (record !== undefined && record.hash !== d.hash) {
      findings.push({
        code: 'DIGEST_MISMATCH',
        message: `record ${d.seq} is not the one ${seen(d)} recorded (the chain was rewritten)`,
      });
      break;
    }
  }
  return findings;
}

function referenceProblems(stored: AuditedEntity, refs: RefLookup): string[] {
  switch (stored.entityKind) {
    case 'trade':
      return tradeReferenceProblems(stored.entity, refs);
    case 'match':
      return matchReferenceProblems(stored.entity, refs);
    case 'exception':
      return exceptionReferenceProblems(stored.entity, refs);
  }
}

function tradeOf(e: AuditedEntity | undefined): Trade | undefined {
  return e?.entityKind === 'trade' ? e.entity : undefined;
}

function matchOf(e: AuditedEntity | undefined): Match | undefined {
  return e?.entityKind === 'match' ? e.entity : undefined;
}

async function readEntity(store: SettlementStore, entityId: string): Promise<AuditedEntity | undefined> {
  if (entityId.startsWith('PRINCIPAL#')) return undefined;
  if (entityId.startsWith('M|')) {
    const entity = await store.getMatch(entityId);
    return entity === undefined ? undefined : { entityKind: 'match', entity };
  }
  if (entityId.startsWith('X|')) {
    const entity = await store.getException(entityId);
    return entity === undefined ? undefined : { entityKind: 'exception', entity };
  }
  const entity = await store.getTrade(entityId);
  return entity === undefined ? undefined : { entityKind: 'trade', entity };
}

/** The entities one entity refers to (or is referred to by), read by key. */
async function lookupAround(store: SettlementStore, stored: AuditedEntity): Promise<RefLookup> {
  const trades = new Map<string, Trade>();
  const matches = new Map<string, Match>();
  const instructions = new Map<string, SettlementInstruction>();
  const addInstruction = async (id: string | undefined) => {
    const si = id === undefined ? undefined : await store.getInstruction(id);
    if (si !== undefined) instructions.set(si.instructionId, si);
  };
  if (stored.entityKind === 'trade') {
    const t = stored.entity;
    trades.set(`${t.source}#${t.tradeId}`, t);
    const m = t.matchId === undefined ? undefined : await store.getMatch(t.matchId);
    if (m !== undefined) matches.set(m.matchId, m);
    await addInstruction(t.instructionId);
  } else if (stored.entityKind === 'match') {
    const m = stored.entity;
    matches.set(m.matchId, m);
    for (const t of await store.getTrades([m.internalRef, m.counterpartyRef]))
      trades.set(`${t.source}#${t.tradeId}`, t);
    await addInstruction(`SI|${m.matchId}`);
  } else {
    const t = await store.getTrade(stored.entity.tradeRef);
    if (t !== undefined) trades.set(stored.entity.tradeRef, t);
  }
  return {
    trade: (ref) => trades.get(ref),
    match: (id) => matches.get(id),
    instruction: (id) => instructions.get(id),
  };
}
