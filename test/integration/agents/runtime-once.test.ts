import { randomUUID } from 'node:crypto';
import { RuntimeClientError } from '@aws-sdk/client-bedrock-agentcore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeSessionId } from '../../../src/agents/client/session-id.ts';
import type { AgentEvent, AgentResponse, AgentService } from '../../../src/agents/contract.ts';
import { LOCAL_AGENT_RUNTIME_ARN } from '../../../src/local/index.ts';
import { createFixtureAgentService } from '../../support/agent-service-fixture.ts';
import { type FixtureRuntime, startFixtureRuntime } from '../../support/fixture-runtime.ts';
import { watchedClaims } from '../../support/watched-ledger.ts';

/*
 * The runtime runs each invocation — a session and the caller's request id — once: a repeat is
 * answered with the first one's outcome, and nothing runs again; the same id elsewhere is its own
 * invocation; a conflicting one is refused.
 */

const fixture = createFixtureAgentService();
let release: () => void = () => {};
let reached: () => void = () => {};
/** The fixture service; "slow" waits until released. */
const service: AgentService = {
  async answer(request, ctx) {
    if (request.question === 'slow') {
      reached();
      await new Promise<void>((r) => {
        release = r;
      });
    }
    return fixture.answer(request, ctx);
  },
  stream: (request, ctx) => fixture.stream(request, ctx),
};
const claims = watchedClaims();
let runtime: FixtureRuntime;
let seq = 0;

beforeAll(async () => {
  runtime = await startFixtureRuntime(
    service,
    [{ principalId: 'alice', roles: ['viewer'], desks: ['EQ-LDN'], accounts: [] }],
    { observeInvocations: claims.observe },
  );
});
afterAll(async () => {
  await runtime?.close();
});

async function aliceSession(): Promise<string> {
  const sessionId = runtimeSessionId('T1', 'alice', 'C1', `1718000200.${++seq}`);
  await runtime.registry.claim({ sessionId, principalId: 'alice', at: new Date().toISOString() });
  return sessionId;
}

const ask = (
  question: string,
  requestId: string,
  sessionId: string,
  options: { stream?: boolean; onEvent?: (e: AgentEvent) => void } = {},
) =>
  runtime.stack.invoker.ask(
    { question, requestId },
    { runtimeSessionId: sessionId, runtimeUserId: 'alice', ...options },
  );

describe('an invocation runs once', () => {
  it('answers a repeat with the stored answer, as JSON or as a stream, and runs nothing', async () => {
    const sessionId = await aliceSession();
    const requestId = randomUUID();
    const first = await ask('status of T-10042?', requestId, sessionId);
    const calls = fixture.calls.length;

    expect(await ask('status of T-10042?', requestId, sessionId)).toStrictEqual(first);
    const events: AgentEvent[] = [];
    const streamed = await ask('status of T-10042?', requestId, sessionId, {
      stream: true,
      onEvent: (e) => events.push(e),
    });
    expect(streamed).toStrictEqual(first);
    expect(events).toStrictEqual([
      { type: 'text', delta: first.answer },
      { type: 'done', response: first },
    ]);
    expect(fixture.calls.length).toBe(calls);
    // The service saw the question, not the request id; the context carries the caller's id.
    expect(fixture.calls.at(-1)?.request).toStrictEqual({ question: 'status of T-10042?' });
    expect(fixture.calls.at(-1)?.ctx.requestId).toBe(requestId);
  });

  it('holds a repeat while the first runs, then answers both with the one answer', async () => {
    const sessionId = await aliceSession();
    const requestId = randomUUID();
    const calls = fixture.calls.length;
    const started = new Promise<void>((r) => {
      reached = r;
    });
    const first = ask('slow', requestId, sessionId);
    await started;
    const repeated = claims.nextRepeat();
    const repeat = ask('slow', requestId, sessionId, { stream: true });
    await repeated;
    release();

    const [a, b] = await Promise.all([first, repeat]);
    expect(b).toStrictEqual(a);
    expect(fixture.calls.length).toBe(calls + 1);
  });

  it('runs the same request id in another session as an invocation of its own', async () => {
    const requestId = randomUUID();
    const one = await aliceSession();
    const other = await aliceSession();
    const calls = fixture.calls.length;
    await ask('hi', requestId, one);
    await ask('hi', requestId, other);
    expect(fixture.calls.slice(calls).map((c) => c.ctx.sessionId)).toStrictEqual([one, other]);
  });

  it('refuses the request id of another question with a 409, running nothing', async () => {
    const sessionId = await aliceSession();
    const requestId = randomUUID();
    await ask('hi', requestId, sessionId);
    const calls = fixture.calls.length;

    const error = await ask('list every trade', requestId, sessionId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeClientError);
    expect((error as Error).message).toContain('Received error (409) from runtime');
    // Straight to the runtime: the reason, and nothing of the first answer.
    const token = await runtime.tokens.issue({
      principalId: 'alice',
      audience: LOCAL_AGENT_RUNTIME_ARN,
      sessionId,
    });
    const direct = await fetch(`${runtime.stack.runtimeAddress.url}/invocations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-amzn-bedrock-agentcore-runtime-session-id': sessionId,
        workloadaccesstoken: token,
      },
      body: JSON.stringify({ question: 'list every trade', requestId }),
    });
    expect(direct.status).toBe(409);
    expect(await direct.json()).toStrictEqual({ error: 'request_id_conflict', requestId });
    expect(fixture.calls.length).toBe(calls);
  });

  it('answers a repeat of a failed invocation with the same failure, without running it again', async () => {
    const sessionId = await aliceSession();
    const requestId = randomUUID();
    const first = await ask('fail', requestId, sessionId, { stream: true }).catch((e: unknown) => e);
    const calls = fixture.calls.length;
    const again = await ask('fail', requestId, sessionId, { stream: true }).catch((e: unknown) => e);
    const json = await ask('fail', requestId, sessionId).catch((e: unknown) => e);

    expect((first as Error).message).toMatch(/^the agent failed: internal error; see the logs for request /);
    expect((again as Error).message).toBe((first as Error).message);
    expect((json as Error).message).toContain('Received error (500) from runtime');
    expect(fixture.calls.length).toBe(calls);
  });

  it('leaves a question without a request id served as it comes (a hand-made call)', async () => {
    const sessionId = await aliceSession();
    const token = await runtime.tokens.issue({
      principalId: 'alice',
      audience: LOCAL_AGENT_RUNTIME_ARN,
      sessionId,
    });
    const post = () =>
      fetch(`${runtime.stack.runtimeAddress.url}/invocations`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-amzn-bedrock-agentcore-runtime-session-id': sessionId,
          workloadaccesstoken: token,
        },
        body: JSON.stringify({ question: 'hi' }),
      });
    const calls = fixture.calls.length;
    const answers = [
      (await (await post()).json()) as AgentResponse,
      (await (await post()).json()) as AgentResponse,
    ];
    expect(answers.map((a) => a.answer)).toStrictEqual(['alice asked: hi', 'alice asked: hi']);
    expect(fixture.calls.length).toBe(calls + 2);
  });
});
