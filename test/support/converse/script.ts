/*
 * What a test scripts for the Converse stand-in: the model's next turn (a response, an HTTP error, a
 * connection reset), queued per model id. Usage is not scripted: the stand-in counts it from the
 * request it received (input, cache read, cache write), as Bedrock reports it.
 */

export type WireContentBlock =
  | {
      readonly text: string;
      /** For converse-stream: the deltas the text is sent in (they must join to `text`). */
      readonly deltas?: readonly string[];
    }
  | {
      readonly toolUse: { readonly toolUseId: string; readonly name: string; readonly input: unknown };
      /**
       * For converse-stream: the input's JSON in fragments. Joined they are the input's JSON — or, for
       * a tool use cut off at `max_tokens`, a prefix of it (`truncatedToolUseTurn`).
       */
      readonly fragments?: readonly string[];
    };

/** The in-stream exceptions of ConverseStream (`ConverseStreamOutput` members), by event type. */
export type StreamExceptionType =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'serviceUnavailableException'
  | 'throttlingException'
  | 'validationException';

export interface ResponseTurn {
  readonly kind: 'response';
  readonly stopReason: string;
  readonly content: readonly WireContentBlock[];
  /** Output tokens to report; by default ceil(characters of the content's JSON / 4). */
  readonly outputTokens?: number;
  /** A scripted guardrail intervention's trace (sent only when the request enables the trace). */
  readonly trace?: unknown;
  /** converse-stream only: after this many events, send `streamException` and end the stream. */
  readonly failAfterEvents?: number;
  /** The exception `failAfterEvents` sends. Default `throttlingException`. */
  readonly streamException?: StreamExceptionType;
  /** converse-stream only: end the HTTP response cleanly after this many events (no `messageStop`). */
  readonly cutAfterEvents?: number;
  /** converse-stream only: reset the TCP connection after this many events. */
  readonly resetAfterEvents?: number;
}

export type ScriptedTurn =
  | ResponseTurn
  | { readonly kind: 'error'; readonly status: number; readonly errorType: string; readonly message: string }
  /** The TCP connection is reset before any response (the client sees ECONNRESET). */
  | { readonly kind: 'reset' };

export const textTurn = (text: string, options: { readonly outputTokens?: number } = {}): ResponseTurn => ({
  kind: 'response',
  stopReason: 'end_turn',
  content: [{ text }],
  ...options,
});

export const toolUseTurn = (
  uses: readonly { readonly toolUseId: string; readonly name: string; readonly input: unknown }[],
  options: { readonly text?: string } = {},
): ResponseTurn => ({
  kind: 'response',
  stopReason: 'tool_use',
  content: [
    ...(options.text === undefined ? [] : [{ text: options.text }]),
    ...uses.map((toolUse) => ({ toolUse })),
  ],
});

export const maxTokensTurn = (text: string): ResponseTurn => ({
  kind: 'response',
  stopReason: 'max_tokens',
  content: [{ text }],
});

/** A scripted intervention (the guardrail's own policy evaluation is `ConverseServer.guardrail`). */
export const guardrailTurn = (text: string): ResponseTurn => ({
  kind: 'response',
  stopReason: 'guardrail_intervened',
  content: [{ text }],
  trace: { guardrail: { outputAssessments: {} } },
});

/** A text turn streamed in the given deltas (the text is their concatenation). */
export const streamedTextTurn = (deltas: readonly string[]): ResponseTurn => ({
  kind: 'response',
  stopReason: 'end_turn',
  content: [{ text: deltas.join(''), deltas }],
});

/**
 * A tool-use turn whose input JSON is streamed in `fragments` (joined, they must parse to `input`),
 * after optional text deltas.
 */
export const streamedToolUseTurn = (
  use: { readonly toolUseId: string; readonly name: string; readonly input: unknown },
  fragments: readonly string[],
  options: { readonly textDeltas?: readonly string[] } = {},
): ResponseTurn => ({
  kind: 'response',
  stopReason: 'tool_use',
  content: [
    ...(options.textDeltas === undefined
      ? []
      : [{ text: options.textDeltas.join(''), deltas: options.textDeltas }]),
    { toolUse: use, fragments },
  ],
});

/**
 * The model ran out of output tokens while writing a tool use's input: the stream sends `fragments`
 * (a prefix of the input's JSON, not valid JSON on its own) and stops with `max_tokens`. Through
 * `converse` the tool use comes back with an empty input (the stand-in's assumption: the reference
 * does not say what a non-streamed truncated input looks like).
 */
export const truncatedToolUseTurn = (
  use: { readonly toolUseId: string; readonly name: string },
  fragments: readonly string[],
  options: { readonly textDeltas?: readonly string[] } = {},
): ResponseTurn => ({
  kind: 'response',
  stopReason: 'max_tokens',
  content: [
    ...(options.textDeltas === undefined
      ? []
      : [{ text: options.textDeltas.join(''), deltas: options.textDeltas }]),
    { toolUse: { ...use, input: {} }, fragments },
  ],
});

const error = (status: number, errorType: string, message: string): ScriptedTurn => ({
  kind: 'error',
  status,
  errorType,
  message,
});

/*
 * Errors as the Converse API reference lists them (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
 * "Errors"): HTTP status and error type; messages close to the service's own.
 */
export const throttled = (message = 'Too many requests, please wait before trying again.') =>
  error(429, 'ThrottlingException', message);
export const internalError = (
  message = 'The server encountered an internal error while processing the request.',
) => error(500, 'InternalServerException', message);
export const serviceUnavailable = (message = 'Service is temporarily unavailable.') =>
  error(503, 'ServiceUnavailableException', message);
export const modelError = (message = 'The model returned an error while processing the request.') =>
  error(424, 'ModelErrorException', message);
export const modelNotReady = (message = 'Model is not ready to serve inference requests.') =>
  error(429, 'ModelNotReadyException', message);
export const modelTimeout = (message = 'Model has timed out in processing the request.') =>
  error(408, 'ModelTimeoutException', message);
export const connectionReset = (): ScriptedTurn => ({ kind: 'reset' });
