import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
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
  | { id: number; teamId: string; userId: string; kind: 'home'; attempts: number }
  | {
      id: number;
      teamId: string;
      userId: string;
      kind: 'post';
      channelId: string;
      messages: OutboxMessage[];
      attempts: number;
    };

/**
 * `dm`: messages for the DM with `userId` (opened by the sender); `home`: the person's Home tab, rebuilt when sent;
 * `post`: messages in a conversation Slack named (the DM an event came from), about `userId`.
 */
export type NewNotification =
  | { teamId: string; userId: string; kind: 'dm'; messages: readonly OutboxMessage[] }
  | { teamId: string; userId: string; kind: 'home' }
  | { teamId: string; userId: string; kind: 'post'; channelId: string; messages: readonly OutboxMessage[] };

/** Notifications not sent yet: failed ones waiting for the background job, and those an event sends after its answer. */
export type OutboxStore = Async<OutboxStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface OutboxStoreSync {
  /**
   * Keeps a notification to try at `retryAt`; returns its id. A second pending Home refresh for a person is merged
   * into the first (whose id is returned).
   */
  enqueue(notification: NewNotification, at: Timestamp, retryAt: Timestamp): number;
  /** The notification with this id, while it is kept. */
  get(id: number): PendingNotification | undefined;
  /** What is due at `now`, oldest first, at most `limit`. */
  due(now: Timestamp, limit: number): PendingNotification[];
  /**
   * Takes what is due at `now` (oldest first, at most `limit`) for one sender: in one statement, its next attempt
   * moves to `leaseUntil`, so another process running the job does not take it too. The sender then removes each
   * one Slack took, or sets its retry (`retryLater`); one it never got to (a crash) is due again at `leaseUntil`.
   */
  claimDue(now: Timestamp, leaseUntil: Timestamp, limit: number): PendingNotification[];
  /** Delivered, or given up on: forget it. */
  remove(id: number): void;
  /** Failed again: try at `retryAt`, counting the attempt. */
  retryLater(id: number, retryAt: Timestamp, error: string): void;
}

interface OutboxRow {
  id: number;
  team_id: string;
  user_id: string;
  kind: 'dm' | 'home' | 'post';
  channel_id: string | null;
  messages: string | null;
  attempts: number;
}

const messagesSchema = z.array(z.object({ text: z.string(), blocks: z.array(z.unknown()) }));
const enqueueSchema = z.object({
  teamId: slackId,
  userId: slackId,
  channelId: slackId.optional(),
  at: timestamp,
  retryAt: timestamp,
});
const COLUMNS = 'id, team_id, user_id, kind, channel_id, messages, attempts';

function fromRow(row: OutboxRow): PendingNotification {
  const { id, attempts } = row;
  const who = { id, teamId: row.team_id, userId: row.user_id, attempts };
  if (row.kind === 'home') return { ...who, kind: 'home' };
  const messages = messagesSchema.parse(JSON.parse(row.messages ?? '[]'));
  return row.kind === 'post'
    ? { ...who, kind: 'post', channelId: row.channel_id ?? '', messages }
    : { ...who, kind: 'dm', messages };
}

export class SqliteOutboxStore implements OutboxStoreSync {
  private readonly sql;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.sql = {
      insert: db.prepare<[string, string, string, string | null, string | null, string, string], { id: number }>(
        `INSERT INTO notification_outbox (team_id, user_id, kind, channel_id, messages, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      ),
      pendingHome: db.prepare<[string, string], { id: number }>(
        "SELECT id FROM notification_outbox WHERE team_id = ? AND user_id = ? AND kind = 'home'",
      ),
      get: db.prepare<[number], OutboxRow>(`SELECT ${COLUMNS} FROM notification_outbox WHERE id = ?`),
      due: db.prepare<[string, number], OutboxRow>(
        `SELECT ${COLUMNS} FROM notification_outbox
         WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      ),
      lease: db.prepare<[lease: string, id: number], void>(
        'UPDATE notification_outbox SET next_attempt_at = ? WHERE id = ?',
      ),
      remove: db.prepare<[number], void>('DELETE FROM notification_outbox WHERE id = ?'),
      retryLater: db.prepare<[string, string, number], void>(
        'UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
      ),
    };
  }

  enqueue(n: NewNotification, at: Timestamp, retryAt: Timestamp): number {
    const channelId = n.kind === 'post' ? n.channelId : undefined;
    const v = parseInput(enqueueSchema, { teamId: n.teamId, userId: n.userId, channelId, at, retryAt }, 'notification');
    const messages = n.kind === 'home' ? null : JSON.stringify(parseInput(messagesSchema, n.messages, 'messages'));
    const inserted = this.sql.insert.get(v.teamId, v.userId, n.kind, v.channelId ?? null, messages, v.retryAt, v.at);
    if (inserted) return inserted.id;
    // Only a Home refresh conflicts (one per person): the pending one stands for both.
    const pending = this.sql.pendingHome.get(v.teamId, v.userId);
    if (!pending) throw new Error('The outbox kept nothing and has no pending Home refresh');
    return pending.id;
  }

  get(id: number): PendingNotification | undefined {
    const row = this.sql.get.get(id);
    return row ? fromRow(row) : undefined;
  }

  due(now: Timestamp, limit: number): PendingNotification[] {
    return this.sql.due.all(now, limit).map(fromRow);
  }

  claimDue(now: Timestamp, leaseUntil: Timestamp, limit: number): PendingNotification[] {
    // IMMEDIATE: the write lock is held from the read to the last lease, so two processes never take the same row.
    return this.db
      .transaction(() => {
        const rows = this.sql.due.all(now, limit);
        for (const row of rows) this.sql.lease.run(leaseUntil, row.id);
        return rows.map(fromRow);
      })
      .immediate();
  }

  remove(id: number): void {
    this.sql.remove.run(id);
  }

  retryLater(id: number, retryAt: Timestamp, error: string): void {
    this.sql.retryLater.run(retryAt, error.slice(0, 200), id);
  }
}
