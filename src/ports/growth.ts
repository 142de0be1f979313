import type { ChangedRecord, DigestPlanChanges } from '../growth/digest-plan.js';
import type { Timestamp } from '../teammates/model.js';
import type { ChangeCursor } from './teammates.js';

/**
 * Where channel growth nudges and manager digests keep their state (db/007): the workspace's growth
 * channel, each person's growth preferences, and the weekly ledger that makes each post and digest
 * go out at most once a week.
 */

/** The workspace's growth channel and when its weekly post goes out. */
export interface GrowthChannel {
  teamId: string;
  channelId: string;
  /** 1 = Monday … 7 = Sunday (Luxon's numbering). */
  weekday: number;
  /** 'HH:MM', local to `tz`. */
  time: string;
  /** The zone `time` is read in: that of the admin who set it; null reads as UTC. */
  tz: string | null;
  setBy: string;
  setAt: Timestamp;
}

export interface GrowthPreferences {
  /** Reminders about an optional next step ("if you choose to…"); on unless turned off. */
  optionalNudges: 'on' | 'off';
  /** A level-up may be celebrated by name in the growth channel; off unless the person opts in. */
  celebrate: boolean;
  /** The weekly manager digest (`/career digest off|on`); on unless the manager turned it off. */
  digest: 'on' | 'off';
}

export const DEFAULT_PREFERENCES: GrowthPreferences = { optionalNudges: 'on', celebrate: false, digest: 'on' };

export type WeeklyKind = 'channel' | 'digest';

export interface WeeklyKey {
  teamId: string;
  kind: WeeklyKind;
  /** The channel id for a channel post, the manager's user id for a digest. */
  subject: string;
  /** ISO week, '2026-W25'. */
  week: string;
}

export interface WeeklyEntry extends WeeklyKey {
  status: 'claimed' | 'sent' | 'undeliverable';
  claimedAt: Timestamp;
  sentAt: Timestamp | null;
  error: string | null;
}

/** A manager's row in the digest plan (db/011). */
export interface DigestPlanRow {
  teamId: string;
  managerId: string;
  /** When the tick should look at them next; '' when not planned yet. */
  dueAt: Timestamp | '';
  /** The zone Slack gave for them, when `tzKnown` (null: Slack names none). */
  tz: string | null;
  /** Whether Slack has told Ripple this manager's zone (a lookup, `user_change`, their record). */
  tzKnown: boolean;
}

/** The growth store's port: every method returns a promise, on SQLite and PostgreSQL alike. */
export interface GrowthStore {
  channel(teamId: string): Promise<GrowthChannel | null>;
  /** Every workspace's growth channel, for the weekly tick. */
  channels(): Promise<GrowthChannel[]>;
  setChannel(channel: GrowthChannel): Promise<void>;
  /** False when no channel was set. */
  clearChannel(teamId: string): Promise<boolean>;
  preferences(teamId: string, userId: string): Promise<GrowthPreferences>;
  /**
   * Turns reminders about optional steps on or off. Also marks the teammate record changed, so the
   * reminder planner looks at the person again at its next tick.
   */
  setOptionalNudges(teamId: string, userId: string, on: boolean, at: Timestamp): Promise<void>;
  setCelebrate(teamId: string, userId: string, on: boolean, at: Timestamp): Promise<void>;
  /**
   * Turns the person's weekly manager digest on or off; a manager of record is planned again at the next
   * tick (turned on after this week's slot, this week's digest may still come). One transaction.
   */
  setDigest(teamId: string, userId: string, on: boolean, at: Timestamp): Promise<void>;
  /** People in the workspace who opted in to a celebration. */
  celebrating(teamId: string): Promise<string[]>;
  /**
   * Takes the week's key before sending: false when it is already taken. A unique key and
   * `INSERT … ON CONFLICT DO NOTHING`, so of several instances claiming at once exactly one gets true.
   */
  claimWeek(key: WeeklyKey, at: Timestamp): Promise<boolean>;
  /** Whether the week's key is in the ledger already (claimed, sent or undeliverable). */
  weekTaken(key: WeeklyKey): Promise<boolean>;
  markWeek(key: WeeklyKey, outcome: { ok: true } | { ok: false; error: string }, at: Timestamp): Promise<void>;
  /** Gives a claim back after a failure worth retrying. */
  releaseWeek(key: WeeklyKey): Promise<void>;
  weekEntries(teamId: string): Promise<WeeklyEntry[]>;
  /**
   * Takes the managers whose digest may be due at `now` (unplanned ones first, then earliest due), at
   * most `limit`, by planning them at `until`: a range of the plan's index, whatever the company's size.
   * Several instances take disjoint managers (PostgreSQL skips rows another one is taking); a manager
   * taken by an instance that stops is due again at `until`.
   */
  claimDueDigests(now: Timestamp, until: Timestamp, limit: number): Promise<DigestPlanRow[]>;
  /** When to look at each manager next: one transaction for all (one commit for a tick's batch). */
  planDigests(plans: readonly { teamId: string; managerId: string; dueAt: Timestamp }[]): Promise<void>;
  /**
   * Keeps the zone Slack gave for a manager (a lookup, `user_change`). With `replan`, the manager is
   * planned again at the next tick (their digest's hour moved). False when nothing changed, or they are
   * no manager of record.
   */
  rememberDigestZone(
    teamId: string,
    managerId: string,
    tz: string | null,
    at: Timestamp,
    options?: { replan: boolean },
  ): Promise<boolean>;
  /** Drops the manager from the plan: they manage nobody any more. */
  dropDigest(teamId: string, managerId: string): Promise<void>;
  /** How far the digest plan has followed the teammates change sequence; null before the first time. */
  digestCursor(): Promise<ChangeCursor | null>;
  /**
   * The next `limit` teammate records changed after `cursor` (from the first without one), in change
   * order through teammates_by_change, each with their own plan row as a manager, if any.
   */
  recordsChangedAfter(cursor: ChangeCursor | null, limit: number): Promise<ChangedRecord[]>;
  /**
   * Applies a slice of changes to the plan (managers added if missing, managers re-planned with their
   * record's zone and nudges) and moves the cursor to `cursor`, in one transaction.
   */
  followChanges(changes: DigestPlanChanges, cursor: ChangeCursor): Promise<void>;
  /**
   * Forgets a person's growth data: their preferences, the digests sent to them, and the zone the plan
   * kept for them (if people still report to them they stay planned, and Slack is asked again).
   * Returns the rows deleted or reset.
   */
  forget(teamId: string, userId: string): Promise<number>;
  /**
   * Retention: looks at the next `limit` weekly sends after `cursor` in key order (the primary key)
   * and deletes those claimed before `before`. "At most once a week" needs only the current week's.
   * Returns the rows deleted and the last key looked at (null at the end).
   */
  pruneWeeks(
    before: Timestamp,
    cursor: WeeklyKey | null,
    limit: number,
  ): Promise<{ deleted: number; next: WeeklyKey | null }>;
  /**
   * For previews: a page of the workspace's managers of record after `after`, in id order (at most
   * `limit`), each with whether they manage anyone who has not left, their stored zone (null without a
   * record), whether their digest is on (`/career digest`), and which of `weeks` (at most MANAGER_PAGE_WEEKS) their digest is in the
   * ledger for. One seek per manager (teammates_by_manager, then primary keys): never a read of every report.
   */
  managerPage(teamId: string, after: string, limit: number, weeks: readonly string[]): Promise<ManagerDigestRow[]>;
}

/** The most weeks `managerPage` looks up per manager (every zone's current week: yesterday, today, tomorrow in UTC). */
export const MANAGER_PAGE_WEEKS = 3;

export interface ManagerDigestRow {
  managerId: string;
  managing: boolean;
  tz: string | null;
  /** `/career digest off|on`: 'on' unless the manager turned it off. */
  digest: 'on' | 'off';
  /** The weeks asked about that are in the ledger for this manager's digest. */
  weeks: string[];
}
