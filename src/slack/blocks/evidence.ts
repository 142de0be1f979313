import type { types } from '@slack/bolt';
import type { EvidenceEntry } from '../../evidence/model.js';
import type { EvidencePage, EvidenceChoice as ExpectationChoice } from '../../evidence/service.js';
import { LIMITS } from '../limits.js';
import { escapeKeepingMentions, escapeMrkdwn, truncate } from '../mrkdwn.js';
import { longDate } from './checkins.js';
import {
  actions,
  type Block,
  type Button,
  button,
  context,
  divider,
  header,
  type Message,
  modal,
  section,
} from './kit.js';

/**
 * The evidence log in Slack (issue 17, "Save and log"): the Save as evidence form, `/career win`'s reply and its
 * picker, `/career evidence` (grouped, with the gaps), Edit and Delete. Pure: what to say, built from the service's
 * outcomes. Every word the person reads is here, and pinned once in test/slack/evidence-blocks.test.ts.
 */

/** The message shortcut's callback_id (manifest.yml, features.shortcuts). */
export const EVIDENCE_SHORTCUT = 'save_evidence';

export const EVIDENCE_VIEW = { save: 'evidence_save', edit: 'evidence_edit' } as const;

/**
 * NOTE: action ids are unique within a message (Slack, and src/slack/limits.ts), so the buttons a message holds many of
 * carry a suffix: `<id>.<expectation id>` for Ask for an example, `<id>.<entry id>` for Edit and Delete; the router
 * matches them by the prefix `<id>.`.
 */
export const EVIDENCE_ACTION = {
  /**
   * "Ask for an example" (issue 17 contract): value `<levelId>:<expectationId>`, handled by the ask part. In the log,
   * one per expectation, so `evidence_ask_open.<expectationId>` there.
   */
  ask: 'evidence_ask_open',
  /** The picker under a win: block_id `evidence_target.<entry id>`, option value the expectation id. */
  target: 'evidence_target',
  edit: 'evidence_edit_open',
  delete: 'evidence_delete',
  more: 'evidence_more',
} as const;

export const PICKER_INPUT = { block: 'evidence_target', action: 'picked' } as const;
export const NOTE_INPUT = { block: 'evidence_note', action: 'note' } as const;

/** The option value of "No particular one": not a slug, so no expectation id can be it. */
export const NO_PARTICULAR = '-';

/** The most a note holds (the store's limit). */
export const NOTE_MAX_CHARS = 1000;
/** The most of a message quoted in the form, and kept. */
export const QUOTE_MAX_CHARS = 2000;

const esc = escapeMrkdwn;
const PRIVATE =
  'Only you see your evidence. Your manager sees it only when you share a check-in or a promotion case that carries it.';

/** A kept text quoted: escaped, except bare mentions (`<@U…>`, kept from a message), which Slack shows as names. */
function quote(text: string): string {
  return `>${escapeKeepingMentions(text).replace(/\n/g, '\n>')}`;
}

function optionOf(choice: ExpectationChoice): types.PlainTextOption {
  return {
    text: { type: 'plain_text', text: truncate(`${choice.level} · ${choice.text}`, LIMITS.optionText) },
    value: choice.expectationId,
  };
}

const NONE_OPTION: types.PlainTextOption = {
  text: { type: 'plain_text', text: 'No particular one' },
  value: NO_PARTICULAR,
};

/**
 * The expectation picker: the choices in the order given (the next level's first), then "No particular one"; the one
 * given preselected ("No particular one" when none). Choices whose id is too long for an option value are left out.
 */
export function expectationSelect(
  choices: readonly ExpectationChoice[],
  initial: ExpectationChoice | null,
  actionId: string = PICKER_INPUT.action,
): types.StaticSelect {
  const options = choices
    .filter((c) => c.expectationId.length <= LIMITS.optionValue)
    .slice(0, LIMITS.selectOptions - 1)
    .map((c) => optionOf(c));
  options.push(NONE_OPTION);
  const chosen = initial ? options.find((o) => o.value === initial.expectationId) : undefined;
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: 'Which expectation does it show?' },
    options,
    initial_option: chosen ?? NONE_OPTION,
  };
}

/** A form's expectation picker, as an input (read back from PICKER_INPUT on submission). */
function pickerInput(choices: readonly ExpectationChoice[], initial: ExpectationChoice | null): Block {
  return {
    type: 'input',
    block_id: PICKER_INPUT.block,
    label: { type: 'plain_text', text: 'Which expectation does it show?' },
    hint: { type: 'plain_text', text: 'Your next level’s expectations come first.' },
    element: expectationSelect(choices, initial),
  };
}

/** A form's optional note, with the note kept so far. */
function noteInput(note: string | null): Block {
  return {
    type: 'input',
    block_id: NOTE_INPUT.block,
    optional: true,
    label: { type: 'plain_text', text: 'A note for yourself (optional)' },
    element: {
      type: 'plain_text_input',
      action_id: NOTE_INPUT.action,
      multiline: true,
      max_length: NOTE_MAX_CHARS,
      ...(note ? { initial_value: note } : {}),
    },
  };
}

/** What the form needs to keep until it is submitted (private_metadata, at most 3,000 characters). */
export interface SaveFormMeta {
  /** Channel, ts, permalink and author of the message; the response_url of the shortcut. */
  c: string;
  ts: string;
  p: string | null;
  a: string | null;
  r: string | null;
  /** The message's text as quoted. */
  t: string;
}

/** private_metadata for the form, the quoted text shortened until the whole fits Slack's limit. */
export function saveFormMetadata(meta: SaveFormMeta): string {
  let text = meta.t;
  for (;;) {
    const json = JSON.stringify({ ...meta, t: text });
    // NOTE: the other fields are short (a response_url is at most 2,000 characters): the text can always make room.
    if (json.length <= LIMITS.privateMetadata || text.length <= 1) return json;
    text = truncate(text, Math.max(1, text.length - (json.length - LIMITS.privateMetadata) - 1));
  }
}

/** "a bot", "you", or the author as a mention (Slack shows the name). */
function authorLabel(authorId: string | null, self: string): string {
  if (authorId === null) return 'a bot';
  return authorId === self ? 'you' : `<@${authorId}>`;
}

/** The Save as evidence form: the message quoted, the picker (the suggestion preselected), a note. */
export function saveEvidenceModal(input: {
  text: string;
  authorId: string | null;
  userId: string;
  choices: readonly ExpectationChoice[];
  suggested: ExpectationChoice | null;
  kept: EvidenceEntry | null;
  metadata: string;
}): types.ModalView {
  const blocks: Block[] = [
    section(truncate(`From ${authorLabel(input.authorId, input.userId)}:\n${quote(input.text)}`, LIMITS.sectionText)),
  ];
  if (input.kept)
    blocks.push(
      context(`You saved this message on ${longDate(input.kept.createdAt)}: saving it again updates that entry.`),
    );
  blocks.push(pickerInput(input.choices, input.suggested), noteInput(input.kept?.note ?? null), context(PRIVATE));
  return modal({
    callbackId: EVIDENCE_VIEW.save,
    metadata: input.metadata,
    title: 'Save as evidence',
    submit: 'Save',
    close: 'Cancel',
    blocks,
  });
}

function under(choice: ExpectationChoice | null): string {
  return choice ? `*${esc(choice.text)}* (${esc(choice.level)})` : '*no particular expectation*';
}

/** Said where the person used the shortcut, once the entry is kept. */
export function evidenceSavedMessage(outcome: { kind: 'saved' | 'edited'; choice: ExpectationChoice | null }): Message {
  const where = under(outcome.choice);
  const text =
    outcome.kind === 'saved'
      ? `:bookmark: Saved as evidence for ${where}.`
      : `:bookmark: You had saved this message already: updated that entry, now for ${where}.`;
  return {
    text: outcome.kind === 'saved' ? 'Saved as evidence.' : 'Updated the evidence you saved from this message.',
    blocks: [section(text), context(`\`/career evidence\` shows your log. ${PRIVATE}`)],
  };
}

/** Why a message cannot be saved: Ripple cannot see it (not in the channel, or it is gone). */
export function cannotSaveMessage(): Message {
  const text =
    "I can't save that message: Ripple can't see it (it isn't in that channel, or the message is gone). Nothing was saved. Invite Ripple to the channel, or write it down with `/career win`.";
  return { text, blocks: [section(`:warning: ${text}`)] };
}

/** A choice in a form that was not one of the person's (a forged or stale form): nothing saved. */
export function notOfferedMessage(): Message {
  const text =
    "That expectation isn't one of your level's or your next level's, so nothing was saved. Please pick again.";
  return { text, blocks: [section(`:warning: ${text}`)] };
}

/** An entry id that is not in the person's log (deleted, or someone else's): nothing changed. */
export function entryNotFoundMessage(): Message {
  const text = "That entry isn't in your evidence log (it may have been deleted), so nothing changed.";
  return { text, blocks: [section(text)] };
}

/** `/career win`'s reply: the line kept, with the picker to change its expectation. */
export function winSavedMessage(
  entry: EvidenceEntry,
  choices: readonly ExpectationChoice[],
  choice: ExpectationChoice | null,
  moved = false,
): Message {
  const head = moved ? `:bookmark: Moved your win to ${under(choice)}:` : ':bookmark: Saved your win:';
  return {
    text: moved ? 'Moved your win.' : 'Saved your win.',
    blocks: [
      section(truncate(`${head}\n${quote(entry.text)}`, LIMITS.sectionText)),
      {
        type: 'section',
        block_id: `${EVIDENCE_ACTION.target}.${entry.id}`,
        text: { type: 'mrkdwn', text: 'It shows:' },
        accessory: expectationSelect(choices, choice, EVIDENCE_ACTION.target),
      },
      context(`\`/career evidence\` shows your log. ${PRIVATE}`),
    ],
  };
}

function sourceLabel(entry: EvidenceEntry, userId: string): string {
  switch (entry.source) {
    case 'message': {
      const link = entry.message?.permalink ? `<${entry.message.permalink}|a message>` : 'a message';
      return `${link} from ${authorLabel(entry.authorId, userId)}`;
    }
    case 'win':
      return 'your win';
    case 'colleague':
      return entry.authorId ? `from <@${entry.authorId}>` : 'from a colleague';
    default:
      return 'added during a check-in';
  }
}

function entryBlocks(entry: EvidenceEntry, userId: string): Block[] {
  const note = entry.note ? `\n_${esc(truncate(entry.note, 300))}_` : '';
  const line = `“${escapeKeepingMentions(truncate(entry.text.replace(/\s+/g, ' '), 500))}”${note}\n${sourceLabel(entry, userId)} · ${longDate(entry.createdAt)}`;
  const remove: Button = {
    ...button('Delete', `${EVIDENCE_ACTION.delete}.${entry.id}`, String(entry.id), 'danger'),
    confirm: {
      title: { type: 'plain_text', text: 'Delete this evidence?' },
      text: { type: 'plain_text', text: truncate(`“${entry.text}” leaves your log for good.`, 300) },
      confirm: { type: 'plain_text', text: 'Delete' },
      deny: { type: 'plain_text', text: 'Keep it' },
      style: 'danger',
    },
  };
  return [section(line), ...actions([button('Edit', `${EVIDENCE_ACTION.edit}.${entry.id}`, String(entry.id)), remove])];
}

const askButton = (choice: ExpectationChoice) =>
  button(
    'Ask for an example',
    `${EVIDENCE_ACTION.ask}.${choice.expectationId}`,
    `${choice.levelId}:${choice.expectationId}`,
  );

/**
 * Blocks besides the entries and the expectations, at most: header, a notice, the intro, Other's heading, the divider
 * above the gaps, their "also" line, "n more" and Show older.
 */
const FIXED_BLOCKS = 8;
/** The most entries one page shows. */
const PAGE_MAX = 10;

/**
 * How many entries a page of `/career evidence` can show: two blocks each (the entry, its Edit and Delete), beside one
 * block per expectation (its group's heading, or its gap) and the fixed ones, within Slack's 50 blocks.
 */
export function entriesPerPage(choices: number): number {
  return Math.max(1, Math.min(PAGE_MAX, Math.floor((LIMITS.messageBlocks - FIXED_BLOCKS - choices) / 2)));
}

/** The Show older button's value: where the next page starts, and how many entries came before it. */
export function pageValue(next: { createdAt: string; id: number }, before: number): string {
  return `${next.createdAt}|${next.id}|${before}`;
}

export function parsePageValue(
  value: string | undefined,
): { after: { createdAt: string; id: number }; before: number } | undefined {
  const m = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|(\d{1,12})\|(\d{1,9})$/.exec(value ?? '');
  return m ? { after: { createdAt: m[1] as string, id: Number(m[2]) }, before: Number(m[3]) } : undefined;
}

/**
 * `/career evidence`: one page of the person's own log, grouped by expectation (the next level's first), each group
 * with Ask for an example; the gaps (first page only) each with Ask for an example; the rest under "Other"; and
 * "n more" with Show older when older entries remain.
 */
export function evidenceListMessage(
  page: EvidencePage,
  options: { userId: string; first: boolean; notice?: string },
): Message {
  const { grouped, total, next } = page;
  const { userId } = options;
  const blocks: Block[] = [header('Your evidence')];
  if (options.notice) blocks.push(context(options.notice));
  const countOf = new Map(page.counts.map((c) => [c.expectationId, c.n]));
  if (total === 0) {
    blocks.push(
      section(
        'Nothing kept yet. Use *Save as evidence* on any Slack message (the ⋮ menu → More message shortcuts), or `/career win <what you did>`.',
      ),
    );
  } else blocks.push(context(`${total} kept in all, newest first. ${PRIVATE}`));
  for (const group of grouped.groups) {
    const n = countOf.get(group.choice.expectationId) ?? group.entries.length;
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(`*${esc(group.choice.text)}*\n${esc(group.choice.level)} · ${n} kept`, 3000),
      },
      accessory: askButton(group.choice),
    });
    for (const entry of group.entries) blocks.push(...entryBlocks(entry, userId));
  }
  if (grouped.other.length > 0) {
    blocks.push(section('*Other* (no particular expectation, or an earlier level’s)'));
    for (const entry of grouped.other) blocks.push(...entryBlocks(entry, userId));
  }
  if (options.first && grouped.gaps.length > 0) {
    blocks.push(divider());
    // One block each while they fit; a framework with very many expectations gets the rest as one line.
    const room = LIMITS.messageBlocks - blocks.length - 3;
    const each = grouped.gaps.slice(0, Math.max(0, room - 1));
    const rest = grouped.gaps.slice(each.length);
    for (const [i, gap] of each.entries()) {
      blocks.push({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`${i === 0 ? '*Nothing yet for:*\n' : ''}${esc(gap.text)} (${esc(gap.level)})`, 3000),
        },
        accessory: askButton(gap),
      });
    }
    if (rest.length > 0)
      blocks.push(section(truncate(`Also nothing yet for: ${rest.map((g) => esc(g.text)).join(' · ')}`, 3000)));
  }
  const shown = grouped.groups.reduce((n, g) => n + g.entries.length, 0) + grouped.other.length;
  const more = total - page.before - shown;
  if (next && more > 0) {
    blocks.push(context(`${more} more, older.`));
    blocks.push(...actions([button('Show older', EVIDENCE_ACTION.more, pageValue(next, page.before + shown))]));
  }
  return {
    text: total === 0 ? 'Your evidence: nothing kept yet.' : `Your evidence: ${total} kept.`,
    blocks,
  };
}

/** The Edit form: the expectation (the current one preselected) and the note. */
export function editEvidenceModal(input: {
  entry: EvidenceEntry;
  choices: readonly ExpectationChoice[];
  metadata: string;
}): types.ModalView {
  const { entry } = input;
  const current = entry.target
    ? (input.choices.find((c) => c.expectationId === entry.target?.expectationId) ?? null)
    : null;
  return modal({
    callbackId: EVIDENCE_VIEW.edit,
    metadata: input.metadata,
    title: 'Edit evidence',
    submit: 'Save',
    close: 'Cancel',
    blocks: [
      section(truncate(quote(entry.text), LIMITS.sectionText)),
      pickerInput(input.choices, current),
      noteInput(entry.note),
    ],
  });
}

/** After Edit: what the entry is now. */
export function evidenceEditedMessage(entry: EvidenceEntry, choice: ExpectationChoice | null): Message {
  const text = `:pencil2: Updated: “${esc(truncate(entry.text, 200))}” now shows ${under(choice)}.`;
  return { text: 'Updated your evidence.', blocks: [section(text)] };
}

/** The notice above the refreshed log after Delete. */
export function deletedNotice(entry: EvidenceEntry): string {
  return `:wastebasket: Deleted “${esc(truncate(entry.text, 150))}”.`;
}

/** Slack would not open the form (the trigger expired, Slack failed): nothing was saved. */
export function formNotOpenedMessage(): Message {
  const text = "I couldn't open the form in time, so nothing was saved: please use *Save as evidence* again.";
  return { text, blocks: [section(`:warning: ${text}`)] };
}
