import type {
  EvidenceCursor,
  EvidenceEdit,
  EvidenceEntry,
  EvidenceSource,
  EvidenceTarget,
  NewEvidence,
} from '../evidence/model.js';
import type { Timestamp } from '../teammates/model.js';

export type { EvidenceCursor, EvidenceEdit, EvidenceEntry, EvidenceSource, EvidenceTarget, NewEvidence };

/** How many entries the person has for one expectation (null: "no particular one"). */
export interface EvidenceCount {
  expectationId: string | null;
  n: number;
}

/**
 * Which part of the log a check-in shows (issue 17, item 4): what the person kept after their check-in before it
 * finished (`logSince`, kept on the check-in when it started), up to this one's finish (or now, while it is open);
 * never what was added during this check-in itself (that is the check-in's own evidence, shown as such).
 */
export interface CheckinWindow {
  teamId: string;
  userId: string;
  /** The check-in. */
  id: number;
  /** Where the window starts: the finish of the person's check-in before this one; null when none had finished. */
  logSince: Timestamp | null;
  /** Null while it is open: the window runs to now. */
  finishedAt: Timestamp | null;
}

/** What a check-in shows of one entry of the log: its words and who wrote them (id and date keep the order). */
export type ShownEntry = Pick<EvidenceEntry, 'id' | 'text' | 'authorId' | 'createdAt'>;

/** The newest entries of the log a check-in shows for one expectation, and how many the window holds for it. */
export interface ShownEvidence {
  expectationId: string;
  entries: ShownEntry[];
  total: number;
  /** When the window starts: the previous check-in's finish; null when there was none (the whole log). */
  since: Timestamp | null;
}

/**
 * A person's evidence log. Every read and write names the person: nobody reaches another person's log through it,
 * and the service decides who may ask (src/career/permissions.ts). Each read costs what it returns: pages walk
 * `evidence_by_person` or `evidence_by_expectation` from the newest entry and stop at the limit.
 */
export interface EvidenceStore {
  /**
   * Keeps a new entry. A message the person already kept is not kept twice: throws
   * StateConflictError('evidence-exists'), having written nothing (use `byMessage` to find the first).
   * Throws TeammateNotFoundError when the person has no record.
   */
  add(entry: NewEvidence): Promise<EvidenceEntry>;
  /** One entry of the person's, or null (another person's entry is null too). */
  get(teamId: string, userId: string, id: number): Promise<EvidenceEntry | null>;
  /** The entry the person kept from this message, if any. */
  byMessage(teamId: string, userId: string, channelId: string, ts: string): Promise<EvidenceEntry | null>;
  /** Changes one of the person's entries; null when they have no such entry (nothing written). */
  edit(teamId: string, userId: string, id: number, edit: EvidenceEdit): Promise<EvidenceEntry | null>;
  /** Deletes one of the person's entries; false when they had no such entry. */
  remove(teamId: string, userId: string, id: number): Promise<boolean>;
  /**
   * The person's entries newest first, at most `limit`: those kept after `since` when given, and after `after` (the
   * last entry of the previous page) when given.
   */
  page(
    teamId: string,
    userId: string,
    options: { limit: number; since?: Timestamp | null; after?: EvidenceCursor | null },
  ): Promise<EvidenceEntry[]>;
  /** The person's entries for one expectation, newest first, at most `limit`, kept after `since` when given. */
  forExpectation(
    teamId: string,
    userId: string,
    expectationId: string,
    options: { limit: number; since?: Timestamp | null },
  ): Promise<EvidenceEntry[]>;
  /**
   * How many entries the person has for each expectation (null: "no particular one"), kept after `since` when
   * given; an expectation with none is left out. One statement over the person's own entries (a few hundred in a
   * year), grouped on `evidence_by_expectation`.
   */
  counts(teamId: string, userId: string, since?: Timestamp | null): Promise<EvidenceCount[]>;
  /** Every entry of the person's, oldest first: their export and brag file (their own data, read whole on purpose). */
  all(teamId: string, userId: string): Promise<EvidenceEntry[]>;
  /** Deletes the person's whole log (`/career forget`); returns how many entries. */
  forgetUser(teamId: string, userId: string): Promise<number>;
  /**
   * What a check-in question shows of the log: the newest `limit` entries for the expectation in the check-in's
   * window (CheckinWindow: its start kept on the check-in), and how many it holds. One statement on one expectation's
   * range of evidence_by_expectation, the count on the index alone: what a check-in click adds for the question it
   * shows.
   */
  shownForQuestion(checkin: CheckinWindow, expectationId: string, limit: number): Promise<ShownEvidence>;
  /**
   * The same for every expectation at once (a summary, View answers, the manager's shared message): at most `limit`
   * entries an expectation, and each one's total; expectations with none are left out. One statement over the
   * person's entries in the window (evidence_by_person).
   */
  shownForCheckin(checkin: CheckinWindow, limit: number): Promise<ShownEvidence[]>;
}
