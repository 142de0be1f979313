import type { IsoDate } from '../career/dates.js';

/**
 * A teammate as the domain knows them: their record, its history and their time away, and the values
 * a field may hold. Plain data; the stores load and save it (src/store/types.ts re-exports it for
 * their callers), and the pure rules (src/teammates/rules.ts) read it without importing storage.
 */

export const TEAMMATE_STATUSES = ['active', 'paused', 'left'] as const;
export type TeammateStatus = (typeof TEAMMATE_STATUSES)[number];

/** How Ripple may reach the person with reminders: a DM, or not at all. */
export const NUDGE_PREFERENCES = ['dm', 'off'] as const;
export type NudgePreference = (typeof NUDGE_PREFERENCES)[number];

export const HISTORY_FIELDS = ['framework', 'level', 'manager', 'status', 'since', 'title'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

/** ISO 8601 timestamp in UTC, as written by the stores: '2026-01-15T09:30:00.000Z'. */
export type Timestamp = string;

export interface TeammateRecord {
  teamId: string;
  userId: string;
  frameworkId: string;
  /** The level's stable id in the framework file. */
  levelId: string;
  /** The day the person reached this level. */
  since: IsoDate;
  managerId: string | null;
  /**
   * The person's own title where the level has several, or its area ("Head of Content"); null: the
   * level's titles as the framework lists them.
   */
  title: string | null;
  status: TeammateStatus;
  /** The day the person expects to be back, while paused; null otherwise or when open-ended. */
  pausedUntil: IsoDate | null;
  tz: string | null;
  tzFetchedAt: Timestamp | null;
  nudges: NudgePreference;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

/** One change to one field, never rewritten. `from` is null when the field was first set. */
export interface HistoryEntry {
  id: number;
  teamId: string;
  userId: string;
  field: HistoryField;
  from: string | null;
  to: string | null;
  changedBy: string;
  changedAt: Timestamp;
  note: string | null;
}

/** Time away: `start` is the first day away, `end` the first day back, null while still away. */
export interface Pause {
  id: number;
  teamId: string;
  userId: string;
  start: IsoDate;
  end: IsoDate | null;
  createdAt: Timestamp;
}
