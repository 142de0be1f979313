import type { IsoDate } from '../career/dates.js';
import type { Timestamp } from '../teammates/model.js';
import type { ChangeCursor } from './teammates.js';

/**
 * Where the reminder engine keeps its work (db/006): the plan (when to look at each teammate next)
 * and the ledger (each reminder claimed or sent, unique per workspace, person, kind and window).
 */

export interface ReminderKey {
  teamId: string;
  userId: string;
  kind: string;
  windowKey: string;
}

export interface PlanRow {
  teamId: string;
  userId: string;
  /** UTC ISO instant; null when nothing can be due until the record changes. */
  dueAt: Timestamp | null;
  kind: string | null;
  windowKey: string | null;
  attempts: number;
  unreachable: string | null;
  plannedAt: Timestamp;
}

export type PlanInput = Omit<PlanRow, 'attempts' | 'unreachable'> & { attempts?: number; unreachable?: string | null };

export interface DueCount {
  kind: string;
  day: number;
  count: number;
}

export type LedgerStatus = 'claimed' | 'sent' | 'undeliverable';

export interface LedgerEntry extends ReminderKey {
  status: LedgerStatus;
  localDate: IsoDate;
  claimedAt: Timestamp;
  sentAt: Timestamp | null;
  error: string | null;
}

/** A reminder delivered: its key, when, and the person's next plan. */
export interface SentMark {
  key: ReminderKey;
  at: Timestamp;
  nextPlan?: PlanInput;
}

/** Day starts `dueCounts` accepts: a preview is 7 days, so at most 7 starts after its first day. */
export const MAX_DAY_STARTS = 8;

export interface ReminderStore {
  /** Plan rows due at or before `now`, earliest first: served by the partial index on due_at. */
  due(now: Timestamp, limit: number): Promise<PlanRow[]>;
  /** Plan rows due in [from, to), earliest first, every workspace (the sandbox's clock skips to the first). */
  dueBetween(from: Timestamp, to: Timestamp, limit: number): Promise<PlanRow[]>;
  /**
   * For previews: one workspace's planned sends due before `until` (overdue ones included: they go
   * at the next tick), counted per kind and day. `day` is how many of `dayStarts` (ascending, at most
   * {@link MAX_DAY_STARTS}) are at or before the due time: 0 for the first day. One grouped read of
   * reminder_plan_team_due.
   */
  dueCounts(teamId: string, until: Timestamp, dayStarts: readonly Timestamp[]): Promise<DueCount[]>;
  /**
   * For previews: the first `limit` people due before `until` with a kind matching `kindPattern` (a
   * LIKE pattern: `checkin-%`; kinds are lower case, so it matches alike on both engines), in due order.
   */
  dueSample(teamId: string, until: Timestamp, kindPattern: string, limit: number): Promise<string[]>;
  getPlan(teamId: string, userId: string): Promise<PlanRow | null>;
  /** Creates or replaces a person's plan row. */
  setPlan(row: PlanInput): Promise<void>;
  /** Creates or replaces many plan rows in one transaction. */
  setPlans(rows: readonly PlanInput[]): Promise<void>;
  dropPlan(teamId: string, userId: string): Promise<void>;
  /**
   * Takes the key before sending: false when the key is already in the ledger, or when the person
   * already has a reminder on `localDate` (at most one a day). One INSERT … ON CONFLICT DO NOTHING on
   * the ledger's unique keys (its primary key, and reminder_ledger_one_a_day): whichever instance
   * inserts the row wins, on either engine; every other gets false and must not send. `perDay: false`
   * skips the daily limit (a manager's note that goes with the person's own reminder).
   *
   * NOTE: outside a unit of work the claim commits before this returns, which is what makes the send
   * after it at most once; inside one, it counts only once the unit commits.
   */
  claim(key: ReminderKey, localDate: IsoDate, at: Timestamp, options?: { perDay?: boolean }): Promise<boolean>;
  /** Records a claimed reminder as sent, and (in the same transaction) the person's next plan when given. */
  markSent(key: ReminderKey, at: Timestamp, nextPlan?: PlanInput): Promise<void>;
  /** {@link markSent} for several reminders, in one transaction (one commit, where each commit waits for the disk). */
  markSentMany(sent: readonly SentMark[]): Promise<void>;
  markUndeliverable(key: ReminderKey, error: string, at: Timestamp): Promise<void>;
  /** Gives a claim back after a failure worth retrying: the key (and the day) may be claimed again. */
  release(key: ReminderKey): Promise<void>;
  entries(teamId: string, userId: string): Promise<LedgerEntry[]>;
  /** Deletes the person's plan and ledger rows (`/career forget`); returns the rows deleted. */
  forget(teamId: string, userId: string): Promise<number>;
  /**
   * Retention: looks at the next `limit` ledger rows after `cursor` in key order (the primary key:
   * no index of its own, which would cost as much disk as the ledger's key), and deletes those
   * claimed before `before` that are not of the person's current window: what "at most once" still
   * needs is kept however old. Returns the rows deleted and the last key looked at (null at the end).
   */
  pruneLedger(
    before: Timestamp,
    cursor: ReminderKey | null,
    limit: number,
  ): Promise<{ deleted: number; next: ReminderKey | null }>;
  /**
   * Teammates whose change_seq puts them after `cursor` (null: from the start), in change order, at
   * most `limit`: one seek and a walk of teammates_by_change.
   */
  changedSince(cursor: ChangeCursor | null, limit: number): Promise<ChangeCursor[]>;
  getState(name: string): Promise<string | null>;
  setState(name: string, value: string): Promise<void>;
}
