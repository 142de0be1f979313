import type { Timestamp } from '../teammates/model.js';

/**
 * Slack retries an event it thinks was not delivered, and Bolt does not de-duplicate: a handler with
 * side effects asks `firstTime(event_id)` and does nothing when it is false.
 */
export interface ProcessedEventStore {
  /**
   * True exactly once per event id: the first call records it, later calls (retries) get false. A claim:
   * two instances receiving Slack's retry of one event at once get true on one of them only.
   */
  firstTime(eventId: string, at: Timestamp): Promise<boolean>;
  /**
   * Forgets one id: its processing failed, so Slack's retry must be handled, not skipped as a
   * duplicate.
   */
  release(eventId: string): Promise<void>;
  /**
   * Forgets ids received before `before` (Slack stops retrying after minutes), at most `limit` of
   * them (all when not given); returns how many.
   */
  prune(before: Timestamp, limit?: number): Promise<number>;
}
