import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { SessionRegistry } from '../identity/index.ts';
import type { Logger } from '../logger.ts';
import {
  type LongTermMemory,
  memoryActorId,
  type RememberOutcome,
  type SessionEvent,
  type SessionMemory,
} from '../memory/index.ts';
import type { SettlementDeps } from '../settlement/index.ts';
import {
  matchRoutingRule,
  parseRouterReply,
  ROUTER_PROMPT,
  SPECIALISTS,
  type Specialist,
  type SpecialistName,
} from './agents.ts';
import type { AgentEvent, AgentRequest, AgentResponse, AgentService, InvocationContext } from './contract.ts';
import { type Guardrails, LocalGuardrails } from './guardrails/index.ts';
import { createTurnLimits, type TurnLimits } from './limits/index.ts';
import {
  BLOCKED_QUESTION,
  type RunTurnOptions,
  runTurn,
  streamTurn,
  type TraceSink,
  type TurnResult,
} from './loop/index.ts';
import type { ModelClient } from './model/types.ts';
import { rememberReply } from './remember-reply.ts';
import { asksAboutMemory, historyOf, isExplicitMemoryRequest, memoryContext } from './session-context.ts';
import { TOOL_CATALOG, toolSpecs } from './tools/catalog.ts';
import type { AgentTool } from './tools/tool.ts';
import { type ModelPrice, TraceRecorder, type TraceStore } from './traces/index.ts';

/** Turns of one session given back as context with the next question. */
const HISTORY_TURNS = 6;
/**
 * Estimated tokens of earlier turns sent at most: the thread's context, not its archive (the loop
 * also keeps within the model's context window).
 */
const HISTORY_TOKENS = 8_000;
/** The asker's own facts put into the context, most relevant first. */
const FACTS_IN_CONTEXT = 5;
/** Facts given when the question is about what is remembered (the most recent). */
const FACTS_LISTED = 20;

/** Where the agent keeps and finds what people said: session turns, their facts, the session registry. */
export interface AgentMemory {
  readonly sessions: SessionMemory;
  readonly facts: LongTermMemory;
  readonly registry: SessionRegistry;
  /** Consolidates one explicit "remember that …" turn at once (the consolidation step's rules). */
  readonly remember: (input: {
    readonly principalId: string;
    readonly sessionId: string;
    readonly event: SessionEvent;
  }) => Promise<RememberOutcome>;
}

/** What the agent is given by its composition root (src/app/agent.ts): ports, never configuration. */
export interface AgentServiceDeps {
  /** Bedrock Converse, or the offline planner when no model is configured. */
  readonly model: ModelClient;
  readonly settlement: SettlementDeps;
  readonly traces: TraceStore;
  readonly memory: AgentMemory;
  readonly logger: Logger;
  /** Model prices for traces' estimated cost (USD per million tokens). */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Session limits (budget, caps, loop detection, breakers); in-memory ones unless given. */
  readonly limits?: TurnLimits;
  readonly guardrails?: Guardrails;
  readonly now?: Clock;
}

/**
 * The agent behind `/invocations`: routes each question to a specialist, which runs the ReAct loop
 * with its own instructions and tool subset over the configured model (Bedrock Converse, or the
 * offline planner when no model is configured), inside the guardrails and the session limits,
 * and leaves a trace.
 */
export function createAgentService(deps: AgentServiceDeps): AgentService {
  const { model, memory } = deps;
  const limits: TurnLimits = deps.limits ?? createTurnLimits();
  const guardrails: Guardrails = deps.guardrails ?? new LocalGuardrails();
  const now = deps.now ?? deps.settlement.now;
  const toolsOf = new Map<string, readonly AgentTool[]>();
  for (const s of Object.values(SPECIALISTS)) {
    toolsOf.set(
      s.name,
      TOOL_CATALOG.filter((t) => s.tools.includes(t.name)),
    );
  }

  /** Stores one side of the turn; a retried request (same request id) stores it once. */
  const remember = (ctx: InvocationContext, role: 'USER' | 'ASSISTANT', text: string, key: string) =>
    memory.sessions.append({
      actorId: memoryActorId(ctx.principal.principalId),
      sessionId: ctx.sessionId,
      role,
      text,
      at: now().toISOString(),
      clientToken: `${key}-${role === 'USER' ? 'q' : 'a'}`,
    });

  const prepare = async (request: AgentRequest, ctx: InvocationContext) => {
    const { principal } = ctx;
    const traceId = randomUUID();
    const turnKey = ctx.requestId ?? traceId;
    const actorId = memoryActorId(principal.principalId);
    const [events, facts] = await Promise.all([
      memory.sessions.list(actorId, ctx.sessionId, { last: HISTORY_TURNS * 2 }),
      asksAboutMemory(request.question)
        ? memory.facts.list(principal.principalId).then((all) => all.slice(-FACTS_LISTED))
        : memory.facts.retrieve(principal.principalId, request.question, FACTS_IN_CONTEXT),
    ]);
    const recorder = new TraceRecorder({
      store: deps.traces,
      sessionId: ctx.sessionId,
      principalId: principal.principalId,
      question: request.question,
      traceId,
      ...(deps.prices === undefined ? {} : { prices: deps.prices }),
      logger: deps.logger,
      now,
    });
    const specialist: Specialist = SPECIALISTS[await route(model, request.question, recorder)];
    const tools = toolsOf.get(specialist.name) ?? [];
    const context = memoryContext(facts);
    const options: Omit<RunTurnOptions, 'onProgress'> = {
      model,
      system: specialist.instructions,
      ...(context === undefined ? {} : { context }),
      history: historyOf(events),
      historyLimits: { maxTurns: HISTORY_TURNS, maxTokens: HISTORY_TOKENS },
      question: request.question,
      tools,
      toolSpecs: toolSpecs(tools),
      toolContext: () => ({
        principal,
        settlement: deps.settlement,
        sessionId: ctx.sessionId,
        traceId,
      }),
      tier: specialist.tier,
      limits,
      guardrails,
      trace: recorder,
    };
    return { ctx, recorder, options, traceId, turnKey };
  };

  const finish = async (
    prepared: Awaited<ReturnType<typeof prepare>>,
    question: string,
    result: TurnResult,
  ): Promise<AgentResponse> => {
    const stoppedBy = result.stopReason === 'end_turn' ? undefined : result.stopReason;
    await prepared.recorder.finish({
      answeredBy: result.answeredBy,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    });
    // A question the guardrail blocked is not kept as asked: the thread must not carry it on.
    await recordTurn(
      prepared.ctx,
      prepared.turnKey,
      result.questionBlocked ? BLOCKED_QUESTION : question,
      result.text,
    );
    return {
      answer: result.text,
      records: result.records,
      traceId: prepared.traceId,
      answeredBy: result.answeredBy,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    };
  };

  const recordTurn = async (ctx: InvocationContext, key: string, question: string, answer: string) => {
    await remember(ctx, 'USER', question, key);
    await remember(ctx, 'ASSISTANT', answer, key);
    await memory.registry.recordTurn(ctx.sessionId, ctx.principal.principalId, now().toISOString());
  };

  /** "remember that …": kept (or refused) by the consolidation step at once, never by the agent loop. */
  const rememberTurn = async (request: AgentRequest, ctx: InvocationContext): Promise<AgentResponse> => {
    const key = ctx.requestId ?? randomUUID();
    const event = await remember(ctx, 'USER', request.question, key);
    // The turn is counted first, so consolidation marks it done and an idle run never re-reads it.
    await memory.registry.recordTurn(ctx.sessionId, ctx.principal.principalId, now().toISOString());
    const answer = rememberReply(
      await memory.remember({ principalId: ctx.principal.principalId, sessionId: ctx.sessionId, event }),
    );
    await remember(ctx, 'ASSISTANT', answer, key);
    return { answer, records: [], traceId: 'none', answeredBy: 'memory' };
  };

  return {
    async answer(request, ctx) {
      if (isExplicitMemoryRequest(request.question)) return rememberTurn(request, ctx);
      const prepared = await prepare(request, ctx);
      return finish(prepared, request.question, await runTurn(prepared.options));
    },
    async *stream(request, ctx): AsyncGenerator<AgentEvent> {
      if (isExplicitMemoryRequest(request.question)) {
        yield { type: 'done', response: await rememberTurn(request, ctx) };
        return;
      }
      const prepared = await prepare(request, ctx);
      for await (const event of streamTurn(prepared.options)) {
        if (event.type === 'done') {
          yield { type: 'done', response: await finish(prepared, request.question, event.result) };
          return;
        }
        yield event;
      }
    },
  };
}

/**
 * Rules first (deterministic, free). When none applies and a language model is configured, the fast
 * model picks the specialist in one short call; a reply that names no single specialist, or a
 * failed call, falls back to the status specialist.
 */
async function route(model: ModelClient, question: string, trace: TraceSink): Promise<SpecialistName> {
  const byRule = matchRoutingRule(question);
  if (byRule !== undefined || !model.isLanguageModel) return byRule ?? 'settlement_qa';
  try {
    const response = await model.converse({
      system: ROUTER_PROMPT,
      messages: [{ role: 'user', content: [{ text: question }] }],
      tools: [],
      tier: 'fast',
      maxTokens: 16,
    });
    trace.record({
      type: 'model_call',
      at: new Date().toISOString(),
      iteration: 0,
      modelId: response.modelId,
      tier: 'fast',
      latencyMs: response.latencyMs,
      usage: response.usage,
      stopReason: response.stopReason,
    });
    const reply = response.message.content.map((b) => ('text' in b ? b.text : '')).join(' ');
    return parseRouterReply(reply) ?? 'settlement_qa';
  } catch {
    return 'settlement_qa';
  }
}
