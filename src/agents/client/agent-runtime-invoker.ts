import { randomUUID } from 'node:crypto';
import {
  type BedrockAgentCoreClient,
  InvokeAgentRuntimeCommand,
  type InvokeAgentRuntimeCommandOutput,
} from '@aws-sdk/client-bedrock-agentcore';
import { z } from 'zod';
import { isConnectionError, SettleOpsError } from '../../errors.ts';
import { type RetryPolicy, retryWithFullJitter } from '../../retry.ts';
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
  /** `request.requestId`: the caller's id of this invocation, if it has one; else a fresh UUID. */
  ask(request: AgentRequest, options: AskOptions): Promise<AgentResponse>;
}

export interface AgentRuntimeInvokerOptions {
  readonly client: BedrockAgentCoreClient;
  readonly agentRuntimeArn: string;
  /** The runtime endpoint (`DEFAULT` when unset, as AgentCore does). */
  readonly qualifier?: string;
  /** Attempts at an answer whose body is cut off after it started (default 3, full jitter). */
  readonly answerRetry?: RetryPolicy;
}

const ANSWER_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2000 };

/**
 * Invokes the SettleOps agent through AgentCore's `InvokeAgentRuntime`, exactly as the bot does:
 * JSON in, JSON or an SSE stream out (parsed here: the SDK hands back the body as one blob).
 * Service errors (ValidationException, AccessDeniedException, RuntimeClientError, …) are the SDK's.
 *
 * Every invocation carries a request id (the caller's, or a fresh UUID), in a payload built once, so
 * the SDK's own retries (a connection reset before the answer began) and this invoker's (an answer
 * cut off after it began) all send the same request: the runtime runs it once and answers every
 * repeat with the same outcome. Text already passed to `onEvent` is not passed again.
 */
export function createAgentRuntimeInvoker(options: AgentRuntimeInvokerOptions): AgentRuntimeInvoker {
  return {
    async ask(question, ask) {
      const problem = agentRequestProblem(question);
      if (problem !== undefined) throw new AgentRequestError(problem);
      const request: AgentRequest = { ...question, requestId: question.requestId ?? randomUUID() };
      const payload = new TextEncoder().encode(JSON.stringify(request));
      const shown = new ShownText(ask.onEvent);
      try {
        return await retryWithFullJitter(
          async () => {
            const out = await options.client.send(
              new InvokeAgentRuntimeCommand({
                agentRuntimeArn: options.agentRuntimeArn,
                ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
                runtimeSessionId: ask.runtimeSessionId,
                ...(ask.runtimeUserId === undefined ? {} : { runtimeUserId: ask.runtimeUserId }),
                contentType: 'application/json',
                accept: ask.stream === true ? 'text/event-stream' : 'application/json',
                payload,
              }),
              ask.abortSignal === undefined ? {} : { abortSignal: ask.abortSignal },
            );
            return readAnswer(out, shown.attempt());
          },
          {
            ...(options.answerRetry ?? ANSWER_RETRY),
            isRetryable: (error) => error instanceof CutOff,
            ...(ask.abortSignal === undefined ? {} : { signal: ask.abortSignal }),
          },
        );
      } catch (error) {
        if (error instanceof CutOff) {
          throw new AgentInvocationError(`the answer was cut off: ${error.message}`, { cause: error.cause });
        }
        throw error;
      }
    },
  };
}

/** The answer's body ended or broke before it was whole: worth asking again with the same request. */
class CutOff extends Error {
  override readonly name = 'CutOff';
}

async function readAnswer(
  out: InvokeAgentRuntimeCommandOutput,
  onEvent: (event: AgentEvent) => void,
): Promise<AgentResponse> {
  const body = out.response;
  if (body === undefined) throw new AgentInvocationError('the runtime answered without a body');
  if ((out.contentType ?? '').includes('text/event-stream')) {
    const response = await cutOffOnBreak(() => readEvents(chunksOf(body), onEvent));
    if (response === undefined) throw new CutOff('the event stream ended without a final answer');
    return response;
  }
  const text = await cutOffOnBreak(() => body.transformToString('utf-8'));
  const parsed = AgentResponseSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new AgentInvocationError(`the runtime's answer is not an AgentResponse: ${text.slice(0, 200)}`, {
      cause: parsed.error,
    });
  }
  return withoutUndefined(parsed.data);
}

async function cutOffOnBreak<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (isConnectionError(error) || code === 'ERR_STREAM_PREMATURE_CLOSE') {
      throw new CutOff(error instanceof Error ? error.message : String(error), { cause: error });
    }
    throw error;
  }
}

/**
 * What `onEvent` has been shown across attempts: a repeat's events (the whole answer as one text
 * event, then `done`) add only the text not shown yet.
 */
class ShownText {
  #shown = '';

  constructor(private readonly onEvent: ((event: AgentEvent) => void) | undefined) {}

  attempt(): (event: AgentEvent) => void {
    let text = '';
    return (event) => {
      if (event.type !== 'text') {
        this.onEvent?.(event);
        return;
      }
      text += event.delta;
      if (text.length <= this.#shown.length || !text.startsWith(this.#shown)) return;
      const delta = text.slice(this.#shown.length);
      this.#shown = text;
      this.onEvent?.({ type: 'text', delta });
    };
  }
}

/** Reads an SSE body of `AgentEvent`s, calling `onEvent` for each, and returns the `done` response. */
export async function readEventStream(
  chunks: AsyncIterable<Uint8Array | string>,
  onEvent?: (event: AgentEvent) => void,
): Promise<AgentResponse> {
  const done = await readEvents(chunks, onEvent);
  if (done === undefined) throw new AgentInvocationError('the event stream ended without a final answer');
  return done;
}

/** The `done` response of an SSE body, or undefined when the body ended without one. */
async function readEvents(
  chunks: AsyncIterable<Uint8Array | string>,
  onEvent?: (event: AgentEvent) => void,
): Promise<AgentResponse | undefined> {
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
