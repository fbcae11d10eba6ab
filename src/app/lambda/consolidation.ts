import { loadConfig } from '../../config.ts';
import { consolidateIdleSessions } from '../../memory/index.ts';
import { wireMemory } from '../memory.ts';
import { createModelClient } from '../model.ts';
import { coldStart, functionLogger, openFunctionSettlement } from '../serverless.ts';

/**
 * Memory consolidation as a Lambda function on a schedule: sessions idle for
 * SETTLEOPS_MEMORY_IDLE_MINUTES become long-term facts (AgentCore Memory), as `settleops start` does
 * every minute — with the same wiring (`wireMemory`, the configured model or the offline rules).
 */
const boot = coldStart(async () => {
  const config = loadConfig();
  const logger = functionLogger(config, 'consolidation');
  const rt = await openFunctionSettlement(config, logger);
  return { logger, memory: wireMemory(config, rt, createModelClient(config)) };
});

export async function handler(): Promise<void> {
  const { logger, memory } = await boot();
  const summary = await consolidateIdleSessions(memory.consolidation, {});
  logger.info('sessions consolidated', { ...summary });
}
