import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from '../../../src/settlement/audit-chain.ts';
import { checkDigestLog, entryHash, nextDigestEntry } from '../../../src/settlement/audit-digest.ts';
import { type ChainKey, hmacChainKey } from '../../../src/settlement/chain-key.ts';
import { MemoryDigestLog } from '../../support/memory-digest-log.ts';
import { aHash } from '../../support/settlement-records.ts';

const KEY = hmacChainKey(Buffer.alloc(32, 7), 'test:7');
const OTHER_KEY = hmacChainKey(Buffer.alloc(32, 8), 'test:8');
const AT = '2026-11-24T20:00:00.000Z';

type Heads = Map<string, { seq: number; hash: string }>;
const heads = (entries: Array<[string, number, string]>): Heads =>
  new Map(entries.map(([id, seq, hash]) => [id, { seq, hash }]));

/** A log of digests over successive head sets, written as `writeAuditDigest` does. */
async function logOf(states: readonly Heads[], key: ChainKey = KEY): Promise<MemoryDigestLog> {
  const log = new MemoryDigestLog();
  for (const [i, state] of states.entries()) {
    const check = await checkDigestLog(log, key);
    const { entry } = await nextDigestEntry(check, state, key, `2026-11-24T2${i}:00:00.000Z`);
    await log.append(entry, i + 1);
  }
  return log;
}

describe('nextDigestEntry', () => {
  it('lists every head the first time, chained from 64 zeros and signed', async () => {
    const log = new MemoryDigestLog();
    const { digest } = await nextDigestEntry(
      await checkDigestLog(log, KEY),
      heads([['INTERNAL#T-1', 2, aHash('a')]]),
      KEY,
      AT,
    );
    const [mac] = await KEY.mac([
      `settleops-audit-digest\n${JSON.stringify({ at: AT, entities: 1, heads: { 'INTERNAL#T-1': [2, aHash('a')] }, keyId: 'test:7', previous: GENESIS_HASH, seq: 1 })}`,
    ]);
    expect(digest).toStrictEqual({
      seq: 1,
      at: AT,
      keyId: 'test:7',
      previous: GENESIS_HASH,
      entities: 1,
      heads: { 'INTERNAL#T-1': [2, aHash('a')] },
      mac,
    });
  });

  it('lists only the heads that changed since the previous digest', async () => {
    const log = await logOf([
      heads([
        ['A', 1, aHash('a')],
        ['B', 1, aHash('b')],
      ]),
    ]);
    const { digest } = await nextDigestEntry(
      await checkDigestLog(log, KEY),
      heads([
        ['A', 1, aHash('a')],
        ['B', 2, aHash('c')],
        ['C', 1, aHash('d')],
      ]),
      KEY,
      AT,
    );
    expect(digest).toMatchObject({
      seq: 2,
      previous: entryHash(log.entries[0] as string),
      entities: 3,
      heads: { B: [2, aHash('c')], C: [1, aHash('d')] },
    });
  });
});

describe('checkDigestLog', () => {
  const states = [
    heads([['A', 1, aHash('a')]]),
    heads([['A', 2, aHash('b')]]),
    heads([['A', 3, aHash('c')]]),
  ];

  it('replays every head each digest recorded, per entity, oldest first', async () => {
    const check = await checkDigestLog(await logOf(states), KEY);
    expect(check.problems).toStrictEqual([]);
    expect(check.latest).toStrictEqual({ seq: 3, at: '2026-11-24T22:00:00.000Z' });
    expect(check.heads.get('A')?.map((h) => [h.digest, h.seq, h.hash])).toStrictEqual([
      [1, 1, aHash('a')],
      [2, 2, aHash('b')],
      [3, 3, aHash('c')],
    ]);
  });

  it('detects an entry edited without the key', async () => {
    const log = await logOf(states);
    log.entries[1] = (log.entries[1] as string).replace(aHash('b'), aHash('e'));
    expect((await checkDigestLog(log, KEY)).problems).toStrictEqual([
      "digest 2's signature does not verify (edited without the audit key)",
      'digest 3 does not link to the entry before it (an entry was removed, edited or inserted)',
    ]);
  });

  it('detects an entry removed', async () => {
    const log = await logOf(states);
    log.entries.splice(1, 1);
    expect((await checkDigestLog(log, KEY)).problems).toStrictEqual([
      'digest entry 2 says it is digest 3',
      'digest 2 does not link to the entry before it (an entry was removed, edited or inserted)',
    ]);
  });

  it('detects a log signed with another key', async () => {
    const log = await logOf(states.slice(0, 1), OTHER_KEY);
    expect((await checkDigestLog(log, KEY)).problems).toStrictEqual([
      'digest 1 was signed with key test:8, not the audit key test:7',
    ]);
  });

  it('reports an entry that is not a digest instead of failing', async () => {
    const log = await logOf(states.slice(0, 1));
    log.entries.push('{"seq":');
    expect((await checkDigestLog(log, KEY)).problems).toStrictEqual(['digest entry 2 is not JSON']);
  });
});
