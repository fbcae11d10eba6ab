import type {
  AgentEvent,
  AgentRequest,
  AgentResponse,
  AgentService,
  InvocationContext,
} from '../../src/agents/contract.ts';

export interface FixtureCall {
  readonly request: AgentRequest;
  readonly ctx: InvocationContext;
}

/**
 * A deterministic AgentService for the runtime's transport tests: it answers from the request
 * (echoing the question, principal and session), streams two progress events and the answer in
 * two text deltas, and records what it was called with. A question of "fail" throws.
 */
export function createFixtureAgentService(): AgentService & { readonly calls: FixtureCall[] } {
  const calls: FixtureCall[] = [];
  const respond = (request: AgentRequest, ctx: InvocationContext): AgentResponse => {
    calls.push({ request, ctx });
    if (request.question === 'fail') throw new Error('fixture failure: secret internals');
    return {
      answer: `${ctx.principal.principalId} asked: ${request.question}`,
      records: [{ kind: 'trade', id: 'T-10042' }],
      traceId: `tr-fixture-${ctx.sessionId.slice(0, 8)}`,
      answeredBy: 'fixture',
    };
  };
  return {
    calls,
    async answer(request, ctx) {
      return respond(request, ctx);
    },
    async *stream(request, ctx): AsyncGenerator<AgentEvent> {
      yield { type: 'progress', message: 'looking up trade…' };
      yield { type: 'progress', message: 'checking exceptions…' };
      const response = respond(request, ctx);
      const half = Math.ceil(response.answer.length / 2);
      yield { type: 'text', delta: response.answer.slice(0, half) };
      yield { type: 'text', delta: response.answer.slice(half) };
      yield { type: 'done', response };
    },
  };
}
