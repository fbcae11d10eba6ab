import type { Config } from '../../config.ts';
import type { SettlementDeps } from '../../settlement/services/deps.ts';
import type { AgentService } from '../contract.ts';
import type { Logger } from '../traces/logger.ts';
import type { TraceStore } from '../traces/trace-store.ts';

/** What the agent needs from its composition root (`settleops agent`, `settleops ask`). */
export interface AgentServiceDeps {
  readonly config: Config;
  readonly settlement: SettlementDeps;
  readonly traces: TraceStore;
  readonly logger: Logger;
}

/** Builds the real agent (router, specialists, ReAct loop, model client, guardrails, limits). */
export type AgentServiceFactory = (deps: AgentServiceDeps) => AgentService | Promise<AgentService>;

/**
 * Loads the agent on demand, so the commands and the runtime paths that do not need it start
 * without its dependencies (the Bedrock SDK, the tool catalog).
 */
export async function loadAgentServiceFactory(): Promise<AgentServiceFactory> {
  const { createAgentService } = await import('../agent-service.ts');
  return createAgentService;
}
