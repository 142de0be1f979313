import type { CheckinState, Question, Rating, Transition } from './machine.js';
import type { AnsweredQuestion } from './summary.js';

/**
 * Check-ins as the domain sees them: plain data, no SQL. The store (src/store/checkins.ts) loads and
 * saves these; the state machine (machine.ts) decides what an event does to one.
 */

/** ISO 8601 timestamp in UTC: '2026-01-15T09:30:00.000Z'. */
type Timestamp = string;

/** A check-in without its questions: enough to draw a button or decide an event. */
export interface CheckinRecord extends CheckinState {
  id: number;
  teamId: string;
  userId: string;
  frameworkId: string;
  levelId: string;
  /** Null when the person is at the top of their path: only their own level is asked. */
  targetLevelId: string | null;
  startedAt: Timestamp;
  /**
   * Where the evidence log this check-in shows starts: the finish of the person's check-in before it (kept when it
   * starts; null when none had finished, so the whole log).
   */
  logSince: Timestamp | null;
  finishedAt: Timestamp | null;
  sharedAt: Timestamp | null;
  /** The manager of record the summary was shared with. */
  sharedWith: string | null;
}

export interface Evidence {
  position: number;
  text: string;
  addedAt: Timestamp;
}

/** A check-in with what it asked, the teammate's answers, the manager's ratings and the evidence. */
export interface CheckinDetail extends CheckinRecord {
  questions: AnsweredQuestion[];
  /** By position; undefined where the manager has not rated (or has not been asked). */
  managerRatings: (Rating | undefined)[];
  evidence: Evidence[];
}

export interface NewCheckin {
  teamId: string;
  userId: string;
  frameworkId: string;
  levelId: string;
  targetLevelId: string | null;
  questions: Omit<Question, 'position'>[];
  at: Timestamp;
}

/** What an event did to a check-in. */
export interface Applied {
  transition: Transition;
  /** The check-in after the event (unchanged when the event was rejected); null when there is none. */
  checkin: CheckinRecord | null;
}

/**
 * What a manager may know of a report's check-ins: only those the report shared with them (a check-in
 * kept to oneself, or shared with a former manager, is not counted), and the latest of those still
 * waiting for the manager's ratings.
 */
export interface SharedCheckins {
  shared: number;
  lastSharedAt: Timestamp | null;
  /** The latest check-in shared with the manager that they have not rated yet; null when none waits. */
  awaiting: { id: number; sharedAt: Timestamp } | null;
}

/** The evidence kept for one question of a check-in, oldest first. */
export function evidenceAt(detail: Pick<CheckinDetail, 'evidence'>, position: number): string[] {
  return detail.evidence.filter((e) => e.position === position).map((e) => e.text);
}
