import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.ts';
import { fromItem, type Item, ROOT_SK, TTL_ATTRIBUTE } from '../../settlement/index.ts';
import { REQUEST_ID_PATTERN } from '../contract.ts';
import type {
  InvocationKey,
  InvocationLedger,
  InvocationOutcome,
  InvocationRecord,
  LedgerClaim,
} from './invocation-ledger.ts';

/**
 * An invocation is recognised this long after it started (DynamoDB TTL on `expiresAt`): far longer
 * than any retry of it, the SDK's or the caller's, takes.
 */
export const INVOCATION_TTL_SECONDS = 24 * 3600;

/** `INVOCATION#<sessionId>#<requestId>` / `#`: one item per invocation, its own kind. */
export const invocationKeys = {
  invocation: (key: InvocationKey) => ({ pk: `INVOCATION#${key.sessionId}#${key.requestId}`, sk: ROOT_SK }),
} as const;

const RecordRef = z.object({
  kind: z.enum(['trade', 'match', 'exception', 'report', 'audit', 'review']),
  id: z.string(),
});

const Outcome = z.union([
  z.object({
    ok: z.literal(true),
    response: z.object({
      answer: z.string(),
      records: z.array(RecordRef),
      traceId: z.string(),
      answeredBy: z.string(),
      stoppedBy: z.string().optional(),
    }),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

const InvocationItem = z.object({
  sessionId: z.string(),
  requestId: z.string(),
  principalId: z.string(),
  fingerprint: z.string(),
  startedAt: z.string(),
  leaseUntil: z.string(),
  state: z.enum(['RUNNING', 'DONE', 'FAILED']),
  finishedAt: z.string().optional(),
  outcome: z.string().optional(),
});

/**
 * The invocation ledger in the settlement table. The first claim of (session, request id) is a
 * conditional put; a later one reads what is stored. The outcome is kept as JSON next to the claim
 * and checked when read back. An item past its `expiresAt` counts as gone before TTL removes it.
 */
export class DynamoDbInvocationLedger implements InvocationLedger {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    // Leases and expiry are wall-clock matters, never the settlement's business clock.
    private readonly now: Clock = systemClock,
  ) {}

  async claim(input: {
    readonly key: InvocationKey;
    readonly principalId: string;
    readonly fingerprint: string;
    readonly leaseMs: number;
  }): Promise<LedgerClaim> {
    const key = checkKey(input.key);
    if (input.principalId === '') throw new Error('principalId: is empty');
    if (!Number.isInteger(input.leaseMs) || input.leaseMs < 1)
      throw new Error('leaseMs: must be a positive integer');
    // Two attempts: a stored item that expires between the put and the read is claimed on the second.
    for (let attempt = 0; attempt < 2; attempt++) {
      const now = this.now();
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...invocationKeys.invocation(key),
              itemType: 'INVOCATION',
              sessionId: key.sessionId,
              requestId: key.requestId,
              principalId: input.principalId,
              fingerprint: input.fingerprint,
              startedAt: now.toISOString(),
              leaseUntil: new Date(now.getTime() + input.leaseMs).toISOString(),
              state: 'RUNNING',
              [TTL_ATTRIBUTE]: seconds(now) + INVOCATION_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': seconds(now) },
          }),
        );
        return { claimed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const record = await this.get(key);
      if (record !== undefined) return { claimed: false, record };
    }
    throw new Error(`invocation ${key.requestId} of session ${key.sessionId}: neither claimed nor stored`);
  }

  async get(key: InvocationKey): Promise<InvocationRecord | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: invocationKeys.invocation(checkKey(key)),
        ConsistentRead: true,
      }),
    );
    if (out.Item === undefined) return undefined;
    const expires = out.Item[TTL_ATTRIBUTE];
    if (typeof expires === 'number' && expires <= seconds(this.now())) return undefined;
    return recordOf(out.Item);
  }

  async finish(key: InvocationKey, principalId: string, outcome: InvocationOutcome): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: invocationKeys.invocation(checkKey(key)),
        UpdateExpression: 'SET #state = :state, outcome = :outcome, finishedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND principalId = :p AND #state = :running',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': outcome.ok ? 'DONE' : 'FAILED',
          ':outcome': JSON.stringify(outcome),
          ':at': this.now().toISOString(),
          ':p': principalId,
          ':running': 'RUNNING',
        },
      }),
    );
  }
}

function recordOf(item: Item): InvocationRecord {
  const stored = fromItem(InvocationItem, item);
  const outcome = stored.outcome === undefined ? undefined : Outcome.parse(JSON.parse(stored.outcome));
  return {
    key: { sessionId: stored.sessionId, requestId: stored.requestId },
    principalId: stored.principalId,
    fingerprint: stored.fingerprint,
    startedAt: stored.startedAt,
    leaseUntil: stored.leaseUntil,
    state: stored.state,
    ...(outcome === undefined ? {} : { outcome: withoutUndefined(outcome) }),
  };
}

function withoutUndefined(outcome: z.infer<typeof Outcome>): InvocationOutcome {
  if (!outcome.ok) return outcome;
  const { stoppedBy, ...rest } = outcome.response;
  return { ok: true, response: { ...rest, ...(stoppedBy === undefined ? {} : { stoppedBy }) } };
}

function checkKey(key: InvocationKey): InvocationKey {
  if (!REQUEST_ID_PATTERN.test(key.requestId)) throw new Error('requestId: is not a lowercase UUID');
  if (key.sessionId === '' || key.sessionId.length > 256)
    throw new Error('sessionId: must be 1–256 characters');
  return { sessionId: key.sessionId, requestId: key.requestId };
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
