import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import { parseInput } from './errors.js';
import { slackId, timestamp } from './input.js';
import type { Timestamp } from './types.js';

/** A Slack message as the outbox keeps it: Block Kit plus its fallback text. */
export interface OutboxMessage {
  text: string;
  blocks: unknown[];
}

export type PendingNotification =
  | { id: number; teamId: string; userId: string; kind: 'dm'; messages: OutboxMessage[]; attempts: number }
  | { id: number; teamId: string; userId: string; kind: 'home'; attempts: number };

export type NewNotification =
  | { teamId: string; userId: string; kind: 'dm'; messages: readonly OutboxMessage[] }
  | { teamId: string; userId: string; kind: 'home' };

/** Notifications that failed, waiting for the background job to try them again. */
export interface OutboxStore {
  /** Keeps a failed notification to try at `retryAt`. A second pending Home refresh for a person is merged. */
  enqueue(notification: NewNotification, at: Timestamp, retryAt: Timestamp): void;
  /** What is due at `now`, oldest first, at most `limit`. */
  due(now: Timestamp, limit: number): PendingNotification[];
  /** Delivered, or given up on: forget it. */
  remove(id: number): void;
  /** Failed again: try at `retryAt`, counting the attempt. */
  retryLater(id: number, retryAt: Timestamp, error: string): void;
}

interface OutboxRow {
  id: number;
  team_id: string;
  user_id: string;
  kind: 'dm' | 'home';
  messages: string | null;
  attempts: number;
}

const messagesSchema = z.array(z.object({ text: z.string(), blocks: z.array(z.unknown()) }));
const enqueueSchema = z.object({ teamId: slackId, userId: slackId, at: timestamp, retryAt: timestamp });

export class SqliteOutboxStore implements OutboxStore {
  private readonly sql;

  constructor(db: Db) {
    this.sql = {
      insert: db.prepare<[string, string, string, string | null, string, string], void>(
        `INSERT INTO notification_outbox (team_id, user_id, kind, messages, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      due: db.prepare<[string, number], OutboxRow>(
        `SELECT id, team_id, user_id, kind, messages, attempts FROM notification_outbox
         WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      remove: db.prepare<[number], void>('DELETE FROM notification_outbox WHERE id = ?'),
      retryLater: db.prepare<[string, string, number], void>(
        'UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
      ),
    };
  }

  enqueue(n: NewNotification, at: Timestamp, retryAt: Timestamp): void {
    const v = parseInput(enqueueSchema, { teamId: n.teamId, userId: n.userId, at, retryAt }, 'notification');
    const messages = n.kind === 'dm' ? JSON.stringify(parseInput(messagesSchema, n.messages, 'messages')) : null;
    this.sql.insert.run(v.teamId, v.userId, n.kind, messages, v.retryAt, v.at);
  }

  due(now: Timestamp, limit: number): PendingNotification[] {
    return this.sql.due.all(now, limit).map((row) =>
      row.kind === 'dm'
        ? {
            id: row.id,
            teamId: row.team_id,
            userId: row.user_id,
            kind: 'dm',
            messages: messagesSchema.parse(JSON.parse(row.messages ?? '[]')),
            attempts: row.attempts,
          }
        : { id: row.id, teamId: row.team_id, userId: row.user_id, kind: 'home', attempts: row.attempts },
    );
  }

  remove(id: number): void {
    this.sql.remove.run(id);
  }

  retryLater(id: number, retryAt: Timestamp, error: string): void {
    this.sql.retryLater.run(retryAt, error.slice(0, 200), id);
  }
}
