import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../../clock.ts';
import { TTL_ATTRIBUTE } from '../../settlement/index.ts';
import { Trace } from './trace.ts';
import {
  NO_USAGE,
  type TraceStore,
  type Usage,
  type UsageScope,
  usageKey,
  usageScopes,
} from './trace-store.ts';

/** Traces are kept 30 days (DynamoDB TTL on `expiresAt`); usage counters 400 days. */
export const TRACE_TTL_SECONDS = 30 * 24 * 3600;
export const USAGE_TTL_SECONDS = 400 * 24 * 3600;

const ROOT_SK = '#';

/** Key builders: pure, shared by the adapter and its tests. */
export const traceKeys = {
  trace: (traceId: string) => ({ pk: `TRACE#${traceId}`, sk: ROOT_SK }),
  usage: (scope: UsageScope) => ({ pk: `USAGE#${usageKey(scope)}`, sk: ROOT_SK }),
};

/**
 * Traces in the settlement table (one item per trace, `TRACE#<id>` / `#`, TTL 30 days) with usage
 * counters beside them (`USAGE#SESSION#<id>`, `USAGE#PRINCIPAL#<id>#<day>`). A trace and the
 * usage it adds are one transaction, so a retried write neither loses nor double-counts usage
 * (the trace put is conditional on the trace not existing yet).
 */
export class DynamoDbTraceStore implements TraceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: Clock = systemClock,
  ) {}

  async put(trace: Trace): Promise<void> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const t = trace.totals;
    try {
      await this.#write(trace, nowSeconds, t);
    } catch (error) {
      // The trace is already there: an earlier attempt of this very write succeeded.
      const first =
        error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (first?.Code !== 'ConditionalCheckFailed') throw error;
    }
  }

  async #write(trace: Trace, nowSeconds: number, t: Trace['totals']): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...traceKeys.trace(trace.traceId),
                itemType: 'TRACE',
                data: trace,
                [TTL_ATTRIBUTE]: nowSeconds + TRACE_TTL_SECONDS,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...usageScopes(trace).map((scope) => ({
            Update: {
              TableName: this.tableName,
              Key: traceKeys.usage(scope),
              UpdateExpression:
                'SET itemType = :type, #ttl = :ttl ADD invocations :one, inputTokens :in, outputTokens :out, cacheRead :cr, cacheWrite :cw, costMicroUsd :cost',
              ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
              ExpressionAttributeValues: {
                ':type': 'USAGE',
                ':ttl': nowSeconds + USAGE_TTL_SECONDS,
                ':one': 1,
                ':in': t.inputTokens,
                ':out': t.outputTokens,
                ':cr': t.cacheRead,
                ':cw': t.cacheWrite,
                // Integers, so the counter never accumulates binary-float error.
                ':cost': Math.round(trace.estimatedCostUsd * 1_000_000),
              },
            },
          })),
        ],
      }),
    );
  }

  async get(traceId: string): Promise<Trace | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: traceKeys.trace(traceId), ConsistentRead: true }),
    );
    return out.Item === undefined ? undefined : Trace.parse(out.Item.data);
  }

  async usage(scope: UsageScope): Promise<Usage> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: traceKeys.usage(scope), ConsistentRead: true }),
    );
    const i = out.Item;
    if (i === undefined) return NO_USAGE;
    const n = (v: unknown) => (typeof v === 'number' ? v : 0);
    return {
      invocations: n(i.invocations),
      inputTokens: n(i.inputTokens),
      outputTokens: n(i.outputTokens),
      cacheRead: n(i.cacheRead),
      cacheWrite: n(i.cacheWrite),
      estimatedCostUsd: n(i.costMicroUsd) / 1_000_000,
    };
  }
}
