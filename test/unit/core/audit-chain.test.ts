import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type AuditContent,
  type ChainProblem,
  canonicalJson,
  chainHash,
  describeChainProblem,
  GENESIS_HASH,
  sealAuditRecord,
  verifyChain,
} from '../../../src/settlement/audit-chain.ts';
import type { AuditRecord } from '../../../src/settlement/model.ts';

const ENTITY = 'INTERNAL#T-10042';

function content(seq: number, overrides: Partial<AuditContent> = {}): AuditContent {
  return {
    entityId: ENTITY,
    seq,
    action: seq === 1 ? 'TRADE_CREATED' : 'TRADE_UPDATED',
    actor: 'system:ingest',
    details: { step: seq, fields: { status: 'UNMATCHED' } },
    at: `2026-11-24T1${seq}:00:00.000Z`,
    ...overrides,
  };
}

/** A correctly chained log of `n` records. */
function chainOf(n: number): AuditRecord[] {
  const records: AuditRecord[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const r = sealAuditRecord(prev, content(seq));
    records.push(r);
    prev = r.hash;
  }
  return records;
}

function at<T>(list: readonly T[], i: number): T {
  const value = list[i];
  if (value === undefined) throw new Error(`no element ${i}`);
  return value;
}

describe('canonicalJson', () => {
  it('writes the same JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 2, b: 1 })).toBe(canonicalJson({ b: 1, a: 2 }));
  });

  it('sorts keys at every level, inside arrays too', () => {
    expect(canonicalJson({ z: { y: 1, x: [{ b: 2, a: 1 }] }, a: null })).toBe(
      '{"a":null,"z":{"x":[{"a":1,"b":2}],"y":1}}',
    );
  });

  it('keeps the order of array elements', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ list: ['b', 'a'] })).not.toBe(canonicalJson({ list: ['a', 'b'] }));
  });

  it('drops undefined properties at every level', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: 2 } })).toBe('{"a":1,"c":{"e":2}}');
  });

  it('writes scalars as JSON does', () => {
    expect([canonicalJson('x'), canonicalJson(1.5), canonicalJson(true), canonicalJson(null)]).toStrictEqual([
      '"x"',
      '1.5',
      'true',
      'null',
    ]);
  });
});

describe('chainHash', () => {
  it('is the SHA-256 of the previous hash, a newline and the canonical content', () => {
    const c = content(1);
    const expected = createHash('sha256')
      .update(
        `${GENESIS_HASH}\n{"action":"TRADE_CREATED","actor":"system:ingest","at":"2026-11-24T11:00:00.000Z",` +
          `"details":{"fields":{"status":"UNMATCHED"},"step":1},"entityId":"INTERNAL#T-10042","seq":1}`,
      )
      .digest('hex');
    expect(chainHash(GENESIS_HASH, c)).toBe(expected);
  });

  it('does not depend on the key order of the details', () => {
    expect(chainHash(GENESIS_HASH, content(1, { details: { a: 1, b: { c: 2, d: 3 } } }))).toBe(
      chainHash(GENESIS_HASH, content(1, { details: { b: { d: 3, c: 2 }, a: 1 } })),
    );
  });

  it.each<[string, Partial<AuditContent>]>([
    ['entityId', { entityId: 'INTERNAL#T-10043' }],
    ['seq', { seq: 2 }],
    ['action', { action: 'TRADE_AMENDED' }],
    ['actor', { actor: 'principal:U123' }],
    ['details', { details: { step: 1, fields: { status: 'MATCHED' } } }],
    ['at', { at: '2026-11-24T11:00:00.001Z' }],
  ])('changes when %s changes', (_, overrides) => {
    expect(chainHash(GENESIS_HASH, content(1, overrides))).not.toBe(chainHash(GENESIS_HASH, content(1)));
  });

  it('changes with the previous hash', () => {
    expect(chainHash('1'.repeat(64), content(1))).not.toBe(chainHash(GENESIS_HASH, content(1)));
  });

  it('ignores properties outside the audit content', () => {
    const sealed = sealAuditRecord(GENESIS_HASH, content(1));
    expect(chainHash(GENESIS_HASH, sealed)).toBe(sealed.hash);
  });
});

describe('sealAuditRecord', () => {
  it('adds the previous hash and its own hash to the content', () => {
    expect(sealAuditRecord(GENESIS_HASH, content(1))).toStrictEqual({
      ...content(1),
      prevHash: GENESIS_HASH,
      hash: chainHash(GENESIS_HASH, content(1)),
    });
  });
});

describe('verifyChain', () => {
  it('finds nothing wrong with an intact chain and its head', () => {
    const records = chainOf(3);
    expect(verifyChain(records, { seq: 3, hash: at(records, 2).hash })).toStrictEqual([]);
  });

  it('finds nothing wrong with an empty log and no head', () => {
    expect(verifyChain([])).toStrictEqual([]);
  });

  it('detects an edited record', () => {
    const records = chainOf(3);
    const edited = records.map((r) => (r.seq === 2 ? { ...r, details: { step: 2, forged: true } } : r));
    expect(verifyChain(edited, { seq: 3, hash: at(records, 2).hash })).toStrictEqual([
      { kind: 'HASH_MISMATCH', seq: 2 },
    ]);
  });

  it('detects an edited record whose hash was recomputed, at the next link', () => {
    const records = chainOf(3);
    const forged = sealAuditRecord(at(records, 0).hash, content(2, { actor: 'principal:mallory' }));
    expect(verifyChain([at(records, 0), forged, at(records, 2)])).toStrictEqual([
      { kind: 'BROKEN_LINK', seq: 3 },
    ]);
  });

  it('detects a forged last record through the head', () => {
    const records = chainOf(2);
    const forged = sealAuditRecord(at(records, 0).hash, content(2, { actor: 'principal:mallory' }));
    expect(verifyChain([at(records, 0), forged], { seq: 2, hash: at(records, 1).hash })).toStrictEqual([
      {
        kind: 'HEAD_MISMATCH',
        expectedSeq: 2,
        expectedHash: at(records, 1).hash,
        foundSeq: 2,
        foundHash: forged.hash,
      },
    ]);
  });

  it('detects a removed middle record', () => {
    const records = chainOf(3);
    expect(
      verifyChain([at(records, 0), at(records, 2)], { seq: 3, hash: at(records, 2).hash }),
    ).toStrictEqual([
      { kind: 'GAP', expectedSeq: 2, foundSeq: 3 },
      { kind: 'BROKEN_LINK', seq: 3 },
    ]);
  });

  it('detects a truncated tail only with the head', () => {
    const records = chainOf(3);
    const truncated = records.slice(0, 2);
    expect(verifyChain(truncated)).toStrictEqual([]);
    expect(verifyChain(truncated, { seq: 3, hash: at(records, 2).hash })).toStrictEqual([
      {
        kind: 'HEAD_MISMATCH',
        expectedSeq: 3,
        expectedHash: at(records, 2).hash,
        foundSeq: 2,
        foundHash: at(records, 1).hash,
      },
    ]);
  });

  it('detects a log emptied of all its records', () => {
    const records = chainOf(2);
    expect(verifyChain([], { seq: 2, hash: at(records, 1).hash })).toStrictEqual([
      {
        kind: 'HEAD_MISMATCH',
        expectedSeq: 2,
        expectedHash: at(records, 1).hash,
        foundSeq: 0,
        foundHash: GENESIS_HASH,
      },
    ]);
  });

  it('detects reordered records', () => {
    const records = chainOf(3);
    const [r1, r2, r3] = [at(records, 0), at(records, 1), at(records, 2)];
    expect(verifyChain([r2, r1, r3], { seq: 3, hash: r3.hash })).toStrictEqual([
      { kind: 'GAP', expectedSeq: 1, foundSeq: 2 },
      { kind: 'BROKEN_LINK', seq: 2 },
      { kind: 'GAP', expectedSeq: 3, foundSeq: 1 },
      { kind: 'BROKEN_LINK', seq: 1 },
      { kind: 'GAP', expectedSeq: 2, foundSeq: 3 },
      { kind: 'BROKEN_LINK', seq: 3 },
    ]);
  });

  it('detects a first record that does not start from the genesis hash', () => {
    const first = sealAuditRecord('f'.repeat(64), content(1));
    expect(verifyChain([first])).toStrictEqual([{ kind: 'BROKEN_LINK', seq: 1 }]);
  });
});

describe('describeChainProblem', () => {
  it.each<[ChainProblem, string]>([
    [{ kind: 'GAP', expectedSeq: 2, foundSeq: 3 }, 'record 2 is missing (next found: 3)'],
    [{ kind: 'BROKEN_LINK', seq: 3 }, 'record 3 does not link to the record before it'],
    [{ kind: 'HASH_MISMATCH', seq: 2 }, 'record 2 was altered (its content does not match its hash)'],
    [
      {
        kind: 'HEAD_MISMATCH',
        expectedSeq: 3,
        expectedHash: 'a'.repeat(64),
        foundSeq: 2,
        foundHash: 'b'.repeat(64),
      },
      'the entity says its chain ends at record 3, the log ends at 2',
    ],
  ])('describes %o', (problem, text) => {
    expect(describeChainProblem(problem)).toBe(text);
  });
});
