import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAgentService } from '../../../src/agents/agent-service.ts';
import { InMemoryTraceStore } from '../../../src/agents/traces/index.ts';
import { createModelClient } from '../../../src/app/agent.ts';
import { loadConfig } from '../../../src/config.ts';
import { LOCAL_ADMIN } from '../../../src/identity/index.ts';
import { silentLogger } from '../../../src/logger.ts';
import { agentMemoryOn } from '../../support/agent-stack.ts';
import {
  type ConverseServer,
  FAST,
  STRONG,
  startConverseServer,
  textTurn,
} from '../../support/converse/index.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { settlementDeps, TestClock } from '../../support/settlement.ts';

let server: ConverseServer;

beforeAll(async () => {
  server = await startConverseServer();
  // The Bedrock client takes credentials from the standard AWS chain: give it static ones, so it
  // never looks further (instance metadata is network).
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

async function service() {
  const table = await createTestTable();
  const config = loadConfig({
    BEDROCK_MODEL_ID: STRONG,
    BEDROCK_FAST_MODEL_ID: FAST,
    BEDROCK_ENDPOINT: server.url,
  });
  const traces = new InMemoryTraceStore();
  const settlement = settlementDeps(table.store, new TestClock('2026-11-24T18:00:00.000Z'));
  return {
    traces,
    agent: createAgentService({
      model: createModelClient(config),
      settlement,
      traces,
      memory: agentMemoryOn(table, settlement.now),
      logger: silentLogger,
    }),
  };
}

const textOf = (body: unknown): string => JSON.stringify(body);

describe('routing with a language model configured', () => {
  it('asks the fast model when no rule applies and hands the question to the specialist it names', async () => {
    server.script(FAST, textTurn('matching'));
    server.script(STRONG, textTurn('The trades with Goldman broke on price.'));
    const { agent, traces } = await service();

    const response = await agent.answer(
      { question: 'what is going on with the Goldman trades?' },
      { sessionId: 'so-router-test-00000000000000000000000000000', principal: LOCAL_ADMIN },
    );

    expect(response.answer).toBe('The trades with Goldman broke on price.');
    const [routing] = server.callsFor(FAST);
    expect(textOf(routing?.body)).toContain('exactly one word');
    const [turn] = server.callsFor(STRONG);
    // The matching specialist's tools, not the status specialist's.
    expect(textOf(turn?.body)).toContain('explain_match');
    expect(textOf(turn?.body)).not.toContain('settlement_report');
    const trace = await traces.get(response.traceId);
    expect(trace?.steps.filter((s) => s.kind === 'model')).toHaveLength(2);
  });

  it('does not call a model to route a question a rule recognises', async () => {
    server.script(STRONG, textTurn('Here is why.'));
    const { agent } = await service();
    const before = server.callsFor(FAST).length;

    await agent.answer(
      { question: 'why is T-10042 not matched?' },
      { sessionId: 'so-router-test-11111111111111111111111111111', principal: LOCAL_ADMIN },
    );

    expect(server.callsFor(FAST)).toHaveLength(before);
  });

  it('falls back to the status specialist when the router names no single specialist', async () => {
    server.script(FAST, textTurn('I think matching or exception_resolution'), textTurn('Nothing open.'));
    const { agent } = await service();

    await agent.answer(
      { question: 'anything I should worry about?' },
      { sessionId: 'so-router-test-22222222222222222222222222222', principal: LOCAL_ADMIN },
    );

    // settlement_qa runs on the fast tier: its turn is the second call to the fast model.
    const calls = server.callsFor(FAST);
    expect(textOf(calls.at(-1)?.body)).toContain('settlement_report');
  });
});
