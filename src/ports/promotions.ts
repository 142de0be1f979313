import type { IsoDate } from '../career/dates.js';
import type { Timestamp } from '../teammates/model.js';

/**
 * Where a promotion case stands: with the person (`draft`, not yet sent), with the admins (`proposed`), decided, or
 * ended before a decision (`withdrawn` by the proposer or an admin; `expired`, a draft not sent in time). A case is
 * `open` while it is a draft or proposed: a person has at most one open case.
 */
export const CASE_STATUSES = ['draft', 'proposed', 'approved', 'declined', 'withdrawn', 'expired'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The most ids `openAmong` checks in one statement (a `/career team` list with buttons holds fewer). */
export const OPEN_CHECK_MAX = 200;

/** A promotion case: who proposed whom for which level, and each step's time (the person's history shows them). */
export interface PromotionCase {
  id: number;
  teamId: string;
  userId: string;
  proposedBy: string;
  frameworkId: string;
  fromLevelId: string;
  toLevelId: string;
  /** The rated check-in it was proposed from; null: the latest one shared with the manager is shown. */
  checkinId: number | null;
  managerNote: string | null;
  personNote: string | null;
  status: CaseStatus;
  /** Where it went when sent: a channel id, or null for the Ripple admins' DMs. */
  sentToChannel: string | null;
  createdAt: Timestamp;
  personNoteAt: Timestamp | null;
  sentAt: Timestamp | null;
  decidedBy: string | null;
  decidedAt: Timestamp | null;
  /** Approved: the date the new level counts from. */
  since: IsoDate | null;
  /** Declined: the note for the manager, never shown to the person. */
  decisionNote: string | null;
}

export interface NewCase {
  teamId: string;
  userId: string;
  proposedBy: string;
  frameworkId: string;
  fromLevelId: string;
  toLevelId: string;
  checkinId: number | null;
  managerNote: string | null;
  at: Timestamp;
}

export type Decision =
  | { status: 'approved'; by: string; at: Timestamp; since: IsoDate }
  | { status: 'declined'; by: string; at: Timestamp; note: string };

/** A workspace's promotion settings; null fields are the defaults (the admins' DMs, the default threshold). */
export interface PromotionSettings {
  channelId: string | null;
  threshold: number | null;
}

/**
 * Promotion cases and the workspace's promotion settings. Every step is one guarded statement: of two clicks (on
 * one instance or two), one moves the case and the other gets null, having written nothing.
 */
export interface PromotionStore {
  /** The person's open case (a draft or proposed), if any. */
  open(teamId: string, userId: string): Promise<PromotionCase | null>;
  /** Opens a case as a draft; null (nothing written) when the person already has an open one. */
  propose(c: NewCase): Promise<PromotionCase | null>;
  get(teamId: string, id: number): Promise<PromotionCase | null>;
  /** Which of `userIds` (at most OPEN_CHECK_MAX) have an open case: one statement, one index probe per id. */
  openAmong(teamId: string, userIds: readonly string[]): Promise<Set<string>>;
  /** The person's note on their own draft; null when it is not their draft any more. */
  addPersonNote(teamId: string, id: number, userId: string, note: string, at: Timestamp): Promise<PromotionCase | null>;
  /** The person sends their draft on: once; null when it is not their draft any more. */
  send(
    teamId: string,
    id: number,
    userId: string,
    channelId: string | null,
    at: Timestamp,
  ): Promise<PromotionCase | null>;
  /** Withdraws an open case (a draft or proposed): once; null when it is not open any more. */
  withdraw(teamId: string, id: number, by: string, at: Timestamp): Promise<PromotionCase | null>;
  /**
   * Expires drafts created before `createdBefore`, the oldest first, at most `limit` in one statement: each once
   * (whichever instance), returned so their proposers can be told.
   */
  expireDrafts(createdBefore: Timestamp, at: Timestamp, limit: number): Promise<PromotionCase[]>;
  /** Approves or declines a proposed case: once; null when it is not proposed any more. */
  decide(teamId: string, id: number, decision: Decision): Promise<PromotionCase | null>;
  /** The person's cases, oldest first, at most `limit` (the newest ones). */
  forPerson(teamId: string, userId: string, limit: number): Promise<PromotionCase[]>;
  settings(teamId: string): Promise<PromotionSettings>;
  /** Sets where sent cases go (null: the admins' DMs), keeping the threshold. */
  setChannel(teamId: string, channelId: string | null, by: string, at: Timestamp): Promise<void>;
  /** Sets the threshold (null: the default), keeping the channel. */
  setThreshold(teamId: string, threshold: number | null, by: string, at: Timestamp): Promise<void>;
  /** Every case about the person (`/career forget`). */
  forgetUser(teamId: string, userId: string): Promise<number>;
}
