import { randomUUID } from 'node:crypto';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
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
import { type RunTurnOptions, runTurn, streamTurn, type TraceSink, type TurnResult } from './loop/index.ts';
import { BedrockConverseClient } from './model/bedrock-converse.ts';
import { OfflinePlanner } from './model/offline-planner.ts';
import type { Message, ModelClient } from './model/types.ts';
import type { AgentServiceDeps } from './runtime/agent-service-factory.ts';
import { TOOL_CATALOG, toolSpecs } from './tools/catalog.ts';
import type { AgentTool } from './tools/tool.ts';
import { TraceRecorder } from './traces/index.ts';

/** Turns of one session kept as context for the next question (until the memory step persists them). */
const HISTORY_TURNS = 6;
const MAX_SESSIONS = 10_000;

interface Session {
  readonly principalId: string;
  history: Message[];
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
  const model = modelFor(deps);
  const limits: TurnLimits = createTurnLimits();
  const guardrails: Guardrails = new LocalGuardrails();
  const sessions = new Map<string, Session>();
  const toolsOf = new Map<string, readonly AgentTool[]>();
  for (const s of Object.values(SPECIALISTS)) {
    toolsOf.set(
      s.name,
      TOOL_CATALOG.filter((t) => s.tools.includes(t.name)),
    );
  }

  const prepare = async (request: AgentRequest, ctx: InvocationContext) => {
    let session = sessions.get(ctx.sessionId);
    if (session !== undefined && session.principalId !== request.principal.principalId) return undefined;
    if (session === undefined) {
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '');
      session = { principalId: request.principal.principalId, history: [] };
      sessions.set(ctx.sessionId, session);
    }
    const traceId = randomUUID();
    const recorder = new TraceRecorder({
      store: deps.traces,
      sessionId: ctx.sessionId,
      principalId: request.principal.principalId,
      question: request.question,
      traceId,
      prices: deps.config.modelPrices,
      logger: deps.logger,
      now: deps.settlement.now,
    });
    const specialist: Specialist = SPECIALISTS[await route(model, request.question, recorder)];
    const tools = toolsOf.get(specialist.name) ?? [];
    const options: Omit<RunTurnOptions, 'onProgress'> = {
      model,
      system: specialist.instructions,
      history: session.history,
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
    return { session, recorder, options, traceId };
  };

  const finish = async (
    prepared: NonNullable<Awaited<ReturnType<typeof prepare>>>,
    result: TurnResult,
  ): Promise<AgentResponse> => {
    prepared.session.history = [...prepared.session.history, ...result.messages].slice(-HISTORY_TURNS * 4);
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

/** Bedrock Converse when a model is configured, otherwise the offline planner (never presented as an LLM). */
function modelFor(deps: AgentServiceDeps): ModelClient {
  const bedrock = deps.config.bedrock;
  if (bedrock.modelId === undefined) return new OfflinePlanner();
  const client = new BedrockRuntimeClient({
    region: deps.config.dynamodb.region,
    ...(bedrock.endpoint === undefined ? {} : { endpoint: bedrock.endpoint }),
    // Retries and fallback are the client's own policy (full jitter, then the other model).
    maxAttempts: 1,
  });
  return new BedrockConverseClient({
    client,
    strongModelId: bedrock.modelId,
    fastModelId: bedrock.fastModelId ?? bedrock.modelId,
    guardrail: bedrock.guardrail,
    retry: { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 4000 },
  });
}
