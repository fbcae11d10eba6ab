import type {
  ConverseCommandInput,
  ConverseStreamCommandInput,
  ContentBlock as SdkContentBlock,
  Message as SdkMessage,
  ToolChoice as SdkToolChoice,
  SystemContentBlock,
  Tool,
  ToolResultContentBlock,
  ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { capabilitiesFor, type ModelCapabilities } from './model-capabilities.ts';
import type { ContentBlock, Message, ModelRequest, ToolChoice, ToolResult } from './types.ts';

/** The SDK's JSON document type (tool inputs, tool-result JSON, input schemas). */
export type DocumentType = Exclude<ToolUseBlock['input'], undefined>;

export interface BedrockGuardrailRef {
  readonly id: string;
  readonly version: string;
}

export interface ConverseRequestOptions {
  /** The model's capabilities (default: the built-in table's for `modelId`). */
  readonly capabilities?: ModelCapabilities;
  /** Sent as `guardrailConfig`, with the question as `guardContent`, when set and the model takes it. */
  readonly guardrail?: BedrockGuardrailRef | undefined;
}

const CACHE_POINT = { cachePoint: { type: 'default' } } as const;

/** Stands in for a message whose every block was blank (Converse refuses empty and blank content). */
export const EMPTY_MESSAGE_TEXT = '(no text)';

/**
 * Our request → the SDK's `ConverseCommandInput`, within what the model takes:
 * - one cache point, after the system prompt (before the per-person context) where the model caches
 *   system: the cache prefix runs tools → system → messages (Anthropic, "Prompt caching":
 *   https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching), so it covers the tool specs
 *   too; after the tool specs only for a model that caches tools and not system. None for a model
 *   without prompt caching, and never in `toolConfig.tools` for Nova (prompt caching page,
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html);
 * - blank text blocks left out (Converse refuses blank text, API_runtime_ContentBlock);
 * - the guardrail: `guardrailConfig` with the trace on, and the person's question of this turn as
 *   `guardContent`, so the guardrail evaluates that question and not the whole thread ("Include a
 *   guardrail with the Converse API", evaluate only specific content:
 *   https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-use-converse-api.html);
 * - `maxTokens` at most the model's output limit; `toolChoice` only where the model supports it.
 */
export function toConverseInput(
  modelId: string,
  request: ModelRequest,
  options: ConverseRequestOptions = {},
): ConverseCommandInput {
  const caps = options.capabilities ?? capabilitiesFor(modelId);
  const guardrail = caps.guardrails ? options.guardrail : undefined;
  const cacheSystem = caps.maxCachePoints > 0 && caps.cachePoints.includes('system');
  const cacheTools = caps.maxCachePoints > 0 && !cacheSystem && caps.cachePoints.includes('tools');
  const system: SystemContentBlock[] = [{ text: request.system }];
  if (cacheSystem) system.push(CACHE_POINT);
  if (request.context !== undefined && request.context.trim() !== '') system.push({ text: request.context });
  const input: ConverseCommandInput = {
    modelId,
    system,
    messages: toSdkMessages(request.messages, guardrail !== undefined),
    inferenceConfig: { maxTokens: Math.min(request.maxTokens, caps.maxOutputTokens) },
  };
  if (request.tools.length > 0) {
    const tools: Tool[] = request.tools.map((spec) => ({
      toolSpec: {
        name: spec.name,
        description: spec.description,
        inputSchema: { json: toDocument(spec.inputSchema.json) },
      },
    }));
    if (cacheTools) tools.push(CACHE_POINT);
    const toolChoice = toSdkToolChoice(request.toolChoice, caps);
    input.toolConfig = toolChoice === undefined ? { tools } : { tools, toolChoice };
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
  options: ConverseRequestOptions = {},
): ConverseStreamCommandInput {
  const { guardrailConfig, ...input } = toConverseInput(modelId, request, options);
  return guardrailConfig === undefined
    ? input
    : { ...input, guardrailConfig: { ...guardrailConfig, streamProcessingMode: 'sync' } };
}

function toSdkToolChoice(choice: ToolChoice | undefined, caps: ModelCapabilities): SdkToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return caps.toolChoice.includes('auto') ? { auto: {} } : undefined;
  if (choice === 'any') return caps.toolChoice.includes('any') ? { any: {} } : undefined;
  return caps.toolChoice.includes('tool') ? { tool: { name: choice.tool } } : undefined;
}

const isBlankText = (block: ContentBlock): boolean => 'text' in block && block.text.trim() === '';

/** Index of this turn's question: the last person's message with text and no tool results. */
function questionIndex(messages: readonly Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (m.content.some((b) => 'toolResult' in b)) continue;
    if (m.content.some((b) => 'text' in b && b.text.trim() !== '')) return i;
  }
  return -1;
}

function toSdkMessages(messages: readonly Message[], guardQuestion: boolean): SdkMessage[] {
  const guarded = guardQuestion ? questionIndex(messages) : -1;
  return messages.map((message, i) => {
    const blocks = message.content.filter((b) => !isBlankText(b));
    const content = blocks.map((b) =>
      i === guarded && 'text' in b ? { guardContent: { text: { text: b.text } } } : toSdkBlock(b),
    );
    return { role: message.role, content: content.length > 0 ? content : [{ text: EMPTY_MESSAGE_TEXT }] };
  });
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
  const content: ToolResultContentBlock[] = result.content
    .filter((c) => !('text' in c) || c.text.trim() !== '')
    .map((c) => ('json' in c ? { json: toDocument(c.json) } : { text: c.text }));
  return {
    toolUseId: result.toolUseId,
    content: content.length > 0 ? content : [{ text: EMPTY_MESSAGE_TEXT }],
    status: result.status,
  };
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
