import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
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
import type { ConversationStore } from './conversations.ts';
import { type Guardrails, LocalGuardrails } from './guardrails/index.ts';
import { createTurnLimits, type TurnLimits } from './limits/index.ts';
import { type RunTurnOptions, runTurn, streamTurn, type TraceSink, type TurnResult } from './loop/index.ts';
import type { ModelClient } from './model/types.ts';
import { TOOL_CATALOG, toolSpecs } from './tools/catalog.ts';
import type { AgentTool } from './tools/tool.ts';
import { type ModelPrice, TraceRecorder, type TraceStore } from './traces/index.ts';

/** Turns of one session kept as context for the next question (until the memory step persists them). */
const HISTORY_TURNS = 6;

/** What the agent is given by its composition root (src/app/agent.ts): ports, never configuration. */
export interface AgentServiceDeps {
  /** Bedrock Converse, or the offline planner when no model is configured. */
  readonly model: ModelClient;
  readonly settlement: SettlementDeps;
  readonly traces: TraceStore;
  readonly conversations: ConversationStore;
  readonly logger: Logger;
  /** Model prices for traces' estimated cost (USD per million tokens). */
  readonly prices?: Readonly<Record<string, ModelPrice>>;
  /** Session limits (budget, caps, loop detection, breakers); in-memory ones unless given. */
  readonly limits?: TurnLimits;
  readonly guardrails?: Guardrails;
  readonly now?: Clock;
}

/** The refusal when a session id arrives with a different principal than the one it belongs to. */
export const SESSION_NOT_YOURS = 'This conversation belongs to someone else; start a new one.';

/**
 * The agent behind `/invocations`: routes each question to a specialist, which runs the ReAct loop
 * with its own instructions and tool subset over the configured model (Bedrock Converse, or the
 * offline planner when no model is configured), inside the guardrails and the session limits,
 * and leaves a trace.
 */
export function createAgentService(deps: AgentServiceDeps): AgentService {
  const { model, conversations } = deps;
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

  const prepare = async (request: AgentRequest, ctx: InvocationContext) => {
    const session = (await conversations.get(ctx.sessionId)) ?? {
      principalId: request.principal.principalId,
      history: [],
    };
    if (session.principalId !== request.principal.principalId) return undefined;
    const traceId = randomUUID();
    const recorder = new TraceRecorder({
      store: deps.traces,
      sessionId: ctx.sessionId,
      principalId: request.principal.principalId,
      question: request.question,
      traceId,
      ...(deps.prices === undefined ? {} : { prices: deps.prices }),
      logger: deps.logger,
      now,
    });
    const specialist: Specialist = SPECIALISTS[await route(model, request.question, recorder)];
    const tools = toolsOf.get(specialist.name) ?? [];
    const options: Omit<RunTurnOptions, 'onProgress'> = {
      model,
      system: specialist.instructions,
      history: [...session.history],
      question: request.question,
      tools,
      toolSpecs: toolSpecs(tools),
      toolContext: () => ({
        principal: request.principal,
        settlement: deps.settlement,
        sessionId: ctx.sessionId,
        traceId,
      }),
      tier: specialist.tier,
      limits,
      guardrails,
      trace: recorder,
    };
    return { session, ctx, recorder, options, traceId };
  };

  const finish = async (
    prepared: NonNullable<Awaited<ReturnType<typeof prepare>>>,
    result: TurnResult,
  ): Promise<AgentResponse> => {
    await conversations.put(prepared.ctx.sessionId, {
      principalId: prepared.session.principalId,
      history: [...prepared.session.history, ...result.messages].slice(-HISTORY_TURNS * 4),
    });
    const stoppedBy = result.stopReason === 'end_turn' ? undefined : result.stopReason;
    await prepared.recorder.finish({
      answeredBy: result.answeredBy,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    });
    return {
      answer: result.text,
      records: result.records,
      traceId: prepared.traceId,
      answeredBy: result.answeredBy,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
    };
  };

  return {
    async answer(request, ctx) {
      const prepared = await prepare(request, ctx);
      if (prepared === undefined) return refusal(model);
      return finish(prepared, await runTurn(prepared.options));
    },
    async *stream(request, ctx): AsyncGenerator<AgentEvent> {
      const prepared = await prepare(request, ctx);
      if (prepared === undefined) {
        yield { type: 'done', response: refusal(model) };
        return;
      }
      for await (const event of streamTurn(prepared.options)) {
        if (event.type === 'done') {
          yield { type: 'done', response: await finish(prepared, event.result) };
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

function refusal(model: ModelClient): AgentResponse {
  return {
    answer: SESSION_NOT_YOURS,
    records: [],
    traceId: 'none',
    answeredBy: model.label,
    stoppedBy: 'session_owner',
  };
}
