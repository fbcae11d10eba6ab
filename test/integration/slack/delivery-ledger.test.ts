import { beforeAll, describe, expect, it } from 'vitest';
import { type BotJob, DELIVERY_TTL_SECONDS, DynamoDbDeliveryLedger } from '../../../src/bot/index.ts';
import { enqueueOnce } from '../../../src/bot/listeners/ingress.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createTestTable, type TestTable } from '../../support/dynamodb.ts';

/** The ledger of Slack deliveries already taken, on DynamoDB Local. */
let table: TestTable;
let now = new Date('2026-11-24T18:00:00.000Z');
let ledger: DynamoDbDeliveryLedger;

beforeAll(async () => {
  table = await createTestTable();
  ledger = new DynamoDbDeliveryLedger(table.doc, table.tableName, () => now);
}, 60_000);

const question = (id: string): BotJob => ({
  kind: 'question',
  deliveryId: id,
  teamId: 'T0',
  userId: 'U0',
  channelId: 'C0',
  ts: '1.1',
  text: 'report',
  direct: false,
});

describe('DynamoDbDeliveryLedger', () => {
  it('takes a delivery once, and a duplicate that shares any key not at all', async () => {
    expect(await ledger.firstDelivery(['event:Ev1', 'message:C0:1.1'])).toBe(true);
    expect(await ledger.firstDelivery(['event:Ev1', 'message:C0:1.1'])).toBe(false);
    expect(await ledger.firstDelivery(['event:Ev2', 'message:C0:1.1'])).toBe(false);
    // The refused duplicate recorded nothing of its own.
    expect(await ledger.firstDelivery(['event:Ev2'])).toBe(true);
  });

  it('takes the same delivery from two racers once', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => ledger.firstDelivery(['event:EvRace'])),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a key once it has expired', async () => {
    expect(await ledger.firstDelivery(['event:EvOld'])).toBe(true);
    now = new Date(now.getTime() + (DELIVERY_TTL_SECONDS + 1) * 1000);
    expect(await ledger.firstDelivery(['event:EvOld'])).toBe(true);
  });

  it('refuses a delivery with no key', async () => {
    await expect(ledger.firstDelivery(['', ''])).rejects.toThrow('at least one key');
  });
});

describe('enqueueOnce', () => {
  it('releases the keys when the queue refuses the job, so Slack’s retry is taken', async () => {
    const taken: BotJob[] = [];
    let down = true;
    const deps = {
      ledger,
      logger: silentLogger,
      queue: {
        enqueue: async (job: BotJob) => {
          if (down) throw new Error('queue unavailable');
          taken.push(job);
        },
      },
    };
    const keys = ['event:EvQ', 'message:C0:9.9'];
    await expect(enqueueOnce(deps, keys, question('EvQ'))).rejects.toThrow('queue unavailable');
    down = false;
    expect(await enqueueOnce(deps, keys, question('EvQ'))).toBe(true);
    expect(await enqueueOnce(deps, keys, question('EvQ'))).toBe(false);
    expect(taken.map((j) => j.deliveryId)).toStrictEqual(['EvQ']);
  });
});
