import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type ContentBlock as SdkContentBlock,
  type Message as SdkMessage,
  type SystemContentBlock,
  type Tool,
  type ToolResultContentBlock,
  type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { type RetryPolicy, realSleep, retryWithFullJitter } from '../limits/full-jitter.ts';
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
  output: ConverseCommandOutput,
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
