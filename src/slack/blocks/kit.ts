import type { types } from '@slack/bolt';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn, truncate } from '../mrkdwn.js';

/**
 * Small pure Block Kit builders. They enforce Slack's size limits (shared/SLACK.md) where the
 * content is not ours to control: long text is split into several blocks instead of being rejected.
 */

export type Block = types.KnownBlock;
export type Button = types.Button;

/** A message as Slack takes it: blocks plus the plain-text fallback used by notifications. */
export interface Message {
  text: string;
  blocks: Block[];
}

/** Plain text, as a modal's title and buttons and an input's label and hint take it. */
export function plain(text: string): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text };
}

/**
 * A modal: the form's callback and what it carries (`metadata`, as `private_metadata`), its title and buttons (Submit
 * only on forms), and its blocks. The title is cut to Slack's 24 characters.
 */
export function modal(view: {
  callbackId?: string;
  metadata?: string;
  title: string;
  submit?: string;
  close: string;
  blocks: Block[];
}): types.ModalView {
  return {
    type: 'modal',
    ...(view.callbackId === undefined ? {} : { callback_id: view.callbackId }),
    ...(view.metadata === undefined ? {} : { private_metadata: view.metadata }),
    title: plain(truncate(view.title, LIMITS.modalTitle)),
    ...(view.submit === undefined ? {} : { submit: plain(view.submit) }),
    close: plain(view.close),
    blocks: view.blocks,
  };
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

/** A mrkdwn section; `mrkdwn` must already be escaped where it holds outside text. */
export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

/**
 * One or more sections holding `lines`, each section below Slack's 3000-character limit.
 * Lines are never split unless a single line is itself too long.
 */
export function sections(title: string | undefined, lines: readonly string[]): Block[] {
  const out: Block[] = [];
  let current = title ? `*${title}*` : '';
  const flush = () => {
    if (current) out.push(section(current));
    current = '';
  };
  for (const raw of lines) {
    const line = truncate(raw, LIMITS.sectionText);
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length > LIMITS.sectionText) {
      flush();
      current = line;
    } else current = joined;
  }
  flush();
  return out;
}

export function fields(items: readonly string[]): Block {
  return {
    type: 'section',
    fields: items
      .slice(0, LIMITS.sectionFields)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionFieldText) })),
  };
}

export function context(...mrkdwn: string[]): Block {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) })),
  };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  const b: Button = {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value,
  };
  if (style) b.style = style;
  return b;
}

/** Actions blocks holding `buttons`, 25 to a block. */
export function actions(buttons: readonly Button[], blockId?: string): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    const block: types.ActionsBlock = { type: 'actions', elements: buttons.slice(i, i + LIMITS.actionsElements) };
    if (blockId) block.block_id = i === 0 ? blockId : `${blockId}-${i / LIMITS.actionsElements}`;
    out.push(block);
  }
  return out;
}

export function bulletList(items: readonly string[]): string[] {
  return items.map((item) => `• ${escapeMrkdwn(item)}`);
}

/**
 * Splits a message whose blocks exceed Slack's per-message limit into several messages, in order.
 * Each part keeps the fallback text (marked "(continued)" after the first).
 */
export function splitMessage(message: Message, maxBlocks: number = LIMITS.messageBlocks): Message[] {
  const text = truncate(message.text, LIMITS.messageText);
  if (message.blocks.length <= maxBlocks) return [{ text, blocks: message.blocks }];
  const parts: Message[] = [];
  for (let i = 0; i < message.blocks.length; i += maxBlocks) {
    parts.push({
      text: i === 0 ? text : truncate(`${message.text} (continued)`, LIMITS.messageText),
      blocks: message.blocks.slice(i, i + maxBlocks),
    });
  }
  return parts;
}
