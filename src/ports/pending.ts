import type { IsoDate } from '../career/dates.js';
import type { Timestamp } from '../teammates/model.js';

/**
 * A `/career set` waiting for its Confirm button, as the preview planned it. The store checks it
 * (src/store/pending.ts, `plannedChangeSchema`, held to this shape) before keeping it.
 */
export interface PlannedChange {
  frameworkId: string;
  levelId: string;
  since: IsoDate;
  /** Left out: the manager stays as it is. Null: clear it. */
  managerId?: string | null | undefined;
  /** The person's own title at the level, when one was given. */
  title?: string | undefined;
  note?: string | undefined;
  /**
   * What the record said when the preview was shown (see `recordFingerprint`; null: no record yet). A
   * change made since voids the preview.
   */
  basedOn: string | null;
}

export interface PendingChange {
  id: string;
  teamId: string;
  requestedBy: string;
  userId: string;
  change: PlannedChange;
  createdAt: Timestamp;
}

export interface PendingChangeStore {
  /** Keeps a change until it is confirmed or cancelled; returns its id. */
  add(pending: Omit<PendingChange, 'id'>): Promise<string>;
  /**
   * Removes and returns the change, only for the person who asked and only if it was made at or after
   * `notBefore`; otherwise returns null and removes nothing. One statement: of two Confirm clicks (on one
   * instance or two), one takes it and the other gets null.
   */
  take(teamId: string, id: string, requestedBy: string, notBefore: Timestamp): Promise<PendingChange | null>;
  /** Reads without removing (to say who may confirm it). */
  get(teamId: string, id: string): Promise<PendingChange | null>;
  /** Forgets at most `limit` changes made before `before`, oldest first; returns how many. */
  prune(before: Timestamp, limit: number): Promise<number>;
  /** Every change waiting for the person (`/career forget` removes them with the record). */
  forgetUser(teamId: string, userId: string): Promise<number>;
}
