import type { CheckinDetail } from '../checkins/model.js';
import type { HistoryEntry, Pause, TeammateRecord } from '../teammates/model.js';

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

// The entities live with the domain (src/teammates/model.ts); re-exported for the stores' callers.
export type { HistoryEntry, Pause, TeammateRecord };

/** Everything Ripple holds about one person, for "export my data". */
export interface TeammateExport {
  record: TeammateRecord;
  history: HistoryEntry[];
  pauses: Pause[];
  /** Every check-in, oldest first, with the questions asked, the answers and the evidence. */
  checkins: CheckinDetail[];
}
