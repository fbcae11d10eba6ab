import type {
  MemoryRecordCreateInput,
  MemoryRecordMetadataValue,
  MemoryRecordSummary,
} from '@aws-sdk/client-bedrock-agentcore';
import { FactCategory, type MemoryFact } from './facts.ts';
import type { FactWrite } from './long-term-memory.ts';

/*
 * A fact as an AgentCore Memory record. The record's `content.text` is the fact's text alone, so
 * AgentCore's semantic search embeds what the person said and nothing else; the rest of the fact
 * rides in the record's `metadata` (this SDK's MemoryRecordCreateInput has it: ≤ 15 entries, string
 * values of `[a-zA-Z0-9\s._:/=+@-]`, ≤ 256 characters), under `settleops.*` keys with a format marker
 * so a record of any other origin (a memory strategy's extraction) is never mistaken for a fact. The
 * source event id may hold characters outside that set (`#`), so it travels base64url-encoded.
 */
export const FACT_RECORD_FORMAT = 'fact-v1';

const K = {
  format: 'settleops.format',
  factId: 'settleops.factId',
  principalId: 'settleops.principalId',
  category: 'settleops.category',
  sessionId: 'settleops.sourceSessionId',
  eventId: 'settleops.sourceEventId',
  createdAt: 'settleops.createdAt',
  updatedAt: 'settleops.updatedAt',
  expiresAt: 'settleops.expiresAt',
} as const;

const str = (stringValue: string): MemoryRecordMetadataValue => ({ stringValue });

/** The metadata of a fact's record. */
export function factMetadata(
  principalId: string,
  fact: FactWrite,
): Record<string, MemoryRecordMetadataValue> {
  return {
    [K.format]: str(FACT_RECORD_FORMAT),
    [K.factId]: str(fact.factId),
    [K.principalId]: str(principalId),
    [K.category]: str(fact.category),
    [K.sessionId]: str(fact.source.sessionId),
    [K.eventId]: str(Buffer.from(fact.source.eventId, 'utf8').toString('base64url')),
    [K.createdAt]: str(fact.createdAt),
    [K.updatedAt]: str(fact.updatedAt),
    [K.expiresAt]: str(fact.expiresAt),
  };
}

/** A BatchCreateMemoryRecords entry for a fact (`requestIdentifier` = factId). */
export function factRecordInput(
  principalId: string,
  namespace: string,
  fact: FactWrite,
  memoryStrategyId: string | undefined,
): MemoryRecordCreateInput {
  return {
    requestIdentifier: fact.factId,
    namespaces: [namespace],
    content: { text: fact.text },
    timestamp: new Date(fact.updatedAt),
    ...(memoryStrategyId === undefined ? {} : { memoryStrategyId }),
    metadata: factMetadata(principalId, fact),
  };
}

/**
 * The fact a record holds, or undefined when it is not one of ours or not the principal's: wrong
 * format marker, a namespace other than exactly `namespace`, another principal id, a missing field.
 */
export function factOfRecord(
  record: MemoryRecordSummary,
  principalId: string,
  namespace: string,
): MemoryFact | undefined {
  const namespaces = record.namespaces ?? [];
  if (namespaces.length !== 1 || namespaces[0] !== namespace) return undefined;
  const meta = record.metadata ?? {};
  const get = (key: string) => meta[key]?.stringValue;
  if (get(K.format) !== FACT_RECORD_FORMAT || get(K.principalId) !== principalId) return undefined;
  const factId = get(K.factId);
  const category = FactCategory.safeParse(get(K.category));
  const sessionId = get(K.sessionId);
  const eventId = get(K.eventId);
  const createdAt = get(K.createdAt);
  const updatedAt = get(K.updatedAt);
  const expiresAt = get(K.expiresAt);
  const text = record.content?.text;
  if (
    factId === undefined ||
    !category.success ||
    sessionId === undefined ||
    eventId === undefined ||
    createdAt === undefined ||
    updatedAt === undefined ||
    expiresAt === undefined ||
    text === undefined
  )
    return undefined;
  return {
    factId,
    principalId,
    category: category.data,
    text,
    source: { sessionId, eventId: Buffer.from(eventId, 'base64url').toString('utf8') },
    createdAt,
    updatedAt,
    expiresAt,
  };
}
