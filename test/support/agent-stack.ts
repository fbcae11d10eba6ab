import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { type AgentMemory, createAgentService } from '../../src/agents/agent-service.ts';
import { runtimeSessionId } from '../../src/agents/client/index.ts';
import type { AgentEvent, AgentResponse } from '../../src/agents/contract.ts';
import { OfflinePlanner } from '../../src/agents/model/offline-planner.ts';
import type { ModelClient } from '../../src/agents/model/types.ts';
import {
  createInvocationAuthenticator,
  DynamoDbInvocationLedger,
  type InvocationAuthenticator,
  type InvocationLedger,
} from '../../src/agents/runtime/index.ts';
import { DynamoDbTraceStore } from '../../src/agents/traces/index.ts';
import { type LocalAgentStack, startLocalAgentStack } from '../../src/app/local-agent-stack.ts';
import {
  DynamoDbSessionRegistry,
  LOCAL_ADMIN,
  LocalWorkloadTokens,
  lookupPrincipal,
  type NewPrincipal,
} from '../../src/identity/index.ts';
import { LOCAL_AGENT_RUNTIME_ARN } from '../../src/local/index.ts';
import { silentLogger } from '../../src/logger.ts';
import {
  type ConsolidationDeps,
  DynamoDbLongTermMemory,
  DynamoDbSessionMemory,
  RuleFactExtractor,
  rememberNow,
} from '../../src/memory/index.ts';
import type { SettlementDeps } from '../../src/settlement/services/deps.ts';
import { directoryOf, enrol } from './directory.ts';
import type { TestTable } from './dynamodb.ts';

/** The agent's memory (DynamoDB session and long-term memory, registry, the offline rules) on a test table. */
export function agentMemoryOn(table: Pick<TestTable, 'doc' | 'tableName'>, now: () => Date): AgentMemory {
  const registry = new DynamoDbSessionRegistry(table.doc, table.tableName, now);
  const sessions = new DynamoDbSessionMemory(table.doc, table.tableName, { now });
  const facts = new DynamoDbLongTermMemory(table.doc, table.tableName, { now });
  const deps: ConsolidationDeps = { registry, sessions, facts, extractor: new RuleFactExtractor(), now };
  return { sessions, facts, registry, remember: (input) => rememberNow(deps, input) };
}

/**
 * The local signer, an authenticator that knows only the local operator (no directory) and the
 * invocation ledger: what the embedded stack needs to serve `settleops ask` without --user, for
 * benchmarks.
 */
export async function operatorIdentity(
  now: () => Date,
  doc: TestTable['doc'],
  tableName = 'bench-agents',
): Promise<{
  authenticator: InvocationAuthenticator;
  issuer: LocalWorkloadTokens;
  invocations: DynamoDbInvocationLedger;
}> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const tokens = new LocalWorkloadTokens(await exportJWK(privateKey));
  const authenticator = createInvocationAuthenticator({
    verifier: tokens,
    audience: LOCAL_AGENT_RUNTIME_ARN,
    sessions: new DynamoDbSessionRegistry(doc, tableName, now),
    lookup: async () => undefined,
    operator: LOCAL_ADMIN,
    now,
  });
  return { authenticator, issuer: tokens, invocations: new DynamoDbInvocationLedger(doc, tableName) };
}

export interface TestAgentStack {
  readonly stack: LocalAgentStack;
  readonly tokens: LocalWorkloadTokens;
  readonly registry: DynamoDbSessionRegistry;
  readonly sessions: DynamoDbSessionMemory;
  readonly facts: DynamoDbLongTermMemory;
  readonly traces: DynamoDbTraceStore;
  readonly consolidation: ConsolidationDeps;
  enrol(...principals: readonly NewPrincipal[]): Promise<void>;
  /** A session id of `principalId` for a Slack-like thread (stable per thread). */
  session(principalId: string, thread: string): string;
  /**
   * Asks as `principalId` the way a trusted caller does: claims the session for the principal (unless
   * `claim: false`), then invokes through the real SDK client with `runtimeUserId`.
   */
  ask(
    principalId: string,
    question: string,
    options?: {
      readonly thread?: string;
      readonly sessionId?: string;
      readonly stream?: boolean;
      readonly onEvent?: (e: AgentEvent) => void;
      readonly claim?: boolean;
    },
  ): Promise<AgentResponse>;
  close(): Promise<void>;
}

/**
 * The embedded AgentCore path as `settleops ask` wires it — runtime app, local endpoint with the local
 * signer, the real SDK client — over a test table: DynamoDB session and long-term memory, the session
 * registry and the principal directory (enrol principals first), the offline planner unless `model`.
 */
export async function startTestAgentStack(options: {
  readonly table: TestTable;
  readonly settlement: SettlementDeps;
  readonly model?: ModelClient;
  readonly principals?: readonly NewPrincipal[];
  /** Wraps the runtime's invocation ledger (a DynamoDB one on the table), e.g. to watch its claims. */
  readonly observeInvocations?: (ledger: InvocationLedger) => InvocationLedger;
}): Promise<TestAgentStack> {
  const { table, settlement } = options;
  const now = settlement.now;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const tokens = new LocalWorkloadTokens(await exportJWK(privateKey));
  const registry = new DynamoDbSessionRegistry(table.doc, table.tableName, now);
  const sessions = new DynamoDbSessionMemory(table.doc, table.tableName, { now });
  const facts = new DynamoDbLongTermMemory(table.doc, table.tableName, { now });
  const traces = new DynamoDbTraceStore(table.doc, table.tableName, now);
  const directory = directoryOf(table);
  if (options.principals !== undefined) await enrol(directory, ...options.principals);
  const consolidation: ConsolidationDeps = {
    registry,
    sessions,
    facts,
    extractor: new RuleFactExtractor(),
    now,
  };
  const memory: AgentMemory = {
    sessions,
    facts,
    registry,
    remember: (input) => rememberNow(consolidation, input),
  };
  const service = createAgentService({
    model: options.model ?? new OfflinePlanner(),
    settlement,
    traces,
    memory,
    logger: silentLogger,
  });
  const authenticator = createInvocationAuthenticator({
    verifier: tokens,
    audience: LOCAL_AGENT_RUNTIME_ARN,
    sessions: registry,
    lookup: (id) => lookupPrincipal(directory, id),
    operator: LOCAL_ADMIN,
    now,
  });
  const ledger = new DynamoDbInvocationLedger(table.doc, table.tableName);
  const invocations = options.observeInvocations?.(ledger) ?? ledger;
  const stack = await startLocalAgentStack(service, { authenticator, issuer: tokens, invocations });
  const session = (principalId: string, thread: string) =>
    runtimeSessionId('T-TEAM', principalId, 'C-OPS', thread);
  return {
    stack,
    tokens,
    registry,
    sessions,
    facts,
    traces,
    consolidation,
    enrol: (...principals) => enrol(directory, ...principals),
    session,
    async ask(principalId, question, o = {}) {
      const sessionId = o.sessionId ?? session(principalId, o.thread ?? randomUUID());
      if (o.claim !== false) {
        const claim = await registry.claim({ sessionId, principalId, at: now().toISOString() });
        if (!claim.ok) throw new Error(`session ${sessionId} belongs to someone else`);
      }
      return stack.invoker.ask(
        { question },
        {
          runtimeSessionId: sessionId,
          runtimeUserId: principalId,
          ...(o.stream === undefined ? {} : { stream: o.stream }),
          ...(o.onEvent === undefined ? {} : { onEvent: o.onEvent }),
        },
      );
    },
    close: () => stack.close(),
  };
}
