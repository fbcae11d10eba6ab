import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
  ConverseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import type { ModelCapabilityOverride } from '../../config.ts';
import { type RetryPolicy, realSleep, retryWithFullJitter } from '../../retry.ts';
import { isRetryableBedrockError, toModelCallError } from './bedrock-errors.ts';
import { type BedrockGuardrailRef, toConverseInput, toConverseStreamInput } from './converse-request.ts';
import { type ConverseResult, fromConverseOutput } from './converse-response.ts';
import { ConverseStreamAssembler } from './converse-stream-assembler.ts';
import { capabilitiesFor, type ModelCapabilities } from './model-capabilities.ts';
import { RetryBudget } from './retry-budget.ts';
import type { ModelClient, ModelLimits, ModelRequest, ModelResponse, ModelTier } from './types.ts';

export { IncompleteStreamError, isRetryableBedrockError, ModelCallError } from './bedrock-errors.ts';
export {
  type BedrockGuardrailRef,
  toConverseInput,
  toConverseStreamInput,
  toDocument,
} from './converse-request.ts';
export { fromConverseOutput } from './converse-response.ts';
export { ConverseStreamAssembler } from './converse-stream-assembler.ts';

export interface BedrockConverseOptions {
  /**
   * Built by the composition root (region, credentials, `BEDROCK_ENDPOINT`). Give it
   * `maxAttempts: 1`: retries and fallback are this class's policy, not the SDK's.
   */
  readonly client: BedrockRuntimeClient;
  readonly strongModelId: string;
  readonly fastModelId: string;
  /** Bedrock Guardrails (`BEDROCK_GUARDRAIL_ID` / `_VERSION`); sent as `guardrailConfig` when set. */
  readonly guardrail?: BedrockGuardrailRef | undefined;
  /** Per-model overrides of the capability table (`BEDROCK_MODEL_CAPABILITIES`). */
  readonly capabilities?: Readonly<Record<string, ModelCapabilityOverride>>;
  /** False sends no cache point to any model. Default true: where the model's capabilities allow. */
  readonly promptCaching?: boolean;
  /** Attempts per call and the full-jitter backoff between them. */
  readonly retry: RetryPolicy;
  /** Shared by every call of this client; a fresh one (100 tokens, 5 a retry) unless given. */
  readonly retryBudget?: RetryBudget;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** A monotonic clock in milliseconds, for latency. */
  readonly now?: () => number;
}

/**
 * The Bedrock Converse model client. Routes `fast` requests to the fast model and `strong` ones to
 * the strong model, each within its capabilities (cache points, tool choice, streamed tool use, the
 * guardrail, the output limit). A failure the docs say to retry (throttling, 500, 503, model not
 * ready, in-stream errors, connection resets, a stream cut before `messageStop`) is retried with full
 * jitter while the retry budget lasts, then the other model is asked once. A streamed answer is never
 * retried once text has gone to the caller.
 */
export class BedrockConverseClient implements ModelClient {
  readonly label: string;
  readonly isLanguageModel = true;
  readonly #options: BedrockConverseOptions;
  readonly #now: () => number;
  readonly #budget: RetryBudget;

  constructor(options: BedrockConverseOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#budget = options.retryBudget ?? new RetryBudget();
    this.label = `Amazon Bedrock (${options.strongModelId}, fast: ${options.fastModelId})`;
    if (options.guardrail !== undefined) {
      for (const id of [options.strongModelId, options.fastModelId]) {
        if (!this.capabilitiesOf(id).guardrails) {
          throw new Error(
            `${id} does not take Bedrock Guardrails through Converse (capabilities); unset BEDROCK_GUARDRAIL_ID or choose another model`,
          );
        }
      }
    }
  }

  modelIdFor(tier: ModelTier): string {
    return tier === 'fast' ? this.#options.fastModelId : this.#options.strongModelId;
  }

  /** The capability table's entry for a model, with the configured overrides. */
  capabilitiesOf(modelId: string): ModelCapabilities {
    const caps = capabilitiesFor(modelId, this.#options.capabilities);
    return this.#options.promptCaching === false ? { ...caps, cachePoints: [], maxCachePoints: 0 } : caps;
  }

  limits(tier: ModelTier): ModelLimits {
    const { contextWindowTokens, maxOutputTokens } = this.capabilitiesOf(this.modelIdFor(tier));
    return { contextWindowTokens, maxOutputTokens };
  }

  async converse(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    const started = this.#now();
    const { value, modelId } = await this.#call(
      request.tier,
      (id) => this.#send(id, request, signal),
      isRetryableBedrockError,
      signal,
    );
    return fromConverseOutput(value, modelId, this.#now() - started);
  }

  /**
   * `converse` over `ConverseStream`: text deltas go to `onText` as they arrive, and the response is
   * assembled from the stream. Retries and fallback as `converse`, but only before the first delta
   * has been emitted: after that a failure is the turn's model error (the text cannot be taken back).
   */
  async converseStream(
    request: ModelRequest,
    onText: (delta: string) => void,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const started = this.#now();
    let emitted = false;
    const forward = (delta: string): void => {
      emitted = true;
      onText(delta);
    };
    const { value, modelId } = await this.#call(
      request.tier,
      (id) => this.#sendStream(id, request, forward, signal),
      (error) => !emitted && isRetryableBedrockError(error),
      signal,
    );
    return fromConverseOutput(value, modelId, this.#now() - started);
  }

  /** One call with retries on the tier's model, then once on the other model. */
  async #call<T>(
    tier: ModelTier,
    attempt: (modelId: string) => Promise<T>,
    retryable: (error: unknown) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<{ readonly value: T; readonly modelId: string }> {
    const primary = this.modelIdFor(tier);
    const fallback = tier === 'fast' ? this.#options.strongModelId : this.#options.fastModelId;
    const tried = [primary];
    try {
      let attempts = 0;
      const value = await retryWithFullJitter(
        () => {
          attempts++;
          return attempt(primary);
        },
        {
          ...this.#options.retry,
          isRetryable: (error) => retryable(error) && this.#budget.tryAcquire(),
          sleep: this.#options.sleep ?? realSleep,
          ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
          ...(signal === undefined ? {} : { signal }),
        },
      );
      if (attempts === 1) this.#budget.recordSuccess();
      return { value, modelId: primary };
    } catch (error) {
      if (!retryable(error) || fallback === primary || signal?.aborted || !this.#budget.tryAcquire()) {
        throw toModelCallError(error, tried);
      }
      tried.push(fallback);
      try {
        return { value: await attempt(fallback), modelId: fallback };
      } catch (fallbackError) {
        throw toModelCallError(fallbackError, tried);
      }
    }
  }

  #requestOptions(modelId: string) {
    return { capabilities: this.capabilitiesOf(modelId), guardrail: this.#options.guardrail };
  }

  async #sendStream(
    modelId: string,
    request: ModelRequest,
    onText: (delta: string) => void,
    signal?: AbortSignal,
  ): Promise<ConverseResult> {
    if (request.tools.length > 0 && !this.capabilitiesOf(modelId).streamingToolUse) {
      // The model takes tools only through Converse: the answer's text is given in one piece.
      const output = await this.#send(modelId, request, signal);
      const text = (output.output?.message?.content ?? []).map((b) => b.text ?? '').join('');
      if (text.trim() !== '') onText(text);
      return output;
    }
    const command = new ConverseStreamCommand(
      toConverseStreamInput(modelId, request, this.#requestOptions(modelId)),
    );
    const output = await this.#options.client.send(
      command,
      signal === undefined ? {} : { abortSignal: signal },
    );
    if (output.stream === undefined) throw new Error('ConverseStream answered without a stream');
    const assembler = new ConverseStreamAssembler(onText);
    for await (const event of output.stream) assembler.add(event);
    return assembler.result();
  }

  #send(modelId: string, request: ModelRequest, signal?: AbortSignal): Promise<ConverseCommandOutput> {
    const command = new ConverseCommand(toConverseInput(modelId, request, this.#requestOptions(modelId)));
    return this.#options.client.send(command, signal === undefined ? {} : { abortSignal: signal });
  }
}
