/**
 * The stores' plain values: what a column may hold. They are the domain's (src/teammates/model.ts, which imports
 * nothing), re-exported here so the record types, the input schemas and every store can use them without importing
 * each other.
 */
export {
  HISTORY_FIELDS,
  type HistoryField,
  NUDGE_PREFERENCES,
  type NudgePreference,
  TEAMMATE_STATUSES,
  type TeammateStatus,
  type Timestamp,
} from '../teammates/model.js';
