import { formatLongDate as day, formatDuration } from '../../career/dates.js';
import { areasForPeople, optionalStepWords, progressBar, titlesForPeople, type Whose } from '../../career/window.js';
import {
  formatMonths,
  levelName,
  placeName as levelPlace,
  nextStepSentence,
  stepName,
} from '../../frameworks/describe.js';
import type { Level } from '../../frameworks/schema.js';
import type { HistoryField, TeammateRecord } from '../../store/types.js';
import type { ReadableExport } from '../../teammates/export.js';
import {
  type Card,
  isOptionalStep,
  type LevelChange,
  type PreviewReason,
  type SetPreview,
  windowState,
} from '../../teammates/service.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { CHECKIN_ACTION } from './checkins.js';
import { actions, type Block, button, context, divider, fields, type Message, section, splitMessage } from './kit.js';
import { levelButton, problemMessage } from './lookup.js';
import { REQUEST_RECORD_ACTION } from './no-record.js';

// The one no-record message lives in its own module, so the check-in, reminder and growth blocks can use it
// without importing this one (which imports theirs).
export { noRecordMessage } from './no-record.js';

export const RECORD_ACTION = {
  forgetConfirm: 'career.forget.confirm',
  forgetCancel: 'career.forget.cancel',
  setConfirm: 'career.set.confirm',
  setCancel: 'career.set.cancel',
  requestRecord: REQUEST_RECORD_ACTION,
  pauseConfirm: 'career.pause.confirm',
  pauseCancel: 'career.pause.cancel',
  /** Confirm on a lower level, the DM to the person waiting until their manager releases it (or a day). */
  setConfirmHold: 'career.set.confirm-hold',
  /** The manager's "Send their message now" on a held DM. */
  releaseHeld: 'career.set.release',
  /** The person's own choice to post their promotion in the growth channel. */
  celebrate: 'career.record.celebrate',
} as const;

/** How long a DM about a lower level waits for the manager before it goes by itself. */
export const HOLD_HOURS = 24;

/** Start a check-in, where a record is shown to its owner (the check-in's own start action). */
function startCheckinButton(primary = true) {
  return button('Start a check-in', CHECKIN_ACTION.start, 'record', primary ? 'primary' : undefined);
}

function statusText(card: Card): string {
  const r = card.record;
  if (r.status === 'paused') return r.pausedUntil ? `Paused until ${day(r.pausedUntil)}` : 'Paused';
  if (r.status === 'left') return 'Left';
  return 'Active';
}

/**
 * "Expected window for Level 3 (Coordinator): 15 July 2026 to 15 January 2027" and where today stands in it,
 * worded as a guide: never "closes" or "closed", and past the window is a prompt for a conversation. An optional
 * step (`windowState`'s one rule) has a usual window, not an expected one, and once it has passed it reads as a
 * choice, never "past".
 */
export function windowLines(card: Card, whose: Whose = 'your'): string[] {
  const w = card.window;
  const paused =
    w.pausedDays > 0 ? ` (moved ${w.pausedDays} day${w.pausedDays === 1 ? '' : 's'} later for time paused)` : '';
  if (w.phase === 'none') {
    return [
      `*Next step:* ${esc(card.level ? nextStepSentence(card.framework?.levels ?? [], card.level, card.nextSteps) : 'none described.')}`,
    ];
  }
  const target = card.nextSteps.filter((l) => !card.level?.timeframe?.to || l.id === card.level.timeframe.to);
  const range = w.closesOn ? `${day(w.opensOn)} to ${day(w.closesOn)}` : `from ${day(w.opensOn)} (open-ended)`;
  const tf = card.level?.timeframe;
  const optional = isOptionalStep(card);
  const guide = tf ? ` · ${formatMonths(tf.min, tf.max)}${optional ? ', optional' : ''}` : '';
  const unconfirmed = tf?.assumed
    ? '\n_The team has not confirmed this timeframe yet: take the dates as a rough guide._'
    : '';
  const where = whereInWindow(card, optionalStepWords(whose));
  const next = areasForPeople(target.map((l) => stepName(card.framework?.levels ?? [], l)).join(' or '), whose);
  return [
    `*${optional ? 'Usual' : 'Expected'} window for ${esc(next || 'the next step')}:* ${range}${guide}${paused}`,
    `\`${progressBar(w.progress)}\` ${where}${unconfirmed}`,
  ];
}

/** Where today stands in the window, by `windowState`'s one rule; `choice` words an optional step. */
function whereInWindow(card: Card, choice: string): string {
  const w = card.window;
  const optional = isOptionalStep(card);
  switch (windowState(card)) {
    case 'paused':
      return 'Paused: time away does not count, and the window moves later by the days away.';
    case 'before': {
      const starts = formatDuration(w.phase === 'none' ? 0 : Math.max(0, w.daysUntilOpen));
      return optional ? `The usual window starts in ${starts}: ${choice}.` : `The expected window starts in ${starts}.`;
    }
    case 'open':
      return optional
        ? `In the usual window now: ${choice}, worth a word at your next 1:1.`
        : 'In the expected window now: a good time to talk about the next step.';
    case 'past':
      return 'Past the expected window: a good topic for your next 1:1.';
    case 'choice':
      return `The usual window has passed: ${choice}, with no deadline.`;
    case 'none':
      return '';
  }
}

/**
 * The record card: `/career me`, `/career who` and the App Home tab all show this. `checkin`: the owner's own card
 * offers Start a check-in (`/career me`; the Home tab has its own).
 */
export function cardBlocks(card: Card, viewer: 'self' | 'manager' | 'admin', checkin = false): Block[] {
  const r = card.record;
  const whose = viewer === 'self' ? 'Your career record' : `Career record of <@${r.userId}>`;
  const blocks: Block[] = [section(`*${whose}*`)];
  if (!card.framework || !card.level) {
    blocks.push(
      section(
        `:warning: This record points at \`${esc(r.frameworkId)}\` / \`${esc(r.levelId)}\`, which the framework files no longer have. A Ripple admin can set it again with \`/career set\`.`,
      ),
    );
    return blocks;
  }
  blocks.push(
    section(
      `*${esc(areasForPeople(levelPlace(card.framework, card.level, r.title), viewer === 'self' ? 'your' : 'their'))}*`,
    ),
  );
  blocks.push(
    fields([
      `*Since*\n${day(r.since)} (${formatDuration(card.daysAtLevel)})`,
      `*Manager*\n${r.managerId ? `<@${r.managerId}>` : 'none recorded'}`,
      `*Focus*\n${esc(card.level.focus)}`,
      `*Status*\n${statusText(card)}`,
    ]),
  );
  blocks.push(section(windowLines(card, viewer === 'self' ? 'your' : 'their').join('\n')));
  const buttons = [
    ...(checkin && viewer === 'self' ? [startCheckinButton()] : []),
    levelButton('View this level', card.framework, card.level, 0),
  ];
  card.nextSteps.forEach((l, i) => {
    const framework = card.framework as NonNullable<Card['framework']>;
    buttons.push(
      levelButton(
        `View ${areasForPeople(levelName(framework.levels, l), viewer === 'self' ? 'your' : 'their')}`,
        framework,
        l,
        i + 1,
      ),
    );
  });
  blocks.push(...actions(buttons));
  blocks.push(
    context(
      viewer === 'self'
        ? 'Only you, your manager and Ripple admins can see this. Timeframes are guides, not requirements.'
        : 'Private: shown to you as their manager or a Ripple admin. Timeframes are guides, not requirements.',
    ),
  );
  return blocks;
}

export function cardText(card: Card, whose: Whose = 'your'): string {
  if (!card.framework || !card.level) return 'Career record';
  const w = card.window;
  const window =
    w.phase === 'none' ? '' : ` Window ${day(w.opensOn)} to ${w.closesOn ? day(w.closesOn) : 'open-ended'}.`;
  return `${areasForPeople(levelPlace(card.framework, card.level, card.record.title), whose)} since ${day(card.record.since)}.${window}`;
}

export function cardMessage(card: Card, viewer: 'self' | 'manager' | 'admin', checkin = false): Message {
  return { text: cardText(card, viewer === 'self' ? 'your' : 'their'), blocks: cardBlocks(card, viewer, checkin) };
}

export function otherNoRecordMessage(userId: string): Message {
  const text = `<@${userId}> doesn't have a career record yet. A Ripple admin can add one with \`/career set\`.`;
  return { text, blocks: [section(text)] };
}

/** The DM to each admin when someone asks for a record. */
export function recordRequestedMessage(userId: string): Message {
  const text = `<@${userId}> asked for a career record in Ripple. Add one with \`/career set @person <team> <level> manager @their-manager\`.`;
  return { text: `Someone asked for a career record in Ripple.`, blocks: [section(text)] };
}

export function recordRequestSentMessage(admins: readonly string[], sent: boolean): Message {
  const text = sent
    ? `:incoming_envelope: I've asked ${admins.map((id) => `<@${id}>`).join(', ')} to add your career record. You'll get a DM when it's there.`
    : "I couldn't reach the Ripple admins just now; nothing was sent. Please try again in a minute.";
  return { text, blocks: [section(text)] };
}

const FIELD_NAMES: Record<HistoryField, string> = {
  framework: 'team',
  level: 'level',
  manager: 'manager',
  status: 'status',
  since: 'since date',
  title: 'title',
};

/** The reply to the person who set a record. `heldFor`: the person's DM waits for this manager to send it. */
export function setMessage(
  card: Card,
  changed: HistoryField[] | 'unchanged',
  created: boolean,
  heldFor: string | null = null,
): Message {
  const who = `<@${card.record.userId}>`;
  const what =
    card.framework && card.level
      ? esc(areasForPeople(levelPlace(card.framework, card.level, card.record.title), 'their'))
      : 'their level';
  const since = card.record.since;
  // One sentence, written once: bold in the message, plain in the notification fallback.
  const sentence = (bold: (s: string) => string) =>
    changed === 'unchanged'
      ? `Nothing to change: ${who} is already at ${what} since ${day(since)}.`
      : created
        ? `Recorded ${who} at ${bold(what)} since ${day(since)}.`
        : `Updated ${who}: ${changed.map((f) => FIELD_NAMES[f]).join(', ')} changed. Now ${bold(what)} since ${day(since)}.`;
  const icon = changed === 'unchanged' ? '' : ':white_check_mark: ';
  return {
    text: sentence((x) => x),
    // The sentence already names the level: the card below starts at its details.
    blocks: [
      section(icon + sentence((x) => `*${x}*`)),
      ...(heldFor
        ? [context(`<@${card.record.userId}>'s DM waits until <@${heldFor}> sends it, or ${HOLD_HOURS} hours.`)]
        : []),
      divider(),
      ...cardBlocks(card, 'admin').slice(card.framework && card.level ? 2 : 1),
    ],
  };
}

/** A return date more than a year ahead: asked about before pausing. The value names who asked. */
export function farPauseMessage(userId: string, until: string): Message {
  const text = `:calendar: Back on *${day(until)}*? That's more than a year away. Pause until then, or cancel and type the date again.`;
  const value = JSON.stringify({ u: userId, until });
  return {
    text: `Pause until ${day(until)}, more than a year away?`,
    blocks: [
      section(text),
      ...actions([
        button(`Pause until ${day(until)}`, RECORD_ACTION.pauseConfirm, value, 'primary'),
        button('Cancel', RECORD_ACTION.pauseCancel, value),
      ]),
    ],
  };
}

/**
 * To the manager: a report paused or resumed. Never the dates or the reason: the person is told exactly this
 * when they pause (`pauseMessage`), and may share more themselves.
 */
export function pauseNoticeMessage(kind: 'paused' | 'resumed', card: Card): Message {
  const who = `<@${card.record.userId}>`;
  const text =
    kind === 'paused'
      ? `${who} paused their career record: time away does not count toward their window, and Ripple won't nudge them meanwhile.`
      : `${who} is back and resumed their career record; their window moved ${card.window.pausedDays} day${card.window.pausedDays === 1 ? '' : 's'} later for the time away.`;
  return {
    text: kind === 'paused' ? 'A report of yours paused.' : 'A report of yours is back.',
    blocks: [section(text)],
  };
}

/** What the manager is told, said to the person at the moment it happens. */
function managerToldLine(kind: 'paused' | 'resumed', managerId: string | null): string {
  if (!managerId) return 'Nobody else is told: you have no manager recorded.';
  return kind === 'paused'
    ? `I've told <@${managerId}> that you paused: not why, and not your return date (tell them yourself if you like).`
    : `I've told <@${managerId}> that you're back.`;
}

export function pauseMessage(kind: 'paused' | 'resumed', card: Card): Message {
  const text =
    kind === 'paused'
      ? `:palm_tree: Paused${card.record.pausedUntil ? ` until ${day(card.record.pausedUntil)}` : ''}. Time away doesn't count toward your window, and Ripple won't nudge you. \`/career resume\` when you're back.`
      : `:wave: Welcome back. Your window moved ${card.window.pausedDays} day${card.window.pausedDays === 1 ? '' : 's'} later for the time you were away.`;
  const told = managerToldLine(kind, card.record.managerId);
  return {
    text:
      kind === 'paused'
        ? 'Paused: time away does not count toward your window.'
        : 'Welcome back: your record is active again.',
    blocks: [section(text), context(told), ...(kind === 'resumed' ? [divider(), ...cardBlocks(card, 'self')] : [])],
  };
}

const FENCE = '```';

/**
 * The export's JSON as code blocks, when the file cannot be shared. Lines are escaped before they
 * are measured, so no block can grow past Slack's section limit and be cut (which would leave the
 * JSON broken); messages are split by {@link splitMessage}.
 */
export function exportMessages(doc: ReadableExport): Message[] {
  const room = LIMITS.sectionText - 2 * FENCE.length;
  const chunks: string[] = [];
  let current = '';
  for (const line of esc(JSON.stringify(doc, null, 2)).split('\n')) {
    if (current && current.length + line.length + 1 > room) {
      chunks.push(current);
      current = '';
    }
    current += `${line}\n`;
  }
  if (current) chunks.push(current);
  return splitMessage({
    text: 'Your Ripple data export, as JSON',
    blocks: chunks.map((c) => section(`${FENCE}${c}${FENCE}`)),
  });
}

/** A few readable lines about what the export holds; the file has the rest. */
export function exportSummaryMessage(doc: ReadableExport): Message {
  const r = doc.record;
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const latest = doc.history.at(-1);
  const lines = [
    `• *Record:* ${esc(`${r.team} · ${r.level}`)} since ${esc(String(r.since))}; manager ${esc(String(r.manager ?? 'none recorded'))}; ${esc(String(r.status))}`,
    `• *History:* ${plural(doc.history.length, 'change', 'changes')}${latest ? `, the latest on ${esc(String(latest.at).slice(0, 10))} (${esc(String(latest.changed))})` : ''}`,
    `• *Pauses:* ${doc.pauses.length === 0 ? 'none' : plural(doc.pauses.length, 'pause', 'pauses')}`,
    `• *Check-ins:* ${doc.checkins.length === 0 ? 'none' : doc.checkins.length}`,
    `• *Evidence log:* ${doc.evidence.length === 0 ? 'none' : plural(doc.evidence.length, 'entry', 'entries')}`,
    `• *Asks to colleagues:* ${doc.asks.length === 0 ? 'none' : doc.asks.length} · *Promotion cases:* ${doc.promotionCases.length === 0 ? 'none' : doc.promotionCases.length}`,
  ];
  return {
    text: `Your Ripple data, as of ${doc.exportedAt.slice(0, 10)}: the full data is in the JSON file.`,
    blocks: [
      section(`:package: *Your Ripple data*, as of ${doc.exportedAt.slice(0, 10)}`),
      section(lines.join('\n')),
      context(
        'The JSON file has all of it: your record, its full history, your pauses, check-ins, evidence log, asks to colleagues and promotion cases. Only your own Slack id is in it.',
      ),
    ],
  };
}

export function exportSentMessage(): Message {
  const text = ":outbox_tray: I've sent everything Ripple holds about you to our direct messages.";
  return { text: "I've sent your data to our direct messages.", blocks: [section(text)] };
}

export function forgetConfirmMessage(targetId: string, self: boolean): Message {
  const text = self
    ? ':warning: This deletes *everything* Ripple holds about you: your record, its history and your pauses. It cannot be undone.'
    : `:warning: This deletes *everything* Ripple holds about <@${targetId}>: their record, its history and pauses. It cannot be undone.`;
  return {
    text: self
      ? 'Delete all your Ripple data? This cannot be undone.'
      : 'Delete this person’s Ripple data? This cannot be undone.',
    blocks: [
      section(text),
      ...actions([
        button(
          self ? 'Delete my data' : 'Delete their data',
          RECORD_ACTION.forgetConfirm,
          JSON.stringify({ u: targetId }),
          'danger',
        ),
        button('Cancel', RECORD_ACTION.forgetCancel, JSON.stringify({ u: targetId })),
      ]),
    ],
  };
}

export function forgottenMessage(self: boolean, targetId: string): Message {
  const text = self
    ? ':wastebasket: Done: Ripple no longer holds any data about you.'
    : `:wastebasket: Done: Ripple no longer holds any data about <@${targetId}>.`;
  return { text: text.replace(/:wastebasket: /, ''), blocks: [section(text)] };
}

export function cancelledMessage(): Message {
  return { text: 'Cancelled: nothing was deleted.', blocks: [section('Cancelled: nothing was deleted.')] };
}

export function exportFailedMessage(): Message {
  return problemMessage({
    kind: 'problem',
    message: "I couldn't open a direct message with you, so nothing was sent. Please try again in a minute.",
  });
}

/** A person's place, escaped, with an open area ("Head of …") named for whoever reads it. */
/** A level with its team's name as the reader names it (escaped), or `fallback` for a level gone from the files. */
export function placeName(
  framework: { name: string; levels: readonly Level[] } | undefined,
  level: Level | undefined,
  fallback: string,
  whose: Whose,
  title?: string | null,
): string {
  return framework && level ? esc(areasForPeople(levelPlace(framework, level, title), whose)) : fallback;
}

const REASON_NOTES: Record<PreviewReason, string> = {
  'lower-level': 'not a step forward on their path',
  'other-team': 'another team’s framework',
  'since-reset': 'restarts their time at the level',
  manager: 'another manager',
};

/**
 * The `set` that waits for Confirm: what changes (from what, to what) and who will be told. A lower level asks for
 * a note for the person and, where they have a manager, offers to let the manager speak first.
 */
export function setPreviewMessage(p: SetPreview): Message {
  const before = p.before;
  const who = `<@${p.userId}>`;
  const lines: string[] = [];
  const levelChanged = before.record.frameworkId !== p.after.framework.id || before.record.levelId !== p.after.level.id;
  const note = (reason: PreviewReason) => (p.reasons.includes(reason) ? ` _(${REASON_NOTES[reason]})_` : '');
  if (levelChanged) {
    lines.push(
      `*Level:* *${placeName(p.after.framework, p.after.level, '', 'their')}*, was ${placeName(before.framework, before.level, 'a level no longer in the files', 'their')}${note('lower-level')}${note('other-team')}`,
    );
  }
  if (before.record.since !== p.after.since) {
    lines.push(
      `*Since:* *${day(p.after.since)}*, was ${day(before.record.since)} (${formatDuration(before.daysAtLevel)} ago)${note('since-reset')}`,
    );
  }
  if (before.record.managerId !== p.after.managerId) {
    const m = (id: string | null) => (id ? `<@${id}>` : 'none recorded');
    lines.push(`*Manager:* *${m(p.after.managerId)}*, was ${m(before.record.managerId)}`);
  }
  const told = p.told.length ? p.told.map((id) => `<@${id}>`).join(', ') : 'nobody';
  lines.push(`*Told once confirmed:* ${told}, by DM.`);
  const lower = p.reasons.includes('lower-level');
  const managerId = p.after.managerId;
  const care: Block[] = lower
    ? [
        section(
          p.note
            ? `*Your note for ${who}:* ${esc(p.note)}`
            : `:speech_balloon: A lower level is hard news. Add a note for ${who}, in your own words: type the command again with \`note "…"\` at the end; it goes in their DM.`,
        ),
        ...(managerId
          ? [
              section(
                `Or let <@${managerId}> speak first: with *Confirm, manager first*, ${who}'s DM waits until <@${managerId}> sends it (or ${HOLD_HOURS} hours).`,
              ),
            ]
          : []),
      ]
    : [];
  const buttons = [button('Confirm', RECORD_ACTION.setConfirm, p.id, 'primary')];
  if (lower && managerId) buttons.push(button('Confirm, manager first', RECORD_ACTION.setConfirmHold, p.id));
  buttons.push(button('Cancel', RECORD_ACTION.setCancel, p.id));
  return {
    text: `Check before saving: this changes ${who}'s career record. Nothing is saved until you confirm.`,
    blocks: [
      section(`:eyes: *Check before saving:* this changes ${who}'s career record.`),
      section(lines.join('\n')),
      ...care,
      ...actions(buttons, 'career-set-preview'),
      context('Nothing is saved until you press Confirm. The buttons work once, for you, for a day.'),
    ],
  };
}

export function setCancelledMessage(): Message {
  const text = 'Cancelled: the record was not changed.';
  return { text, blocks: [section(text)] };
}

/** The person's title at their level, as they would say it: "Coordinator", "Head of your area". */
function titleOf(card: Card, whose: Whose): string {
  return card.record.title ?? (card.level ? titlesForPeople(card.level.titles, whose) : 'your new level');
}

/** What the level expects, in a few lines: its focus, its summary and its first expectations. */
function expectsLines(card: Card, most = 3): string {
  const level = card.level;
  if (!level) return '';
  const shown = level.expectations.slice(0, most).map((e) => `• ${esc(e.text)}`);
  const more = level.expectations.length - shown.length;
  return [
    `*What ${esc(areasForPeople(stepName(card.framework?.levels ?? [], level)))} expects* (focus: *${esc(level.focus)}*)${level.summary ? `: ${esc(level.summary)}` : ''}`,
    ...shown,
    ...(more > 0 ? [`_and ${more} more: *What this level expects* shows them all._`] : []),
  ].join('\n');
}

/** When the next step usually comes, as a guide. */
function windowSentence(card: Card): string {
  const w = card.window;
  if (w.phase === 'none' || !card.level) {
    return `*Next step:* ${esc(card.level ? nextStepSentence(card.framework?.levels ?? [], card.level, card.nextSteps) : 'none described.')}`;
  }
  const range = w.closesOn ? `between ${day(w.opensOn)} and ${day(w.closesOn)}` : `from ${day(w.opensOn)}`;
  const optional = isOptionalStep(card) ? ` It is ${optionalStepWords('your')}.` : '';
  if (windowState(card) === 'past') {
    return `*Your window:* the next step usually comes ${range}, so it is a good topic for a conversation with your manager now: a guide, not a deadline.`;
  }
  return `*Your window:* the next step usually comes ${range}: a guide for conversations with your manager, not a deadline.${optional}`;
}

const PRIVACY =
  '*Privacy:* only you, your manager and Ripple admins see your record. Your check-in answers are yours: your manager sees them only if you press Share.';

/** The first record a person gets (by `set` or an import with `--notify`): a welcome, not a record line. */
export function welcomeMessage(card: Card, actorId: string | null): Message {
  const place = placeName(card.framework, card.level, 'your level', 'your', card.record.title);
  const by = actorId ? `<@${actorId}> recorded your career level` : 'Your career level is recorded';
  const expects =
    card.framework && card.level ? [levelButton('What this level expects', card.framework, card.level, 0)] : [];
  return {
    text: `Welcome to Ripple: your career level is ${place.replace(/\*/g, '')}.`,
    blocks: [
      section(`:wave: *Welcome to Ripple.* ${by}: *${place}*, since ${day(card.record.since)}.`),
      ...(card.level ? [section(expectsLines(card))] : []),
      section(windowSentence(card)),
      section(PRIVACY),
      section('A check-in walks you through what your level expects, one question at a time, whenever you like.'),
      ...actions([startCheckinButton(), ...expects]),
    ],
  };
}

/** What else changed besides the level, in words: "your manager is now <@B>". */
function otherChanges(before: TeammateRecord | null, card: Card, changed: readonly HistoryField[]): string[] {
  const parts: string[] = [];
  const after = card.record;
  if (changed.includes('since')) parts.push(`your time at the level now counts from ${day(after.since)}`);
  if (changed.includes('manager'))
    parts.push(after.managerId ? `your manager is now <@${after.managerId}>` : 'no manager is recorded for you now');
  if (changed.includes('title') && !changed.includes('level') && after.title)
    parts.push(`your title is now ${esc(after.title)}`);
  if (before && parts.length === 0) parts.push('a detail of your record changed');
  return parts;
}

/** What a `set` means for the DMs: who made it, what kind of change, the note, and whether the manager speaks first. */
export interface SetNotice {
  before: TeammateRecord | null;
  card: Card;
  changed: readonly HistoryField[];
  actorId: string;
  levelChange: LevelChange;
  note?: string | undefined;
}

function noteBlock(notice: SetNotice): Block[] {
  return notice.note ? [section(`*A note from <@${notice.actorId}>:* ${esc(notice.note)}`)] : [];
}

/** The person's DM: a welcome, a congratulation, a lower level worded with care, or what changed. */
export function personNotice(notice: SetNotice): Message {
  const { card, actorId } = notice;
  if (notice.levelChange === 'first') return welcomeMessage(card, actorId);
  const place = placeName(card.framework, card.level, 'a level no longer in the files', 'your', card.record.title);
  const expects =
    card.framework && card.level ? [levelButton('What this level expects', card.framework, card.level, 0)] : [];
  const from = day(card.record.since);
  if (notice.levelChange === 'up') {
    const title = esc(titleOf(card, 'your'));
    return {
      text: `Congratulations on ${titleOf(card, 'your')}!`,
      blocks: [
        section(
          `:tada: *Congratulations on ${title}!* <@${actorId}> recorded your new level: *${place}*, from ${from}.`,
        ),
        ...noteBlock(notice),
        ...(card.level ? [section(expectsLines(card))] : []),
        section(
          'Once you have settled in, a check-in against your new level shows where you stand. If you like, tell the growth channel: nothing is posted unless you press *Celebrate*.',
        ),
        ...actions([
          startCheckinButton(false),
          button(
            'Celebrate in the growth channel',
            RECORD_ACTION.celebrate,
            JSON.stringify({ l: card.record.levelId }),
          ),
          ...expects,
        ]),
        context(
          'Celebrate posts only your name and new title. Only you, your manager and Ripple admins see your record.',
        ),
      ],
    };
  }
  if (notice.levelChange === 'lower' || notice.levelChange === 'other-team') {
    const managerId = card.record.managerId;
    const talk = managerId
      ? `<@${managerId}> is there to talk it through with you.`
      : `<@${actorId}> can talk it through with you.`;
    const lead =
      notice.levelChange === 'lower'
        ? `<@${actorId}> updated your career record: your level is now *${place}*, from ${from}.`
        : `<@${actorId}> moved your career record to another team's framework: *${place}*, from ${from}.`;
    return {
      text: 'Your career record was updated.',
      blocks: [
        section(lead),
        ...noteBlock(notice),
        section(
          `${notice.levelChange === 'lower' ? 'A level describes the work expected of you now, not your worth. ' : ''}${talk} \`/career me\` shows what the level expects and when the next step usually comes.`,
        ),
        ...actions(expects),
        context('Only you, your manager and Ripple admins see your record.'),
      ],
    };
  }
  const what = otherChanges(notice.before, card, notice.changed).join('; ');
  return {
    text: 'Your career record was updated.',
    blocks: [
      section(`<@${actorId}> updated your career record: ${what}. You're at *${place}*.`),
      ...noteBlock(notice),
      ...actions(expects),
      context('Only you, your manager and Ripple admins see your record; `/career me` shows it.'),
    ],
  };
}

/** Where the person's DM waits for the manager: the outbox row and the time it goes by itself. */
export interface HeldDm {
  id: number;
  until: string;
}

/** The value of "Send their message now": which held DM, for whom, and when it goes by itself. */
export function releaseValue(held: HeldDm, userId: string): string {
  return JSON.stringify({ o: held.id, u: userId, at: held.until });
}

/**
 * The DMs after a change: the person (see `personNotice`), their manager when their level changed (and when the
 * person's DM waits for them, a button to send it), a new manager and a former one. `told` decides who; the caller
 * is never in it.
 */
export function setNoticeMessages(notice: SetNotice, held?: HeldDm): Map<string, Message> {
  const { before, card, actorId } = notice;
  const out = new Map<string, Message>();
  const person = card.record.userId;
  out.set(person, personNotice(notice));
  const place = placeName(card.framework, card.level, 'no level', 'their', card.record.title);
  const managerBefore = before?.managerId ?? null;
  const managerAfter = card.record.managerId;
  if (managerAfter !== managerBefore) {
    if (managerAfter) {
      const text = `<@${actorId}> recorded you as <@${person}>'s manager in Ripple (${place} since ${day(card.record.since)}). \`/career team\` lists your reports; only you, they and Ripple admins see their record.`;
      out.set(managerAfter, { text: 'You were recorded as a manager in Ripple.', blocks: [section(text)] });
    }
    if (managerBefore) {
      const next = managerAfter ? `<@${managerAfter}>` : 'nobody';
      const text = `<@${actorId}> changed <@${person}>'s manager in Ripple from you to ${next}. You no longer see their career record.`;
      out.set(managerBefore, { text: 'A report of yours has a new manager in Ripple.', blocks: [section(text)] });
    }
  } else if (managerAfter && notice.levelChange !== 'same' && notice.levelChange !== 'first') {
    const what =
      notice.levelChange === 'up'
        ? `promoted <@${person}> to *${place}*`
        : notice.levelChange === 'lower'
          ? `moved <@${person}> to a lower level: *${place}*`
          : `moved <@${person}> to another team's framework: *${place}*`;
    const blocks: Block[] = [section(`<@${actorId}> ${what}, from ${day(card.record.since)}.`), ...noteBlock(notice)];
    if (held) {
      blocks.push(
        section(
          `<@${person}>'s DM about it waits for you, so you can speak with them first. Press *Send their message now* when you have; otherwise it goes by itself ${HOLD_HOURS} hours after the change.`,
        ),
        ...actions([
          button('Send their message now', RECORD_ACTION.releaseHeld, releaseValue(held, person), 'primary'),
        ]),
      );
    } else if (notice.levelChange === 'up') {
      blocks.push(context('They got a congratulation from Ripple; a word from you means more.'));
    }
    out.set(managerAfter, { text: `A report's level changed: ${place.replace(/\*/g, '')}.`, blocks });
  }
  return out;
}

/** To the manager, after "Send their message now". */
export function releasedMessage(userId: string, outcome: 'sent' | 'gone' | 'failed'): Message {
  const text =
    outcome === 'sent'
      ? `:white_check_mark: Sent: <@${userId}> has their message now.`
      : outcome === 'gone'
        ? `<@${userId}>'s message has already gone (it was sent, or its ${HOLD_HOURS} hours were up).`
        : `Slack didn't take <@${userId}>'s message just now; Ripple tries again in a minute.`;
  return { text: text.replace(/:white_check_mark: /, ''), blocks: [section(text)] };
}

/** The post in the growth channel, when the person chose it. */
export function celebrationPost(card: Card): Message {
  const text = `:tada: <@${card.record.userId}> is now *${esc(titleOf(card, 'their'))}*${card.framework ? ` (${esc(card.framework.name)})` : ''}. Congratulations!`;
  return { text: text.replace(/:tada: /, ''), blocks: [section(text)] };
}

/** The reply to Celebrate. */
export function celebrateReply(
  outcome: 'posted' | 'already' | 'no-channel' | 'failed' | 'moved-on' | 'expired',
  channelId?: string,
): Message {
  const texts = {
    posted: `:tada: Posted in <#${channelId}>.`,
    already: 'Already posted: it goes to the channel once.',
    'no-channel': 'There is no growth channel yet (a Ripple admin picks one), so nothing was posted.',
    failed: "I couldn't post in the growth channel just now; nothing was posted. Please try again later.",
    'moved-on': 'Your level changed since this message, so nothing was posted.',
    expired: 'Celebrate works for a day after a new level is recorded, so nothing was posted now.',
  } as const;
  const text = texts[outcome];
  return { text, blocks: [section(text)] };
}

/** Export is one's own data: another person's comes from the admin export. */
export function exportOthersMessage(): Message {
  const text =
    "`/career export` sends you *your own* data, and only yours: nobody can export someone else's through Slack. A Ripple admin with access to the server exports a whole workspace with `npm run export` (see the README).";
  return { text: text.replace(/[`*]/g, ''), blocks: [section(text), context('Nothing was exported.')] };
}
