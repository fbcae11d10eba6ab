import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKmsClient } from '../../src/app/aws-clients.ts';
import { kmsChainKey } from '../../src/app/kms-chain-key.ts';
import { toCsv } from '../../src/seed/index.ts';
import { runCli } from '../support/cli.ts';
import { createTestTable } from '../support/dynamodb.ts';
import { type LocalKmsEndpoint, startLocalKms } from '../support/local-kms.ts';
import { aCounterpartyRecordOf, aTrade } from '../support/trade-factory.ts';

const KEY = 'alias/settleops-audit';
let kms: LocalKmsEndpoint;
let other: LocalKmsEndpoint;

beforeAll(async () => {
  const secret = randomBytes(32);
  kms = await startLocalKms([{ keyId: KEY, secret }]);
  other = await startLocalKms([{ keyId: KEY }]);
});

afterAll(async () => {
  await kms.close();
  await other.close();
});

describe('the audit key derived from a KMS HMAC key', () => {
  it('is the same in every process holding the KMS key, and differs for another KMS key', async () => {
    const derive = async (endpoint: string) => {
      const client = createKmsClient({ region: 'us-east-1', endpoint });
      try {
        return await kmsChainKey(client, KEY);
      } finally {
        client.destroy();
      }
    };
    const [a, b, c] = [await derive(kms.url), await derive(kms.url), await derive(other.url)];
    const message = ['settleops-audit-record\nabc'];

    expect(a.keyId).toBe(`kms:${KEY}`);
    expect(await a.mac(message)).toStrictEqual(await b.mac(message));
    expect(await a.mac(message)).not.toStrictEqual(await c.mac(message));
  });

  it('names the key when KMS does not know it', async () => {
    const client = createKmsClient({ region: 'us-east-1', endpoint: kms.url });
    try {
      await expect(kmsChainKey(client, 'alias/nope')).rejects.toMatchObject({ name: 'NotFoundException' });
    } finally {
      client.destroy();
    }
  });

  it('signs what settleops writes, and audit verify refuses records signed with another key', async () => {
    const table = await createTestTable();
    const dir = await mkdtemp(join(tmpdir(), 'settleops-kms-'));
    const file = join(dir, 'day.csv');
    const trade = aTrade({ tradeId: 'T-KMS1' });
    await writeFile(file, toCsv([trade, aCounterpartyRecordOf(trade)]));
    const env = {
      DYNAMODB_ENDPOINT: table.endpoint,
      SETTLEOPS_TABLE: table.tableName,
      SETTLEOPS_DATA_DIR: dir,
      AUDIT_KMS_KEY_ID: KEY,
      KMS_ENDPOINT: kms.url,
    };

    expect((await runCli(['ingest', file], env)).code).toBe(0);
    const same = await runCli(['audit', 'verify', '--json'], env);
    const forged = await runCli(['audit', 'verify', '--json'], { ...env, KMS_ENDPOINT: other.url });

    expect(same.code).toBe(0);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain('SIGNATURE_INVALID');
  });
});
