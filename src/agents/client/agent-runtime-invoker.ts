import {
  type BedrockAgentCoreClient,
  InvokeAgentRuntimeCommand,
  type InvokeAgentRuntimeCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore';
import { z } from 'zod';
import { SettleOpsError } from '../../errors.ts';
import { type AgentEvent, type AgentRequest, type AgentResponse, agentRequestProblem } from '../contract.ts';
import { SseParser } from './sse.ts';

const RecordRef = z.object({
  kind: z.enum(['trade', 'match', 'exception', 'report', 'audit', 'review']),
  id: z.string(),
});

/** What the runtime sends back, checked: the invoking side trusts no wire. */
const AgentResponseSchema = z.object({
  answer: z.string(),
  records: z.array(RecordRef),
  traceId: z.string(),
  answeredBy: z.string(),
  stoppedBy: z.string().optional(),
});

const AgentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), message: z.string() }),
  z.object({ type: z.literal('text'), delta: z.string() }),
  z.object({ type: z.literal('done'), response: AgentResponseSchema }),
]);

/** A request the runtime would refuse (a question over the limit, …): refused before it is sent. */
export class AgentRequestError extends SettleOpsError {
  override readonly name = 'AgentRequestError';
  readonly code = 'AGENT_REQUEST';
}

/** The runtime answered, but not with something SettleOps can use. */
export class AgentInvocationError extends SettleOpsError {
  override readonly name = 'AgentInvocationError';
  readonly code = 'AGENT_INVOCATION';
}

export interface AskOptions {
  /** 33–256 characters; derive it with `runtimeSessionId(…)`. */
  readonly runtimeSessionId: string;
  /** The principal id; AgentCore then hands the runtime that user's workload access token. */
  readonly runtimeUserId?: string;
  /** Ask for SSE (`Accept: text/event-stream`) and surface progress through `onEvent`. */
  readonly stream?: boolean;
  readonly onEvent?: (event: AgentEvent) => void;
  readonly abortSignal?: AbortSignal;
}

export interface AgentRuntimeInvoker {
  ask(request: AgentRequest, options: AskOptions): Promise<AgentResponse>;
}

export interface AgentRuntimeInvokerOptions {
  readonly client: BedrockAgentCoreClient;
  readonly agentRuntimeArn: string;
  /** The runtime endpoint (`DEFAULT` when unset, as AgentCore does). */
  readonly qualifier?: string;
}

/**
 * Invokes the SettleOps agent through AgentCore's `InvokeAgentRuntime`, exactly as the bot does:
 * JSON in, JSON or an SSE stream out (parsed here: the SDK hands back the body as one blob).
 * Service errors (ValidationException, AccessDeniedException, RuntimeClientError, …) are the SDK's.
 */
export function createAgentRuntimeInvoker(options: AgentRuntimeInvokerOptions): AgentRuntimeInvoker {
  return {
    async ask(request, ask) {
      const problem = agentRequestProblem(request);
      if (problem !== undefined) throw new AgentRequestError(problem);
      const out = await options.client.send(
        new InvokeAgentRuntimeCommand({
          agentRuntimeArn: options.agentRuntimeArn,
          ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
          runtimeSessionId: ask.runtimeSessionId,
          ...(ask.runtimeUserId === undefined ? {} : { runtimeUserId: ask.runtimeUserId }),
          contentType: 'application/json',
          accept: ask.stream === true ? 'text/event-stream' : 'application/json',
          payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
        ask.abortSignal === undefined ? {} : { abortSignal: ask.abortSignal },
      );
      const body = out.response;
      if (body === undefined) throw new AgentInvocationError('the runtime answered without a body');
      if ((out.contentType ?? '').includes('text/event-stream')) {
        return readEventStream(chunksOf(body), ask.onEvent);
      }
      const text = await body.transformToString('utf-8');
      const parsed = AgentResponseSchema.safeParse(parseJson(text));
      if (!parsed.success) {
        throw new AgentInvocationError(
          `the runtime's answer is not an AgentResponse: ${text.slice(0, 200)}`,
          {
            cause: parsed.error,
          },
        );
      }
      return withoutUndefined(parsed.data);
    },
  };
}

/** Reads an SSE body of `AgentEvent`s, calling `onEvent` for each, and returns the `done` response. */
export async function readEventStream(
  chunks: AsyncIterable<Uint8Array | string>,
  onEvent?: (event: AgentEvent) => void,
): Promise<AgentResponse> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  let done: AgentResponse | undefined;
  const handle = (events: ReturnType<SseParser['push']>) => {
    for (const e of events) {
      const data = parseJson(e.data);
      if (e.event === 'error') {
        const message =
          typeof data === 'object' && data !== null && 'error' in data ? String(data.error) : e.data;
        throw new AgentInvocationError(`the agent failed: ${message}`);
      }
      const parsed = AgentEventSchema.safeParse(data);
      if (!parsed.success) {
        throw new AgentInvocationError(`unexpected event from the runtime: ${e.data.slice(0, 200)}`, {
          cause: parsed.error,
        });
      }
      const event: AgentEvent =
        parsed.data.type === 'done'
          ? { type: 'done', response: withoutUndefined(parsed.data.response) }
          : parsed.data;
      if (event.type === 'done') done = event.response;
      onEvent?.(event);
    }
  };
  for await (const chunk of chunks) {
    handle(parser.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })));
  }
  handle(parser.push(decoder.decode()));
  handle(parser.end());
  if (done === undefined) throw new AgentInvocationError('the event stream ended without a final answer');
  return done;
}

type Blob = NonNullable<InvokeAgentRuntimeCommandOutput['response']>;

/** The body as it arrives: Node's SDK body is a Readable (async iterable); others are read whole. */
async function* chunksOf(body: Blob): AsyncGenerator<Uint8Array | string> {
  if (Symbol.asyncIterator in body) {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) yield chunk;
    return;
  }
  yield await body.transformToByteArray();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function withoutUndefined(r: z.infer<typeof AgentResponseSchema>): AgentResponse {
  return {
    answer: r.answer,
    records: r.records,
    traceId: r.traceId,
    answeredBy: r.answeredBy,
    ...(r.stoppedBy === undefined ? {} : { stoppedBy: r.stoppedBy }),
  };
}
