import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
  type ContentBlock as SdkContentBlock,
  type Message as SdkMessage,
  type SystemContentBlock,
  type Tool,
  type ToolResultContentBlock,
  type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { type RetryPolicy, realSleep, retryWithFullJitter } from '../../retry.ts';
import type {
  ContentBlock,
  Message,
  ModelClient,
  ModelRequest,
  ModelResponse,
  ModelTier,
  StopReason,
  ToolResult,
  Usage,
} from './types.ts';

/** The SDK's JSON document type (tool inputs, tool-result JSON, input schemas). */
type DocumentType = Exclude<ToolUseBlock['input'], undefined>;

export interface BedrockGuardrailRef {
  readonly id: string;
  readonly version: string;
}

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
  /** Cache points after the system prompt and the tool specs. Default true; turn off for models without prompt caching. */
  readonly promptCaching?: boolean;
  readonly retry: RetryPolicy;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** A monotonic clock in milliseconds, for latency. */
  readonly now?: () => number;
}

/** The model service could not answer (throttled or unavailable on every model tried, or refused the request). */
export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  /** True for throttling / temporary unavailability: worth asking again later. */
  readonly transient: boolean;
  readonly modelIds: readonly string[];

  constructor(
    message: string,
    options: { transient: boolean; modelIds: readonly string[]; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.transient = options.transient;
    this.modelIds = options.modelIds;
  }
}

const TRANSIENT_ERRORS = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'ModelNotReadyException',
]);

/** Throttling (HTTP 429) and temporary unavailability (503, model not ready): retry, then fall back. */
export function isTransientBedrockError(error: unknown): boolean {
  return error instanceof Error && TRANSIENT_ERRORS.has(error.name);
}

const CACHE_POINT = { cachePoint: { type: 'default' } } as const;

/**
 * The Bedrock Converse model client. Routes `fast` requests to the fast model and `strong` ones to
 * the strong model; on throttling or unavailability retries with full jitter, then asks the other
 * model once. Puts cache points after the system prompt and after the tool specs, so the stable
 * prefix of every request is cached.
 */
export class BedrockConverseClient implements ModelClient {
  readonly label: string;
  readonly isLanguageModel = true;
  readonly #options: BedrockConverseOptions;
  readonly #now: () => number;

  constructor(options: BedrockConverseOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.label = `Amazon Bedrock (${options.strongModelId}, fast: ${options.fastModelId})`;
  }

  modelIdFor(tier: ModelTier): string {
    return tier === 'fast' ? this.#options.fastModelId : this.#options.strongModelId;
  }

  async converse(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    const started = this.#now();
    const primary = this.modelIdFor(request.tier);
    const fallback = request.tier === 'fast' ? this.#options.strongModelId : this.#options.fastModelId;
    const tried = [primary];
    let output: ConverseCommandOutput;
    let modelId = primary;
    try {
      output = await retryWithFullJitter(() => this.#send(primary, request, signal), {
        ...this.#options.retry,
        isRetryable: isTransientBedrockError,
        sleep: this.#options.sleep ?? realSleep,
        ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (!isTransientBedrockError(error) || fallback === primary || signal?.aborted) {
        throw toModelCallError(error, tried);
      }
      tried.push(fallback);
      modelId = fallback;
      try {
        output = await this.#send(fallback, request, signal);
      } catch (fallbackError) {
        throw toModelCallError(fallbackError, tried);
      }
    }
    return fromConverseOutput(output, modelId, this.#now() - started);
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
    const primary = this.modelIdFor(request.tier);
    const fallback = request.tier === 'fast' ? this.#options.strongModelId : this.#options.fastModelId;
    const tried = [primary];
    let emitted = false;
    const forward = (delta: string): void => {
      emitted = true;
      onText(delta);
    };
    const retryable = (error: unknown): boolean => !emitted && isTransientBedrockError(error);
    let assembled: AssembledStream;
    let modelId = primary;
    try {
      assembled = await retryWithFullJitter(() => this.#sendStream(primary, request, forward, signal), {
        ...this.#options.retry,
        isRetryable: retryable,
        sleep: this.#options.sleep ?? realSleep,
        ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (!retryable(error) || fallback === primary || signal?.aborted) {
        throw toModelCallError(error, tried);
      }
      tried.push(fallback);
      modelId = fallback;
      try {
        assembled = await this.#sendStream(fallback, request, forward, signal);
      } catch (fallbackError) {
        throw toModelCallError(fallbackError, tried);
      }
    }
    return fromConverseOutput(assembled, modelId, this.#now() - started);
  }

  async #sendStream(
    modelId: string,
    request: ModelRequest,
    onText: (delta: string) => void,
    signal?: AbortSignal,
  ): Promise<AssembledStream> {
    const command = new ConverseStreamCommand(
      toConverseStreamInput(modelId, request, {
        guardrail: this.#options.guardrail,
        promptCaching: this.#options.promptCaching ?? true,
      }),
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
    const command = new ConverseCommand(
      toConverseInput(modelId, request, {
        guardrail: this.#options.guardrail,
        promptCaching: this.#options.promptCaching ?? true,
      }),
    );
    return this.#options.client.send(command, signal === undefined ? {} : { abortSignal: signal });
  }
}

function toModelCallError(error: unknown, modelIds: readonly string[]): ModelCallError {
  const transient = isTransientBedrockError(error);
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ModelCallError(
    transient
      ? `Bedrock is throttling or unavailable for ${modelIds.join(' and ')} (${what})`
      : `Bedrock refused the request (${what})`,
    { transient, modelIds, cause: error },
  );
}

/** Our request → the SDK's `ConverseCommandInput`, with cache points and the guardrail config. */
export function toConverseInput(
  modelId: string,
  request: ModelRequest,
  options: { readonly guardrail?: BedrockGuardrailRef | undefined; readonly promptCaching?: boolean } = {},
): ConverseCommandInput {
  const { guardrail, promptCaching = true } = options;
  const system: SystemContentBlock[] = [{ text: request.system }];
  if (promptCaching) system.push(CACHE_POINT);
  if (request.context !== undefined && request.context !== '') system.push({ text: request.context });
  const input: ConverseCommandInput = {
    modelId,
    system,
    messages: request.messages.map(toSdkMessage),
    inferenceConfig: { maxTokens: request.maxTokens },
  };
  if (request.tools.length > 0) {
    const tools: Tool[] = request.tools.map((spec) => ({
      toolSpec: {
        name: spec.name,
        description: spec.description,
        inputSchema: { json: toDocument(spec.inputSchema.json) },
      },
    }));
    if (promptCaching) tools.push(CACHE_POINT);
    input.toolConfig = { tools };
  }
  if (guardrail !== undefined) {
    input.guardrailConfig = {
      guardrailIdentifier: guardrail.id,
      guardrailVersion: guardrail.version,
      trace: 'enabled',
    };
  }
  return input;
}

/** As `toConverseInput`, for `ConverseStream`: the guardrail scans each chunk before it is sent (`sync`). */
export function toConverseStreamInput(
  modelId: string,
  request: ModelRequest,
  options: { readonly guardrail?: BedrockGuardrailRef | undefined; readonly promptCaching?: boolean } = {},
): ConverseStreamCommandInput {
  const { guardrailConfig, ...input } = toConverseInput(modelId, request, options);
  return guardrailConfig === undefined
    ? input
    : { ...input, guardrailConfig: { ...guardrailConfig, streamProcessingMode: 'sync' } };
}

/** What `fromConverseOutput` reads: a `Converse` response, or one assembled from a stream. */
type ConverseResult = Pick<ConverseCommandOutput, 'output' | 'stopReason' | 'usage'>;

/** A `ConverseStream` answer put back together as a `Converse` one. */
type AssembledStream = ConverseResult;

type PendingBlock =
  | { readonly kind: 'text'; text: string }
  | { readonly kind: 'toolUse'; readonly toolUseId: string; readonly name: string; json: string };

/**
 * Assembles `ConverseStream` events: text deltas (forwarded as they come), tool-use input as JSON
 * fragments (parsed when the block stops), the stop reason and the usage (cache tokens included).
 * A tool-use input that is not valid JSON ends the message as `malformed_tool_use`, as `Converse`
 * would report it.
 */
export class ConverseStreamAssembler {
  readonly #onText: (delta: string) => void;
  readonly #blocks = new Map<number, PendingBlock>();
  readonly #done = new Map<number, SdkContentBlock>();
  #stopReason: ConverseCommandOutput['stopReason'];
  #usage: ConverseCommandOutput['usage'];
  #malformed = false;

  constructor(onText: (delta: string) => void) {
    this.#onText = onText;
  }

  add(event: ConverseStreamOutput): void {
    if (event.contentBlockStart !== undefined) {
      const index = event.contentBlockStart.contentBlockIndex ?? 0;
      const toolUse = event.contentBlockStart.start?.toolUse;
      if (toolUse !== undefined) {
        this.#blocks.set(index, {
          kind: 'toolUse',
          toolUseId: toolUse.toolUseId ?? '',
          name: toolUse.name ?? '',
          json: '',
        });
      }
    } else if (event.contentBlockDelta !== undefined) {
      const index = event.contentBlockDelta.contentBlockIndex ?? 0;
      const delta = event.contentBlockDelta.delta;
      if (delta?.text !== undefined) {
        const block = this.#blocks.get(index);
        if (block === undefined) this.#blocks.set(index, { kind: 'text', text: delta.text });
        else if (block.kind === 'text') block.text += delta.text;
        if (delta.text !== '') this.#onText(delta.text);
      } else if (delta?.toolUse?.input !== undefined) {
        const block = this.#blocks.get(index);
        if (block?.kind === 'toolUse') block.json += delta.toolUse.input;
      }
    } else if (event.contentBlockStop !== undefined) {
      this.#close(event.contentBlockStop.contentBlockIndex ?? 0);
    } else if (event.messageStop !== undefined) {
      this.#stopReason = event.messageStop.stopReason;
    } else if (event.metadata !== undefined) {
      this.#usage = event.metadata.usage;
    }
  }

  #close(index: number): void {
    const block = this.#blocks.get(index);
    if (block === undefined) return;
    this.#blocks.delete(index);
    if (block.kind === 'text') {
      this.#done.set(index, { text: block.text });
      return;
    }
    let input: DocumentType = {};
    if (block.json.trim() !== '') {
      try {
        input = toDocument(JSON.parse(block.json));
      } catch {
        this.#malformed = true;
        return;
      }
    }
    this.#done.set(index, { toolUse: { toolUseId: block.toolUseId, name: block.name, input } });
  }

  result(): AssembledStream {
    // Blocks the stream never stopped (a truncated stream) are closed as they are.
    for (const index of [...this.#blocks.keys()]) this.#close(index);
    const content = [...this.#done].sort(([a], [b]) => a - b).map(([, block]) => block);
    return {
      output: { message: { role: 'assistant', content } },
      stopReason: this.#malformed ? 'malformed_tool_use' : this.#stopReason,
      usage: this.#usage,
    };
  }
}

function toSdkMessage(message: Message): SdkMessage {
  return { role: message.role, content: message.content.map(toSdkBlock) };
}

function toSdkBlock(block: ContentBlock): SdkContentBlock {
  if ('text' in block) return { text: block.text };
  if ('toolUse' in block) {
    const { toolUseId, name, input } = block.toolUse;
    return { toolUse: { toolUseId, name, input: toDocument(input) } };
  }
  return { toolResult: toSdkToolResult(block.toolResult) };
}

function toSdkToolResult(result: ToolResult): NonNullable<SdkContentBlock.ToolResultMember['toolResult']> {
  const content: ToolResultContentBlock[] = result.content.map((c) =>
    'json' in c ? { json: toDocument(c.json) } : { text: c.text },
  );
  return { toolUseId: result.toolUseId, content, status: result.status };
}

/** Narrows an unknown JSON-able value to the SDK's document type (drops `undefined`, functions, …). */
export function toDocument(value: unknown): DocumentType {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toDocument);
  if (typeof value === 'object') {
    const out: Record<string, DocumentType> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') out[key] = toDocument(v);
    }
    return out;
  }
  return null;
}

/** The SDK's response → ours. Content blocks we do not use (reasoning, citations, …) are dropped. */
export function fromConverseOutput(
  output: ConverseResult,
  modelId: string,
  latencyMs: number,
): ModelResponse {
  const sdkMessage = output.output?.message;
  const content: ContentBlock[] = [];
  for (const block of sdkMessage?.content ?? []) {
    if (block.text !== undefined) content.push({ text: block.text });
    else if (block.toolUse !== undefined) {
      content.push({
        toolUse: {
          toolUseId: block.toolUse.toolUseId ?? '',
          name: block.toolUse.name ?? '',
          input: block.toolUse.input ?? {},
        },
      });
    }
  }
  const stopReason = mapStopReason(output.stopReason);
  const usage: Usage = {
    inputTokens: output.usage?.inputTokens ?? 0,
    outputTokens: output.usage?.outputTokens ?? 0,
    cacheReadInputTokens: output.usage?.cacheReadInputTokens ?? 0,
    cacheWriteInputTokens: output.usage?.cacheWriteInputTokens ?? 0,
    estimated: false,
  };
  const response: ModelResponse = {
    message: { role: 'assistant', content },
    stopReason,
    usage,
    modelId,
    latencyMs,
  };
  return stopReason === 'guardrail_intervened'
    ? { ...response, guardrail: { source: 'bedrock-guardrails', action: 'GUARDRAIL_INTERVENED' } }
    : response;
}

/**
 * The SDK has more stop reasons than our contract: a context window exceeded is a length stop, and
 * malformed output or tool use reads as a filtered response (the loop ends the turn cleanly).
 */
function mapStopReason(reason: string | undefined): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'guardrail_intervened':
    case 'content_filtered':
      return reason;
    case 'model_context_window_exceeded':
      return 'max_tokens';
    case 'malformed_model_output':
    case 'malformed_tool_use':
      return 'content_filtered';
    default:
      return 'end_turn';
  }
}
