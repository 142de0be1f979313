import { DateTime } from 'luxon';
import { addDays, type IsoDate, zoneOrUtc } from '../career/dates.js';
import type { PromotionWindow } from '../career/window.js';
import type { Framework, Level } from '../frameworks/schema.js';
import { DEFAULT_DELIVERY, type DeliverySchedule, isDeliveryTime, nextDeliveryInstant } from '../reminders/schedule.js';

/**
 * The pure weekly math behind channel growth nudges and manager digests: which ISO week an instant
 * is in, whether this week's post or digest is due, which growth prompt a week gets, and the
 * anonymous aggregates. Nothing here reads the clock, Slack or the database.
 */

/** The fewest people an aggregate may count: fewer could point at someone. */
export const MIN_AGGREGATE = 3;

/** The weekly channel post when an admin gives no day or time: Monday at 10:00 local. */
export const DEFAULT_CHANNEL_SLOT = { weekday: 1, time: '10:00' } as const;

function weekOf(local: DateTime): string {
  return `${local.weekYear}-W${String(local.weekNumber).padStart(2, '0')}`;
}

/** The ISO week of an instant in a zone (UTC when unknown), as '2026-W25'. */
export function weekKey(instant: Date, tz: string | null): string {
  return weekOf(DateTime.fromJSDate(instant, { zone: zoneOrUtc(tz) }));
}

/** The Monday that starts the local week of an instant. */
export function weekStart(instant: Date, tz: string | null): IsoDate {
  return DateTime.fromJSDate(instant, { zone: zoneOrUtc(tz) })
    .startOf('week')
    .toISODate() as IsoDate;
}

export interface WeeklySlot {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 'HH:MM' local. */
  time: string;
  tz: string | null;
}

/**
 * This week's channel post: the instant of the slot in the local week of `now`, and whether it has
 * come. After downtime later in the same week the post is still due (one catch-up); a week that
 * passed entirely is not posted afterwards.
 */
/** How long after its slot a post still counts as on time, whatever the delivery hours. */
const ON_TIME_MS = 60 * 60 * 1000;

/**
 * This week's channel post: its slot (the weekday and local time the admin chose), and whether it
 * is due. Within an hour of the slot it is on time, at whatever hour the admin chose; a post that
 * missed its slot (Ripple was down) catches up later the same week, but only inside delivery hours
 * in the channel's time zone, never at night.
 */
export function channelPostDue(
  now: Date,
  slot: WeeklySlot,
  schedule: DeliverySchedule = DEFAULT_DELIVERY,
): { week: string; at: Date; due: boolean } {
  const local = DateTime.fromJSDate(now, { zone: zoneOrUtc(slot.tz) });
  const [hour, minute] = slot.time.split(':').map(Number) as [number, number];
  const at = local
    .startOf('week')
    .plus({ days: slot.weekday - 1 })
    .set({ hour, minute, second: 0, millisecond: 0 });
  const late = now.getTime() - at.toMillis();
  const due = late >= 0 && (late < ON_TIME_MS || isDeliveryTime(now, slot.tz, schedule));
  return { week: weekOf(local), at: at.toJSDate(), due };
}

/**
 * This week's digest for a manager: the first instant of their local week inside their delivery
 * hours (Monday 10:00 with the defaults), and whether it has come. It is due only inside delivery
 * hours: after downtime it comes at the next working hour of the same week, never at night.
 */
export function digestDue(
  now: Date,
  tz: string | null,
  schedule: DeliverySchedule,
): { week: string; at: Date; due: boolean } {
  const local = DateTime.fromJSDate(now, { zone: zoneOrUtc(tz) });
  const at = nextDeliveryInstant(local.startOf('week').toJSDate(), tz, schedule);
  return { week: weekOf(local), at, due: now.getTime() >= at.getTime() && isDeliveryTime(now, tz, schedule) };
}

/** Next week's digest instant for a manager: the first delivery hour of their next local week. */
export function nextWeekDigestAt(now: Date, tz: string | null, schedule: DeliverySchedule): Date {
  const nextWeek = DateTime.fromJSDate(now, { zone: zoneOrUtc(tz) })
    .startOf('week')
    .plus({ weeks: 1 })
    .toJSDate();
  return nextDeliveryInstant(nextWeek, tz, schedule);
}

/** Every whole-hour UTC offset people live at, UTC−12 to UTC+14 (IANA's Etc zones name them inverted). */
const OFFSET_ZONES = Array.from({ length: 27 }, (_, i) => {
  const offset = i - 12;
  return offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
});

/**
 * The first instant at or after `now` inside delivery hours somewhere on Earth: before it, nobody's
 * digest can be due, whatever their zone (on a weekend, Monday's start at UTC+14).
 */
export function earliestDeliveryAnywhere(now: Date, schedule: DeliverySchedule): Date {
  let earliest = Number.POSITIVE_INFINITY;
  for (const zone of OFFSET_ZONES) earliest = Math.min(earliest, nextDeliveryInstant(now, zone, schedule).getTime());
  return new Date(earliest);
}

export type DigestCheck = { action: 'send'; week: string } | { action: 'wait'; until: Date };

/**
 * What the digest plan does about one manager at `now`: send this week's digest, or wait until the
 * next instant one can be due (this week's once it comes, the next delivery hour after downtime, or
 * next week's once this week's is taken). `until` is always after `now`, so a tick that plans a
 * manager never reads them again.
 */
export function digestCheck(
  now: Date,
  tz: string | null,
  schedule: DeliverySchedule,
  taken: (week: string) => boolean,
): DigestCheck {
  const due = digestDue(now, tz, schedule);
  if (taken(due.week)) return { action: 'wait', until: nextWeekDigestAt(now, tz, schedule) };
  if (due.due) return { action: 'send', week: due.week };
  if (now.getTime() < due.at.getTime()) return { action: 'wait', until: due.at };
  // Past this week's instant but outside delivery hours (downtime, an evening start): the next hour.
  return { action: 'wait', until: nextDeliveryInstant(now, tz, schedule) };
}

/** The instants of the next weekly slots in [from, from + days), for previews. */
export function slotsBetween(from: Date, days: number, slot: WeeklySlot): Date[] {
  const out: Date[] = [];
  const end = from.getTime() + days * 86_400_000;
  for (let week = 0; week <= Math.ceil(days / 7) + 1; week++) {
    const probe = new Date(from.getTime() + week * 7 * 86_400_000);
    const { at } = channelPostDue(probe, slot);
    if (at.getTime() >= from.getTime() && at.getTime() < end && !out.some((d) => d.getTime() === at.getTime())) {
      out.push(at);
    }
  }
  return out.sort((a, b) => a.getTime() - b.getTime());
}

// --- The growth prompt ---------------------------------------------------------------------------

/** Weeks since the ISO week of 1970-01-05 (a Monday): the same for every instant in one week. */
export function weekNumberSinceEpoch(monday: IsoDate): number {
  return Math.floor((Date.parse(`${monday}T00:00:00Z`) - Date.parse('1970-01-05T00:00:00Z')) / (7 * 86_400_000));
}

/** One team's example for the week's prompt: a level of its framework and one of its expectations. */
export interface TeamExample {
  framework: Framework;
  level: Level;
  expectation: string;
}

/**
 * The week's channel prompt is for everyone: it asks about the axes every framework shares, scope
 * of influence and ownership, with an example from each team (at most {@link MAX_TEAM_EXAMPLES}),
 * so an engineer never reads only another team's words.
 */
export interface GrowthPrompt {
  examples: TeamExample[];
}

/** Teams given an example in one post; with more frameworks, a different set each week. */
export const MAX_TEAM_EXAMPLES = 6;

/**
 * The week's prompt, deterministic by week: for each framework (in id order) with expectations, the
 * week moves to its next level in turn, and the expectation moves on each time its levels come round
 * again. With more than {@link MAX_TEAM_EXAMPLES} frameworks, the teams shown rotate too.
 */
export function growthPrompt(frameworks: readonly Framework[], monday: IsoDate): GrowthPrompt | null {
  const n = weekNumberSinceEpoch(monday);
  const teams = [...frameworks]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((framework) => ({ framework, levels: framework.levels.filter((l) => l.expectations.length > 0) }))
    .filter((t) => t.levels.length > 0);
  if (teams.length === 0) return null;
  const first = teams.length > MAX_TEAM_EXAMPLES ? mod(n * MAX_TEAM_EXAMPLES, teams.length) : 0;
  const shownTeams = Array.from(
    { length: Math.min(MAX_TEAM_EXAMPLES, teams.length) },
    (_, i) => teams[(first + i) % teams.length] as (typeof teams)[number],
  );
  return {
    examples: shownTeams.map(({ framework, levels }) => {
      const level = levels[mod(n, levels.length)] as Level;
      const round = Math.floor(n / levels.length);
      const expectation = level.expectations[mod(round, level.expectations.length)];
      return { framework, level, expectation: expectation?.text ?? '' };
    }),
  };
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

// --- Aggregates ----------------------------------------------------------------------------------

export interface Aggregates {
  /** People whose window is open at some point in the current calendar month. */
  openThisMonth: number;
  /** People whose window opens within the next four weeks. */
  openingSoon: number;
}

/** The first and last day of the month of `today`. */
export function monthOf(today: IsoDate): { first: IsoDate; last: IsoDate } {
  const first = `${today.slice(0, 7)}-01`;
  const next = DateTime.fromISO(first, { zone: 'UTC' }).plus({ months: 1 }).toISODate() as IsoDate;
  return { first, last: addDays(next, -1) };
}

/** Counts, over each teammate's window as of today (paused and left people are left out by the caller). */
export function aggregate(windows: readonly PromotionWindow[], today: IsoDate): Aggregates {
  const { first, last } = monthOf(today);
  const soon = addDays(today, 28);
  let openThisMonth = 0;
  let openingSoon = 0;
  for (const w of windows) {
    if (w.phase === 'none') continue;
    if (w.opensOn <= last && (w.closesOn === null || w.closesOn >= first)) openThisMonth++;
    if (w.opensOn > today && w.opensOn <= soon) openingSoon++;
  }
  return { openThisMonth, openingSoon };
}

/** An aggregate, or null when it counts too few people to show without pointing at someone. */
export function shown(count: number): number | null {
  return count >= MIN_AGGREGATE ? count : null;
}
