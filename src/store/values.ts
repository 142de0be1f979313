/**
 * The stores' plain values: what a column may hold. A leaf module (it imports nothing), so the record types, the
 * input schemas and every store can use them without importing each other.
 */

export const TEAMMATE_STATUSES = ['active', 'paused', 'left'] as const;
export type TeammateStatus = (typeof TEAMMATE_STATUSES)[number];

/** How Ripple may reach the person with reminders: a DM, or not at all. */
export const NUDGE_PREFERENCES = ['dm', 'off'] as const;
export type NudgePreference = (typeof NUDGE_PREFERENCES)[number];

export const HISTORY_FIELDS = ['framework', 'level', 'manager', 'status', 'since', 'title'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

/** ISO 8601 timestamp in UTC, as written by the stores: '2026-01-15T09:30:00.000Z'. */
export type Timestamp = string;
