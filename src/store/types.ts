import type { IsoDate } from '../career/dates.js';
import type { CheckinDetail } from '../checkins/model.js';

/** Plain data shared by the stores and their callers. No SQL here: the domain and Slack layers see only these. */

export {
  HISTORY_FIELDS,
  type HistoryField,
  NUDGE_PREFERENCES,
  type NudgePreference,
  TEAMMATE_STATUSES,
  type TeammateStatus,
  type Timestamp,
} from './values.js';

import type { HistoryField, NudgePreference, TeammateStatus, Timestamp } from './values.js';

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

/** Everything Ripple holds about one person, for "export my data". */
export interface TeammateExport {
  record: TeammateRecord;
  history: HistoryEntry[];
  pauses: Pause[];
  /** Every check-in, oldest first, with the questions asked, the answers and the evidence. */
  checkins: CheckinDetail[];
}
