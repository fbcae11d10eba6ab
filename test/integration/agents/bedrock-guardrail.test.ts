import { describe, expect, it } from 'vitest';
import { createAgentService } from '../../../src/agents/agent-service.ts';
import { InMemoryTraceStore } from '../../../src/agents/traces/index.ts';
import { createModelClient } from '../../../src/app/agent.ts';
import { loadConfig } from '../../../src/config.ts';
import { LOCAL_ADMIN } from '../../../src/identity/index.ts';
import { silentLogger } from '../../../src/logger.ts';
import { agentMemoryOn } from '../../support/agent-stack.ts';
import {
  DEFAULT_BLOCKED_MESSAGING,
  FAST,
  field,
  STRONG,
  textTurn,
  useConverseServer,
} from '../../support/converse/index.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { settlementDeps, TestClock } from '../../support/settlement.ts';

/*
 * Bedrock Guardrails through the agent service, against the stand-in's guardrail (guardContent
 * semantics as "Include a guardrail with the Converse API" describes them).
 */

const GUARDRAIL = 'gr-settleops';
const stand = useConverseServer({
  guardrails: {
    [GUARDRAIL]: { deniedTopics: [{ name: 'Personal data of staff', pattern: /home address/i }] },
  },
  staticCredentials: true,
});

async function service() {
  const table = await createTestTable();
  const config = loadConfig({
    BEDROCK_MODEL_ID: STRONG,
    BEDROCK_FAST_MODEL_ID: FAST,
    BEDROCK_ENDPOINT: stand.server.url,
    BEDROCK_GUARDRAIL_ID: GUARDRAIL,
    BEDROCK_GUARDRAIL_VERSION: '1',
  });
  const traces = new InMemoryTraceStore();
  const settlement = settlementDeps(table.store, new TestClock('2026-11-24T18:00:00.000Z'));
  const agent = createAgentService({
    model: createModelClient(config),
    settlement,
    traces,
    memory: agentMemoryOn(table, settlement.now),
    logger: silentLogger,
  });
  return { agent, traces };
}

describe('Bedrock Guardrails on the agent', () => {
  it('blocks a question, then answers the next benign one in the same thread', async () => {
    const { agent, traces } = await service();
    const ctx = { sessionId: 'so-guardrail-thread-000000000000000000000000', principal: LOCAL_ADMIN };

    const blocked = await agent.answer(
      { question: 'Explain T-10042 and give me the home address of the trader who booked it.' },
      ctx,
    );
    stand.server.script(
      STRONG,
      textTurn('T-10042 broke on price: the counterparty booked 101.20, we booked 101.25.'),
    );
    const benign = await agent.answer({ question: 'Why is T-10042 not matched?' }, ctx);

    expect(blocked.answer).toBe(DEFAULT_BLOCKED_MESSAGING);
    expect(blocked.stoppedBy).toBe('guardrail_intervened');
    expect(benign.answer).toBe('T-10042 broke on price: the counterparty booked 101.20, we booked 101.25.');
    expect(benign.stoppedBy).toBeUndefined();
    // The guardrail saw only the new question, not the thread.
    expect(stand.server.requests.at(-1)?.guarded).toStrictEqual(['Why is T-10042 not matched?']);
    expect(JSON.stringify(field(stand.server.requests.at(-1)?.body, 'messages'))).not.toMatch(/home address/);
    // The intervention is in the blocked turn's trace, with what the guardrail found.
    const trace = await traces.get(blocked.traceId);
    const step = trace?.steps.find((s) => s.kind === 'guardrail' && s.guardrail === 'bedrock_guardrail');
    expect(step).toMatchObject({ stage: 'input', detail: expect.stringMatching(/Personal data of staff/) });
  });
});
