import type { IsoDate } from '../career/dates.js';
import type { CheckinDetail } from '../checkins/model.js';
import type { EvidenceAsk } from '../evidence/ask-model.js';
import type { EvidenceEntry } from '../evidence/model.js';
import type {
  HistoryEntry,
  HistoryField,
  NudgePreference,
  Pause,
  TeammateRecord,
  TeammateStatus,
  Timestamp,
} from '../teammates/model.js';
import type { PromotionCase } from './promotions.js';

/**
 * One record to create or change, as a caller gives it; `managerId` left out keeps the stored manager. The store
 * checks it (src/store/input.ts, `teammateChangeSchema`, held to this shape) before writing anything.
 */
export interface TeammateChange {
  teamId: string;
  userId: string;
  frameworkId: string;
  levelId: string;
  /** The day the person reached the level. */
  since: IsoDate;
  managerId?: string | null | undefined;
  /** Left out: kept while the level stays the same, cleared when it changes. */
  title?: string | null | undefined;
  changedBy: string;
  note?: string | undefined;
  at: Timestamp;
}

/** A change once checked: trimmed, its timestamp normalized to UTC (`checkImportRows` returns these). */
export type ParsedTeammateChange = TeammateChange;

/** Everything Ripple holds about one person, for "export my data". */
export interface TeammateExport {
  record: TeammateRecord;
  history: HistoryEntry[];
  pauses: Pause[];
  /** Every check-in, oldest first, with the questions asked, the answers and the evidence. */
  checkins: CheckinDetail[];
  /** The person's whole evidence log, oldest first (issue 17). */
  evidence?: EvidenceEntry[];
  /** The person's asks to colleagues, oldest first (closed ones are kept 30 days). */
  asks?: EvidenceAsk[];
  /** The promotion cases about the person, oldest first. */
  cases?: PromotionCase[];
}

/** One row of an import: a change without who and when, which are shared by the whole import. */
export type ImportRow = Omit<TeammateChange, 'changedBy' | 'at'>;

export interface UpsertResult {
  /** Null when the record was created by this call. */
  before: TeammateRecord | null;
  after: TeammateRecord;
  /** The fields that changed, in the order their history rows were written; empty when nothing did. */
  changed: HistoryField[];
}

export interface StatusChange {
  /** 'paused' goes through `pause`, which needs a start date. */
  status: Exclude<TeammateStatus, 'paused'>;
  changedBy: string;
  at: Timestamp;
  note?: string;
  /** The day a running pause ends when leaving 'paused' this way; defaults to the UTC date of `at`. */
  on?: IsoDate;
}

export interface PauseRequest {
  /** The first day away. */
  start: IsoDate;
  /** The day the person expects to be back, if known; the pause stays open until `resume`. */
  until?: IsoDate;
  changedBy: string;
  at: Timestamp;
  note?: string;
}

export interface ResumeRequest {
  /** The first day back. */
  on: IsoDate;
  changedBy: string;
  at: Timestamp;
  note?: string;
}

/**
 * Where a walk over the teammates' change order stands: the last record read, in (seq, teamId, userId) order.
 * Planners read what changed after it, in batches. change_seq grows in commit order (db/016), so nothing
 * committed later can appear behind a position already read.
 */
export interface ChangeCursor {
  seq: number;
  teamId: string;
  userId: string;
}

/** "Export my data" as far as the teammate store holds it; the check-ins come from the check-in store. */
export type TeammateOwnExport = Omit<TeammateExport, 'checkins'>;

/**
 * Teammate records, their append-only history and their pauses. Every method that writes runs in
 * one transaction and validates its input before writing, so a failure leaves the database as it was.
 *
 * Every write that changes a record takes the next number of the change sequence once per transaction
 * and stamps it on each record it writes (`change_seq`, db/016): background planners follow what
 * changed with `changedSince`, in commit order.
 */
export interface TeammateStore {
  get(teamId: string, userId: string): Promise<TeammateRecord | null>;
  /** The record and its pauses (oldest first) together, in one read. */
  getWithPauses(teamId: string, userId: string): Promise<{ record: TeammateRecord; pauses: Pause[] } | null>;
  /** Whether the person manages anyone who has not left: one index probe, where the list is not needed. */
  isManager(teamId: string, userId: string): Promise<boolean>;
  /**
   * The manager's current reports (people who left are not reports), by user id, each with its pauses (oldest
   * first), in one statement: the first `limit` of them, or all without one. Reads what it returns, no more.
   */
  reports(teamId: string, managerId: string, limit?: number): Promise<{ record: TeammateRecord; pauses: Pause[] }[]>;
  /** How many current reports the manager has, counted in the index without building a record. */
  countReports(teamId: string, managerId: string): Promise<number>;
  /** The workspace's records counted by framework and status, from an index (no record is read). */
  census(teamId: string): Promise<RecordCount[]>;
  /** Which of `userIds` (at most 200: one page of Slack's member list) have a record, in one statement. */
  withRecords(teamId: string, userIds: readonly string[]): Promise<Set<string>>;
  listAll(teamId: string): Promise<TeammateRecord[]>;
  /**
   * The workspace's records after `afterUserId` (from the first when null), by user id, at most
   * `limit`: for background jobs that walk everyone in slices, yielding between them.
   */
  listPage(teamId: string, afterUserId: string | null, limit: number): Promise<TeammateRecord[]>;
  /**
   * Paused records (every workspace) whose return date is on or before `day`: pauses that have ended.
   * In return-date order; with `page`, at most `page.limit` after the record `page.after`.
   */
  pausedWithReturnBy(day: IsoDate, page?: { after: TeammateRecord | null; limit: number }): Promise<TeammateRecord[]>;
  /**
   * The records changed after `cursor` (from the first when null), at most `limit`, in change order
   * (change_seq, then team and user id), through the teammates_by_change index: for planners that follow
   * what changed. A unit that writes records commits in the order of its number, so a walk that has read
   * up to a cursor never sees a record appear behind it later.
   */
  changedSince(cursor: ChangeCursor | null, limit: number): Promise<ChangeCursor[]>;
  /** The last record in change order, or null when there is none: where a planner that starts now begins. */
  lastChange(): Promise<ChangeCursor | null>;
  /**
   * Creates or changes a record and appends one history row per changed field (framework, level,
   * since, manager, title). Writes nothing when nothing changed.
   */
  upsert(change: TeammateChange): Promise<UpsertResult>;
  /** Marks someone as left (deactivated in Slack) or active again; null when there is no record. */
  setStatus(teamId: string, userId: string, change: StatusChange): Promise<TeammateRecord | null>;
  pause(teamId: string, userId: string, request: PauseRequest): Promise<TeammateRecord>;
  resume(teamId: string, userId: string, request: ResumeRequest): Promise<TeammateRecord>;
  /** Oldest first. */
  pauses(teamId: string, userId: string): Promise<Pause[]>;
  /** Oldest first. */
  history(teamId: string, userId: string): Promise<HistoryEntry[]>;
  /** Caches the time zone from users.info. Not a change to the record: no history, updatedAt kept. */
  setTimeZone(teamId: string, userId: string, tz: string | null, at: Timestamp): Promise<boolean>;
  /**
   * Something the planners read beside the record changed (the optional-steps preference): the record takes
   * the unit's change number, so they look at it again. Nothing else about it changes. False when there is
   * no record.
   */
  markChanged(teamId: string, userId: string): Promise<boolean>;
  setNudges(teamId: string, userId: string, nudges: NudgePreference, at: Timestamp): Promise<boolean>;
  /**
   * Record, history and pauses, read in one transaction; null when there is no record. The check-ins
   * come from the check-in store, read in the same unit of work by whoever exports (`exportData`).
   */
  export(teamId: string, userId: string): Promise<TeammateOwnExport | null>;
  /**
   * Deletes the record, its history and its pauses, all or nothing; `deleted` counts rows. Its
   * check-ins go first, in the same unit of work (the teammate service's `forget`).
   */
  forget(teamId: string, userId: string): Promise<{ deleted: number }>;
  /** Applies every row or none: one bad row (checked first) or one failing write rolls back all. */
  importMany(rows: readonly ImportRow[], changedBy: string, at: Timestamp): Promise<ImportCounts>;
  /**
   * `importMany` for rows already checked by `checkImportRows`, so a bulk import checks a batch
   * before it takes the write lock rather than while holding it.
   */
  importChecked(changes: readonly ParsedTeammateChange[]): Promise<ImportCounts>;
  /**
   * `setTimeZone` for many people at once (a bulk import's lookups), in one transaction; each
   * distinct zone is checked once. Returns how many records were updated.
   */
  setTimeZones(zones: readonly { teamId: string; userId: string; tz: string }[], at: Timestamp): Promise<number>;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** How many records of one framework are in one status. */
export interface RecordCount {
  frameworkId: string;
  status: TeammateStatus;
  count: number;
}
