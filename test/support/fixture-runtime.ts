import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { AgentService } from '../../src/agents/contract.ts';
import {
  createInvocationAuthenticator,
  DynamoDbInvocationLedger,
  type InvocationLedger,
} from '../../src/agents/runtime/index.ts';
import { type LocalAgentStack, startLocalAgentStack } from '../../src/app/local-agent-stack.ts';
import {
  DynamoDbSessionRegistry,
  LOCAL_ADMIN,
  LocalWorkloadTokens,
  lookupPrincipal,
  type NewPrincipal,
} from '../../src/identity/index.ts';
import { LOCAL_AGENT_RUNTIME_ARN } from '../../src/local/index.ts';
import { directoryOf, enrol } from './directory.ts';
import { createTestTable } from './dynamodb.ts';

export interface FixtureRuntime {
  readonly stack: LocalAgentStack;
  readonly tokens: LocalWorkloadTokens;
  /** The signer's private key (to sign tokens the runtime would otherwise accept, with other clocks). */
  readonly key: JWK;
  readonly registry: DynamoDbSessionRegistry;
  readonly invocations: DynamoDbInvocationLedger;
  close(): Promise<void>;
}

/**
 * A service behind the real runtime app, local AgentCore endpoint and SDK client, with the real
 * authentication: the local signer, the session registry and the principal directory on a fresh
 * DynamoDB Local table (with `principals` enrolled), and the local operator.
 */
export async function startFixtureRuntime(
  service: AgentService,
  principals: readonly NewPrincipal[],
  options: {
    /** Wraps the runtime's invocation ledger (a DynamoDB one on the table), e.g. to watch its claims. */
    readonly observeInvocations?: (ledger: InvocationLedger) => InvocationLedger;
  } = {},
): Promise<FixtureRuntime> {
  const table = await createTestTable();
  const directory = directoryOf(table);
  await enrol(directory, ...principals);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const key = await exportJWK(privateKey);
  const tokens = new LocalWorkloadTokens(key);
  const registry = new DynamoDbSessionRegistry(table.doc, table.tableName);
  const authenticator = createInvocationAuthenticator({
    verifier: tokens,
    audience: LOCAL_AGENT_RUNTIME_ARN,
    sessions: registry,
    lookup: (id) => lookupPrincipal(directory, id),
    operator: LOCAL_ADMIN,
    now: () => new Date(),
  });
  const invocations = new DynamoDbInvocationLedger(table.doc, table.tableName);
  const stack = await startLocalAgentStack(service, {
    authenticator,
    issuer: tokens,
    invocations: options.observeInvocations?.(invocations) ?? invocations,
  });
  return { stack, tokens, key, registry, invocations, close: () => stack.close() };
}
