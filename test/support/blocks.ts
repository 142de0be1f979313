/** Every piece of text a user would read in a message or view (entities decoded), blocks in order, one per line. */
export function visibleText(surface: unknown): string {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (o.type === 'plain_text' && typeof o.text === 'string') out.push(o.text);
    // Slack shows mrkdwn entities as the characters they stand for.
    if (o.type === 'mrkdwn' && typeof o.text === 'string') {
      out.push(o.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    }
    for (const key of ['text', 'fields', 'elements', 'accessory', 'blocks', 'label']) {
      if (key in o && typeof o[key] === 'object') walk(o[key]);
    }
  };
  walk((surface as { blocks?: unknown })?.blocks ?? surface);
  return out.join('\n');
}

export interface ButtonInfo {
  text: string;
  actionId: string;
  value?: string;
  blockId?: string;
}

/** The buttons of a message or view, in order. */
export function buttonsOf(surface: unknown): ButtonInfo[] {
  const blocks = ((surface as { blocks?: unknown[] })?.blocks ?? []) as Record<string, unknown>[];
  const out: ButtonInfo[] = [];
  for (const block of blocks) {
    const elements = [
      ...((block.elements as Record<string, unknown>[] | undefined) ?? []),
      ...(block.accessory ? [block.accessory as Record<string, unknown>] : []),
    ];
    for (const el of elements) {
      if (el.type !== 'button') continue;
      out.push({
        text: (el.text as { text: string }).text,
        actionId: String(el.action_id),
        value: el.value as string | undefined,
        blockId: block.block_id as string | undefined,
      });
    }
  }
  return out;
}
