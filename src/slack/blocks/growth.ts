import { DateTime } from 'luxon';
import { formatDuration, type IsoDate } from '../../career/dates.js';
import { areasForPeople, optionalStepWords } from '../../career/window.js';
import { GROWTH_USAGE } from '../../commands/growth-grammar.js';
import type {
  ChannelPostView,
  ChannelSlotView,
  DigestLine,
  DigestView,
  LevelChange,
  ScheduleLine,
  ScheduleView,
  WindowOpening,
} from '../../growth/views.js';
import type { ReminderStage } from '../../reminders/schedule.js';
import { escapeMrkdwn as esc } from '../mrkdwn.js';
import { CHECKIN_ACTION } from './checkins.js';
import { actions, type Block, button, context, header, type Message, section, sections } from './kit.js';
import { noRecordMessage } from './no-record.js';
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
        // Read by everyone in the channel: "Head of …" is nobody's own area here, so "Head of an area".
        view.prompt.examples.map(
          (e) => `• *${esc(e.team)}* (${esc(areasForPeople(e.level, 'an'))}): ${esc(e.expectation)}`,
        ),
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
  if (view.digests.count > 0) {
    notes.push(
      'A manager digest is counted here on its day, but goes out only if something needs that manager that week (a check-in to rate, a window opening, a level change).',
    );
  }
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

/** Check-ins to rate shown with their own button; more are counted (a message holds 50 blocks). */
export const DIGEST_RATINGS_SHOWN = 10;

function span(line: { opensOn: IsoDate | null; closesOn: IsoDate | null }): string {
  if (line.opensOn === null) return '';
  return line.closesOn === null
    ? `from ${reminderDate(line.opensOn)}`
    : `${reminderDate(line.opensOn)} to ${reminderDate(line.closesOn)}`;
}

/**
 * Where a report stands, worded by the one rule: an optional step is a choice, never "past". The digest and the
 * manager's list (`/career team`, Home) both word it here, so a report reads the same on each.
 */
export function standingWords(line: Pick<DigestLine, 'standing' | 'optional' | 'opensOn' | 'closesOn'>): string {
  const dates = span(line);
  switch (line.standing) {
    case 'paused':
      return 'paused';
    case 'none':
      return 'no expected window';
    case 'before':
      return line.optional ? `optional next step, usual window ${dates}` : `window not open yet (${dates})`;
    case 'open':
      return line.optional ? `in the usual window for an optional step (${dates})` : `in the window (${dates})`;
    case 'past':
      return `past the window (${dates})`;
    case 'choice':
      return `next step optional, ${optionalStepWords('their')} (usual window ${dates})`;
  }
}

function sharedWords(shared: DigestLine['shared']): string {
  if (shared.count === 0) return 'no check-ins shared with you';
  const n = shared.count === 1 ? '1 check-in' : `${shared.count} check-ins`;
  return `${n} shared with you${shared.last ? `, last ${reminderDate(shared.last)}` : ''}`;
}

function openingLine(o: WindowOpening): string {
  return o.optional
    ? `• <@${o.userId}>'s usual window for *${esc(o.next)}* opens on ${reminderDate(o.opensOn)}: ${optionalStepWords('their')}, worth a word if they want it.`
    : `• <@${o.userId}>'s window for *${esc(o.next)}* opens on ${reminderDate(o.opensOn)}: a good topic for your next 1:1.`;
}

function levelChangeLine(c: LevelChange): string {
  return c.up
    ? `• <@${c.userId}> moved up to *${esc(c.level)}* on ${reminderDate(c.on)}.`
    : `• <@${c.userId}>'s level changed to *${esc(c.level)}* on ${reminderDate(c.on)}.`;
}

/** What needs the manager, in a few words: the digest's notification text. */
function needsWords(view: DigestView): string {
  const parts: string[] = [];
  const [rate, open, change] = [view.awaitingRatings, view.windowsOpening, view.levelChanges];
  if (rate.length === 1) parts.push(`<@${rate[0]?.userId}> shared a check-in for your ratings`);
  else if (rate.length > 1) parts.push(`${rate.length} check-ins wait for your ratings`);
  if (open.length === 1) parts.push(`<@${open[0]?.userId}>'s window opens this week`);
  else if (open.length > 1) parts.push(`${open.length} windows open this week`);
  if (change.length === 1) parts.push(`<@${change[0]?.userId}>'s level changed`);
  else if (change.length > 1) parts.push(`${change.length} level changes`);
  return parts.join('; ');
}

/**
 * The weekly digest, sent only when something needs the manager: what to act on first (each shared
 * check-in waiting for ratings, with its button), then windows opening and level changes, then the
 * team at a glance. Counts are of check-ins shared with the manager, never of those kept private.
 */
export function digestMessage(view: DigestView): Message {
  const blocks: Block[] = [header('Your team this week')];
  const rate = view.awaitingRatings;
  for (const r of rate.slice(0, DIGEST_RATINGS_SHOWN)) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*<@${r.userId}> shared a check-in with you on ${reminderDate(r.sharedOn)}*: it is waiting for your ratings.`,
      },
      accessory: button('Add ratings', `${CHECKIN_ACTION.review}.${r.checkinId}`, String(r.checkinId), 'primary'),
    });
  }
  if (rate.length > DIGEST_RATINGS_SHOWN) {
    blocks.push(context(`${rate.length - DIGEST_RATINGS_SHOWN} more shared check-ins wait for your ratings.`));
  }
  if (view.windowsOpening.length > 0) {
    blocks.push(...sections('Windows opening this week', view.windowsOpening.map(openingLine)));
  }
  if (view.levelChanges.length > 0) {
    blocks.push(...sections('Level changes last week', view.levelChanges.map(levelChangeLine)));
  }
  const past = view.reports.filter((r) => r.standing === 'past');
  if (past.length > 0) {
    blocks.push(
      section(
        `*Past their window:* ${past.map((r) => `<@${r.userId}>`).join(', ')}. Timeframes are guides, not deadlines: a good topic for your next 1:1.`,
      ),
    );
  }
  blocks.push(
    ...sections(
      'Your team',
      view.reports.map(
        (r) =>
          `• <@${r.userId}> · ${r.level === null ? 'a level no longer in the files' : esc(r.level)} · ${formatDuration(r.daysAtLevel)} at the level · ${standingWords(r)} · ${sharedWords(r.shared)}`,
      ),
    ),
  );
  blocks.push(
    context(
      'Ripple sends this only in a week when something needs you: a shared check-in to rate, a window opening, a level change. ' +
        'You see a check-in only when your report shares it, and only those are counted here. ' +
        '`/career team` shows your team any time; `/career digest off` stops this digest.',
    ),
  );
  // A large team's digest is split into several messages when it is sent (src/slack/render-notice.ts).
  return { text: `Your team this week: ${needsWords(view)}.`, blocks };
}

// --- /career digest ---------------------------------------------------------------------------------

/** The reply to `/career digest [on|off]`: what the digest is, and that nothing else changed. */
export function digestSwitchMessage(outcome: { on: boolean; changed: boolean; managing: boolean }): Message {
  const done = outcome.changed ? 'Done: your' : 'Your';
  const text = outcome.on
    ? `${done} weekly team digest is on. It comes on Monday morning in your working hours, and only in a week when something needs you: a shared check-in to rate, a window opening, a level change.`
    : `${done} weekly team digest is off: Ripple sends you no digest about your team.`;
  const notes = [
    outcome.on
      ? '`/career digest off` stops it.'
      : '`/career digest on` brings it back; `/career team` shows your team any time.',
    'Your own growth reminders are not changed by this (`/career nudges`).',
  ];
  if (!outcome.managing) notes.push('Nobody reports to you yet: this applies once someone does.');
  return { text, blocks: [section(text), context(notes.join(' '))] };
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

/** Without a record: the one no-record message (src/slack/blocks/records.ts). */
export function celebrateNoRecordMessage(): Message {
  return noRecordMessage();
}

export function optionalNudgesMessage(on: boolean): Message {
  const text = on
    ? 'Reminders about optional next steps are on.'
    : 'Reminders about optional next steps are off. Reminders about your other steps still come; `/career nudges optional on` brings these back.';
  return { text, blocks: [section(text)] };
}
