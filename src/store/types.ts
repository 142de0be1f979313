import type { HistoryEntry, Pause, TeammateRecord } from '../teammates/model.js';

/** Plain data shared by the stores and their callers. No SQL here: the domain and Slack layers see only these. */

// The shape of "export my data" is the port's (src/ports/teammates.ts); re-exported for the stores' callers.
export type { TeammateExport } from '../ports/teammates.js';
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
