import type { ModelFailureReason } from './types.ts';

/*
 * Which Bedrock failures are worth another attempt. Converse / ConverseStream error tables
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html,
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html) and
 * "Troubleshooting Amazon Bedrock API error codes"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html):
 * - ThrottlingException (429), ServiceUnavailableException (503), InternalServerException (500,
 *   "InternalFailure": retry with exponential backoff and random jitter), ModelNotReadyException
 *   (the SDKs retry it themselves);
 * - in the stream: modelStreamErrorException, internalServerException, throttlingException,
 *   serviceUnavailableException ("Retry your request");
 * - connection resets and a stream that ended before `messageStop` (nothing the service answered).
 * Not retried: ValidationException (the same request fails the same way; an input too long for the
 * window is the loop's to shorten), AccessDenied, ResourceNotFound, ModelErrorException (424, the
 * model failed on this input) and ModelTimeoutException (408, a retry would wait as long again).
 */

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelStreamErrorException',
  'IncompleteStreamError',
  // The SDK's HTTP/2 handler when the connection closes before the response arrives.
  'TimeoutError',
]);

const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_STREAM_CANCEL',
]);

const BUSY_NAMES = new Set(['ThrottlingException', 'ServiceUnavailableException', 'ModelNotReadyException']);

/** True for a failure the docs say to retry (with backoff and jitter). */
export function isRetryableBedrockError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (RETRYABLE_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && RESET_CODES.has(code)) return true;
  return /socket hang up/i.test(error.message);
}

/** A refusal because the request does not fit the model's context window ([Errors]: "Input is too long"). */
export function isContextWindowError(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /input is too long|too many (input )?tokens|context (window|length)/i.test(error.message)
  );
}

/** A ConverseStream that ended without `messageStop`: the answer is incomplete. */
export class IncompleteStreamError extends Error {
  override readonly name = 'IncompleteStreamError';
  constructor() {
    super('The response stream ended before messageStop');
  }
}

/** The model service could not answer (busy or unavailable on every model tried, refused, or cut off). */
export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  /** True for throttling / temporary unavailability: worth asking again later. */
  readonly transient: boolean;
  readonly reason: ModelFailureReason;
  readonly modelIds: readonly string[];

  constructor(
    message: string,
    options: { reason: ModelFailureReason; transient: boolean; modelIds: readonly string[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = options.reason;
    this.transient = options.transient;
    this.modelIds = options.modelIds;
  }
}

export function toModelCallError(error: unknown, modelIds: readonly string[]): ModelCallError {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const models = modelIds.join(' and ');
  if (error instanceof IncompleteStreamError) {
    return new ModelCallError(`The answer from ${models} stopped before it was complete (${what})`, {
      reason: 'incomplete',
      transient: true,
      modelIds,
      cause: error,
    });
  }
  if (isContextWindowError(error)) {
    return new ModelCallError(`The request does not fit the context window of ${models} (${what})`, {
      reason: 'context_window',
      transient: false,
      modelIds,
      cause: error,
    });
  }
  if (isRetryableBedrockError(error)) {
    const busy = error instanceof Error && BUSY_NAMES.has(error.name);
    return new ModelCallError(
      busy
        ? `Bedrock is throttling or unavailable for ${models} (${what})`
        : `Bedrock failed for ${models} after retries (${what})`,
      { reason: 'busy', transient: true, modelIds, cause: error },
    );
  }
  return new ModelCallError(`Bedrock refused the request (${what})`, {
    reason: 'refused',
    transient: false,
    modelIds,
    cause: error,
  });
}
