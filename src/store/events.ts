import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import type { ProcessedEventStore } from '../ports/events.js';
import { parseInput } from './errors.js';
import { timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/events.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/events.js';

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
