import { DateTime } from 'luxon';
import { addDays, type IsoDate, zoneOrUtc } from '../career/dates.js';
import { type PauseSpan, promotionWindow, type WindowTimeframe } from '../career/window.js';
import { todayForZone } from '../teammates/rules.js';

/**
 * The pure reminder math: which reminder a teammate is due for on a given day, and the next instant
 * it may be delivered in their local time. Nothing here reads the clock, Slack or the database:
 * `today` and `from` are parameters, and local-time arithmetic (DST, the date line) is Luxon's.
 */

/**
 * The four moments of a window, in the order they happen. A check-in prompt repeats while the
 * window is open, so its kind carries its cycle number (`checkin-2`).
 */
export type ReminderStage = 'heads-up' | 'open' | 'checkin' | 'past';

export interface ReminderPolicy {
  /** Days before the window opens that the heads-up is due. */
  headsUpDays: number;
  /** Days between check-in prompts while the window is open, counted from the day it opens. */
  checkinEveryDays: number;
}

export const DEFAULT_POLICY: ReminderPolicy = { headsUpDays: 28, checkinEveryDays: 42 };

export interface ReminderInput {
  since: IsoDate;
  timeframe: WindowTimeframe | null;
  pauses: readonly PauseSpan[];
  /** Today in the person's time zone. */
  today: IsoDate;
  /** Kinds already sent (or claimed) for this window. */
  sent: ReadonlySet<string>;
}

export interface NextReminder {
  /** The ledger kind: 'heads-up', 'open', 'checkin-<n>' or 'past'. */
  kind: string;
  stage: ReminderStage;
  /** The local day it is due from: on or before `today` means due now. */
  on: IsoDate;
  opensOn: IsoDate;
  closesOn: IsoDate | null;
}

interface Moment {
  kind: string;
  stage: ReminderStage;
  on: IsoDate;
}

/** The moments of a window up to and including the first one after `today` (check-ins repeat). */
function momentsThrough(
  since: IsoDate,
  opensOn: IsoDate,
  closesOn: IsoDate | null,
  today: IsoDate,
  policy: ReminderPolicy,
): Moment[] {
  const moments: Moment[] = [];
  const headsUp = addDays(opensOn, -policy.headsUpDays);
  // A window that opens within the lead time of `since` (a timeframe of 0 months) has no heads-up.
  if (policy.headsUpDays > 0 && headsUp > since) moments.push({ kind: 'heads-up', stage: 'heads-up', on: headsUp });
  moments.push({ kind: 'open', stage: 'open', on: opensOn });
  if (policy.checkinEveryDays > 0) {
    for (let n = 1; ; n++) {
      const on = addDays(opensOn, n * policy.checkinEveryDays);
      if (closesOn !== null && on > closesOn) break;
      moments.push({ kind: `checkin-${n}`, stage: 'checkin', on });
      if (on > today) break;
    }
  }
  if (closesOn !== null) moments.push({ kind: 'past', stage: 'past', on: addDays(closesOn, 1) });
  return moments;
}

/**
 * The reminder a person should get next for their current window, or null when there is none (no
 * timeframe, or the window is past and its reminder sent). Only the latest moment reached counts:
 * after downtime, or for someone first seen inside their window, the missed ones are skipped, with
 * one exception: inside the window, "open" goes first if it was never sent (rather than a check-in).
 */
export function nextReminder(input: ReminderInput, policy: ReminderPolicy = DEFAULT_POLICY): NextReminder | null {
  const window = promotionWindow({
    since: input.since,
    timeframe: input.timeframe,
    pauses: input.pauses,
    today: input.today,
  });
  if (window.phase === 'none') return null;
  const { opensOn, closesOn } = window;
  const moments = momentsThrough(input.since, opensOn, closesOn, input.today, policy);
  const dates = { opensOn, closesOn };

  let current: Moment | undefined;
  for (const m of moments) if (m.on <= input.today) current = m;
  if (current !== undefined) {
    const anySentInside = [...input.sent].some((k) => k === 'open' || k.startsWith('checkin-'));
    if (current.stage === 'checkin' && !anySentInside) {
      // Worded as the opening, but it takes the check-in moment's place in the ledger: the next day
      // must not bring that (already stale) check-in prompt as well.
      return { kind: current.kind, stage: 'open', on: current.on, ...dates };
    }
    if (!input.sent.has(current.kind)) return { ...current, ...dates };
  }
  const upcoming = moments.find((m) => m.on > input.today && !input.sent.has(m.kind));
  return upcoming === undefined ? null : { ...upcoming, ...dates };
}

// --- Delivery time -------------------------------------------------------------------------------

/** Luxon's weekday numbers: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface DeliveryHours {
  /** First local hour (0–23). */
  start: number;
  /** Hour the delivery window ends, exclusive (1–24). */
  end: number;
}

export interface DeliverySchedule {
  hours: DeliveryHours;
  /** Local weekdays on which reminders go out. */
  days: readonly Weekday[];
}

export const DEFAULT_DELIVERY: DeliverySchedule = { hours: { start: 10, end: 17 }, days: [1, 2, 3, 4, 5] };

/** The local date of an instant in a zone (UTC when unknown): the same "today" a card shows. */
export function localDate(instant: Date, tz: string | null): IsoDate {
  return todayForZone(tz, instant);
}

/** Whether `instant` falls inside the person's local delivery hours on a delivery day. */
export function isDeliveryTime(instant: Date, tz: string | null, schedule: DeliverySchedule): boolean {
  const local = DateTime.fromJSDate(instant, { zone: zoneOrUtc(tz) });
  return (
    schedule.days.includes(local.weekday as Weekday) &&
    local.hour >= schedule.hours.start &&
    local.hour < schedule.hours.end
  );
}

/**
 * The earliest instant at or after `from` that is inside the person's delivery hours on a delivery
 * day, and on or after the local day `notBefore` when given. Local midnight and the start hour are
 * Luxon's: on a DST change the wall clock is followed (a start hour skipped by the change is taken
 * as the first instant after it).
 */
export function nextDeliveryInstant(
  from: Date,
  tz: string | null,
  schedule: DeliverySchedule,
  notBefore?: IsoDate,
): Date {
  if (schedule.days.length === 0) throw new RangeError('a delivery schedule needs at least one day');
  const zone = zoneOrUtc(tz);
  let local = DateTime.fromJSDate(from, { zone });
  if (notBefore !== undefined && (local.toISODate() as string) < notBefore) {
    local = DateTime.fromISO(notBefore, { zone }).startOf('day');
  }
  for (let i = 0; i < 9; i++) {
    if (schedule.days.includes(local.weekday as Weekday)) {
      if (local.hour < schedule.hours.start) {
        const start = local.set({ hour: schedule.hours.start, minute: 0, second: 0, millisecond: 0 });
        if (start.hour < schedule.hours.end) return start.toJSDate();
      } else if (local.hour < schedule.hours.end) {
        return local.toJSDate();
      }
    }
    local = local.plus({ days: 1 }).startOf('day');
  }
  // Unreachable with at least one day: a week always holds one.
  throw new Error('no delivery instant within nine days');
}

// --- Settings ------------------------------------------------------------------------------------

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** `10-17`: local hours from 10:00 to 17:00, the end excluded. */
export function parseHours(text: string): Parsed<DeliveryHours> {
  const m = /^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$/.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not START-END in whole hours, such as 10-17.` };
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > 23 || end < 1 || end > 24 || start >= end) {
    return { ok: false, error: `"${text}": the start must be 0–23, the end 1–24 and after the start (e.g. 10-17).` };
  }
  return { ok: true, value: { start, end } };
}

/**
 * `mon-fri`, `mon-sun`, `mon,wed,fri`, or a mix (`mon-wed,fri`). A range may wrap past Sunday
 * (`fri-mon`). Returns the days in week order, without duplicates.
 */
export function parseDays(text: string): Parsed<Weekday[]> {
  const parts = text
    .toLowerCase()
    .split(',')
    .map((p) => p.trim());
  const days = new Set<Weekday>();
  const dayOf = (name: string): Weekday | undefined => {
    const i = Math.max(DAY_NAMES.indexOf(name as never), FULL_DAY_NAMES.indexOf(name as never));
    return i < 0 ? undefined : ((i + 1) as Weekday);
  };
  const bad = () => ({
    ok: false as const,
    error: `"${text}" is not a list of days: use mon, tue, wed, thu, fri, sat, sun, ranges (mon-fri) or commas (mon,wed,fri).`,
  });
  for (const part of parts) {
    const range = /^([a-z]+)\s*-\s*([a-z]+)$/.exec(part);
    if (range) {
      const from = dayOf(range[1] as string);
      const to = dayOf(range[2] as string);
      if (from === undefined || to === undefined) return bad();
      for (let d = from; ; d = ((d % 7) + 1) as Weekday) {
        days.add(d);
        if (d === to) break;
      }
    } else {
      const d = /^[a-z]+$/.test(part) ? dayOf(part) : undefined;
      if (d === undefined) return bad();
      days.add(d);
    }
  }
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

/**
 * The reminders still to come for a window, as of `today`, assuming each is sent on its day: what
 * `/career nudges` shows. At most `limit`, earliest first; check-ins of an open-ended window repeat.
 */
export function upcomingReminders(
  input: Omit<ReminderInput, 'sent'>,
  policy: ReminderPolicy = DEFAULT_POLICY,
  limit = 5,
): { stage: ReminderStage; kind: string; on: IsoDate }[] {
  const window = promotionWindow({ ...input });
  if (window.phase === 'none') return [];
  const horizon = addDays(input.today, 7 * 200);
  return momentsThrough(input.since, window.opensOn, window.closesOn, horizon, policy)
    .filter((m) => m.on >= input.today)
    .slice(0, limit)
    .map(({ stage, kind, on }) => ({ stage, kind, on }));
}
