import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type Clock, systemClock } from '../clock.ts';
import { checkActorId, checkLast, checkNewSessionEvent, checkSessionId } from './memory-input.ts';
import type { NewSessionEvent, SessionEvent, SessionMemory } from './session-memory.ts';

/** Days a stored turn is kept (DynamoDB TTL) unless the adapter is told otherwise. */
export const DEFAULT_EVENT_TTL_DAYS = 365;

/*
 * Single-table keys (see docs/data-model.md):
 * - `MEMEVT#<actorId>#<sessionId>` / `<at ISO>#<stamp>`: one turn; the sort key is the event id, so
 *   a session reads back in time order with one Query (neither id can hold `#`).
 * - `MEMTOK#<actorId>#<sessionId>` / `<clientToken>`: the event a client token produced, written in
 *   the same transaction as the event, so a retried append stores nothing and returns the first.
 * Both carry `expiresAt` (epoch seconds), the table's TTL attribute.
 */
export const sessionMemoryKeys = {
  events: (actorId: string, sessionId: string) => `MEMEVT#${actorId}#${sessionId}`,
  token: (actorId: string, sessionId: string, clientToken: string) => ({
    pk: `MEMTOK#${actorId}#${sessionId}`,
    sk: clientToken,
  }),
} as const;

const StoredEvent = z.object({
  eventId: z.string(),
  actorId: z.string(),
  sessionId: z.string(),
  role: z.enum(['USER', 'ASSISTANT']),
  text: z.string(),
  at: z.string(),
  expiresAt: z.number(),
});

export interface DynamoDbSessionMemoryOptions {
  /** Days a turn is kept (default 365). */
  readonly ttlDays?: number;
  readonly now?: Clock;
}

let counter = 0;

/** A suffix that sorts in creation order within this process for turns of one instant. */
function stamp(now: Date): string {
  counter = (counter + 1) % 36 ** 4;
  const random = Math.floor(Math.random() * 36 ** 6);
  return `${now.getTime().toString(36).padStart(9, '0')}${counter.toString(36).padStart(4, '0')}${random.toString(36).padStart(6, '0')}`;
}

/** Session memory in the settlement table: one item a turn, read back by one Query. */
export class DynamoDbSessionMemory implements SessionMemory {
  readonly #now: Clock;
  readonly #ttlSeconds: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDbSessionMemoryOptions = {},
  ) {
    const ttlDays = options.ttlDays ?? DEFAULT_EVENT_TTL_DAYS;
    if (!Number.isInteger(ttlDays) || ttlDays < 1)
      throw new Error(`ttlDays must be a positive integer, got ${ttlDays}`);
    this.#ttlSeconds = ttlDays * 86_400;
    this.#now = options.now ?? systemClock;
  }

  async append(event: NewSessionEvent): Promise<SessionEvent> {
    const e = checkNewSessionEvent(event);
    const TableName = this.tableName;
    const tokenKey = sessionMemoryKeys.token(e.actorId, e.sessionId, e.clientToken);
    for (let attempt = 0; ; attempt++) {
      const now = this.#now();
      const expiresAt = Math.floor(now.getTime() / 1000) + this.#ttlSeconds;
      const eventId = `${e.at}#${stamp(now)}`;
      const stored: SessionEvent = {
        eventId,
        actorId: e.actorId,
        sessionId: e.sessionId,
        role: e.role,
        text: e.text,
        at: e.at,
      };
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName,
                  Item: { ...tokenKey, itemType: 'MEMTOK', eventId, expiresAt },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Put: {
                  TableName,
                  Item: {
                    pk: sessionMemoryKeys.events(e.actorId, e.sessionId),
                    sk: eventId,
                    itemType: 'MEMEVT',
                    ...stored,
                    expiresAt,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return stored;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        if (codes[0] === 'ConditionalCheckFailed') {
          const first = await this.#byToken(tokenKey, e.actorId, e.sessionId);
          if (first !== undefined) return first;
        }
        // A concurrent append with the same token, or a stale token item: try again, briefly.
        if (attempt >= 4) throw error;
        await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
      }
    }
  }

  async list(
    actorId: string,
    sessionId: string,
    options: { readonly last?: number } = {},
  ): Promise<SessionEvent[]> {
    checkActorId(actorId);
    checkSessionId(sessionId);
    const last = checkLast(options.last);
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': sessionMemoryKeys.events(actorId, sessionId) },
          ConsistentRead: true,
          ScanIndexForward: last === undefined,
          ...(last === undefined ? {} : { Limit: last }),
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []));
      start = last === undefined ? out.LastEvaluatedKey : undefined;
    } while (start !== undefined);
    if (last !== undefined) items.reverse();
    const nowSeconds = this.#now().getTime() / 1000;
    return items
      .map((item) => StoredEvent.parse(item))
      .filter((s) => s.actorId === actorId && s.sessionId === sessionId && s.expiresAt > nowSeconds)
      .map(({ expiresAt: _, ...event }) => event);
  }

  async #byToken(
    key: { readonly pk: string; readonly sk: string },
    actorId: string,
    sessionId: string,
  ): Promise<SessionEvent | undefined> {
    const token = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    const eventId = token.Item?.eventId;
    if (typeof eventId !== 'string') return undefined;
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: sessionMemoryKeys.events(actorId, sessionId), sk: eventId },
        ConsistentRead: true,
      }),
    );
    if (out.Item === undefined) return undefined;
    const { expiresAt: _, ...event } = StoredEvent.parse(out.Item);
    return event;
  }
}
