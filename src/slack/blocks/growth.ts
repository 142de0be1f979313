import { DateTime } from 'luxon';
import { formatDuration, type IsoDate } from '../../career/dates.js';
import { GROWTH_USAGE } from '../../commands/growth-grammar.js';
import type {
  ChannelPostView,
  ChannelSlotView,
  DigestLine,
  DigestView,
  ScheduleLine,
  ScheduleView,
} from '../../growth/views.js';
import type { ReminderStage } from '../../reminders/schedule.js';
import type { WindowState } from '../../teammates/service.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { actions, type Block, button, context, header, type Message, section, sections } from './kit.js';
import { reminderDate } from './reminders.js';

/**
 * Every word of channel growth nudges, manager digests, `/career admin …` and `/career celebrate`, as
 * pure Block Kit builders. Framework text is escaped; people appear only as `<@id>` mentions.
 */

export type { ChannelPostView, DigestLine, DigestView, ScheduleLine, ScheduleView };

export const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function weekdayName(weekday: number): string {
  return WEEKDAY_NAMES[weekday - 1] ?? 'Monday';
}

// --- The weekly channel post ---------------------------------------------------------------------

/** The "See my level" button under a channel post: it shows whoever clicks their own level, only to them. */
export const GROWTH_ACTION = { seeMyLevel: 'growth.my-level' } as const;

/**
 * An instant in Slack's date formatting: each reader sees it in their own zone and locale
 * ("Friday, December 11th at 10:00 AM"); the fallback, for clients that cannot, names the channel's zone.
 */
export function slackDate(instant: string, tz: string | null): string {
  const local = DateTime.fromISO(instant, { zone: tz ?? 'UTC' }).setLocale('en-GB');
  const fallback = `${local.toFormat('cccc d LLLL yyyy, HH:mm')} ${tz ?? 'UTC'}`;
  return `<!date^${Math.floor(Date.parse(instant) / 1000)}^{date_long_pretty} at {time}|${esc(fallback)}>`;
}

/** 'every Friday at 10:00 Europe/Paris time (next: <!date…>, in your own time zone)'. */
function slotWords(slot: ChannelSlotView): string {
  return `every ${weekdayName(slot.weekday)} at ${slot.time} ${esc(slot.tz ?? 'UTC')} time (next: ${slackDate(slot.next, slot.tz)}, shown in your time zone)`;
}

export function channelPostMessage(view: ChannelPostView): Message {
  const blocks: Block[] = [header('Growth prompt of the week')];
  const text = 'Growth prompt of the week: where could you widen your scope of influence or take more ownership?';
  blocks.push(
    section(
      'Every team grows along the same two lines: *scope of influence* (who your work reaches) and *ownership* ' +
        '(what you carry from start to finish). Where could you widen one of them this week?',
    ),
  );
  if (view.prompt && view.prompt.examples.length > 0) {
    blocks.push(
      ...sections(
        'What it can look like',
        view.prompt.examples.map((e) => `• *${esc(e.team)}* (${esc(e.level)}): ${esc(e.expectation)}`),
      ),
    );
  }
  const numbers: string[] = [];
  const { openThisMonth, openingSoon } = view.aggregates;
  if (openThisMonth !== null) numbers.push(`• ${openThisMonth} teammates have a window open this month.`);
  if (openingSoon !== null) numbers.push(`• ${openingSoon} teammates have a window opening in the next four weeks.`);
  if (numbers.length > 0) blocks.push(...sections('Across the team', numbers));
  if (view.celebrations.length > 0) {
    blocks.push(
      ...sections(
        'Celebrations',
        view.celebrations.map((c) => `:tada: <@${c.userId}> reached *${esc(c.title)}*. Congratulations!`),
      ),
    );
  }
  blocks.push(...actions([button('See my level', GROWTH_ACTION.seeMyLevel, 'channel-post', 'primary')]));
  const when = view.slot ? `Ripple posts here ${slotWords(view.slot)}. ` : '';
  blocks.push(
    context(
      `${when}Only you see your level. Nobody's level, dates or answers are shown here; a level-up is celebrated only for people who said \`/career celebrate on\`.`,
    ),
  );
  return { text, blocks };
}

/** Posted in the channel when an admin sets it: also how Ripple learns it may post there. */
export function channelWelcomeMessage(slot: ChannelSlotView): Message {
  const text = `Ripple will post a growth prompt here every ${weekdayName(slot.weekday)} at ${slot.time} ${slot.tz ?? 'UTC'} time.`;
  return {
    text: esc(text),
    blocks: [
      section(
        `Ripple will post a growth prompt here ${slotWords(slot)}. It never names anyone or their level: only anonymous numbers, and celebrations for people who opt in.`,
      ),
    ],
  };
}

// --- /career admin channel | nudge-now | schedule ------------------------------------------------

export function channelSetMessage(channelId: string, weekday: number, time: string, tz: string | null): Message {
  const zone = tz ?? 'UTC';
  const text = `Growth nudges will go to <#${channelId}> every ${weekdayName(weekday)} at ${time} (${esc(zone)}).`;
  return {
    text,
    blocks: [
      section(text),
      context(
        `Change it with \`${GROWTH_USAGE.adminChannel}\`, e.g. \`/career admin channel #growth fri 10:00\`; \`${GROWTH_USAGE.adminChannelOff}\` stops it; \`${GROWTH_USAGE.nudgeNow}\` posts one now.`,
      ),
    ],
  };
}

export function channelOffMessage(had: boolean): Message {
  const text = had
    ? 'Weekly growth nudges are off: Ripple no longer posts in the channel.'
    : 'No growth channel was set, so there was nothing to turn off.';
  return { text, blocks: [section(text), context(`\`${GROWTH_USAGE.adminChannel}\` sets one.`)] };
}

/** The bot is not in the channel: Slack says `not_in_channel`. */
export function notInChannelMessage(channel: { id: string; name?: string }): Message {
  const name = channel.name ? `#${esc(channel.name)}` : `<#${channel.id}>`;
  const text = `Ripple isn't in ${name} yet: invite @Ripple to ${name} first (type \`/invite @Ripple\` there), then run the command again.`;
  return { text, blocks: [section(text), context('Nothing was changed.')] };
}

export function channelUnavailableMessage(channel: { id: string; name?: string }, error: string): Message {
  const name = channel.name ? `#${esc(channel.name)}` : `<#${channel.id}>`;
  const why =
    error === 'is_archived'
      ? `${name} is archived.`
      : error === 'channel_not_found'
        ? `Slack can't find ${name}, or it is private and Ripple isn't in it.`
        : `Slack didn't take the post (${esc(error)}).`;
  const text = `Couldn't post in ${name}: ${why} Nothing was changed; try again, or pick another channel.`;
  return { text, blocks: [section(text)] };
}

export function noChannelMessage(): Message {
  const text = `No growth channel is set yet. Set one with \`${GROWTH_USAGE.adminChannel}\`, e.g. \`/career admin channel #growth fri 10:00\`.`;
  return { text, blocks: [section(text)] };
}

export function nudgedMessage(channelId: string, next: ChannelSlotView): Message {
  const text = `Posted this week's growth prompt in <#${channelId}>: it counts as this week's post, so it is not repeated.`;
  return {
    text,
    blocks: [section(`${text} The next one comes ${slackDate(next.next, next.tz)} (your time).`)],
  };
}

export function notAdminMessage(): Message {
  const text = 'Only Ripple admins can use `/career admin`. Ask an admin (see `/career help`).';
  return { text, blocks: [section(text), context('Nothing was changed.')] };
}

export function slackUnavailableMessage(): Message {
  const text = "Slack didn't answer just now, so nothing was changed. Please try again in a minute.";
  return { text, blocks: [section(text)] };
}

const STAGE_WORDS: Record<ReminderStage, string> = {
  'heads-up': 'Heads-up before a window opens',
  open: 'Window opens',
  checkin: 'Check-in prompt',
  past: 'Past the window (and a note to the manager)',
};

function recipients(line: ScheduleLine): string {
  const named = line.sample.map((id) => `<@${id}>`).join(', ');
  const more = line.count - line.sample.length;
  return more > 0 ? `${named} and ${more} more` : named;
}

/** 'today', else 'Tue 4 Aug'. */
function dayWords(date: IsoDate, today: IsoDate): string {
  return date === today ? 'today' : DateTime.fromISO(date, { zone: 'UTC' }).setLocale('en-GB').toFormat('ccc d LLL');
}

function perDayWords(line: ScheduleLine, dates: readonly IsoDate[]): string {
  const today = dates[0] as IsoDate;
  return dates
    .flatMap((date, i) => ((line.perDay[i] ?? 0) > 0 ? [`${dayWords(date, today)} ${line.perDay[i]}`] : []))
    .join(', ');
}

export function scheduleMessage(view: ScheduleView): Message {
  const lines: string[] = [];
  const add = (words: string, line: ScheduleLine) => {
    if (line.count > 0)
      lines.push(`• *${words}*: ${line.count} (${perDayWords(line, view.dates)}) — ${recipients(line)}`);
  };
  for (const r of view.reminders) add(STAGE_WORDS[r.stage], r);
  add('Manager digest', view.digests);
  if (view.channel && view.channel.at.length > 0) {
    lines.push(`• *Channel growth prompt* in <#${view.channel.channelId}>: ${view.channel.at.join(', ')}`);
  }
  const total = view.reminders.reduce((n, r) => n + r.count, 0) + view.digests.count;
  const text = `The next ${view.days} days: ${total} direct messages${view.channel?.at.length ? ' and the channel post' : ''}.`;
  const blocks: Block[] = [section(`*${text}*`)];
  if (lines.length > 0) blocks.push(...sections(undefined, lines));
  else blocks.push(section('Nothing is planned to go out.'));
  const notes = [
    `Days are in your time zone (${esc(view.tz ?? 'UTC')}). Each person gets at most one reminder a day, in their own working hours.`,
  ];
  if (view.unplanned) {
    notes.push('Many records changed in the last few minutes: some are counted only after the next reminder tick.');
  }
  if (view.unknownZones > 0) {
    notes.push(
      `${view.unknownZones} ${view.unknownZones === 1 ? "manager's time zone is" : "managers' time zones are"} not stored yet, so their digest is placed by UTC here.`,
    );
  }
  blocks.push(context(notes.join(' ')));
  return { text, blocks };
}

// --- The manager digest --------------------------------------------------------------------------

const STATE_WORDS: Record<WindowState, string> = {
  'not-yet': 'window not open yet',
  open: 'in the window',
  past: 'past the window',
  paused: 'paused',
  none: 'no expected window',
};

function windowWords(line: DigestLine): string {
  if (line.opensOn === null) return STATE_WORDS[line.state];
  const dates =
    line.closesOn === null
      ? `from ${reminderDate(line.opensOn)}`
      : `${reminderDate(line.opensOn)} to ${reminderDate(line.closesOn)}`;
  return `${STATE_WORDS[line.state]} (${dates})`;
}

function checkinWords(c: DigestLine['checkins']): string {
  if (c.finished === 0) return 'no check-ins yet';
  const done = c.finished === 1 ? '1 check-in' : `${c.finished} check-ins`;
  const last = c.last ? `, last ${reminderDate(c.last)}` : '';
  return `${done} (${c.shared} shared with you${last})`;
}

export function digestMessage(view: DigestView): Message {
  const past = view.reports.filter((r) => r.state === 'past');
  const text =
    past.length === 0
      ? `Your team this week: ${view.reports.length} ${view.reports.length === 1 ? 'report' : 'reports'}, nobody past their window.`
      : `Your team this week: ${past.length} of ${view.reports.length} past their window.`;
  const blocks: Block[] = [header('Your team this week')];
  if (past.length > 0) {
    blocks.push(
      section(
        `*Past their window:* ${past.map((r) => `<@${r.userId}>`).join(', ')}. Timeframes are guides, not deadlines: a good topic for your next 1:1.`,
      ),
    );
  }
  blocks.push(
    ...sections(
      undefined,
      view.reports.map(
        (r) =>
          `• <@${r.userId}> · ${r.level === null ? 'a level no longer in the files' : esc(r.level)} · ${formatDuration(r.daysAtLevel)} at the level · ${windowWords(r)} · ${checkinWords(r.checkins)}`,
      ),
    ),
  );
  blocks.push(
    context(
      'Check-in answers reach you only when your report shares them. `/career team` shows this list any time; `/career nudges off` stops this digest.',
    ),
  );
  return { text, blocks };
}

// --- /career celebrate, /career nudges optional ---------------------------------------------------

export function celebrateMessage(on: boolean, changed: boolean): Message {
  const text = on
    ? `${changed ? 'Done: when' : 'When'} you reach a new level, Ripple may celebrate it by name in the growth channel (your new title, never dates or answers).`
    : `${changed ? 'Done: your' : 'Your'} level-ups are not celebrated in the channel; nothing about you appears there.`;
  return {
    text,
    blocks: [section(text), context(on ? '`/career celebrate off` turns it off.' : '`/career celebrate on` opts in.')],
  };
}

export function celebrateNoRecordMessage(): Message {
  const text =
    'You have no career record yet, so there is no level-up to celebrate. Ask your manager to record your level.';
  return { text, blocks: [section(text)] };
}

export function optionalNudgesMessage(on: boolean): Message {
  const text = on
    ? 'Reminders about optional next steps are on.'
    : 'Reminders about optional next steps are off. Reminders about your other steps still come; `/career nudges optional on` brings these back.';
  return { text, blocks: [section(text)] };
}
