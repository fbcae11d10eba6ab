import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type Clock, systemClock } from '../clock.ts';
import { isLive, newestFirst, oldestFirst } from './fact-order.ts';
import { FactCategory, type MemoryFact } from './facts.ts';
import { rankByRelevance } from './lexical-relevance.ts';
import { type FactWrite, factNamespace, type LongTermMemory } from './long-term-memory.ts';
import { checkFactIds, checkFactWrites, checkPrincipalId, checkQuery, checkTopK } from './memory-input.ts';

/*
 * Single-table keys (see docs/data-model.md): `MEMFACT#<namespace>` / `<factId>`, the namespace being
 * `factNamespace(principalId)` (`/users/<actor>/facts`), so one Query reads one principal's facts and
 * nothing else. The fact's own `expiresAt` (ISO) is kept as `factExpiresAt`; `expiresAt` holds the
 * same instant in epoch seconds for DynamoDB TTL, which deletes it some time after.
 */
export const factKeys = {
  pk: (principalId: string) => `MEMFACT#${factNamespace(principalId)}`,
} as const;

const StoredFact = z.object({
  factId: z.string(),
  principalId: z.string(),
  category: FactCategory,
  text: z.string(),
  source: z.object({ sessionId: z.string(), eventId: z.string() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  factExpiresAt: z.string(),
});

/** A batch write takes 25 requests. */
const BATCH = 25;

/** Long-term memory in the settlement table, with lexical (BM25) retrieval over a principal's facts. */
export class DynamoDbLongTermMemory implements LongTermMemory {
  readonly #now: Clock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { readonly now?: Clock } = {},
  ) {
    this.#now = options.now ?? systemClock;
  }

  async put(principalId: string, facts: readonly FactWrite[]): Promise<void> {
    checkPrincipalId(principalId);
    const writes = checkFactWrites(facts);
    const pk = factKeys.pk(principalId);
    for (let i = 0; i < writes.length; i += BATCH) {
      let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]['RequestItems']>[string] =
        writes.slice(i, i + BATCH).map((f) => ({
          PutRequest: {
            Item: {
              pk,
              sk: f.factId,
              itemType: 'MEMFACT',
              factId: f.factId,
              principalId,
              category: f.category,
              text: f.text,
              source: f.source,
              createdAt: f.createdAt,
              updatedAt: f.updatedAt,
              factExpiresAt: f.expiresAt,
              expiresAt: Math.floor(Date.parse(f.expiresAt) / 1000),
            },
          },
        }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 8) throw new Error(`DynamoDB left ${requests.length} fact writes unprocessed`);
        if (attempt > 0) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        const out = await this.doc.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = out.UnprocessedItems?.[this.tableName] ?? [];
      }
    }
  }

  async list(principalId: string): Promise<MemoryFact[]> {
    return (await this.#live(checkPrincipalId(principalId))).sort(oldestFirst);
  }

  async retrieve(principalId: string, query: string, topK: number): Promise<MemoryFact[]> {
    checkPrincipalId(principalId);
    const q = checkQuery(query);
    const k = checkTopK(topK);
    const facts = (await this.#live(principalId)).sort(newestFirst);
    if (q.trim() === '') return facts.slice(0, k);
    return rankByRelevance(facts, (f) => f.text, q)
      .slice(0, k)
      .map((s) => s.item);
  }

  async delete(principalId: string, factIds: readonly string[]): Promise<number> {
    checkPrincipalId(principalId);
    const ids = checkFactIds(factIds);
    const pk = factKeys.pk(principalId);
    const existed = await Promise.all(
      ids.map(async (factId) => {
        try {
          await this.doc.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: { pk, sk: factId },
              ConditionExpression: 'attribute_exists(pk)',
            }),
          );
          return true;
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return false;
          throw error;
        }
      }),
    );
    return existed.filter(Boolean).length;
  }

  async #live(principalId: string): Promise<MemoryFact[]> {
    const facts: MemoryFact[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': factKeys.pk(principalId) },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const { factExpiresAt, ...stored } = StoredFact.parse(item);
        // Defence in depth: the key already scopes the Query to this principal.
        if (stored.principalId === principalId) facts.push({ ...stored, expiresAt: factExpiresAt });
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    const now = this.#now();
    return facts.filter((f) => isLive(f, now));
  }
}
