import type { View } from '@slack/types';
import type { SlackMessage } from './slack-message.ts';

/*
 * Our own check of Block Kit's documented limits (docs.slack.dev "Blocks", "Block elements",
 * "Composition objects"), used by the builders' tests. The Slack emulator has its own, written
 * independently, so one mistake cannot hide in both.
 */

type Node = Readonly<Record<string, unknown>>;

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  fallbackText: 3000,
  id: 255,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  inputLabel: 2000,
  inputHint: 2000,
  textInputLength: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
} as const;

/** A mrkdwn broadcast that would notify a whole channel or group. */
const BROADCAST = /<!(channel|here|everyone|subteam\^)[^>]*>/i;

/** Every way `target` breaks Block Kit's limits, as `path: problem`; empty when it is valid. */
export function ourBlockKitProblems(target: SlackMessage | View): string[] {
  const problems: string[] = [];
  const state = { actionIds: new Set<string>(), blockIds: new Set<string>() };
  if ('type' in target) {
    checkView(target as unknown as Node, problems);
  } else {
    const text = target.text;
    if (text.trim() === '') problems.push('text: empty (the notification fallback is required)');
    if (text.length > LIMITS.fallbackText)
      problems.push(`text: ${text.length} characters, more than ${LIMITS.fallbackText}`);
    if (BROADCAST.test(text)) problems.push('text: contains a broadcast mention');
    if (target.blocks.length > LIMITS.messageBlocks)
      problems.push(`blocks: ${target.blocks.length}, more than ${LIMITS.messageBlocks}`);
  }
  const blocks = (target.blocks ?? []) as unknown as Node[];
  blocks.forEach((b, i) => {
    checkBlock(b, `blocks[${i}]`, problems, state);
  });
  return problems;
}

function checkView(view: Node, problems: string[]): void {
  const blocks = view.blocks as unknown[];
  if (blocks.length > LIMITS.viewBlocks)
    problems.push(`blocks: ${blocks.length}, more than ${LIMITS.viewBlocks}`);
  if (view.type === 'modal') {
    checkPlain(view.title, 'title', LIMITS.modalTitle, problems, true);
    checkPlain(view.submit, 'submit', LIMITS.modalButton, problems, false);
    checkPlain(view.close, 'close', LIMITS.modalButton, problems, false);
    if (view.submit === undefined && blocks.some((b) => (b as Node).type === 'input'))
      problems.push('submit: required when the view has an input block');
  }
  maxLength(view.private_metadata, 'private_metadata', LIMITS.privateMetadata, problems);
  maxLength(view.callback_id, 'callback_id', LIMITS.id, problems);
}

function checkBlock(
  b: Node,
  path: string,
  problems: string[],
  state: { actionIds: Set<string>; blockIds: Set<string> },
): void {
  if (typeof b.block_id === 'string') {
    maxLength(b.block_id, `${path}.block_id`, LIMITS.id, problems);
    if (state.blockIds.has(b.block_id)) problems.push(`${path}.block_id: ${b.block_id} is not unique`);
    state.blockIds.add(b.block_id);
  }
  const element = (e: unknown, p: string) => checkElement(e as Node, p, problems, state.actionIds);
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) problems.push(`${path}: needs text or fields`);
      if (b.text !== undefined) checkText(b.text, `${path}.text`, LIMITS.sectionText, problems);
      if (b.fields !== undefined) {
        const fields = b.fields as unknown[];
        if (fields.length > LIMITS.sectionFields)
          problems.push(`${path}.fields: ${fields.length}, more than ${LIMITS.sectionFields}`);
        fields.forEach((f, i) => {
          checkText(f, `${path}.fields[${i}]`, LIMITS.fieldText, problems);
        });
      }
      if (b.accessory !== undefined) element(b.accessory, `${path}.accessory`);
      break;
    }
    case 'header':
      checkPlain(b.text, `${path}.text`, LIMITS.headerText, problems, true);
      break;
    case 'context': {
      const elements = b.elements as unknown[];
      if (elements.length === 0 || elements.length > LIMITS.contextElements)
        problems.push(`${path}.elements: ${elements.length}, must be 1–${LIMITS.contextElements}`);
      elements.forEach((e, i) => {
        if ((e as Node).type !== 'image')
          checkText(e, `${path}.elements[${i}]`, LIMITS.contextText, problems);
      });
      break;
    }
    case 'actions': {
      const elements = b.elements as unknown[];
      if (elements.length === 0 || elements.length > LIMITS.actionsElements)
        problems.push(`${path}.elements: ${elements.length}, must be 1–${LIMITS.actionsElements}`);
      elements.forEach((e, i) => {
        element(e, `${path}.elements[${i}]`);
      });
      break;
    }
    case 'input':
      checkPlain(b.label, `${path}.label`, LIMITS.inputLabel, problems, true);
      if (b.hint !== undefined) checkPlain(b.hint, `${path}.hint`, LIMITS.inputHint, problems, true);
      element(b.element, `${path}.element`);
      break;
    case 'divider':
      break;
    default:
      problems.push(`${path}.type: ${String(b.type)} is not a block type these builders use`);
  }
}

function checkElement(e: Node, path: string, problems: string[], actionIds: Set<string>): void {
  if (typeof e.action_id === 'string') {
    maxLength(e.action_id, `${path}.action_id`, LIMITS.id, problems);
    if (actionIds.has(e.action_id)) problems.push(`${path}.action_id: ${e.action_id} is not unique`);
    actionIds.add(e.action_id);
  }
  if (e.type === 'button') {
    checkPlain(e.text, `${path}.text`, LIMITS.buttonText, problems, true);
    maxLength(e.value, `${path}.value`, LIMITS.buttonValue, problems);
    maxLength(e.url, `${path}.url`, LIMITS.url, problems);
    if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
      problems.push(`${path}.style: ${String(e.style)} is not primary or danger`);
  } else if (e.type === 'plain_text_input') {
    const min = (e.min_length as number | undefined) ?? 0;
    const max = (e.max_length as number | undefined) ?? LIMITS.textInputLength;
    if (min < 0 || max > LIMITS.textInputLength || min > max)
      problems.push(`${path}: min_length ${min} / max_length ${max} outside 0–${LIMITS.textInputLength}`);
  } else {
    problems.push(`${path}.type: ${String(e.type)} is not an element these builders use`);
  }
  if (e.confirm !== undefined) {
    const c = e.confirm as Node;
    checkPlain(c.title, `${path}.confirm.title`, LIMITS.confirmTitle, problems, true);
    checkText(c.text, `${path}.confirm.text`, LIMITS.confirmText, problems);
    checkPlain(c.confirm, `${path}.confirm.confirm`, LIMITS.confirmButton, problems, true);
    checkPlain(c.deny, `${path}.confirm.deny`, LIMITS.confirmButton, problems, true);
  }
}

/** A text object (plain_text or mrkdwn): non-empty, within `max`, no broadcast mention. */
function checkText(t: unknown, path: string, max: number, problems: string[]): void {
  const node = t as Node | undefined;
  if (node === undefined || (node.type !== 'mrkdwn' && node.type !== 'plain_text')) {
    problems.push(`${path}: not a text object`);
    return;
  }
  const text = node.text;
  if (typeof text !== 'string' || text.trim() === '') {
    problems.push(`${path}.text: empty`);
    return;
  }
  if (text.length > max) problems.push(`${path}.text: ${text.length} characters, more than ${max}`);
  if (node.type === 'mrkdwn' && BROADCAST.test(text))
    problems.push(`${path}.text: contains a broadcast mention`);
}

function checkPlain(t: unknown, path: string, max: number, problems: string[], required: boolean): void {
  if (t === undefined) {
    if (required) problems.push(`${path}: missing`);
    return;
  }
  if ((t as Node).type !== 'plain_text') problems.push(`${path}: must be plain_text`);
  checkText(t, path, max, problems);
}

function maxLength(value: unknown, path: string, max: number, problems: string[]): void {
  if (typeof value === 'string' && value.length > max)
    problems.push(`${path}: ${value.length} characters, more than ${max}`);
}
