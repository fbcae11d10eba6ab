import {
  InvokeAgentRuntimeCommand,
  ResourceNotFoundException,
  RuntimeClientError,
  ValidationException,
} from '@aws-sdk/client-bedrock-agentcore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentRequestError } from '../../../src/agents/client/agent-runtime-invoker.ts';
import { runtimeSessionId } from '../../../src/agents/client/session-id.ts';
import type { AgentEvent, AgentRequest } from '../../../src/agents/contract.ts';
import type { LocalAgentStack } from '../../../src/app/local-agent-stack.ts';
import { LOCAL_AGENT_RUNTIME_ARN } from '../../../src/local/agentcore-endpoint.ts';
import { createFixtureAgentService } from '../../support/agent-service-fixture.ts';
import { type FixtureRuntime, startFixtureRuntime } from '../../support/fixture-runtime.ts';

let seq = 0;
/** A fresh session per test, derived as the bot derives them. */
const newSession = (principalId = 'alice') =>
  runtimeSessionId('T1', principalId, 'C1', `1718000000.${++seq}`);
const request = (question: string): AgentRequest => ({ question });

describe('the runtime behind the local AgentCore endpoint, through the real SDK client', () => {
  const service = createFixtureAgentService();
  let fixture: FixtureRuntime;
  let stack: LocalAgentStack;

  beforeAll(async () => {
    fixture = await startFixtureRuntime(service, [
      { principalId: 'alice', roles: ['viewer'], desks: ['EQ-LDN'], accounts: [] },
      { principalId: 'mallory', roles: ['viewer'], desks: ['EQ-LDN'], accounts: [] },
    ]);
    stack = fixture.stack;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('answers JSON with the session id AgentCore assigned and a request id', async () => {
    const sessionId = newSession();
    const response = await stack.invoker.ask(request('status of T-10042?'), {
      runtimeSessionId: sessionId,
      runtimeUserId: 'alice',
    });
    expect(response).toStrictEqual({
      answer: 'alice asked: status of T-10042?',
      records: [{ kind: 'trade', id: 'T-10042' }],
      traceId: `tr-fixture-${sessionId.slice(0, 8)}`,
      answeredBy: 'fixture',
    });
    const call = service.calls.at(-1);
    expect(call?.ctx.sessionId).toBe(sessionId);
    expect(call?.ctx.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(call?.request).toStrictEqual({ question: 'status of T-10042?' });
    // Who asks comes from the verified token and the directory, not from the request.
    expect(call?.ctx.principal).toMatchObject({ principalId: 'alice', roles: ['viewer'], desks: ['EQ-LDN'] });
  });

  it('answers on the wire as InvokeAgentRuntime does', async () => {
    const sessionId = newSession();
    const out = await stack.client.send(
      new InvokeAgentRuntimeCommand({
        agentRuntimeArn: LOCAL_AGENT_RUNTIME_ARN,
        qualifier: 'DEFAULT',
        runtimeSessionId: sessionId,
        runtimeUserId: 'alice',
        contentType: 'application/json',
        accept: 'application/json',
        payload: new TextEncoder().encode(JSON.stringify(request('hello'))),
      }),
    );
    expect(out.statusCode).toBe(200);
    expect(out.runtimeSessionId).toBe(sessionId);
    expect(out.contentType).toMatch(/^application\/json/);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse((await out.response?.transformToString()) ?? '')).toMatchObject({
      answer: 'alice asked: hello',
    });
  });

  it('streams progress and text as SSE and returns the final answer', async () => {
    const events: AgentEvent[] = [];
    const response = await stack.invoker.ask(request('why is T-10042 not matched?'), {
      runtimeSessionId: newSession(),
      runtimeUserId: 'alice',
      stream: true,
      onEvent: (e) => events.push(e),
    });
    expect(response.answer).toBe('alice asked: why is T-10042 not matched?');
    expect(events.map((e) => e.type)).toStrictEqual(['progress', 'progress', 'text', 'text', 'done']);
    expect(events[0]).toStrictEqual({ type: 'progress', message: 'looking up trade…' });
    expect(
      events
        .filter((e) => e.type === 'text')
        .map((e) => e.delta)
        .join(''),
    ).toBe(response.answer);
    expect(events.at(-1)).toStrictEqual({ type: 'done', response });
  });

  it('passes the raw event stream through with its content type', async () => {
    const out = await stack.client.send(
      new InvokeAgentRuntimeCommand({
        agentRuntimeArn: LOCAL_AGENT_RUNTIME_ARN,
        runtimeSessionId: newSession(),
        runtimeUserId: 'alice',
        contentType: 'application/json',
        accept: 'text/event-stream',
        payload: new TextEncoder().encode(JSON.stringify(request('hi'))),
      }),
    );
    expect(out.contentType).toMatch(/^text\/event-stream/);
    const body = (await out.response?.transformToString()) ?? '';
    expect(body.startsWith('data: {"type":"progress","message":"looking up trade…"}\n\n')).toBe(true);
  });

  it('refuses a session id of 32 characters as AWS does, before the runtime sees it', async () => {
    const calls = service.calls.length;
    const error = await stack.invoker
      .ask(request('hi'), { runtimeSessionId: 'x'.repeat(32), runtimeUserId: 'alice' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as ValidationException).$metadata.httpStatusCode).toBe(400);
    expect((error as ValidationException).message).toBe(
      "1 validation error detected: Value at 'runtimeSessionId' failed to satisfy constraint: Member must have length greater than or equal to 33",
    );
    expect(service.calls.length).toBe(calls);
  });

  it('refuses a session id longer than 256 characters', async () => {
    await expect(
      stack.invoker.ask(request('hi'), { runtimeSessionId: 'x'.repeat(257), runtimeUserId: 'alice' }),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('refuses a session used by another user, and a call without a user, before the agent runs', async () => {
    const sessionId = newSession();
    await stack.invoker.ask(request('hi'), { runtimeSessionId: sessionId, runtimeUserId: 'alice' });
    const calls = service.calls.length;
    // AgentCore does not bind sessions to users; the runtime's session registry does (a 403 from the
    // container reaches the caller as AgentCore's RuntimeClientError).
    const error = await stack.invoker
      .ask(request('hi'), { runtimeSessionId: sessionId, runtimeUserId: 'mallory' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeClientError);
    expect((error as Error).message).toContain('Received error (403) from runtime');
    // …and one without a user gets no token at all: 401.
    const anonymous = await stack.invoker
      .ask(request('hi'), { runtimeSessionId: sessionId })
      .catch((e: unknown) => e);
    expect((anonymous as Error).message).toContain('Received error (401) from runtime');
    expect(service.calls.length).toBe(calls);
  });

  it('refuses an unknown runtime ARN and an unknown endpoint qualifier', async () => {
    const send = (agentRuntimeArn: string, qualifier?: string) =>
      stack.client.send(
        new InvokeAgentRuntimeCommand({
          agentRuntimeArn,
          ...(qualifier === undefined ? {} : { qualifier }),
          runtimeSessionId: newSession(),
          payload: new TextEncoder().encode(JSON.stringify(request('hi'))),
        }),
      );
    await expect(
      send('arn:aws:bedrock-agentcore:us-east-1:000000000000:runtime/other-1111111111'),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(send(LOCAL_AGENT_RUNTIME_ARN, 'canary')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('answers a bad request body with a 400 naming the field; the invoker refuses it before AgentCore hides it', async () => {
    const sessionId = newSession();
    await fixture.registry.claim({ sessionId, principalId: 'alice', at: new Date().toISOString() });
    const token = await fixture.tokens.issue({
      principalId: 'alice',
      audience: LOCAL_AGENT_RUNTIME_ARN,
      sessionId,
    });
    const direct = await fetch(`${stack.runtimeAddress.url}/invocations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-amzn-bedrock-agentcore-runtime-session-id': sessionId,
        workloadaccesstoken: token,
      },
      body: JSON.stringify({ question: '   ', principal: { principalId: 'alice', roles: ['admin'] } }),
    });
    expect(direct.status).toBe(400);
    const body = (await direct.json()) as {
      error: string;
      details: { path: (string | number)[]; message: string; code: string }[];
    };
    expect(body.error).toBe('Invalid request body format');
    // A principal in the body is not taken: it is refused as a field the request does not have.
    expect(body.details.map((d) => d.code)).toStrictEqual(['too_small', 'unrecognized_keys']);
    expect(body.details[0]?.message).toBe('is empty');

    // Through AgentCore a 400 arrives as "RuntimeClientError … check your CloudWatch logs": the
    // invoker checks the request first and says what is wrong instead.
    const empty = await stack.invoker
      .ask({ question: '' }, { runtimeSessionId: newSession(), runtimeUserId: 'alice' })
      .catch((e: unknown) => e);
    const huge = await stack.invoker
      .ask({ question: 'q'.repeat(100_000) }, { runtimeSessionId: newSession(), runtimeUserId: 'alice' })
      .catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(AgentRequestError);
    expect((empty as Error).message).toBe('question: is empty');
    expect((huge as Error).message).toBe('question: is longer than 4000 characters (got 100000)');
  });

  it('keeps internal errors out of the answer', async () => {
    const error = await stack.invoker
      .ask(request('fail'), { runtimeSessionId: newSession(), runtimeUserId: 'alice' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeClientError);
    expect((error as Error).message).toContain('Received error (500) from runtime');

    const streamed = await stack.invoker
      .ask(request('fail'), { runtimeSessionId: newSession(), runtimeUserId: 'alice', stream: true })
      .catch((e: unknown) => e);
    expect((streamed as Error).name).toBe('AgentInvocationError');
    expect((streamed as Error).message).toMatch(
      /^the agent failed: internal error; see the logs for request /,
    );
    expect((streamed as Error).message).not.toContain('secret internals');
  });

  it('answers /ping Healthy, and HealthyBusy while an async task runs', async () => {
    const ping = async () =>
      ((await (await fetch(`${stack.runtimeAddress.url}/ping`)).json()) as { status: string }).status;
    expect(await ping()).toBe('Healthy');
    const task = stack.runtime.app.addAsyncTask('consolidate-memory');
    expect(await ping()).toBe('HealthyBusy');
    stack.runtime.app.completeAsyncTask(task);
    expect(await ping()).toBe('Healthy');
  });

  it('serves the local operator (signed by the local signer; not in the directory)', async () => {
    const response = await stack.invoker.ask(request('hi'), {
      runtimeSessionId: newSession('local-admin'),
      runtimeUserId: 'local-admin',
    });
    expect(response.answer).toBe('local-admin asked: hi');
  });
});
