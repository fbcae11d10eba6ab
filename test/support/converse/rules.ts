import type { CacheField, FamilyRules, ToolChoiceKind } from './families.ts';
import { requestTokens } from './prompt-cache.ts';

/*
 * What Bedrock refuses in a Converse / ConverseStream request, as a 400 `ValidationException` with a
 * message close to the service's. Each rule names the page it comes from:
 * - [Converse] the API reference, https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html
 *   (Message, ContentBlock, ToolConfiguration, ToolSpecification, ToolChoice, GuardrailConfiguration);
 * - [Tools] "Call a tool with the Converse API", https://docs.aws.amazon.com/bedrock/latest/userguide/tool-use-inference-call.html;
 * - [Caching] https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html;
 * - [Features] https://docs.aws.amazon.com/bedrock/latest/userguide/conversation-inference-supported-models-features.html;
 * - [Errors] https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html.
 * Messages quoted from service responses were checked against public bug reports quoting them.
 */

export interface Rejection {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

/** The stand-in's request size limit: an assumption (no published figure for Converse), configurable. */
export const DEFAULT_MAX_REQUEST_BYTES = 20 * 1024 * 1024;

const invalid = (message: string): Rejection => ({ status: 400, errorType: 'ValidationException', message });

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';

// [Converse] ToolSpecification.name, ToolUseBlock.toolUseId: 1–64 characters of [a-zA-Z0-9_-].
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
// [Converse] GuardrailConfiguration.guardrailVersion.
const GUARDRAIL_VERSION = /^(([1-9][0-9]{0,7})|(DRAFT))$/;

const BLOCK_KINDS = ['text', 'toolUse', 'toolResult', 'guardContent', 'cachePoint'] as const;

/** The first rule the request breaks, or undefined. */
export function validate(
  body: unknown,
  rules: FamilyRules,
  options: { readonly streaming: boolean },
): Rejection | undefined {
  if (!isObject(body)) return invalid('The request body must be a JSON object.');
  const toolConfig = body.toolConfig;
  return (
    checkMessages(body.messages, toolConfig !== undefined) ??
    checkSystem(body.system) ??
    checkToolConfig(toolConfig, rules, options.streaming) ??
    checkCachePoints(body, rules) ??
    checkGuardrailConfig(body.guardrailConfig, options.streaming) ??
    checkLimits(body, rules)
  );
}

function checkMessages(messages: unknown, hasToolConfig: boolean): Rejection | undefined {
  if (!Array.isArray(messages) || messages.length === 0) {
    return invalid(
      'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
    );
  }
  for (const [i, message] of messages.entries()) {
    if (!isObject(message) || (message.role !== 'user' && message.role !== 'assistant')) {
      return invalid(`The role field at messages.${i} must be user or assistant.`);
    }
    // [Converse] Message: the conversation starts with the user and alternates.
    if (i === 0 && message.role !== 'user') {
      return invalid(
        'A conversation must start with a user message. Try again with a conversation that starts with a user message.',
      );
    }
    if (i > 0 && (messages[i - 1] as Json).role === message.role) {
      return invalid(
        'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.',
      );
    }
    const content = message.content;
    if (!Array.isArray(content) || content.length === 0) {
      return invalid(
        `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`,
      );
    }
    for (const [j, block] of content.entries()) {
      const problem = checkBlock(block, `messages.${i}.content.${j}`, message.role, hasToolConfig);
      if (problem !== undefined) return problem;
    }
    const pairing = checkToolPairing(messages as Json[], i);
    if (pairing !== undefined) return pairing;
  }
  return undefined;
}

function checkBlock(
  block: unknown,
  at: string,
  role: unknown,
  hasToolConfig: boolean,
): Rejection | undefined {
  if (!isObject(block)) return invalid(`The ContentBlock at ${at} must be an object.`);
  const kinds = Object.keys(block);
  const kind = kinds[0];
  // [Converse] ContentBlock is a union: exactly one member.
  if (kinds.length !== 1 || kind === undefined || !(BLOCK_KINDS as readonly string[]).includes(kind)) {
    return invalid(
      `The ContentBlock at ${at} must set exactly one supported member (the stand-in knows ${BLOCK_KINDS.join(', ')}).`,
    );
  }
  // [Converse] "The text field in the ContentBlock object … is blank" — blank text is refused.
  if (kind === 'text' && blank(block.text)) {
    return invalid(
      `The text field in the ContentBlock object at ${at} is blank. Add text to the text field, and try again.`,
    );
  }
  if (kind === 'guardContent') {
    const text = (block.guardContent as { text?: { text?: unknown } } | undefined)?.text?.text;
    if (blank(text)) return invalid(`The guardContent text at ${at} is blank. Add text, and try again.`);
  }
  if (kind === 'cachePoint' && (block.cachePoint as Json | undefined)?.type !== 'default') {
    return invalid(`The cachePoint at ${at} must have type default.`);
  }
  if (kind === 'toolUse' || kind === 'toolResult') {
    // [Tools] tool blocks need the tool configuration that declares the tools.
    if (!hasToolConfig) {
      return invalid(
        'The toolConfig field must be defined when using toolUse and toolResult content blocks.',
      );
    }
    if (kind === 'toolUse' && role !== 'assistant')
      return invalid(`A toolUse block at ${at} must be in an assistant message.`);
    if (kind === 'toolResult' && role !== 'user')
      return invalid(`A toolResult block at ${at} must be in a user message.`);
  }
  if (kind === 'toolUse') {
    const use = block.toolUse as Json;
    if (!NAME.test(String(use.toolUseId)) || !NAME.test(String(use.name))) {
      return invalid(`The toolUse at ${at} needs a toolUseId and a name of 1-64 characters [a-zA-Z0-9_-].`);
    }
    if (!isObject(use.input)) return invalid(`The toolUse input at ${at} must be a JSON object.`);
  }
  if (kind === 'toolResult') {
    const result = block.toolResult as Json;
    const content = result.content;
    // An error result needs content (the service: "…toolResult cannot be empty when status value is error").
    if (result.status === 'error' && (!Array.isArray(content) || content.length === 0)) {
      return invalid(`The content field at ${at}.toolResult cannot be empty when status value is error.`);
    }
    for (const [k, part] of (Array.isArray(content) ? content : []).entries()) {
      if (isObject(part) && 'text' in part && blank(part.text)) {
        return invalid(
          `The text field in the ToolResultContentBlock object at ${at}.toolResult.content.${k} is blank. Add text to the text field, and try again.`,
        );
      }
    }
  }
  return undefined;
}

const toolUseIds = (message: Json | undefined): string[] =>
  (Array.isArray(message?.content) ? message.content : []).flatMap((b: unknown) =>
    isObject(b) && isObject(b.toolUse) ? [String(b.toolUse.toolUseId)] : [],
  );
const toolResultIds = (message: Json | undefined): string[] =>
  (Array.isArray(message?.content) ? message.content : []).flatMap((b: unknown) =>
    isObject(b) && isObject(b.toolResult) ? [String(b.toolResult.toolUseId)] : [],
  );

/**
 * [Tools] Every toolResult of a user message answers a toolUse of the assistant message right before
 * it, and every such toolUse is answered there: none missing, none extra, none unknown.
 */
function checkToolPairing(messages: readonly Json[], i: number): Rejection | undefined {
  const message = messages[i];
  if (message?.role === 'assistant') {
    const uses = toolUseIds(message);
    if (uses.length > 0 && i === messages.length - 1) {
      return invalid(
        `Expected toolResult blocks at messages.${i + 1}.content for the following Ids: ${uses.join(', ')}`,
      );
    }
    return undefined;
  }
  const results = toolResultIds(message);
  const uses = toolUseIds(i > 0 ? messages[i - 1] : undefined);
  if (results.length > uses.length) {
    return invalid(
      `The number of toolResult blocks at messages.${i}.content exceeds the number of toolUse blocks of previous turn.`,
    );
  }
  const unknown = results.filter((id) => !uses.includes(id));
  if (unknown.length > 0) {
    return invalid(
      `The toolResult blocks at messages.${i}.content reference unknown toolUse Ids: ${unknown.join(', ')}`,
    );
  }
  const missing = uses.filter((id) => !results.includes(id));
  if (missing.length > 0) {
    return invalid(
      `Expected toolResult blocks at messages.${i}.content for the following Ids: ${missing.join(', ')}`,
    );
  }
  return undefined;
}

function checkSystem(system: unknown): Rejection | undefined {
  if (system === undefined) return undefined;
  if (!Array.isArray(system)) return invalid('The system field must be a list of SystemContentBlock.');
  for (const [i, block] of system.entries()) {
    if (!isObject(block) || Object.keys(block).length !== 1) {
      return invalid(`The SystemContentBlock at system.${i} must set exactly one member.`);
    }
    if ('text' in block && blank(block.text)) {
      return invalid(
        `The text field in the SystemContentBlock object at system.${i} is blank. Add text to the text field, and try again.`,
      );
    }
  }
  return undefined;
}

function checkToolConfig(toolConfig: unknown, rules: FamilyRules, streaming: boolean): Rejection | undefined {
  if (toolConfig === undefined) return undefined;
  if (!isObject(toolConfig)) return invalid('The toolConfig field must be an object.');
  const tools = toolConfig.tools;
  // [Converse] ToolConfiguration.tools: at least one.
  if (!Array.isArray(tools) || tools.filter((t) => isObject(t) && 'toolSpec' in t).length === 0) {
    return invalid(
      "1 validation error detected: Value at 'toolConfig.tools' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  // [Features] tool use over ConverseStream only for families that stream it.
  if (streaming && !rules.streamingToolUse) {
    return invalid("This model doesn't support tool use in streaming mode.");
  }
  const names = new Set<string>();
  for (const [k, tool] of tools.entries()) {
    if (!isObject(tool) || Object.keys(tool).length !== 1) {
      return invalid(`The Tool at toolConfig.tools.${k} must set exactly one member.`);
    }
    if (!('toolSpec' in tool)) continue;
    const spec = tool.toolSpec as Json;
    if (!NAME.test(String(spec.name))) {
      return invalid(`The name of toolConfig.tools.${k}.toolSpec must be 1-64 characters of [a-zA-Z0-9_-].`);
    }
    if (names.has(String(spec.name)))
      return invalid(`Tool names must be unique: ${String(spec.name)} is repeated.`);
    names.add(String(spec.name));
    if (spec.description !== undefined && blank(spec.description)) {
      return invalid(`The description of toolConfig.tools.${k}.toolSpec must not be empty.`);
    }
    const schema = (spec.inputSchema as Json | undefined)?.json;
    if (!isObject(schema) || schema.type !== 'object') {
      return invalid(
        `The inputSchema.json of toolConfig.tools.${k}.toolSpec must be a JSON schema of type object.`,
      );
    }
  }
  const choice = toolConfig.toolChoice;
  if (choice !== undefined) {
    if (!isObject(choice) || Object.keys(choice).length !== 1) {
      return invalid('The toolChoice field must set exactly one of auto, any, tool.');
    }
    const kind = Object.keys(choice)[0] as ToolChoiceKind;
    // [Converse] ToolChoice: `any` and `tool` only for the models that support them.
    if (!rules.toolChoice.includes(kind)) {
      return invalid(
        `This model doesn't support the toolConfig.toolChoice.${kind} field. Remove toolConfig.toolChoice.${kind} and try again.`,
      );
    }
    if (kind === 'tool' && !names.has(String((choice.tool as Json | undefined)?.name))) {
      return invalid('The tool named in toolConfig.toolChoice.tool is not in toolConfig.tools.');
    }
  }
  return undefined;
}

/** [Caching] checkpoints only where the family takes them, at most `maxCachePoints`. */
function checkCachePoints(body: Json, rules: FamilyRules): Rejection | undefined {
  const found: { field: CacheField; at: string }[] = [];
  (Array.isArray(body.system) ? body.system : []).forEach((b: unknown, i: number) => {
    if (isObject(b) && 'cachePoint' in b) found.push({ field: 'system', at: `system/${i}` });
  });
  (Array.isArray(body.messages) ? body.messages : []).forEach((m: unknown, i: number) => {
    const content = isObject(m) && Array.isArray(m.content) ? m.content : [];
    content.forEach((b: unknown, j: number) => {
      if (isObject(b) && 'cachePoint' in b)
        found.push({ field: 'messages', at: `messages/${i}/content/${j}` });
    });
  });
  const tools =
    isObject(body.toolConfig) && Array.isArray(body.toolConfig.tools) ? body.toolConfig.tools : [];
  tools.forEach((t: unknown, k: number) => {
    if (isObject(t) && 'cachePoint' in t) found.push({ field: 'tools', at: `toolConfig/tools/${k}` });
  });
  if (found.length === 0) return undefined;
  if (rules.cacheFields.length === 0) {
    return invalid(
      'You invoked an unsupported model or your request did not allow prompt caching. See the documentation for more information.',
    );
  }
  const misplaced = found.find((f) => !rules.cacheFields.includes(f.field));
  if (misplaced !== undefined) {
    return invalid(
      `Malformed input request: #/${misplaced.at}: extraneous key [cachePoint] is not permitted, please reformat your input and try again.`,
    );
  }
  if (found.length > rules.maxCachePoints) {
    return invalid(
      `A maximum of ${rules.maxCachePoints} cache points may be provided. Found ${found.length}.`,
    );
  }
  return undefined;
}

function checkGuardrailConfig(config: unknown, streaming: boolean): Rejection | undefined {
  if (config === undefined) return undefined;
  if (!isObject(config) || blank(config.guardrailIdentifier)) {
    return invalid('The guardrailConfig needs a guardrailIdentifier.');
  }
  if (!GUARDRAIL_VERSION.test(String(config.guardrailVersion))) {
    return invalid(
      "Value at 'guardrailConfig.guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: (([1-9][0-9]{0,7})|(DRAFT))",
    );
  }
  if (config.trace !== undefined && !['enabled', 'disabled', 'enabled_full'].includes(String(config.trace))) {
    return invalid(
      "Value at 'guardrailConfig.trace' failed to satisfy constraint: Member must satisfy enum value set: [enabled, disabled, enabled_full]",
    );
  }
  // [Converse] streamProcessingMode belongs to ConverseStream's GuardrailStreamConfiguration only.
  if (
    config.streamProcessingMode !== undefined &&
    (!streaming || !['sync', 'async'].includes(String(config.streamProcessingMode)))
  ) {
    return invalid('streamProcessingMode is a ConverseStream setting: sync or async.');
  }
  return undefined;
}

/** Output tokens asked for, and the context window ([Errors]: "Input is too long for requested model."). */
function checkLimits(body: Json, rules: FamilyRules): Rejection | undefined {
  const maxTokens = (body.inferenceConfig as Json | undefined)?.maxTokens;
  if (maxTokens !== undefined && (typeof maxTokens !== 'number' || maxTokens < 1)) {
    return invalid(
      "Value at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  }
  if (typeof maxTokens === 'number' && maxTokens > rules.maxOutputTokens) {
    return invalid(
      `The maximum tokens you requested exceeds the model limit of ${rules.maxOutputTokens}. Try again with a maximum tokens value that is lower than ${rules.maxOutputTokens}.`,
    );
  }
  const input = requestTokens(body);
  const output = typeof maxTokens === 'number' ? maxTokens : 0;
  if (input > rules.contextWindow || (rules.overflow === 'error' && input + output > rules.contextWindow)) {
    return invalid('Input is too long for requested model.');
  }
  return undefined;
}
