import { DateTime } from 'luxon';
import { addDays, daysBetween, type IsoDate, maxDate, zoneOrUtc } from '../career/dates.js';
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
  /**
   * Days from one check-in prompt, or one finished check-in, to the next prompt while the window is
   * open (see {@link nextPromptOn}).
   */
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
  /**
   * The local day the latest check-in prompt of this window ('open' or 'checkin-<n>') was sent or
   * claimed. When absent, the day the latest prompt in `sent` was due is taken.
   */
  lastPromptOn?: IsoDate | null;
  /** The local day the person last finished a check-in (any level), or null when they never did. */
  lastCheckinOn?: IsoDate | null;
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

/** The cycle of a prompt kind: 0 for 'open', n for 'checkin-<n>', undefined for any other kind. */
function promptCycle(kind: string): number | undefined {
  if (kind === 'open') return 0;
  const m = /^checkin-(\d+)$/.exec(kind);
  return m ? Number(m[1]) : undefined;
}

/**
 * THE check-in prompt policy, in one place: while the window is open, a prompt comes on the day it
 * opens, then every `checkinEveryDays` (six weeks) counted from the later of the last prompt and the
 * last finished check-in. A finished check-in counts as the prompt: none comes within six weeks of
 * one, whenever the window opened. Returns the local day the next prompt is due (on or before today:
 * due now).
 */
export function nextPromptOn(
  input: { opensOn: IsoDate; lastPromptOn: IsoDate | null; lastCheckinOn: IsoDate | null },
  everyDays: number,
): IsoDate {
  let on = input.opensOn;
  if (input.lastPromptOn !== null) on = maxDate(on, addDays(input.lastPromptOn, everyDays));
  if (input.lastCheckinOn !== null) on = maxDate(on, addDays(input.lastCheckinOn, everyDays));
  return on;
}

/**
 * The prompt due on `on`: its ledger kind is its cycle since the window opened ('open' for the
 * first six weeks, then 'checkin-<n>'), after every cycle already sent, so a key is never reused. It
 * is worded as the opening when no prompt of this window has been sent yet.
 */
function promptOn(on: IsoDate, opensOn: IsoDate, sent: ReadonlySet<string>, everyDays: number): Moment {
  const cycles = [...sent].map(promptCycle).filter((n): n is number => n !== undefined);
  const byDate = everyDays > 0 ? Math.floor(daysBetween(opensOn, on) / everyDays) : 0;
  const n = cycles.length === 0 ? byDate : Math.max(byDate, Math.max(...cycles) + 1);
  return { kind: n === 0 ? 'open' : `checkin-${n}`, stage: cycles.length === 0 ? 'open' : 'checkin', on };
}

interface Moment {
  kind: string;
  stage: ReminderStage;
  on: IsoDate;
}

/**
 * The reminder a person should get next for their current window, or null when there is none (no
 * timeframe, or the window is past and its reminder sent). Before the window: the heads-up (unless
 * the window opens within its lead of `since`), then the opening. Inside it: the next check-in
 * prompt ({@link nextPromptOn}); a prompt missed while Ripple was down is sent once, late, never
 * once per missed cycle. After it: "past", once.
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
  const dates = { opensOn, closesOn };
  const past: Moment | null = closesOn === null ? null : { kind: 'past', stage: 'past', on: addDays(closesOn, 1) };
  if (past !== null && input.today >= past.on) return input.sent.has('past') ? null : { ...past, ...dates };

  const headsUp = addDays(opensOn, -policy.headsUpDays);
  if (input.today < opensOn && policy.headsUpDays > 0 && headsUp > input.since && !input.sent.has('heads-up')) {
    return { kind: 'heads-up', stage: 'heads-up', on: headsUp, ...dates };
  }
  if (policy.checkinEveryDays <= 0) {
    if (!input.sent.has('open')) return { kind: 'open', stage: 'open', on: opensOn, ...dates };
    return past === null ? null : { ...past, ...dates };
  }
  const lastPromptOn = input.lastPromptOn ?? lastPromptDue(input.sent, opensOn, policy.checkinEveryDays);
  const on = nextPromptOn(
    { opensOn, lastPromptOn, lastCheckinOn: input.lastCheckinOn ?? null },
    policy.checkinEveryDays,
  );
  if (closesOn === null || on <= closesOn)
    return { ...promptOn(on, opensOn, input.sent, policy.checkinEveryDays), ...dates };
  return past === null ? null : { ...past, ...dates };
}

/** The day the latest prompt in `sent` was due, when the day it was sent is not known. */
function lastPromptDue(sent: ReadonlySet<string>, opensOn: IsoDate, everyDays: number): IsoDate | null {
  const cycles = [...sent].map(promptCycle).filter((n): n is number => n !== undefined);
  return cycles.length === 0 ? null : addDays(opensOn, Math.max(...cycles) * everyDays);
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
  const local = DateTime.fromJSDate(from, { zone });
  const today = local.toISODate() as IsoDate;
  // NOTE: the days are walked as calendar dates, and Luxon computes a zone's offset only for the day
  // chosen: the same instants as stepping a DateTime day by day (the tick evaluates each person twice,
  // and most next reminders are weeks ahead, so this is on the reminder tick's hot path).
  let day = notBefore !== undefined && today < notBefore ? notBefore : today;
  for (let i = 0; i < 9; i++, day = addDays(day, 1)) {
    if (!schedule.days.includes(weekdayOf(day))) continue;
    if (day === today && local.hour >= schedule.hours.start) {
      if (local.hour < schedule.hours.end) return from;
      continue;
    }
    // The start hour of that local day; one skipped by a DST change is the first instant after it.
    const start = DateTime.fromObject(
      { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) },
      { zone },
    ).set({ hour: schedule.hours.start });
    if (start.hour < schedule.hours.end) return start.toJSDate();
  }
  // Unreachable with at least one day: a week always holds one.
  throw new Error('no delivery instant within nine days');
}

/** Luxon's weekday number (1 = Monday … 7 = Sunday) of a calendar date: no time zone involved. */
function weekdayOf(date: IsoDate): Weekday {
  const d = new Date(0);
  d.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return (((d.getUTCDay() + 6) % 7) + 1) as Weekday;
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
 * The reminders still to come for a window, as of `today`, assuming each is sent on the day it is
 * due and no check-in is finished meanwhile: what `/career nudges` shows. The same rule as the
 * engine ({@link nextReminder}), one step at a time. At most `limit`, earliest first; check-ins of an
 * open-ended window repeat.
 */
export function upcomingReminders(
  input: ReminderInput,
  policy: ReminderPolicy = DEFAULT_POLICY,
  limit = 5,
): { stage: ReminderStage; kind: string; on: IsoDate }[] {
  const out: { stage: ReminderStage; kind: string; on: IsoDate }[] = [];
  const sent = new Set(input.sent);
  let today = input.today;
  let lastPromptOn = input.lastPromptOn;
  while (out.length < limit) {
    const next = nextReminder({ ...input, today, sent, lastPromptOn }, policy);
    if (next === null) break;
    const on = maxDate(next.on, today);
    out.push({ stage: next.stage, kind: next.kind, on });
    sent.add(next.kind);
    if (promptCycle(next.kind) !== undefined) lastPromptOn = on;
    today = on;
  }
  return out;
}
