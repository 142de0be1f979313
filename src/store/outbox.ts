import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import type { NewNotification, OutboxStore, PendingNotification } from '../ports/outbox.js';
import { parseInput } from './errors.js';
import { slackId, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

// The port (src/ports/outbox.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/outbox.js';

const COLUMNS = 'id, team_id, user_id, kind, channel_id, messages, attempts';
/**
 * The due rows to claim, oldest first (notification_outbox_due), joined back by id so both engines look each one up
 * by its key: `id IN (…)` lets SQLite's planner scan the whole table once it thinks the table small.
 */
const PICK_DUE =
  'SELECT id AS picked FROM notification_outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?';

export const OUTBOX_SQL = {
  insert: `INSERT INTO notification_outbox (team_id, user_id, kind, channel_id, messages, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
  pendingHome: "SELECT id FROM notification_outbox WHERE team_id = ? AND user_id = ? AND kind = 'home'",
  get: `SELECT ${COLUMNS} FROM notification_outbox WHERE id = ?`,
  due: `SELECT ${COLUMNS} FROM notification_outbox
         WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
  // SQLite has one writer: the statement reads and leases its rows before any other write can begin.
  claimDue: `UPDATE notification_outbox SET next_attempt_at = ? FROM (${PICK_DUE}) AS due
         WHERE notification_outbox.id = due.picked RETURNING ${COLUMNS}`,
  // PostgreSQL runs claims from several instances at once: each locks the rows it picks and skips those another
  // claim holds, so no two take one notification, and none waits for or fails the other.
  claimDueSkipLocked: `UPDATE notification_outbox SET next_attempt_at = ? FROM (${PICK_DUE} FOR UPDATE SKIP LOCKED) AS due
         WHERE notification_outbox.id = due.picked RETURNING ${COLUMNS}`,
  // By its key; still held only while its first attempt is the hold's end and that end is still ahead.
  claimHeld: `UPDATE notification_outbox SET next_attempt_at = ?
         WHERE id = ? AND user_id = ? AND kind = 'dm' AND attempts = 0 AND next_attempt_at = ? AND next_attempt_at > ?
         RETURNING ${COLUMNS}`,
  remove: 'DELETE FROM notification_outbox WHERE id = ?',
  retryLater:
    'UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?',
} as const;

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
function fromRow(row: OutboxRow): PendingNotification {
  const { id, attempts } = row;
  const who = { id, teamId: row.team_id, userId: row.user_id, attempts };
  if (row.kind === 'home') return { ...who, kind: 'home' };
  const messages = messagesSchema.parse(JSON.parse(row.messages ?? '[]'));
  return row.kind === 'post'
    ? { ...who, kind: 'post', channelId: row.channel_id ?? '', messages }
    : { ...who, kind: 'dm', messages };
}

export class SqlOutboxStore implements OutboxStore {
  constructor(private readonly sql: Sql) {}

  async enqueue(n: NewNotification, at: Timestamp, retryAt: Timestamp): Promise<number> {
    const channelId = n.kind === 'post' ? n.channelId : undefined;
    const v = parseInput(enqueueSchema, { teamId: n.teamId, userId: n.userId, channelId, at, retryAt }, 'notification');
    const messages = n.kind === 'home' ? null : JSON.stringify(parseInput(messagesSchema, n.messages, 'messages'));
    const inserted = await this.sql.get<{ id: number }>(OUTBOX_SQL.insert, [
      v.teamId,
      v.userId,
      n.kind,
      v.channelId ?? null,
      messages,
      v.retryAt,
      v.at,
    ]);
    if (inserted) return inserted.id;
    // Only a Home refresh conflicts (one per person): the pending one stands for both.
    const pending = await this.sql.get<{ id: number }>(OUTBOX_SQL.pendingHome, [v.teamId, v.userId]);
    if (!pending) throw new Error('The outbox kept nothing and has no pending Home refresh');
    return pending.id;
  }

  async get(id: number): Promise<PendingNotification | undefined> {
    const row = await this.sql.get<OutboxRow>(OUTBOX_SQL.get, [id]);
    return row ? fromRow(row) : undefined;
  }

  async due(now: Timestamp, limit: number): Promise<PendingNotification[]> {
    return (await this.sql.all<OutboxRow>(OUTBOX_SQL.due, [now, limit])).map(fromRow);
  }

  async claimDue(now: Timestamp, leaseUntil: Timestamp, limit: number): Promise<PendingNotification[]> {
    const rows =
      this.sql.dialect === 'postgres'
        ? await this.sql.all<OutboxRow>(OUTBOX_SQL.claimDueSkipLocked, [leaseUntil, now, limit])
        : await this.sql.all<OutboxRow>(OUTBOX_SQL.claimDue, [leaseUntil, now, limit]);
    // RETURNING follows no order: give them back in the order they were kept (ids only grow).
    return rows.sort((a, b) => a.id - b.id).map(fromRow);
  }

  async claimHeld(
    id: number,
    userId: string,
    heldUntil: Timestamp,
    now: Timestamp,
    leaseUntil: Timestamp,
  ): Promise<PendingNotification | undefined> {
    const row = await this.sql.get<OutboxRow>(OUTBOX_SQL.claimHeld, [leaseUntil, id, userId, heldUntil, now]);
    return row ? fromRow(row) : undefined;
  }

  async remove(id: number): Promise<void> {
    await this.sql.run(OUTBOX_SQL.remove, [id]);
  }

  async retryLater(id: number, retryAt: Timestamp, error: string): Promise<void> {
    await this.sql.run(OUTBOX_SQL.retryLater, [retryAt, error.slice(0, 200), id]);
  }
}

STORE_SQL.outbox = OUTBOX_SQL;
