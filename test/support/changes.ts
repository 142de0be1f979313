import type { Sql } from '../../src/db/sql.js';

/**
 * Marks teammate records as changed the way a unit of work that writes them does (db/016): takes the
 * next number from change_counter once and stamps it on each row.
 *
 * NOTE: on this branch the teammate store does not stamp change_seq yet (issue 15: another part makes
 * every teammate write do it). Tests that change a record after the planner's first pass and expect a
 * re-plan call this after the write; once the store stamps, the call is one more change and harmless.
 */
export async function markChanged(sql: Pick<Sql, 'transaction'>, teamId: string, userIds: readonly string[]) {
  return sql.transaction(async (unit) => {
    const row = await unit.get<{ seq: number }>('UPDATE change_counter SET seq = seq + 1 RETURNING seq');
    if (row === undefined) throw new Error('change_counter has no row: is the database migrated?');
    for (const userId of userIds) {
      await unit.run('UPDATE teammates SET change_seq = ? WHERE team_id = ? AND user_id = ?', [
        row.seq,
        teamId,
        userId,
      ]);
    }
    return row.seq;
  });
}
