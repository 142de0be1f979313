import { type IsoDate, isValidTimeZone, todayIn, zoneOrUtc } from '../career/dates.js';
import type { PauseSpan } from '../career/window.js';
import type { DirectoryUser } from './directory.js';
import type { TeammateRecord } from './model.js';

/**
 * The rules about teammates that do not depend on Slack or storage, each in one place: who counts
 * as a teammate, what Slack telling us about a person means for their record, and when a pause with
 * a return date has ended. Pure: `now`/`today` are parameters.
 */

/** Why a Slack user cannot be recorded as a teammate or a manager, or null when they can. */
export type NotATeammate = 'deactivated' | 'bot';

/** A real teammate is an active human account: not deactivated, not a bot (Slackbot included). */
export function whyNotATeammate(user: Pick<DirectoryUser, 'deleted' | 'isBot'>): NotATeammate | null {
  if (user.deleted) return 'deactivated';
  if (user.isBot) return 'bot';
  return null;
}

/** What Slack says about a person in `user_change` (or `users.info`), as far as a record cares. */
export interface SlackPersonUpdate {
  deleted?: boolean | undefined;
  tz?: string | undefined;
}

/** What to write for a `user_change`: a new time zone, leaving, both or nothing. */
export interface UserChangeEffect {
  /** A valid IANA zone that differs from the record's, else undefined. */
  tz?: string;
  /** Deactivated in Slack: the record becomes "left" (kept as history, never nudged again). */
  leave: boolean;
}

export function userChangeEffect(record: TeammateRecord, update: SlackPersonUpdate): UserChangeEffect {
  const effect: UserChangeEffect = { leave: update.deleted === true && record.status !== 'left' };
  if (typeof update.tz === 'string' && update.tz !== record.tz && isValidTimeZone(update.tz)) effect.tz = update.tz;
  return effect;
}

/** Today where the person is: their stored Slack time zone, else UTC. */
export function todayForZone(tz: string | null, now: Date): IsoDate {
  return todayIn(zoneOrUtc(tz), now);
}

/** A pause given a return date ends on that date by itself: the person is back from then on. */
export function pauseHasEnded(
  record: TeammateRecord,
  today: IsoDate,
): record is TeammateRecord & { pausedUntil: IsoDate } {
  return record.status === 'paused' && record.pausedUntil !== null && record.pausedUntil <= today;
}

/**
 * The record and its pauses as they stand today, without writing: a pause whose return date has
 * come reads as ended on that date, and the record as active. The store catches up when the
 * maintenance job settles ended pauses (see `settleEndedPauses`), with the same result.
 */
export function asOfToday<P extends PauseSpan>(
  record: TeammateRecord,
  pauses: readonly P[],
  today: IsoDate,
): { record: TeammateRecord; pauses: P[] } {
  if (!pauseHasEnded(record, today)) return { record, pauses: [...pauses] };
  const back = record.pausedUntil;
  return {
    record: { ...record, status: 'active', pausedUntil: null },
    pauses: pauses.map((p) => (p.end === null ? { ...p, end: back } : p)),
  };
}

/** The fields of a record that `set` and an import write, each followed by the history. */
export interface CoreFields {
  frameworkId: string;
  levelId: string;
  since: IsoDate;
  managerId: string | null;
  title: string | null;
}

/** What a `set` or an import row asks for: an absent manager or title means "as it is" (see `nextCoreFields`). */
export interface CoreChange {
  frameworkId: string;
  levelId: string;
  since: IsoDate;
  managerId?: string | null | undefined;
  title?: string | null | undefined;
}

/** A history field a `set` can change (status has rules of its own: pause, resume, leaving). */
export type CoreField = 'framework' | 'level' | 'since' | 'manager' | 'title';

/** One changed field, as its history row records it. */
export interface FieldChange {
  field: CoreField;
  from: string | null;
  to: string | null;
}

/**
 * A title belongs to its level: the one asked for, else the record's own while the level stays the
 * same, else none (the level's titles as the framework lists them).
 */
export function titleAfter(before: CoreFields | null, change: CoreChange): string | null {
  if (change.title !== undefined) return change.title;
  const sameLevel = before !== null && before.frameworkId === change.frameworkId && before.levelId === change.levelId;
  return sameLevel ? before.title : null;
}

/** The record's fields after `change`: a manager not given is kept, the title follows `titleAfter`. */
export function nextCoreFields(before: CoreFields | null, change: CoreChange): CoreFields {
  return {
    frameworkId: change.frameworkId,
    levelId: change.levelId,
    since: change.since,
    managerId: change.managerId === undefined ? (before?.managerId ?? null) : change.managerId,
    title: titleAfter(before, change),
  };
}

/**
 * The fields that differ, from → to, in the order their history rows are written (framework, level,
 * since, manager, title); from nothing, every field that is set. Empty: nothing to write.
 */
export function historyDiff(before: CoreFields | null, after: CoreFields): FieldChange[] {
  const fields: FieldChange[] = [
    { field: 'framework', from: before?.frameworkId ?? null, to: after.frameworkId },
    { field: 'level', from: before?.levelId ?? null, to: after.levelId },
    { field: 'since', from: before?.since ?? null, to: after.since },
    { field: 'manager', from: before?.managerId ?? null, to: after.managerId },
    { field: 'title', from: before?.title ?? null, to: after.title },
  ];
  return fields.filter((f) => f.from !== f.to);
}

/** Why a pause or a resume does not fit the record as it stands, worded for the person; codes as the stores' errors. */
export interface PauseRefusal {
  conflict: 'already-paused' | 'has-left' | 'overlapping-pause' | 'not-paused' | 'resume-before-pause';
  message: string;
}

type Status = 'active' | 'paused' | 'left';

/**
 * Whether a pause starting `start` may begin: not while paused already, not after leaving, and not
 * before the end of the previous pause (`lastPauseEnd`, null when there was none). Null: it may.
 */
export function whyNotPause(p: {
  userId: string;
  status: Status;
  lastPauseEnd: IsoDate | null;
  start: IsoDate;
}): PauseRefusal | null {
  if (p.status === 'paused')
    return { conflict: 'already-paused', message: `${p.userId} is already paused; resume first` };
  if (p.status === 'left') return { conflict: 'has-left', message: `${p.userId} has left; nothing to pause` };
  if (p.lastPauseEnd !== null && p.start < p.lastPauseEnd) {
    return {
      conflict: 'overlapping-pause',
      message: `a pause starting ${p.start} would overlap the previous one, which ended ${p.lastPauseEnd}`,
    };
  }
  return null;
}

/** Whether someone may resume: only while paused. */
export function whyNotResume(p: { userId: string; status: Status }): PauseRefusal | null {
  return p.status === 'paused' ? null : { conflict: 'not-paused', message: `${p.userId} is not paused` };
}

/** Whether the running pause that began `start` may end with `on` as the first day back: not before it began. */
export function whyNotEndPause(start: IsoDate, on: IsoDate): PauseRefusal | null {
  if (on >= start) return null;
  return {
    conflict: 'resume-before-pause',
    message: `the first day back (${on}) cannot be before the first day away (${start})`,
  };
}
