import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { fromItem, type Item, ROOT_SK } from '../settlement/index.ts';
import { canonicalPrincipalId } from './principal-id.ts';
import { checkSessionId } from './session-id.ts';
import type { SessionClaim, SessionOrigin, SessionRecord, SessionRegistry } from './session-registry.ts';

/** A session is forgotten (DynamoDB TTL) this long after its last activity. */
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

/*
 * Single-table keys:
 * - `SESSION#<sessionId>` / `#`: the session, its owner and turn counters, `expiresAt` 30 days after
 *   the last activity;
 * - while it has unconsolidated turns (turns > consolidatedTurns) it is in the byDue index under
 *   `SESSION_IDLE`, sorted by `<lastActiveAt>#<sessionId>`, for `idle()`.
 */
export const sessionKeys = {
  session: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: ROOT_SK }),
  idleIndexPk: 'SESSION_IDLE',
  idleIndexSk: (lastActiveAt: string, sessionId: string) => `${lastActiveAt}#${sessionId}`,
} as const;

const SessionItem = z.object({
  sessionId: z.string(),
  principalId: z.string(),
  origin: z.object({ teamId: z.string(), channelId: z.string(), threadTs: z.string() }).optional(),
  createdAt: z.string(),
  lastActiveAt: z.string(),
  turns: z.number().int().nonnegative(),
  consolidatedTurns: z.number().int().nonnegative(),
});

/**
 * The session registry in the settlement table. The first claim of a session wins atomically
 * (a conditional put); later claims by the owner confirm it, anyone else's change nothing. An item
 * past its `expiresAt` counts as gone even before DynamoDB's TTL removes it (which can take days).
 */
export class DynamoDbSessionRegistry implements SessionRegistry {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(input: {
    readonly sessionId: string;
    readonly principalId: string;
    readonly origin?: SessionOrigin;
    readonly at: string;
  }): Promise<SessionClaim> {
    const sessionId = checkSessionId(input.sessionId);
    const principalId = canonicalPrincipalId(input.principalId, 'principalId');
    const at = instant(input.at, 'at');
    const origin = input.origin === undefined ? undefined : checkOrigin(input.origin);
    const record: SessionRecord = {
      sessionId,
      principalId,
      ...(origin === undefined ? {} : { origin }),
      createdAt: at,
      lastActiveAt: at,
      turns: 0,
      consolidatedTurns: 0,
    };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...sessionKeys.session(sessionId),
            itemType: 'SESSION',
            ...record,
            expiresAt: expiresAt(at),
          },
          // A session past its expiry is gone, whether or not TTL has removed it yet.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': this.#nowSeconds() },
        }),
      );
      return { ok: true, session: record };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // Taken: it is theirs (confirm with what is stored) or someone else's. Owners never change while
    // the item lives, so reading after the failed put is as good as reading in it.
    const stored = await this.get(sessionId);
    if (stored !== undefined && stored.principalId === principalId) return { ok: true, session: stored };
    return { ok: false, reason: 'OWNED_BY_ANOTHER' };
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: sessionKeys.session(checkSessionId(sessionId)),
        ConsistentRead: true,
      }),
    );
    return out.Item === undefined ? undefined : this.#live(out.Item);
  }

  async recordTurn(sessionId: string, principalId: string, at: string): Promise<void> {
    const id = checkSessionId(sessionId);
    const owner = canonicalPrincipalId(principalId, 'principalId');
    const when = instant(at, 'at');
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sessionKeys.session(id),
          // After the increment turns > consolidatedTurns (which never exceeds the old turns), so
          // the session is (again) in the idle index, sorted by this activity.
          UpdateExpression:
            'SET turns = turns + :one, lastActiveAt = :at, expiresAt = :exp, byDuePk = :duePk, byDueSk = :dueSk',
          ConditionExpression: 'attribute_exists(pk) AND principalId = :p AND expiresAt > :now',
          ExpressionAttributeValues: {
            ':one': 1,
            ':at': when,
            ':exp': expiresAt(when),
            ':duePk': sessionKeys.idleIndexPk,
            ':dueSk': sessionKeys.idleIndexSk(when, id),
            ':p': owner,
            ':now': this.#nowSeconds(),
          },
        }),
      );
    } catch (error) {
      // Not the owner's, or no (live) session: nothing changes.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async idle(
    idleSince: string,
    options: { readonly principalId?: string; readonly limit?: number } = {},
  ): Promise<SessionRecord[]> {
    const since = instant(idleSince, 'idleSince');
    const principalId =
      options.principalId === undefined
        ? undefined
        : canonicalPrincipalId(options.principalId, 'principalId');
    const limit = options.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new Error('limit: must be a positive integer');
    const sessions: SessionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byDue',
          KeyConditionExpression: 'byDuePk = :pk AND byDueSk <= :until',
          ExpressionAttributeValues: {
            ':pk': sessionKeys.idleIndexPk,
            ':until': `${since}#\uffff`,
            ...(principalId === undefined ? {} : { ':p': principalId }),
          },
          ...(principalId === undefined ? {} : { FilterExpression: 'principalId = :p' }),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        const session = this.#live(item);
        if (session !== undefined && session.turns > session.consolidatedTurns) sessions.push(session);
        if (limit !== undefined && sessions.length >= limit) return sessions;
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return sessions;
  }

  async markConsolidated(sessionId: string, throughTurns: number): Promise<void> {
    const id = checkSessionId(sessionId);
    if (!Number.isInteger(throughTurns) || throughTurns < 0)
      throw new Error('throughTurns: must be an integer ≥ 0');
    const forward = 'attribute_exists(pk) AND consolidatedTurns < :n';
    // Caught up: leave the idle index. Behind: stay in it. Each condition reads the current turns,
    // so a turn recorded concurrently is never dropped from the index.
    if (
      (await this.#update(
        id,
        throughTurns,
        'SET consolidatedTurns = :n REMOVE byDuePk, byDueSk',
        `${forward} AND turns = :n`,
      )) ||
      (await this.#update(id, throughTurns, 'SET consolidatedTurns = :n', `${forward} AND turns > :n`))
    )
      return;
    const stored = await this.get(id);
    if (stored !== undefined && throughTurns > stored.turns)
      throw new Error(
        `throughTurns: ${throughTurns} is more than the ${stored.turns} turns of session ${id}`,
      );
    // Otherwise it would move backwards (or the session is gone): nothing changes.
  }

  async #update(sessionId: string, n: number, expression: string, condition: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: sessionKeys.session(sessionId),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':n': n },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  #live(item: Item): SessionRecord | undefined {
    const expires = item.expiresAt;
    if (typeof expires === 'number' && expires <= this.#nowSeconds()) return undefined;
    return fromItem(SessionItem, item) as SessionRecord;
  }

  #nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 instant in its one normal form (`toISOString`), so index keys sort by time. */
function instant(value: string, field: string): string {
  const ms = typeof value === 'string' && ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new Error(`${field}: not an ISO-8601 instant: ${JSON.stringify(value)}`);
  return new Date(ms).toISOString();
}

function expiresAt(lastActiveAt: string): number {
  return Math.floor(Date.parse(lastActiveAt) / 1000) + SESSION_TTL_SECONDS;
}

function checkOrigin(origin: SessionOrigin): SessionOrigin {
  for (const field of ['teamId', 'channelId', 'threadTs'] as const) {
    const v = origin[field];
    if (typeof v !== 'string' || v === '' || v.length > 256)
      throw new Error(`origin.${field}: must be 1–256 characters`);
  }
  return { teamId: origin.teamId, channelId: origin.channelId, threadTs: origin.threadTs };
}
