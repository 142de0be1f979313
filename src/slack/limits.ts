/**
 * Block Kit limits from shared/SLACK.md, as pure checks. Slack rejects a payload over any of them with
 * `invalid_blocks`, so renderers use {@link LIMITS} to split long content and tests run every rendered surface
 * through {@link checkMessage} / {@link checkView}.
 *
 * NOTE: lengths are counted in UTF-16 code units (`string.length`). Slack counts characters; UTF-16 units are never
 * fewer than characters, so this is the stricter reading and what renderers can measure cheaply.
 */

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
  actionId: 255,
  callbackId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  selectOptions: 100,
  optionText: 75,
  optionValue: 75,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  plainTextInputMaxLength: 3000,
  privateMetadata: 3000,
  messageText: 40_000,
} as const;

export type ViewKind = 'modal' | 'home';

type Json = Record<string, unknown>;

const SELECT_TYPES = new Set(['static_select', 'multi_static_select']);

/** The parts of a message the checks read; chat.postMessage args, response_url bodies and acks all fit. */
export interface MessageLike {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
  delete_original?: unknown;
}

/** Problems with a message (chat.postMessage args, a response_url body, an ack); empty when Slack would accept it. */
export function checkMessage(msg: MessageLike): string[] {
  const out: string[] = [];
  const text = msg.text;
  if (typeof text === 'string' && text.length > LIMITS.messageText) {
    out.push(`text: message text is ${text.length} characters (limit ${LIMITS.messageText})`);
  }
  const hasText = typeof text === 'string' && text.trim() !== '';
  const blocks = msg.blocks;
  if (blocks !== undefined && !Array.isArray(blocks)) out.push('blocks: must be an array');
  if (Array.isArray(blocks)) {
    if (blocks.length > 0 && !hasText) {
      out.push('text: a message with blocks needs a text fallback (notifications and screen readers use it)');
    }
    out.push(...checkBlocks(blocks, LIMITS.messageBlocks, 'message'));
  } else if (!hasText && msg.attachments === undefined && msg.delete_original !== true) {
    out.push('text: a message needs text or blocks');
  }
  return out;
}

/** Problems with a modal or Home tab view; empty when Slack would accept it. */
export function checkView(view: unknown, kind: ViewKind): string[] {
  if (!isObject(view)) return ['view: must be an object'];
  const out: string[] = [];
  if (view.type !== kind) out.push(`type: is ${JSON.stringify(view.type)} (expected "${kind}")`);
  maxLength(out, 'callback_id', view.callback_id, LIMITS.callbackId, 'callback_id');
  maxLength(out, 'private_metadata', view.private_metadata, LIMITS.privateMetadata, 'private_metadata');
  const blocks = view.blocks;
  if (!Array.isArray(blocks)) {
    out.push('blocks: must be an array');
  } else {
    const limit = kind === 'modal' ? LIMITS.modalBlocks : LIMITS.homeBlocks;
    out.push(...checkBlocks(blocks, limit, kind));
  }
  if (kind === 'modal') {
    if (view.title === undefined) out.push('title: a modal needs a title');
    textObject(out, 'title', view.title, LIMITS.modalTitle, 'modal title', { plainOnly: true });
    textObject(out, 'submit', view.submit, LIMITS.modalSubmit, 'modal submit', { plainOnly: true });
    textObject(out, 'close', view.close, LIMITS.modalClose, 'modal close', { plainOnly: true });
    const hasInput = Array.isArray(blocks) && blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) out.push('submit: a modal with input blocks needs a submit button');
  }
  return out;
}

function checkBlocks(blocks: unknown[], limit: number, surface: string): string[] {
  const out: string[] = [];
  if (blocks.length > limit) out.push(`blocks: ${blocks.length} blocks in a ${surface} (limit ${limit})`);
  const blockIds = new Map<string, string>();
  const actionIds = new Map<string, string>();
  blocks.forEach((block, i) => {
    const path = `blocks[${i}]`;
    if (!isObject(block)) {
      out.push(`${path}: must be an object`);
      return;
    }
    if (typeof block.block_id === 'string') {
      maxLength(out, `${path}.block_id`, block.block_id, LIMITS.blockId, 'block_id');
      const first = blockIds.get(block.block_id);
      if (first) out.push(`${path}.block_id: "${block.block_id}" is already used by ${first}`);
      else blockIds.set(block.block_id, path);
    }
    for (const [elementPath, element] of elementsOf(block, path)) {
      checkElement(out, elementPath, element);
      if (typeof element.action_id === 'string') {
        const first = actionIds.get(element.action_id);
        if (first) out.push(`${elementPath}.action_id: "${element.action_id}" is already used by ${first}`);
        else actionIds.set(element.action_id, elementPath);
      }
    }
    checkBlock(out, path, block);
  });
  return out;
}

function checkBlock(out: string[], path: string, block: Json): void {
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) out.push(`${path}: a section needs text or fields`);
      textObject(out, `${path}.text`, block.text, LIMITS.sectionText, 'section text', { nonEmpty: true });
      if (Array.isArray(block.fields)) {
        if (block.fields.length > LIMITS.sectionFields) {
          out.push(`${path}.fields: ${block.fields.length} fields (limit ${LIMITS.sectionFields})`);
        }
        block.fields.forEach((field, j) => {
          textObject(out, `${path}.fields[${j}]`, field, LIMITS.sectionFieldText, 'section field', { nonEmpty: true });
        });
      }
      return;
    }
    case 'header':
      if (block.text === undefined) out.push(`${path}.text: a header needs text`);
      textObject(out, `${path}.text`, block.text, LIMITS.headerText, 'header text', {
        plainOnly: true,
        nonEmpty: true,
      });
      return;
    case 'context':
      if (Array.isArray(block.elements) && block.elements.length > LIMITS.contextElements) {
        out.push(`${path}.elements: ${block.elements.length} context elements (limit ${LIMITS.contextElements})`);
      }
      return;
    case 'actions':
      if (Array.isArray(block.elements) && block.elements.length > LIMITS.actionsElements) {
        out.push(`${path}.elements: ${block.elements.length} actions elements (limit ${LIMITS.actionsElements})`);
      }
      return;
    case 'input':
      if (block.label === undefined) out.push(`${path}.label: an input needs a label`);
      textObject(out, `${path}.label`, block.label, LIMITS.inputLabel, 'input label', { plainOnly: true });
      textObject(out, `${path}.hint`, block.hint, LIMITS.inputHint, 'input hint', { plainOnly: true });
      return;
    default:
      return;
  }
}

/** Interactive elements of a block with their paths: actions elements, a section accessory, an input element. */
function elementsOf(block: Json, path: string): [string, Json][] {
  const found: [string, Json][] = [];
  if (block.type === 'actions' && Array.isArray(block.elements)) {
    block.elements.forEach((e, j) => {
      if (isObject(e)) found.push([`${path}.elements[${j}]`, e]);
    });
  }
  if (isObject(block.accessory)) found.push([`${path}.accessory`, block.accessory]);
  if (isObject(block.element)) found.push([`${path}.element`, block.element]);
  return found;
}

function checkElement(out: string[], path: string, element: Json): void {
  maxLength(out, `${path}.action_id`, element.action_id, LIMITS.actionId, 'action_id');
  textObject(out, `${path}.placeholder`, element.placeholder, LIMITS.placeholder, 'placeholder', { plainOnly: true });
  if (element.type === 'button') {
    if (element.text === undefined) out.push(`${path}.text: a button needs text`);
    textObject(out, `${path}.text`, element.text, LIMITS.buttonText, 'button text', {
      plainOnly: true,
      nonEmpty: true,
    });
    maxLength(out, `${path}.value`, element.value, LIMITS.buttonValue, 'button value');
    maxLength(out, `${path}.url`, element.url, LIMITS.buttonUrl, 'button url');
  }
  if (element.type === 'plain_text_input' && typeof element.max_length === 'number') {
    if (element.max_length > LIMITS.plainTextInputMaxLength) {
      out.push(`${path}.max_length: is ${element.max_length} (limit ${LIMITS.plainTextInputMaxLength})`);
    }
  }
  if (Array.isArray(element.options)) {
    if (SELECT_TYPES.has(String(element.type)) && element.options.length > LIMITS.selectOptions) {
      out.push(`${path}.options: ${element.options.length} options (limit ${LIMITS.selectOptions})`);
    }
    element.options.forEach((option, k) => {
      checkOption(out, `${path}.options[${k}]`, option);
    });
  }
  if (Array.isArray(element.option_groups)) {
    element.option_groups.forEach((group, g) => {
      if (!isObject(group) || !Array.isArray(group.options)) return;
      if (group.options.length > LIMITS.selectOptions) {
        out.push(
          `${path}.option_groups[${g}].options: ${group.options.length} options (limit ${LIMITS.selectOptions})`,
        );
      }
      group.options.forEach((option, k) => {
        checkOption(out, `${path}.option_groups[${g}].options[${k}]`, option);
      });
    });
  }
}

function checkOption(out: string[], path: string, option: unknown): void {
  if (!isObject(option)) return;
  textObject(out, `${path}.text`, option.text, LIMITS.optionText, 'option text');
  maxLength(out, `${path}.value`, option.value, LIMITS.optionValue, 'option value');
}

function textObject(
  out: string[],
  path: string,
  value: unknown,
  limit: number,
  what: string,
  opts: { plainOnly?: boolean; nonEmpty?: boolean } = {},
): void {
  if (value === undefined) return;
  if (!isObject(value) || typeof value.text !== 'string') {
    out.push(`${path}: ${what} must be a text object { type, text }`);
    return;
  }
  if (opts.plainOnly && value.type !== 'plain_text') {
    out.push(`${path}.type: ${what} must be plain_text (is ${JSON.stringify(value.type)})`);
  }
  if (opts.nonEmpty && value.text.length === 0) out.push(`${path}.text: ${what} is empty`);
  maxLength(out, `${path}.text`, value.text, limit, what);
}

function maxLength(out: string[], path: string, value: unknown, limit: number, what: string): void {
  if (typeof value === 'string' && value.length > limit) {
    out.push(`${path}: ${what} is ${value.length} characters (limit ${limit})`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
