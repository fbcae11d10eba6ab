import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentRuntimeInvoker } from '../../../src/agents/client/agent-runtime-invoker.ts';
import type { AgentEvent, AgentResponse } from '../../../src/agents/contract.ts';
import { OfflinePlanner } from '../../../src/agents/model/offline-planner.ts';
import type { ModelClient, ModelRequest } from '../../../src/agents/model/types.ts';
import { createAgentCoreClient } from '../../../src/app/aws-clients.ts';
import { LOCAL_ADMIN } from '../../../src/identity/index.ts';
import { LOCAL_AGENT_RUNTIME_ARN } from '../../../src/local/index.ts';
import type { Trade } from '../../../src/settlement/index.ts';
import { ingestTrades } from '../../../src/settlement/services/ingest-trades.ts';
import { startTestAgentStack, type TestAgentStack } from '../../support/agent-stack.ts';
import { createTestTable } from '../../support/dynamodb.ts';
import { INGESTED_AT, QUESTIONS_AT, type SeededDay } from '../../support/offline-driver.ts';
import { type ResetProxy, startResetProxy } from '../../support/reset-proxy.ts';
import { rowsOf, settlementDeps, TestClock } from '../../support/settlement.ts';
import { aCounterpartyRecordOf, aTrade } from '../../support/trade-factory.ts';
import { watchedClaims } from '../../support/watched-ledger.ts';

/*
 * A retried InvokeAgentRuntime whose first attempt the runtime already served (or is serving) must
 * not run the turn again: rerun_matching, a tool that writes (an audit record each time it runs),
 * runs once, and the caller gets one answer. The network between the caller and AgentCore is a
 * loopback proxy that resets the connection, as a dropped connection does.
 */

const ADMIN = LOCAL_ADMIN.principalId;
let seeded: Pick<SeededDay, 'table' | 'clock' | 'deps'>;
let agent: TestAgentStack;
let trade: Trade;
const model = pausableAfterTool(new OfflinePlanner(), 'rerun_matching');
const claims = watchedClaims();

beforeAll(async () => {
  const table = await createTestTable();
  const clock = new TestClock(INGESTED_AT);
  const deps = settlementDeps(table.store, clock);
  // Our booking and the counterparty's record of it at another price: a break against a record, so
  // re-running its matching writes an audit record each time it runs.
  const booking = aTrade({ tradeId: 'T-20001' });
  await ingestTrades(
    deps,
    rowsOf(booking, aCounterpartyRecordOf(booking, { price: '104.00', netAmount: '104000.00' })),
  );
  clock.set(QUESTIONS_AT);
  const stored = await table.store.getTrade('INTERNAL#T-20001');
  if (stored?.status !== 'EXCEPTION') throw new Error(`the break was not raised: ${stored?.status}`);
  trade = stored;
  seeded = { table, clock, deps };
  agent = await startTestAgentStack({
    table,
    settlement: deps,
    model: model.client,
    observeInvocations: claims.observe,
  });
});

afterAll(async () => {
  await agent?.close();
});

/** An invoker as the bot's, whose connections to AgentCore go through `proxy`. */
function invokerThrough(proxy: ResetProxy) {
  const client = createAgentCoreClient({ region: 'us-east-1', endpoint: proxy.url });
  return {
    invoker: createAgentRuntimeInvoker({ client, agentRuntimeArn: LOCAL_AGENT_RUNTIME_ARN }),
    close: async () => {
      client.destroy();
      await proxy.close();
    },
  };
}

async function claimedSession(thread: string): Promise<string> {
  const sessionId = agent.session(ADMIN, thread);
  await agent.registry.claim({ sessionId, principalId: ADMIN, at: seeded.deps.now().toISOString() });
  return sessionId;
}

async function auditCount(trade: Trade): Promise<number> {
  const ref = `${trade.source}#${trade.tradeId}`;
  const current = (await seeded.table.store.getTrade(ref)) ?? trade;
  return (await seeded.table.store.listAudit(ref, current)).length;
}

/** What the store holds of the turns of a session: how many ran, and what they remembered. */
async function turnsOf(sessionId: string) {
  const usage = await agent.traces.usage({ kind: 'session', sessionId });
  const remembered = await agent.sessions.list(`u${ADMIN}`, sessionId);
  return { turns: usage.invocations, remembered: remembered.length };
}

describe('a retried invocation that reruns matching', () => {
  it('runs rerun_matching once when the connection drops after the answer was sent (the SDK retries)', async () => {
    const sessionId = await claimedSession('retry-json');
    const before = await auditCount(trade);
    // The runtime answers; the caller's connection is reset before the answer reaches it.
    const proxy = await startResetProxy(agent.stack.endpoint.url, { cutAnswerOf: (i) => i === 0 });
    const { invoker, close } = invokerThrough(proxy);
    let response: AgentResponse;
    try {
      response = await invoker.ask(
        { question: `rerun matching for ${trade.tradeId}` },
        { runtimeSessionId: sessionId, runtimeUserId: ADMIN },
      );
    } finally {
      await close();
    }

    expect(proxy.connections.length).toBe(2);
    expect(response.answer).toContain(trade.tradeId);
    expect(response.records).toContainEqual({ kind: 'trade', id: `INTERNAL#${trade.tradeId}` });
    expect(await auditCount(trade)).toBe(before + 1);
    expect(await turnsOf(sessionId)).toStrictEqual({ turns: 1, remembered: 2 });
    const trace = await agent.traces.get(response.traceId);
    expect(trace?.steps.filter((s) => s.kind === 'tool' && s.name === 'rerun_matching')).toHaveLength(1);
  });

  it('runs rerun_matching once when the stream drops mid-turn: the retry waits for the turn and gets its answer', async () => {
    const sessionId = await claimedSession('retry-stream');
    const before = await auditCount(trade);
    const proxy = await startResetProxy(agent.stack.endpoint.url);
    const { invoker, close } = invokerThrough(proxy);
    const events: AgentEvent[] = [];
    const repeated = claims.nextRepeat();
    model.pauseNext();
    try {
      const asked = invoker
        .ask(
          { question: `rerun matching for ${trade.tradeId}` },
          { runtimeSessionId: sessionId, runtimeUserId: ADMIN, stream: true, onEvent: (e) => events.push(e) },
        )
        .catch((error: unknown) => error);
      // rerun_matching has run; the model is composing the answer when the connection drops.
      await model.paused;
      proxy.connections[0]?.reset();
      // The retry reaches the runtime while the turn still runs (or the ask has failed outright).
      await Promise.race([repeated, asked]);
      model.resume();
      const response = await asked;

      expect(response).not.toBeInstanceOf(Error);
      const answer = response as AgentResponse;
      expect(proxy.connections.length).toBe(2);
      expect(answer.answer).toContain(trade.tradeId);
      // One answer: the text shown adds up to it once, and one `done`.
      expect(
        events
          .filter((e) => e.type === 'text')
          .map((e) => e.delta)
          .join(''),
      ).toBe(answer.answer);
      expect(events.filter((e) => e.type === 'done')).toStrictEqual([{ type: 'done', response: answer }]);
      expect(await auditCount(trade)).toBe(before + 1);
      expect(await turnsOf(sessionId)).toStrictEqual({ turns: 1, remembered: 2 });
    } finally {
      model.resume();
      await close();
    }
  });
});

/** A model that can hold the call reading `tool`'s result until resumed (the tool has run by then). */
function pausableAfterTool(inner: ModelClient, tool: string) {
  let armed = false;
  let reached: () => void = () => {};
  let release: () => void = () => {};
  let paused = Promise.resolve();
  let released = Promise.resolve();
  const readsResultOf = (request: ModelRequest) => {
    const [assistant, user] = request.messages.slice(-2);
    return (
      user?.content.some((b) => 'toolResult' in b) === true &&
      assistant?.content.some((b) => 'toolUse' in b && b.toolUse.name === tool) === true
    );
  };
  const client: ModelClient = {
    label: inner.label,
    isLanguageModel: inner.isLanguageModel,
    async converse(request, signal) {
      if (armed && readsResultOf(request)) {
        armed = false;
        reached();
        await released;
      }
      return inner.converse(request, signal);
    },
  };
  return {
    client,
    get paused() {
      return paused;
    },
    pauseNext() {
      armed = true;
      paused = new Promise<void>((r) => {
        reached = r;
      });
      released = new Promise<void>((r) => {
        release = r;
      });
    },
    resume: () => release(),
  };
}
