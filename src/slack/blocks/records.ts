import { formatDuration } from '../../career/dates.js';
import { progressBar } from '../../career/window.js';
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
import type { Card, PreviewReason, SetPreview } from '../../teammates/service.js';
import { LIMITS } from '../limits.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { actions, type Block, button, context, divider, fields, type Message, section, splitMessage } from './kit.js';
import { levelButton, problemMessage } from './lookup.js';

export const RECORD_ACTION = {
  forgetConfirm: 'career.forget.confirm',
  forgetCancel: 'career.forget.cancel',
  setConfirm: 'career.set.confirm',
  setCancel: 'career.set.cancel',
  requestRecord: 'career.record.request',
  pauseConfirm: 'career.pause.confirm',
  pauseCancel: 'career.pause.cancel',
} as const;

function statusText(card: Card): string {
  const r = card.record;
  if (r.status === 'paused') return r.pausedUntil ? `Paused until ${r.pausedUntil}` : 'Paused';
  if (r.status === 'left') return 'Left';
  return 'Active';
}

/**
 * "Expected window for Level 3 (Coordinator): 2026-07-15 → 2027-01-15" and where today stands in it,
 * worded as a guide: never "closes" or "closed", and past the window is a prompt for a conversation.
 */
export function windowLines(card: Card): string[] {
  const w = card.window;
  const paused =
    w.pausedDays > 0 ? ` (moved ${w.pausedDays} day${w.pausedDays === 1 ? '' : 's'} later for time paused)` : '';
  if (w.phase === 'none') {
    return [
      `*Next step:* ${esc(card.level ? nextStepSentence(card.framework?.levels ?? [], card.level, card.nextSteps) : 'none described.')}`,
    ];
  }
  const target = card.nextSteps.filter((l) => !card.level?.timeframe?.to || l.id === card.level.timeframe.to);
  const range = w.closesOn ? `${w.opensOn} → ${w.closesOn}` : `from ${w.opensOn} (open-ended)`;
  const tf = card.level?.timeframe;
  const guide = tf ? ` · ${formatMonths(tf.min, tf.max)}${tf.optional ? ', optional' : ''}` : '';
  const unconfirmed = tf?.assumed
    ? '\n_The team has not confirmed this timeframe yet: take the dates as a rough guide._'
    : '';
  let where: string;
  if (card.record.status === 'paused') {
    where = 'Paused: time away does not count, and the window moves later by the days away.';
  } else if (w.phase === 'before') where = `The expected window starts in ${formatDuration(w.daysUntilOpen)}.`;
  else if (w.phase === 'open') where = 'In the expected window now: a good time to talk about the next step.';
  else where = 'Past the expected window: a good topic for your next 1:1.';
  return [
    `*Expected window for ${esc(target.map((l) => stepName(card.framework?.levels ?? [], l)).join(' or ') || 'the next step')}:* ${range}${guide}${paused}`,
    `\`${progressBar(w.progress)}\` ${where}${unconfirmed}`,
  ];
}

/** The record card: `/career me`, `/career who` and the App Home tab all show this. */
export function cardBlocks(card: Card, viewer: 'self' | 'manager' | 'admin'): Block[] {
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
  blocks.push(section(`*${esc(levelPlace(card.framework, card.level, r.title))}*`));
  blocks.push(
    fields([
      `*Since*\n${r.since} (${formatDuration(card.daysAtLevel)})`,
      `*Manager*\n${r.managerId ? `<@${r.managerId}>` : 'none recorded'}`,
      `*Focus*\n${esc(card.level.focus)}`,
      `*Status*\n${statusText(card)}`,
    ]),
  );
  blocks.push(section(windowLines(card).join('\n')));
  const buttons = [levelButton('View this level', card.framework, card.level, 0)];
  card.nextSteps.forEach((l, i) => {
    const framework = card.framework as NonNullable<Card['framework']>;
    buttons.push(levelButton(`View ${levelName(framework.levels, l)}`, framework, l, i + 1));
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

export function cardText(card: Card): string {
  if (!card.framework || !card.level) return 'Career record';
  const w = card.window;
  const window = w.phase === 'none' ? '' : ` Window ${w.opensOn} to ${w.closesOn ?? 'open-ended'}.`;
  return `${levelPlace(card.framework, card.level, card.record.title)} since ${card.record.since}.${window}`;
}

export function cardMessage(card: Card, viewer: 'self' | 'manager' | 'admin'): Message {
  return { text: cardText(card), blocks: cardBlocks(card, viewer) };
}

/**
 * No record yet. For the person themselves: who can add one (the admins in CAREER_ADMINS by name,
 * and the Slack workspace admins and owners, who are Ripple admins too) and a button that asks them.
 */
export function noRecordMessage(self: boolean, userId?: string, admins: readonly string[] = []): Message {
  if (!self) {
    const text = `<@${userId}> doesn't have a career record yet. A Ripple admin can add one with \`/career set\`.`;
    return { text, blocks: [section(text)] };
  }
  const who = admins.length
    ? `The Ripple admins (${admins.map((id) => `<@${id}>`).join(', ')}) or a Slack workspace admin`
    : 'A Ripple admin (a Slack workspace admin or owner)';
  const text = `You don't have a career record yet. ${who} can add one, with your manager; after that your manager can keep it up to date. Meanwhile, \`/career titles\` shows every framework.`;
  const blocks: Block[] = [section(text)];
  blocks.push(...actions([button('Ask for a record', RECORD_ACTION.requestRecord, 'request', 'primary')]));
  return { text: text.replace(/`/g, ''), blocks };
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

export function setMessage(card: Card, changed: HistoryField[] | 'unchanged', created: boolean): Message {
  const who = `<@${card.record.userId}>`;
  const what =
    card.framework && card.level ? esc(levelPlace(card.framework, card.level, card.record.title)) : 'their level';
  const since = card.record.since;
  // One sentence, written once: bold in the message, plain in the notification fallback.
  const sentence = (bold: (s: string) => string) =>
    changed === 'unchanged'
      ? `Nothing to change: ${who} is already at ${what} since ${since}.`
      : created
        ? `Recorded ${who} at ${bold(what)} since ${since}.`
        : `Updated ${who}: ${changed.map((f) => FIELD_NAMES[f]).join(', ')} changed. Now ${bold(what)} since ${since}.`;
  const icon = changed === 'unchanged' ? '' : ':white_check_mark: ';
  return {
    text: sentence((x) => x),
    // The sentence already names the level: the card below starts at its details.
    blocks: [
      section(icon + sentence((x) => `*${x}*`)),
      divider(),
      ...cardBlocks(card, 'admin').slice(card.framework && card.level ? 2 : 1),
    ],
  };
}

/** A return date more than a year ahead: asked about before pausing. The value names who asked. */
export function farPauseMessage(userId: string, until: string): Message {
  const text = `:calendar: Back on *${until}*? That's more than a year away. Pause until then, or cancel and type the date again.`;
  const value = JSON.stringify({ u: userId, until });
  return {
    text: `Pause until ${until}, more than a year away?`,
    blocks: [
      section(text),
      ...actions([
        button(`Pause until ${until}`, RECORD_ACTION.pauseConfirm, value, 'primary'),
        button('Cancel', RECORD_ACTION.pauseCancel, value),
      ]),
    ],
  };
}

/** To the manager: a report paused or resumed. */
export function pauseNoticeMessage(kind: 'paused' | 'resumed', card: Card): Message {
  const who = `<@${card.record.userId}>`;
  const text =
    kind === 'paused'
      ? `${who} paused their career record${card.record.pausedUntil ? ` until ${card.record.pausedUntil}` : ''}: time away does not count toward their window, and Ripple won't nudge them meanwhile.`
      : `${who} is back and resumed their career record; their window moved ${card.window.pausedDays} day${card.window.pausedDays === 1 ? '' : 's'} later for the time away.`;
  return {
    text: kind === 'paused' ? 'A report of yours paused.' : 'A report of yours is back.',
    blocks: [section(text)],
  };
}

export function pauseMessage(kind: 'paused' | 'resumed', card: Card): Message {
  const text =
    kind === 'paused'
      ? `:palm_tree: Paused${card.record.pausedUntil ? ` until ${card.record.pausedUntil}` : ''}. Time away doesn't count toward your window, and Ripple won't nudge you. \`/career resume\` when you're back.`
      : `:wave: Welcome back. Your window moved ${card.window.pausedDays} day${card.window.pausedDays === 1 ? '' : 's'} later for the time you were away.`;
  return {
    text:
      kind === 'paused'
        ? 'Paused: time away does not count toward your window.'
        : 'Welcome back: your record is active again.',
    blocks: [section(text), ...(kind === 'resumed' ? [divider(), ...cardBlocks(card, 'self')] : [])],
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
  ];
  return {
    text: `Your Ripple data, as of ${doc.exportedAt.slice(0, 10)}: the full data is in the JSON file.`,
    blocks: [
      section(`:package: *Your Ripple data*, as of ${doc.exportedAt.slice(0, 10)}`),
      section(lines.join('\n')),
      context(
        'The JSON file has all of it: your record, its full history, your pauses and check-ins. Only your own Slack id is in it.',
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

function placeName(
  framework: { name: string; levels: readonly Level[] } | undefined,
  level: Level | undefined,
  fallback: string,
  title?: string | null,
): string {
  return framework && level ? esc(levelPlace(framework, level, title)) : fallback;
}

const REASON_NOTES: Record<PreviewReason, string> = {
  'lower-level': 'not a step forward on their path',
  'other-team': 'another team’s framework',
  'since-reset': 'restarts their time at the level',
  manager: 'another manager',
};

/** The `set` that waits for Confirm: before → after for what changes, and who will be told. */
export function setPreviewMessage(p: SetPreview): Message {
  const before = p.before;
  const who = `<@${p.userId}>`;
  const lines: string[] = [];
  const levelChanged = before.record.frameworkId !== p.after.framework.id || before.record.levelId !== p.after.level.id;
  const note = (reason: PreviewReason) => (p.reasons.includes(reason) ? ` _(${REASON_NOTES[reason]})_` : '');
  if (levelChanged) {
    lines.push(
      `*Level:* ${placeName(before.framework, before.level, 'a level no longer in the files')} → *${placeName(p.after.framework, p.after.level, '')}*${note('lower-level')}${note('other-team')}`,
    );
  }
  if (before.record.since !== p.after.since) {
    lines.push(
      `*Since:* ${before.record.since} (${formatDuration(before.daysAtLevel)} ago) → *${p.after.since}*${note('since-reset')}`,
    );
  }
  if (before.record.managerId !== p.after.managerId) {
    const m = (id: string | null) => (id ? `<@${id}>` : 'none recorded');
    lines.push(`*Manager:* ${m(before.record.managerId)} → *${m(p.after.managerId)}*`);
  }
  const told = p.told.length ? p.told.map((id) => `<@${id}>`).join(', ') : 'nobody';
  lines.push(`*Told once confirmed:* ${told}, by DM.`);
  return {
    text: `Check before saving: this changes ${who}'s career record. Nothing is saved until you confirm.`,
    blocks: [
      section(`:eyes: *Check before saving:* this changes ${who}'s career record.`),
      section(lines.join('\n')),
      ...actions(
        [button('Confirm', RECORD_ACTION.setConfirm, p.id, 'primary'), button('Cancel', RECORD_ACTION.setCancel, p.id)],
        'career-set-preview',
      ),
      context('Nothing is saved until you press Confirm. The buttons work once, for you, for a day.'),
    ],
  };
}

export function setCancelledMessage(): Message {
  const text = 'Cancelled: the record was not changed.';
  return { text, blocks: [section(text)] };
}

/** What changed, as "level Marketing · Level 2 → Level 3, manager <@A> → <@B>", for the DMs. */
function changeSummary(before: TeammateRecord | null, card: Card, changed: readonly HistoryField[]): string {
  const parts: string[] = [];
  const after = card.record;
  const now = placeName(card.framework, card.level, 'a level no longer in the files', card.record.title);
  if (changed.includes('framework') || changed.includes('level')) parts.push(`level now *${now}*`);
  if (changed.includes('since')) parts.push(`since ${before ? `${before.since} → ` : ''}${after.since}`);
  if (changed.includes('manager')) {
    const m = (id: string | null | undefined) => (id ? `<@${id}>` : 'none recorded');
    parts.push(`manager ${before ? `${m(before.managerId)} → ` : ''}${m(after.managerId)}`);
  }
  return parts.join('; ');
}

/**
 * The DMs after a change: the person (what changed, and a button to what the level expects), a new
 * manager and a former one. `told` decides who; the caller is never in it.
 */
export function setNoticeMessages(
  before: TeammateRecord | null,
  card: Card,
  changed: readonly HistoryField[],
  actorId: string,
): Map<string, Message> {
  const out = new Map<string, Message>();
  const person = card.record.userId;
  const summary = changeSummary(before, card, changed);
  const expects =
    card.framework && card.level
      ? actions([levelButton('What this level expects', card.framework, card.level, 0)])
      : [];
  const personText = before
    ? `<@${actorId}> changed your career record: ${summary}. Only you, your manager and Ripple admins can see it; \`/career me\` shows your expected window for the next step.`
    : `<@${actorId}> recorded your career level: *${placeName(card.framework, card.level, 'your level', card.record.title)}* since ${card.record.since}. Only you, your manager and Ripple admins can see it; \`/career me\` shows your expected window for the next step.`;
  out.set(person, {
    text: before ? 'Your career record was changed.' : 'Your career level was recorded.',
    blocks: [section(personText), ...expects],
  });
  const managerBefore = before?.managerId ?? null;
  const managerAfter = card.record.managerId;
  if (managerAfter !== managerBefore) {
    if (managerAfter) {
      const text = `<@${actorId}> recorded you as <@${person}>'s manager in Ripple (${placeName(card.framework, card.level, 'no level', card.record.title)} since ${card.record.since}). \`/career team\` lists your reports; only you, they and Ripple admins see their record.`;
      out.set(managerAfter, { text: 'You were recorded as a manager in Ripple.', blocks: [section(text)] });
    }
    if (managerBefore) {
      const next = managerAfter ? `<@${managerAfter}>` : 'nobody';
      const text = `<@${actorId}> changed <@${person}>'s manager in Ripple from you to ${next}. You no longer see their career record.`;
      out.set(managerBefore, { text: 'A report of yours has a new manager in Ripple.', blocks: [section(text)] });
    }
  }
  return out;
}
