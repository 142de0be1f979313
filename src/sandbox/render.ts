/**
 * Renders Block Kit as terminal text for the sandbox: headers, bullets, fields, and buttons
 * numbered so typing the number presses them. Pure; colour is optional (off for pipes).
 */

export interface RenderedButton {
  number: number;
  actionId: string;
  value?: string;
  blockId?: string;
  text: string;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  heading(s: string): string;
}

export const plainStyle: Style = { bold: (s) => s, dim: (s) => s, heading: (s) => s };

export const ansiStyle: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  heading: (s) => `\x1b[1;4m${s}\x1b[0m`,
};

/** mrkdwn → terminal text: `*bold*`, `_italic_`, `code`, entities, mentions by name. */
/** Channel names the sandbox has seen typed (`#growth`), by the id it gave them. */
export const channelNames = new Map<string, string>();

export function mrkdwnToText(mrkdwn: string, style: Style, nameOf: (userId: string) => string | undefined): string {
  return (
    mrkdwn
      .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `@${name || nameOf(id) || id}`)
      .replace(
        /<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g,
        (_, id: string, name?: string) => `#${name || channelNames.get(id) || id}`,
      )
      // Slack's date formatting (`<!date^…^{…}|fallback>`): the terminal shows the fallback, which names the zone.
      .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<!([a-z]+)>/g, '@$1')
      .replace(/<([^>|]+)\|([^>]+)>/g, '$2 ($1)')
      .replace(
        /(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm,
        (_, pre: string, inner: string) => `${pre}${style.bold(inner)}`,
      )
      .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/gm, '$1$2')
      .replace(/```([\s\S]*?)```/g, '$1')
      .replace(/`([^`\n]+)`/g, '$1')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&')
  );
}

interface TextObject {
  type?: string;
  text?: string;
}

interface AnyBlock {
  type?: string;
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: ({ type?: string; text?: TextObject | string; action_id?: string; value?: string } & TextObject)[];
  accessory?: {
    type?: string;
    text?: TextObject;
    action_id?: string;
    value?: string;
    initial_option?: { text?: TextObject };
    placeholder?: TextObject;
  };
  label?: TextObject;
  element?: { type?: string; placeholder?: TextObject };
}

/**
 * Renders one message or view. Buttons get numbers starting at `firstNumber`, returned so the
 * sandbox can press them.
 */
export function renderBlocks(
  blocks: readonly unknown[],
  options: {
    style?: Style;
    nameOf?: (userId: string) => string | undefined;
    firstNumber?: number;
    width?: number;
  } = {},
): { text: string; buttons: RenderedButton[] } {
  const style = options.style ?? plainStyle;
  const nameOf = options.nameOf ?? (() => undefined);
  const width = options.width ?? 72;
  const buttons: RenderedButton[] = [];
  const lines: string[] = [];
  const text = (t: TextObject | undefined) =>
    t?.text === undefined ? '' : t.type === 'plain_text' ? t.text : mrkdwnToText(t.text, style, nameOf);
  const addButton = (el: { text?: TextObject | string; action_id?: string; value?: string }, blockId?: string) => {
    const label = typeof el.text === 'string' ? el.text : (el.text?.text ?? '');
    const b: RenderedButton = {
      number: (options.firstNumber ?? 1) + buttons.length,
      actionId: el.action_id ?? '',
      value: el.value,
      blockId,
      text: label,
    };
    buttons.push(b);
    return `[${b.number}] ${label}`;
  };
  for (const raw of blocks) {
    const block = raw as AnyBlock;
    switch (block.type) {
      case 'header':
        lines.push('', style.heading(text(block.text)));
        break;
      case 'section':
        if (block.text) lines.push(text(block.text));
        for (const f of block.fields ?? []) lines.push(text(f));
        if (block.accessory?.type === 'button') lines.push(`  ${addButton(block.accessory, block.block_id)}`);
        // A picker shows what it has selected (or its placeholder), as Slack draws it; choosing is Slack's, not here.
        if (block.accessory?.type === 'static_select')
          lines.push(`  ▾ ${text(block.accessory.initial_option?.text ?? block.accessory.placeholder)}`);
        break;
      case 'context':
        lines.push(style.dim((block.elements ?? []).map((e) => text(e as TextObject)).join('  ')));
        break;
      case 'divider':
        lines.push(style.dim('─'.repeat(Math.min(width, 40))));
        break;
      case 'actions': {
        const labels = (block.elements ?? [])
          .filter((e) => e.type === 'button')
          .map((e) => addButton(e, block.block_id));
        if (labels.length) lines.push(labels.join('   '));
        break;
      }
      case 'input':
        lines.push(`${text(block.label)}: ${style.dim(block.element?.placeholder?.text ?? '')}`);
        break;
      case 'rich_text':
        break;
      default:
        if (block.text) lines.push(text(block.text));
    }
  }
  return { text: lines.join('\n').replace(/^\n+/, ''), buttons };
}
