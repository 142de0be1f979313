import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput } from './errors.js';
import { isoDate, note, slackId, slug, timestamp } from './input.js';
import type { Timestamp } from './types.js';

/**
 * A `/career set` waiting for its Confirm button. The button carries only the id; the change
 * stays here, so nobody can forge one by editing a button's value, and it works once, for the
 * person who asked.
 */
export const plannedChangeSchema = z.object({
  frameworkId: slug,
  levelId: slug,
  since: isoDate,
  /** Left out: the manager stays as it is. Null: clear it. */
  managerId: slackId.nullable().optional(),
  /** The person's own title at the level, when one was given. */
  title: z.string().min(1).max(100).optional(),
  note: note.optional(),
  /**
   * What the record said when the preview was shown (see `recordFingerprint`; null: no record yet). A
   * change made since voids the preview.
   */
  basedOn: z.string().max(500).nullable(),
});
export type PlannedChange = z.input<typeof plannedChangeSchema>;

export interface PendingChange {
  id: string;
  teamId: string;
  requestedBy: string;
  userId: string;
  change: PlannedChange;
  createdAt: Timestamp;
}

export type PendingChangeStore = Async<PendingChangeStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface PendingChangeStoreSync {
  /** Keeps a change until it is confirmed or cancelled; returns its id. */
  add(pending: Omit<PendingChange, 'id'>): string;
  /**
   * Removes and returns the change, only for the person who asked and only if it was made at or after
   * `notBefore`; otherwise returns null and removes nothing.
   */
  take(teamId: string, id: string, requestedBy: string, notBefore: Timestamp): PendingChange | null;
  /** Reads without removing (to say who may confirm it). */
  get(teamId: string, id: string): PendingChange | null;
  /** Forgets at most `limit` changes made before `before`, oldest first; returns how many. */
  prune(before: Timestamp, limit: number): number;
  /** Every change waiting for the person (`/career forget` removes them with the record). */
  forgetUser(teamId: string, userId: string): number;
}

interface Row {
  id: string;
  team_id: string;
  requested_by: string;
  user_id: string;
  change: string;
  created_at: string;
}

const addSchema = z.object({
  teamId: slackId,
  requestedBy: slackId,
  userId: slackId,
  change: plannedChangeSchema,
  createdAt: timestamp,
});

function toPending(row: Row): PendingChange | null {
  const change = plannedChangeSchema.safeParse(JSON.parse(row.change));
  // NOTE: a row this code cannot read (written by a newer version) is treated as absent, never half-applied.
  if (!change.success) return null;
  return {
    id: row.id,
    teamId: row.team_id,
    requestedBy: row.requested_by,
    userId: row.user_id,
    change: change.data,
    createdAt: row.created_at,
  };
}

export class SqlitePendingChangeStore implements PendingChangeStoreSync {
  private readonly sql;
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
    this.sql = {
      insert: db.prepare<[Row], void>(
        `INSERT INTO pending_changes (id, team_id, requested_by, user_id, change, created_at)
         VALUES (@id, @team_id, @requested_by, @user_id, @change, @created_at)`,
      ),
      get: db.prepare<[teamId: string, id: string], Row>('SELECT * FROM pending_changes WHERE team_id = ? AND id = ?'),
      delete: db.prepare<[id: string], void>('DELETE FROM pending_changes WHERE id = ?'),
      // NOTE: a batch at a time through pending_changes_by_time, so a backlog never holds the write lock long.
      prune: db.prepare<[before: string, limit: number], void>(
        `DELETE FROM pending_changes WHERE id IN (
           SELECT id FROM pending_changes WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
      ),
      forgetUser: db.prepare<[teamId: string, userId: string], void>(
        'DELETE FROM pending_changes WHERE team_id = ? AND user_id = ?',
      ),
    };
  }

  add(pending: Omit<PendingChange, 'id'>): string {
    const v = parseInput(addSchema, pending, 'pending change');
    const id = randomUUID();
    this.sql.insert.run({
      id,
      team_id: v.teamId,
      requested_by: v.requestedBy,
      user_id: v.userId,
      change: JSON.stringify(v.change),
      created_at: v.createdAt,
    });
    return id;
  }

  take(teamId: string, id: string, requestedBy: string, notBefore: Timestamp): PendingChange | null {
    return this.db.transaction(() => {
      const row = this.sql.get.get(teamId, id);
      if (!row || row.requested_by !== requestedBy || row.created_at < notBefore) return null;
      this.sql.delete.run(id);
      return toPending(row);
    })();
  }

  get(teamId: string, id: string): PendingChange | null {
    const row = this.sql.get.get(teamId, id);
    return row ? toPending(row) : null;
  }

  prune(before: Timestamp, limit: number): number {
    return this.sql.prune.run(parseInput(timestamp, before, 'prune cut-off'), limit).changes;
  }

  forgetUser(teamId: string, userId: string): number {
    return this.sql.forgetUser.run(teamId, userId).changes;
  }
}
