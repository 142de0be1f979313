import { formatLongDate, type IsoDate } from '../../career/dates.js';
import type { ReminderStage } from '../../reminders/schedule.js';
import type { ReminderView } from '../../reminders/views.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { CHECKIN_ACTION } from './checkins.js';
import { actions, type Block, button, context, type Message, section, sections } from './kit.js';
import { noRecordMessage } from './no-record.js';

/**
 * Every word of a growth reminder, as pure Block Kit builders. A reminder is one message: the next
 * step's title(s), the window's dates, and a button that starts a check-in.
 */

/** The check-in feature's own Start button (src/slack/blocks/checkins.ts); its value is informational. */
export const START_CHECKIN_ACTION = CHECKIN_ACTION.start;
export const START_CHECKIN_VALUE = 'reminder';

export type { ReminderView };

/** '2026-07-15' → '15 July 2026'. */
export function reminderDate(date: IsoDate): string {
  return formatLongDate(date);
}

/** 'Coordinator', 'Coordinator or Specialist', 'A, B or C'. */
export function titleList(titles: readonly string[]): string {
  if (titles.length <= 1) return titles[0] ?? 'the next step';
  return `${titles.slice(0, -1).join(', ')} or ${titles[titles.length - 1]}`;
}

function dates(view: ReminderView): string {
  return view.closesOn === null
    ? `from ${reminderDate(view.opensOn)}, open-ended`
    : `${reminderDate(view.opensOn)} to ${reminderDate(view.closesOn)}`;
}

/** The sentence that says what happened, in plain text (also the notification text). */
export function reminderText(view: ReminderView): string {
  const next = titleList(view.titles);
  // An optional step is named once, as a choice: never "your window", as if it were expected of the person.
  const lead = view.optional
    ? `${next} is a step you may or may not want. Its usual window`
    : `Your window for ${next}`;
  switch (view.stage) {
    case 'heads-up':
      return `${lead} opens on ${reminderDate(view.opensOn)}.`;
    case 'open':
      return `${lead} is open: ${dates(view)}.`;
    case 'checkin':
      return `${lead} is open (${dates(view)}): a good moment for a check-in.`;
    case 'past':
      return view.optional
        ? `The usual window for ${next} ended on ${reminderDate(view.closesOn as IsoDate)}: a step you may or may not want, worth a word at your next 1:1.`
        : `Your expected window for ${next} ended on ${reminderDate(view.closesOn as IsoDate)}: a good topic for your next 1:1.`;
  }
}

function body(view: ReminderView): string {
  switch (view.stage) {
    case 'heads-up':
      return 'Here is what it asks. A check-in now shows where you stand, and gives you and your manager a few weeks to plan.';
    case 'open':
      return 'Take a moment to reflect on your scope of influence and ownership, and talk with your manager about where you are.';
    case 'checkin':
      return 'Rate yourself against the next level and share it with your manager if you like: it takes a few minutes.';
    case 'past':
      return 'Timeframes are a guide, not a deadline. A check-in gives you and your manager something concrete to talk about.';
  }
}

/** The reminder DM. */
export function reminderMessage(view: ReminderView): Message {
  const text = reminderText(view);
  const blocks: Block[] = [section(`*${esc(text)}*`), section(esc(body(view)))];
  if (view.stage === 'heads-up' && view.expectations.length > 0) {
    blocks.push(
      ...sections(
        undefined,
        view.expectations.slice(0, 5).map((e) => `• ${esc(e)}`),
      ),
    );
  }
  blocks.push(...actions([button('Start a check-in', START_CHECKIN_ACTION, START_CHECKIN_VALUE, 'primary')]));
  blocks.push(context('Reminders come in your working hours. `/career nudges off` stops them.'));
  // The fallback text is mrkdwn too: framework titles are escaped there as in the blocks.
  return { text: esc(text), blocks };
}

/** The private, supportive note to a manager when a report is past their window. */
export function managerPastMessage(reportId: string, view: ReminderView): Message {
  const next = titleList(view.titles);
  const ended = reminderDate(view.closesOn as IsoDate);
  const text = `<@${reportId}> is past the expected window for ${esc(next)}, which ended on ${ended}.`;
  return {
    text,
    blocks: [
      section(`<@${reportId}> is past the expected window for *${esc(next)}*, which ended on ${ended}.`),
      section(
        'Timeframes are a guide, not a deadline. At your next 1:1, ask what is going well and what is in the way; ' +
          'a check-in together can make it concrete. Only you received this note.',
      ),
    ],
  };
}

/** One upcoming reminder, for `/career nudges`. */
export interface UpcomingReminder {
  stage: ReminderStage;
  on: IsoDate;
}

export interface NudgesView {
  enabled: boolean;
  /** Null when the person has no window (no timeframe at their level). */
  window: { titles: readonly string[]; opensOn: IsoDate; closesOn: IsoDate | null; optional: boolean } | null;
  upcoming: readonly UpcomingReminder[];
  paused: boolean;
  /** The person said `/career nudges optional off`. */
  optionalOff?: boolean;
}

const STAGE_LABEL: Record<ReminderStage, string> = {
  'heads-up': 'Heads-up before your window opens',
  open: 'Your window opens',
  checkin: 'Check-in prompt',
  past: 'Past your window: a topic for your 1:1',
};

/** `/career nudges`: what is coming and when. */
export function nudgesMessage(view: NudgesView): Message {
  const lines: string[] = [];
  if (view.window !== null) {
    lines.push(
      `Your window for *${esc(titleList(view.window.titles))}*: ${view.window.closesOn === null ? `from ${reminderDate(view.window.opensOn)}, open-ended` : `${reminderDate(view.window.opensOn)} to ${reminderDate(view.window.closesOn)}`}.`,
    );
  } else lines.push('Your level has no timeframe for a next step, so there are no growth reminders to send.');
  if (!view.enabled) lines.push('Reminders are *off*. `/career nudges on` turns them back on.');
  else if (view.window?.optional && view.optionalOff)
    lines.push('Reminders about this optional step are *off*. `/career nudges optional on` turns them back on.');
  else if (view.paused) lines.push('You are paused: reminders wait until you are back.');
  else if (view.upcoming.length > 0) {
    lines.push('*Coming up* (in your working hours, at most one a day):');
    for (const u of view.upcoming) lines.push(`• ${reminderDate(u.on)}: ${STAGE_LABEL[u.stage]}`);
  } else if (view.window !== null) lines.push('No more reminders are due for this window.');
  const text = lines[0] ?? 'Growth reminders';
  const blocks = sections(undefined, lines);
  if (view.enabled)
    blocks.push(context('`/career nudges off` stops reminders; `/career nudges on` starts them again.'));
  return { text: text.replace(/\*/g, ''), blocks };
}

/**
 * The reply to `/career nudges off|on`: exactly what it stops (the person's own growth reminders) and what
 * it does not (their weekly team digest, which has its own switch, and notes about their reports).
 */
export function nudgesSwitchedMessage(enabled: boolean): Message {
  const text = enabled
    ? 'Growth reminders are on: they come in your working hours, at most one a day.'
    : 'Growth reminders are off: no more heads-ups, window or check-in reminders about your own next step. Your record and window are unchanged; `/career nudges on` turns them back on.';
  return {
    text,
    blocks: [
      section(text),
      context(
        'This is about your own reminders only. If people report to you, your weekly team digest (`/career digest off` stops it) and notes about your reports still come.',
      ),
    ],
  };
}

/** `/career nudges` without a record. */
export function nudgesNoRecordMessage(): Message {
  return noRecordMessage();
}
