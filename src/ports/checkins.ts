import type { CheckinEvent, Outcome, Question, Rating } from '../checkins/machine.js';
import type { Applied, CheckinDetail, CheckinRecord, NewCheckin, SharedCheckins } from '../checkins/model.js';
import type { Timestamp } from '../teammates/model.js';

/** A question of a check-in as asked, with the evidence kept for it, oldest first. */
export interface AskedQuestion {
  question: Question;
  evidence: string[];
}

/** An outcome of `applyEvent` that changed the check-in: what `save` writes. */
export type AppliedChange = Extract<Outcome<CheckinRecord>, { transition: { ok: true } }>;

/**
 * Check-ins and their answers. The store only loads and saves: what an event does is decided by the
 * pure state machine (src/checkins/machine.ts, `applyEvent`), and every save is guarded by the version
 * the decision was drawn from, so a stale click never applies.
 */
export interface CheckinStore {
  get(teamId: string, id: number): Promise<CheckinRecord | null>;
  detail(teamId: string, id: number): Promise<CheckinDetail | null>;
  /**
   * `detail` for a check-in this unit of work has just read or saved (the row `save` returned): its questions,
   * answers and evidence, without reading the check-in again.
   */
  detailOf(checkin: CheckinRecord): Promise<CheckinDetail>;
  /**
   * One or two questions of a check-in this unit has read, by position, each with its evidence, in the order asked
   * for (a position the check-in does not have is left out): what a click shows, without the rest of the check-in.
   * One statement.
   */
  askedAt(checkin: CheckinRecord, positions: readonly number[]): Promise<AskedQuestion[]>;
  /** The person's open check-in, if any. */
  openFor(teamId: string, userId: string): Promise<CheckinRecord | null>;
  /** Throws StateConflictError('checkin-open') when the person already has an open check-in. */
  create(checkin: NewCheckin): Promise<CheckinRecord>;
  /**
   * Applies an event in one transaction: loads the check-in, decides with `applyEvent`, and saves the
   * result (`save`). `evidence` is the text for an evidence event.
   */
  apply(teamId: string, id: number, event: CheckinEvent, evidence?: string): Promise<Applied>;
  /**
   * Saves `change`, decided by `applyEvent` from `before`, and what it answered or added (`evidence`: the
   * text of an evidence event); returns the check-in saved. Throws StateConflictError('checkin-stale'),
   * having written nothing, when the stored check-in is no longer at `before.version`.
   */
  save(before: CheckinRecord, change: AppliedChange, evidence?: string): Promise<CheckinRecord>;
  /** The person's finished check-ins, newest first, with details. */
  finished(teamId: string, userId: string): Promise<CheckinDetail[]>;
  /**
   * The person's latest finished check-in other than `notId` that finished at or before `by` (any time when null),
   * with details: the one a summary compares against. One check-in read, however many the person finished.
   */
  previousFinished(teamId: string, userId: string, notId: number, by: string | null): Promise<CheckinDetail | null>;
  /**
   * What the person answered to this expectation of this level in their latest finished check-in that asked it,
   * and when that check-in finished; null when none did. One statement: no check-in is loaded whole.
   */
  lastRating(
    teamId: string,
    userId: string,
    levelId: string,
    expectationId: string,
  ): Promise<{ rating: Rating; finishedAt: string } | null>;
  /** Every check-in of the person, oldest first, with details (for export). */
  all(teamId: string, userId: string): Promise<CheckinDetail[]>;
  /**
   * The person's latest finished check-in shared with `sharedWith`, with details; null when none is. One indexed
   * read finds it (checkins_by_person, newest first), however many check-ins the person has.
   */
  latestShared(teamId: string, userId: string, sharedWith: string): Promise<CheckinDetail | null>;
  /** Marks a finished check-in shared with the manager; false when it is not finished or not the person's. */
  share(teamId: string, id: number, managerId: string, at: Timestamp): Promise<boolean>;
  /** The manager's ratings, all or none; false when the check-in was not shared with `managerId`. */
  rate(
    teamId: string,
    id: number,
    managerId: string,
    ratings: ReadonlyMap<number, Rating>,
    at: Timestamp,
  ): Promise<boolean>;
  /**
   * Open check-ins (every workspace) whose last activity is at or before `before`, oldest first; with
   * `page`, at most `page.limit` after the check-in `page.after`.
   */
  openIdleSince(before: Timestamp, page?: { after: CheckinRecord | null; limit: number }): Promise<CheckinRecord[]>;
  /**
   * Claims, at `at`, up to `limit` open check-ins whose last activity is after `idleAfter` and at or before `idleBy`
   * and that have had no nudge since it; returns those claimed. A check-in claimed once (by this instance or another)
   * is not claimed again until the person does something in it.
   */
  claimIdleNudges(idleAfter: Timestamp, idleBy: Timestamp, at: Timestamp, limit: number): Promise<CheckinRecord[]>;
  /** Deletes the person's check-ins, answers and evidence; returns the rows deleted. */
  forget(teamId: string, userId: string): Promise<number>;
  /**
   * The person's check-ins shared with `managerId`: how many, when the last was shared, and the latest one
   * still waiting for that manager's ratings. Counts only, no answers (the `read-checkin-counts` row), and
   * never a check-in the person did not share with them. One statement through checkins_by_person.
   */
  sharedWith(teamId: string, userId: string, managerId: string): Promise<SharedCheckins>;
  /**
   * The workspace's shared check-ins not yet rated by the manager they were shared with, newest share first: the
   * first `limit`, and how many wait in all, counted up to `countUpTo` (`more` past it). Reads only waiting
   * check-ins (an index holds just those), never their answers.
   */
  awaitingRatings(teamId: string, limit: number, countUpTo: number): Promise<AwaitingManagerRatings>;
  /** When the person last finished a check-in, or null: a finished check-in counts as a reminder's prompt. */
  lastFinishedAt(teamId: string, userId: string): Promise<Timestamp | null>;
}

/** A shared check-in still waiting for its manager's ratings: who shared it, with whom, when. No answers. */
export interface AwaitingManagerRating {
  id: number;
  userId: string;
  managerId: string;
  sharedAt: Timestamp;
}

export interface AwaitingManagerRatings {
  shown: AwaitingManagerRating[];
  /** How many wait in all, at most the `countUpTo` asked for. */
  total: number;
  /** True when more than `countUpTo` wait. */
  more: boolean;
}
