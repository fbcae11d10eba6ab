import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { openSettlement } from '../../../src/app/settlement.ts';
import { loadConfig } from '../../../src/config.ts';
import { createTestTable } from '../../support/dynamodb.ts';

const MARK = { pk: 'META#TRADEIDX', sk: '#' };

describe('a table provisioned by infrastructure (SETTLEOPS_TABLE_PROVISIONED)', () => {
  it('is used as it is: no table created, the trade index marked complete without a scan', async () => {
    const table = await createTestTable();
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: MARK }));
    const dir = await mkdtemp(join(tmpdir(), 'settleops-provisioned-'));
    const env = {
      DYNAMODB_ENDPOINT: table.endpoint,
      SETTLEOPS_DATA_DIR: dir,
      SETTLEOPS_TABLE_PROVISIONED: 'true',
    };

    const rt = await openSettlement(loadConfig({ ...env, SETTLEOPS_TABLE: table.tableName }));
    await rt.close();

    const mark = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: MARK }));
    expect(mark.Item).toStrictEqual({ ...MARK, itemType: 'META', completedBy: 'provisioned', version: 2 });
    await expect(
      openSettlement(loadConfig({ ...env, SETTLEOPS_TABLE: `absent-${table.tableName}` })),
    ).rejects.toThrow(/non-existent table|not found/i);
  });

  it('keeps the mark of an older index version (no Scan: searches read day by day meanwhile)', async () => {
    const table = await createTestTable();
    // The mark as the version before the undated search keys wrote it (no version).
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...MARK, itemType: 'META', completedBy: 'provisioned' },
      }),
    );
    const dir = await mkdtemp(join(tmpdir(), 'settleops-provisioned-'));
    const rt = await openSettlement(
      loadConfig({
        DYNAMODB_ENDPOINT: table.endpoint,
        SETTLEOPS_DATA_DIR: dir,
        SETTLEOPS_TABLE_PROVISIONED: 'true',
        SETTLEOPS_TABLE: table.tableName,
      }),
    );
    await rt.close();

    const mark = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: MARK }));
    expect(mark.Item).toStrictEqual({ ...MARK, itemType: 'META', completedBy: 'provisioned' });
  });
});
