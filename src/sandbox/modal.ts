/**
 * Modals in the sandbox. Slack shows a form; the terminal asks for each field in turn (a number
 * for a choice, a line of text for a text field, an @name for a people picker, `-` to leave an optional field empty) and then
 * submits the form as Slack would, with `view_submission` and its `state.values`.
 */

export interface ModalField {
  blockId: string;
  actionId: string;
  label: string;
  optional: boolean;
  kind: 'select' | 'text' | 'user';
  /** For a choice: the options in order (what is shown, and the value sent). */
  options: { text: string; value: string }[];
  /** For a choice: the option the form preselects (`initial_option`), taken when the line is left empty. */
  initial?: { text: string; value: string };
  /**
   * What the form shows just above the field, to read before answering: its section and context blocks (the message
   * quoted above Save as evidence's picker, the report's answer above a manager's rating).
   */
  above?: unknown[];
}

export interface OpenModal {
  title: string;
  callbackId: string;
  privateMetadata: string;
  fields: ModalField[];
  /** The values given so far, one per field, in order (a picked person is `{ user }`). */
  values: (ModalField['options'][number] | { user: string } | string | null)[];
}

function rec(x: unknown): Record<string, unknown> {
  return typeof x === 'object' && x !== null ? (x as Record<string, unknown>) : {};
}

function plain(x: unknown): string {
  return String(rec(x).text ?? '');
}

/** The form in a modal view, or undefined when it asks for nothing. */
export function modalOf(view: Record<string, unknown>): OpenModal | undefined {
  const fields: ModalField[] = [];
  let above: unknown[] = [];
  for (const raw of Array.isArray(view.blocks) ? view.blocks : []) {
    const block = rec(raw);
    if (block.type === 'context' || block.type === 'section' || block.type === 'header') {
      above.push(raw);
      continue;
    }
    const shown = above.length ? above : undefined;
    above = [];
    if (block.type !== 'input') continue;
    const element = rec(block.element);
    const kind =
      element.type === 'static_select'
        ? 'select'
        : element.type === 'plain_text_input'
          ? 'text'
          : element.type === 'users_select'
            ? 'user'
            : undefined;
    if (!kind) continue;
    const initial = rec(element.initial_option);
    fields.push({
      ...(kind === 'select' && typeof initial.value === 'string'
        ? { initial: { text: plain(initial.text), value: initial.value } }
        : {}),
      blockId: String(block.block_id ?? ''),
      actionId: String(element.action_id ?? ''),
      label: plain(block.label),
      optional: block.optional === true,
      kind,
      ...(shown ? { above: shown } : {}),
      options: (Array.isArray(element.options) ? element.options : []).map((o) => ({
        text: plain(rec(o).text),
        value: String(rec(o).value ?? ''),
      })),
    });
  }
  if (fields.length === 0) return undefined;
  return {
    title: plain(view.title),
    callbackId: String(view.callback_id ?? ''),
    privateMetadata: String(view.private_metadata ?? ''),
    fields,
    values: [],
  };
}

/** What the form shows above the next field still to fill, if anything (blocks, for the sandbox to render). */
export function fieldAbove(modal: OpenModal): unknown[] | undefined {
  return modal.fields[modal.values.length]?.above;
}

/** The question for the next field still to fill. */
export function fieldPrompt(modal: OpenModal): string | undefined {
  const field = modal.fields[modal.values.length];
  if (!field) return undefined;
  const n = `${modal.values.length + 1}/${modal.fields.length}`;
  const skip = field.optional ? ', or - to leave it empty' : '';
  if (field.kind === 'select') {
    const choices = field.options.map((o, i) => `[${i + 1}] ${o.text}`).join('   ');
    const keep = field.initial ? `, or nothing to keep "${field.initial.text}"` : skip;
    return `(${n}) ${field.label}\n    ${choices}\n    type a number${keep}; /cancel closes the form`;
  }
  if (field.kind === 'user') return `(${n}) ${field.label}\n    type an @name${skip}; /cancel closes the form`;
  return `(${n}) ${field.label}\n    type the text${skip}; /cancel closes the form`;
}

/**
 * Takes one typed line for the next field; a string says what was wrong with it. `userNamed` finds the sandbox person
 * an @name stands for (a people picker's field).
 */
export function answerField(
  modal: OpenModal,
  line: string,
  userNamed: (name: string) => string | undefined = () => undefined,
): true | string {
  const field = modal.fields[modal.values.length];
  if (!field) return 'The form is complete.';
  const text = line.trim();
  if (text === '' && field.initial) {
    modal.values.push(field.initial);
    return true;
  }
  if (text === '-' || text === '') {
    if (!field.optional) return `"${field.label}" is required.`;
    modal.values.push(null);
    return true;
  }
  if (field.kind === 'text') {
    modal.values.push(line);
    return true;
  }
  if (field.kind === 'user') {
    const user = userNamed(text.replace(/^@/, ''));
    if (!user) return `No one called "${text}" here.`;
    modal.values.push({ user });
    return true;
  }
  const option = /^\d+$/.test(text)
    ? field.options[Number(text) - 1]
    : field.options.find((o) => o.text.toLowerCase() === text.toLowerCase());
  if (!option) return `Pick 1 to ${field.options.length}.`;
  modal.values.push(option);
  return true;
}

/** `view.state.values` as Slack sends it on submission. */
export function stateValues(modal: OpenModal): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  modal.fields.forEach((field, i) => {
    const given = modal.values[i] ?? null;
    const picked = given && typeof given !== 'string' && 'user' in given ? given.user : null;
    const state =
      field.kind === 'user'
        ? { type: 'users_select', selected_user: picked }
        : field.kind === 'select'
          ? {
              type: 'static_select',
              selected_option:
                given && typeof given !== 'string' && !('user' in given)
                  ? { text: { type: 'plain_text', text: given.text, emoji: true }, value: given.value }
                  : null,
            }
          : { type: 'plain_text_input', value: typeof given === 'string' ? given : null };
    values[field.blockId] = { ...(values[field.blockId] ?? {}), [field.actionId]: state };
  });
  return values;
}
