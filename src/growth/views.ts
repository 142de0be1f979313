import type { IsoDate } from '../career/dates.js';
import type { StepStanding } from '../career/window.js';
import type { ReminderStage } from '../reminders/schedule.js';

/**
 * What growth nudges, digests and the admin's schedule say, as data: the growth service decides it,
 * and the Slack adapter words it (src/slack/blocks/growth.ts).
 */

/**
 * What a channel post may say. NOTE: it holds no person unless they opted in: aggregates are counts
 * (null when under three people), and `celebrations` lists only people who said `/career celebrate on`.
 */
export interface ChannelPostView {
  /**
   * The shared axes (scope of influence and ownership), with one example per team: `team` is the framework's name,
   * `level` the level as the framework names it (an open area, "Head of …", is worded for the channel when shown).
   */
  prompt: { examples: readonly { team: string; level: string; expectation: string }[] } | null;
  aggregates: { openThisMonth: number | null; openingSoon: number | null };
  celebrations: readonly { userId: string; title: string }[];
  /** When the weekly post comes, for the footer; null for a channel without a schedule. */
  slot: ChannelSlotView | null;
}

/** The channel's weekly slot as people read it: the day and time in the channel's zone, and the next one. */
export interface ChannelSlotView {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 'HH:MM' in `tz`. */
  time: string;
  /** The zone the admin set it in (null: UTC). */
  tz: string | null;
  /** The next post's instant (UTC ISO), which Slack shows in each reader's own zone. */
  next: string;
}

/** How many of one kind go out, on which of the preview's days, and the first few people. */
export interface ScheduleLine {
  count: number;
  /** Per day of `ScheduleView.dates`. */
  perDay: readonly number[];
  /** The first people in send order (at most a few): the others are only counted. */
  sample: readonly string[];
}

/** What goes out in the next seven days, for `/career admin schedule`. */
export interface ScheduleView {
  days: number;
  /** The admin's local days the preview covers, today first. */
  dates: readonly IsoDate[];
  /** The admin's zone, which `dates` are in (null: UTC). */
  tz: string | null;
  reminders: readonly ({ stage: ReminderStage } & ScheduleLine)[];
  digests: ScheduleLine;
  /** Managers whose zone Ripple has not stored yet: their digest is placed by UTC here. */
  unknownZones: number;
  channel: { channelId: string; at: readonly string[] } | null;
  /** More records changed since the last tick than a preview plans: those are counted after the next tick. */
  unplanned?: boolean;
}

/** Where a report stands toward their next step: the one rule (src/career/window.ts), or paused. */
export type DigestStanding = StepStanding | 'paused';

export interface DigestLine {
  userId: string;
  /** 'Marketing · Level 3 · Coordinator', with the person's own title as `/career team` shows it; null when the level is no longer in the files. */
  level: string | null;
  daysAtLevel: number;
  standing: DigestStanding;
  /** The next step is a choice (the framework's `optional`): worded as one, never "past". */
  optional: boolean;
  /** The next step's titles as the manager reads them ('Coordinator', 'Head of their area'); null at the top. */
  next: string | null;
  opensOn: IsoDate | null;
  closesOn: IsoDate | null;
  /** Check-ins this report shared with the manager, and when the last was: never one they kept to themselves. */
  shared: { count: number; last: IsoDate | null };
}

/** A check-in shared with the manager that waits for their ratings. */
export interface AwaitingRatings {
  userId: string;
  checkinId: number;
  sharedOn: IsoDate;
}

/** A report's window for their next step opens this week. */
export interface WindowOpening {
  userId: string;
  next: string;
  opensOn: IsoDate;
  optional: boolean;
}

/** A report's level changed last week (by someone else than the manager). */
export interface LevelChange {
  userId: string;
  /** 'Marketing · Level 3 · Coordinator'. */
  level: string;
  on: IsoDate;
  /** Up a level on the same framework; false for a lower level or a move to another framework or track. */
  up: boolean;
}

/**
 * A manager's weekly digest. It is sent only in a week when something needs the manager (`digestNeeded`):
 * the actions first, then the team at a glance.
 */
export interface DigestView {
  awaitingRatings: readonly AwaitingRatings[];
  windowsOpening: readonly WindowOpening[];
  levelChanges: readonly LevelChange[];
  reports: readonly DigestLine[];
}

/** Whether this week's digest has something that needs the manager; otherwise none is sent. */
export function digestNeeded(view: DigestView): boolean {
  return view.awaitingRatings.length > 0 || view.windowsOpening.length > 0 || view.levelChanges.length > 0;
}
