/**
 * Slack's own Block Kit limits, as the platform enforces them on `chat.postMessage`, `chat.update`,
 * `views.open` and response_url posts. Kept apart from the bot's builders on purpose: this is "Slack's"
 * check, so a builder bug cannot hide behind a shared constant.
 */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  id: 255,
  actionsElements: 25,
  contextElements: 10,
} as const;

/** A message payload (`blocks`) or a view (`type: 'modal' | 'home'`, `blocks`); `blocks` may be a JSON string. */
export interface BlockKitPayload {
  readonly blocks?: unknown;
  readonly type?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string | undefined =>
  isObject(v) && typeof v.text === 'string' ? v.text : undefined;

/**
 * Every way `payload` breaks Block Kit's limits, each worded as Slack words it in
 * `response_metadata.messages` (without the `[ERROR] ` prefix) and ending with the JSON pointer of the
 * offending field. Empty when the payload is within limits or has no blocks.
 */
export function slackBlockKitProblems(payload: BlockKitPayload): string[] {
  const problems: string[] = [];
  let blocks = payload.blocks;
  if (blocks === undefined || blocks === null || blocks === '') return problems;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks) as unknown;
    } catch {
      return ['must provide valid JSON [json-pointer:/blocks]'];
    }
  }
  if (!Array.isArray(blocks)) return ['must provide an array [json-pointer:/blocks]'];
  const max =
    payload.type === 'modal' || payload.type === 'home'
      ? BLOCK_KIT_LIMITS.viewBlocks
      : BLOCK_KIT_LIMITS.messageBlocks;
  if (blocks.length > max) problems.push(`no more than ${max} items allowed [json-pointer:/blocks]`);

  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  const tooLong = (value: unknown, limit: number, pointer: string) => {
    if (typeof value === 'string' && value.length > limit)
      problems.push(`must be less than ${limit + 1} characters [json-pointer:${pointer}]`);
  };
  const tooMany = (value: unknown, limit: number, pointer: string) => {
    if (Array.isArray(value) && value.length > limit)
      problems.push(`no more than ${limit} items allowed [json-pointer:${pointer}]`);
  };

  const checkElement = (element: unknown, pointer: string) => {
    if (!isObject(element)) return;
    const actionId = element.action_id;
    if (typeof actionId === 'string') {
      tooLong(actionId, BLOCK_KIT_LIMITS.id, `${pointer}/action_id`);
      if (actionIds.has(actionId))
        problems.push(`duplicate action_id ${JSON.stringify(actionId)} [json-pointer:${pointer}/action_id]`);
      actionIds.add(actionId);
    }
    if (element.type === 'button') {
      tooLong(textOf(element.text), BLOCK_KIT_LIMITS.buttonText, `${pointer}/text/text`);
      tooLong(element.value, BLOCK_KIT_LIMITS.buttonValue, `${pointer}/value`);
      tooLong(element.url, BLOCK_KIT_LIMITS.url, `${pointer}/url`);
    }
  };

  blocks.forEach((block: unknown, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      problems.push(`must provide an object with a type [json-pointer:${at}]`);
      return;
    }
    const blockId = block.block_id;
    if (typeof blockId === 'string') {
      tooLong(blockId, BLOCK_KIT_LIMITS.id, `${at}/block_id`);
      if (blockIds.has(blockId))
        problems.push(`duplicate block_id ${JSON.stringify(blockId)} [json-pointer:${at}/block_id]`);
      blockIds.add(blockId);
    }
    switch (block.type) {
      case 'section': {
        tooLong(textOf(block.text), BLOCK_KIT_LIMITS.sectionText, `${at}/text/text`);
        tooMany(block.fields, BLOCK_KIT_LIMITS.sectionFields, `${at}/fields`);
        if (Array.isArray(block.fields))
          block.fields.forEach((field: unknown, j) => {
            tooLong(textOf(field), BLOCK_KIT_LIMITS.sectionFieldText, `${at}/fields/${j}/text`);
          });
        checkElement(block.accessory, `${at}/accessory`);
        break;
      }
      case 'header':
        tooLong(textOf(block.text), BLOCK_KIT_LIMITS.headerText, `${at}/text/text`);
        break;
      case 'actions':
        tooMany(block.elements, BLOCK_KIT_LIMITS.actionsElements, `${at}/elements`);
        if (Array.isArray(block.elements))
          block.elements.forEach((e: unknown, j) => {
            checkElement(e, `${at}/elements/${j}`);
          });
        break;
      case 'context':
        tooMany(block.elements, BLOCK_KIT_LIMITS.contextElements, `${at}/elements`);
        break;
      case 'input':
        checkElement(block.element, `${at}/element`);
        break;
      default:
        break;
    }
  });
  return problems;
}
