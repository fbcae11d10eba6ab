import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** The agent is not there to run: its module is missing or does not export the factory. */
export class AgentNotWiredError extends Error {
  override readonly name = 'AgentNotWiredError';
}

/**
 * Loads `createAgentService` from src/agents/agent-service.ts on demand, so the runtime and the
 * commands that do not need the agent start without it (and without its dependencies).
 */
export async function loadAgentServiceFactory(): Promise<AgentServiceFactory> {
  // Same extension as this file: `.ts` when run through tsx, `.js` after `npm run build`.
  const url = new URL(`../agent-service${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  let mod: { readonly createAgentService?: unknown };
  try {
    mod = (await import(url.href)) as typeof mod;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(fileURLToPath(url))) {
      throw new AgentNotWiredError(
        'the agent is not wired in yet: src/agents/agent-service.ts (exporting createAgentService) is missing',
      );
    }
    throw error;
  }
  if (typeof mod.createAgentService !== 'function') {
    throw new AgentNotWiredError('src/agents/agent-service.ts does not export a createAgentService function');
  }
  return mod.createAgentService as AgentServiceFactory;
}
