import type { AgentService, InvocationAuthenticator } from '../agents/index.ts';
import {
  createAgentService,
  createInvocationAuthenticator,
  DynamoDbInvocationLedger,
  DynamoDbTraceStore,
} from '../agents/index.ts';
import type { Config } from '../config.ts';
import { lookupPrincipal } from '../identity/index.ts';
import type { Logger } from '../logger.ts';
import { type RuntimeIdentity, runtimeIdentity } from './agent-identity.ts';
import { principalDirectory } from './identity.ts';
import { type MemoryWiring, wireMemory } from './memory.ts';
import { createModelClient } from './model.ts';

export { createModelClient } from './model.ts';

import { type SettlementRuntime, withSettlement } from './settlement.ts';

export interface AgentWiring {
  readonly service: AgentService;
  readonly traces: DynamoDbTraceStore;
  readonly memory: MemoryWiring;
  readonly identity: RuntimeIdentity;
  /** Proves who asks before the runtime app lets the service run. */
  readonly authenticator: InvocationAuthenticator;
  /** Where the runtime app claims each invocation, so that a retried one runs once. */
  readonly invocations: DynamoDbInvocationLedger;
  close(): void;
}

/**
 * The agent over a settlement runtime: the chosen model, traces in the settlement table (on the same
 * DynamoDB client), session and long-term memory (AgentCore Memory or DynamoDB), the session registry,
 * and the identity the runtime verifies callers with (AgentCore Identity or the local signer).
 */
export async function wireAgent(
  config: Config,
  settlement: SettlementRuntime,
  logger: Logger,
): Promise<AgentWiring> {
  const now = settlement.deps.now;
  const traces = new DynamoDbTraceStore(settlement.doc, settlement.table, now);
  const model = createModelClient(config);
  const memory = wireMemory(config, settlement, model);
  const identity = await runtimeIdentity(config, memory.registry);
  const directory = principalDirectory(settlement);
  const service = createAgentService({
    model,
    settlement: settlement.deps,
    traces,
    memory: memory.agent,
    prices: config.modelPrices,
    logger,
  });
  const authenticator = createInvocationAuthenticator({
    verifier: identity.verifier,
    audience: identity.audience,
    sessions: memory.registry,
    lookup: (principalId) => lookupPrincipal(directory, principalId),
    ...(identity.operator === undefined ? {} : { operator: identity.operator }),
    now,
  });
  return {
    service,
    traces,
    memory,
    identity,
    authenticator,
    // Wall-clock leases and expiry, whatever clock the settlement keeps.
    invocations: new DynamoDbInvocationLedger(settlement.doc, settlement.table),
    close() {
      memory.close();
      identity.close();
    },
  };
}

/** The agent's traces, in the settlement table. */
export function withTraces<T>(config: Config, run: (traces: DynamoDbTraceStore) => Promise<T>): Promise<T> {
  return withSettlement(config, (rt) => run(new DynamoDbTraceStore(rt.doc, rt.table, rt.deps.now)));
}
