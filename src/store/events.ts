import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput } from './errors.js';
import { timestamp } from './input.js';
import type { Timestamp } from './types.js';

/**
 * Slack retries an event it thinks was not delivered, and Bolt does not de-duplicate: a handler with
 * side effects asks `firstTime(event_id)` and does nothing when it is false.
 */
export type ProcessedEventStore = Async<ProcessedEventStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface ProcessedEventStoreSync {
  /** True exactly once per event id: the first call records it, later calls (retries) get false. */
  firstTime(eventId: string, at: Timestamp): boolean;
  /**
   * Forgets one id: its processing failed, so Slack's retry must be handled, not skipped as a
   * duplicate.
   */
  release(eventId: string): void;
  /**
   * Forgets ids received before `before` (Slack stops retrying after minutes), at most `limit` of
   * them (all when not given); returns how many.
   */
  prune(before: Timestamp, limit?: number): number;
}

const firstTimeSchema = z.object({ eventId: z.string().min(1).max(255), at: timestamp });

export class SqliteProcessedEventStore implements ProcessedEventStoreSync {
  private readonly sql;

  constructor(db: Db) {
    this.sql = {
      insert: db.prepare<[eventId: string, at: string], void>(
        'INSERT INTO processed_events (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING',
      ),
      // A range of processed_events_by_time; LIMIT -1 is no limit.
      prune: db.prepare<[before: string, limit: number], void>(
        `DELETE FROM processed_events WHERE event_id IN (
           SELECT event_id FROM processed_events WHERE received_at < ? ORDER BY received_at LIMIT ?)`,
      ),
      release: db.prepare<[eventId: string], void>('DELETE FROM processed_events WHERE event_id = ?'),
    };
  }

  firstTime(eventId: string, at: Timestamp): boolean {
    const v = parseInput(firstTimeSchema, { eventId, at }, 'event');
    return this.sql.insert.run(v.eventId, v.at).changes === 1;
  }

  release(eventId: string): void {
    this.sql.release.run(eventId);
  }

  prune(before: Timestamp, limit = -1): number {
    return this.sql.prune.run(parseInput(timestamp, before, 'prune cut-off'), limit).changes;
  }
}
