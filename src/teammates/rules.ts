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
