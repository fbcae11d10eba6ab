import type { WebClient } from '@slack/web-api';
import { DynamoDbTraceStore } from '../agents/index.ts';
import { type BotJob, createWorker } from '../bot/index.ts';
import type { Config } from '../config.ts';
import { directoryApprovalGate } from '../identity/index.ts';
import type { Logger } from '../logger.ts';
import { type AgentCaller, openAgentCaller } from './agent-caller.ts';
import { principalDirectory } from './identity.ts';
import { type MemoryWiring, wireMemory } from './memory.ts';
import { createModelClient } from './model.ts';
import type { SettlementRuntime } from './settlement.ts';

/** The Slack bot's worker as one process has it: the job handler and what it holds open. */
export interface BotWorker {
  readonly handle: (job: BotJob) => Promise<void>;
  /** The worker's memory wiring (consolidation runs with it in `settleops start`). */
  readonly memory: MemoryWiring;
  close(): Promise<void>;
}

/**
 * Puts the worker together — the same for `settleops start` (src/app/bot.ts) and the worker function
 * (src/app/lambda/slack-worker.ts): the agent caller (AgentCore as the asker), the principal directory
 * and approval gate, memory, traces, over the settlement runtime.
 */
export async function openBotWorker(
  config: Config,
  rt: SettlementRuntime,
  options: {
    /** The bot's Web API client. */
    readonly slack: WebClient;
    /** The bot's own user id (from the composition root's one auth.test). */
    readonly botUserId: string;
    readonly logger: Logger;
  },
): Promise<BotWorker> {
  const { slack, botUserId, logger } = options;
  const memory = wireMemory(config, rt, createModelClient(config));
  let agent: AgentCaller | undefined;
  try {
    agent = await openAgentCaller(config, rt, logger);
    const caller = agent;
    const directory = principalDirectory(rt);
    const handle = createWorker({
      slack,
      directory,
      approvals: directoryApprovalGate(directory),
      settlement: rt.deps,
      facts: memory.facts,
      traces: new DynamoDbTraceStore(rt.doc, rt.table, rt.deps.now),
      agent: caller,
      botUserId,
      logger,
    });
    return {
      handle,
      memory,
      async close() {
        await caller.close();
        memory.close();
      },
    };
  } catch (error) {
    await agent?.close();
    memory.close();
    throw error;
  }
}
