import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import { parseInput } from './errors.js';
import { timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

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

export const EVENT_SQL = {
  // NOTE: the primary key decides: of two instances inserting one id at once, one inserts (changes 1) and
  // the other waits for it and inserts nothing. Never "read, then insert".
  claim: 'INSERT INTO processed_events (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING',
  // A range of processed_events_by_time, at most `limit` ids.
  prune: `DELETE FROM processed_events WHERE event_id IN (
           SELECT event_id FROM processed_events WHERE received_at < ? ORDER BY received_at LIMIT ?)`,
  release: 'DELETE FROM processed_events WHERE event_id = ?',
} as const;

const firstTimeSchema = z.object({ eventId: z.string().min(1).max(255), at: timestamp });

/** "All of them": prune's limit when none is given (LIMIT -1 is SQLite's only; PostgreSQL refuses it). */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export class SqlProcessedEventStore implements ProcessedEventStore {
  constructor(private readonly sql: Sql) {}

  async firstTime(eventId: string, at: Timestamp): Promise<boolean> {
    const v = parseInput(firstTimeSchema, { eventId, at }, 'event');
    return (await this.sql.run(EVENT_SQL.claim, [v.eventId, v.at])).changes === 1;
  }

  async release(eventId: string): Promise<void> {
    await this.sql.run(EVENT_SQL.release, [eventId]);
  }

  async prune(before: Timestamp, limit = NO_LIMIT): Promise<number> {
    const cutOff = parseInput(timestamp, before, 'prune cut-off');
    return (await this.sql.run(EVENT_SQL.prune, [cutOff, limit])).changes;
  }
}

STORE_SQL.events = EVENT_SQL;
