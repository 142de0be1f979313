import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import type { PendingChange, PendingChangeStore, PlannedChange } from '../ports/pending.js';
import { parseInput } from './errors.js';
import { type Holds, isoDate, note, type Same, slackId, slug, timestamp } from './input.js';
import { STORE_SQL } from './statements.js';
import type { Timestamp } from './types.js';

/**
 * A `/career set` waiting for its Confirm button (the port's `PlannedChange`, held to it both ways). The button carries only the id; the change
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
export type PlannedChangeMatchesPort = [
  Holds<Same<z.input<typeof plannedChangeSchema>, PlannedChange>>,
  Holds<Same<z.output<typeof plannedChangeSchema>, PlannedChange>>,
];

// The port (src/ports/pending.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/pending.js';

const COLUMNS = 'id, team_id, requested_by, user_id, change, created_at';

export const PENDING_SQL = {
  insert: `INSERT INTO pending_changes (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
  get: `SELECT ${COLUMNS} FROM pending_changes WHERE team_id = ? AND id = ?`,
  // NOTE: the checks and the delete are one statement, so a change is taken once whoever else tries.
  take: `DELETE FROM pending_changes WHERE team_id = ? AND id = ? AND requested_by = ? AND created_at >= ?
         RETURNING ${COLUMNS}`,
  // NOTE: a batch at a time through pending_changes_by_time, so a backlog never holds the write lock long.
  prune: `DELETE FROM pending_changes WHERE id IN (
           SELECT id FROM pending_changes WHERE created_at < ? ORDER BY created_at LIMIT ?)`,
  forgetUser: 'DELETE FROM pending_changes WHERE team_id = ? AND user_id = ?',
} as const;

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

export class SqlPendingChangeStore implements PendingChangeStore {
  constructor(private readonly sql: Sql) {}

  async add(pending: Omit<PendingChange, 'id'>): Promise<string> {
    const v = parseInput(addSchema, pending, 'pending change');
    const id = randomUUID();
    await this.sql.run(PENDING_SQL.insert, [
      id,
      v.teamId,
      v.requestedBy,
      v.userId,
      JSON.stringify(v.change),
      v.createdAt,
    ]);
    return id;
  }

  async take(teamId: string, id: string, requestedBy: string, notBefore: Timestamp): Promise<PendingChange | null> {
    const row = await this.sql.get<Row>(PENDING_SQL.take, [teamId, id, requestedBy, notBefore]);
    return row ? toPending(row) : null;
  }

  async get(teamId: string, id: string): Promise<PendingChange | null> {
    const row = await this.sql.get<Row>(PENDING_SQL.get, [teamId, id]);
    return row ? toPending(row) : null;
  }

  async prune(before: Timestamp, limit: number): Promise<number> {
    return (await this.sql.run(PENDING_SQL.prune, [parseInput(timestamp, before, 'prune cut-off'), limit])).changes;
  }

  async forgetUser(teamId: string, userId: string): Promise<number> {
    return (await this.sql.run(PENDING_SQL.forgetUser, [teamId, userId])).changes;
  }
}

STORE_SQL.pending = PENDING_SQL;
