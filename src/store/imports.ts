import { z } from 'zod';
import type { Sql } from '../db/sql.js';
import type {
  ImportRun,
  ImportStatus,
  ImportStore,
  NewImport,
  StagedBatchRow,
  StagedRow,
  WrittenBatch,
} from '../ports/imports.js';
import { parseInput } from './errors.js';
import { slackId, timestamp, timeZone } from './input.js';
import { STORE_SQL } from './statements.js';
import { checkImportRows, type ImportRow } from './teammates.js';

// The port (src/ports/imports.ts) is the contract; re-exported for the adapters that reach the store.
export type * from '../ports/imports.js';

export const IMPORT_SQL = {
  unfinished: "SELECT * FROM imports WHERE status != 'done' LIMIT 1",
  get: 'SELECT * FROM imports WHERE id = ?',
  insert: `INSERT INTO imports (team_id, file, changed_by, at, total, status)
         VALUES (?, ?, ?, ?, ?, 'staging') RETURNING *`,
  stageRow: 'INSERT INTO import_rows (import_id, seq, change, tz, manager_tz) VALUES (?, ?, ?, ?, ?)',
  stagedCount: 'SELECT count(*) AS n FROM import_rows WHERE import_id = ?',
  markStaged: "UPDATE imports SET status = 'writing' WHERE id = ? AND status = 'staging' RETURNING *",
  // The primary key (import_id, seq) serves both: a range read and a range delete of the batch.
  next: 'SELECT seq, change, tz, manager_tz FROM import_rows WHERE import_id = ? AND seq >= ? ORDER BY seq LIMIT ?',
  deleteUpTo: 'DELETE FROM import_rows WHERE import_id = ? AND seq < ?',
  // Only from where the caller read it: a batch another process recorded first matches nothing.
  advance: `UPDATE imports SET done = ?, created = created + ?, updated = updated + ?, unchanged = unchanged + ?,
           status = CASE WHEN CAST(? AS INTEGER) = total THEN 'done' ELSE status END,
           finished_at = CASE WHEN CAST(? AS INTEGER) = total THEN CAST(? AS TEXT) ELSE NULL END
         WHERE id = ? AND done = ? AND status = 'writing'
         RETURNING *`,
  discardSome: `DELETE FROM import_rows
         WHERE import_id = ? AND seq IN (SELECT seq FROM import_rows WHERE import_id = ? ORDER BY seq LIMIT ?)`,
  deleteImport: "DELETE FROM imports WHERE id = ? AND status = 'staging'",
} as const;

interface ImportDbRow {
  id: number;
  team_id: string;
  file: string;
  changed_by: string;
  at: string;
  total: number;
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  status: ImportStatus;
  finished_at: string | null;
}

function toRun(r: ImportDbRow): ImportRun {
  return {
    id: r.id,
    teamId: r.team_id,
    file: r.file,
    changedBy: r.changed_by,
    at: r.at,
    total: r.total,
    done: r.done,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    status: r.status,
    finishedAt: r.finished_at,
  };
}

const newImportSchema = z.object({
  teamId: slackId,
  file: z.string().min(1).max(255),
  changedBy: slackId,
  at: timestamp,
  total: z.number().int().positive(),
});

const zone = timeZone.nullable().optional();

export class SqlImportStore implements ImportStore {
  constructor(private readonly sql: Sql) {}

  async unfinished(): Promise<ImportRun | null> {
    const row = await this.sql.get<ImportDbRow>(IMPORT_SQL.unfinished);
    return row ? toRun(row) : null;
  }

  async get(id: number): Promise<ImportRun | null> {
    const row = await this.sql.get<ImportDbRow>(IMPORT_SQL.get, [id]);
    return row ? toRun(row) : null;
  }

  async begin(run: NewImport): Promise<ImportRun> {
    const v = parseInput(newImportSchema, run, 'import');
    const row = await this.sql.get<ImportDbRow>(IMPORT_SQL.insert, [v.teamId, v.file, v.changedBy, v.at, v.total]);
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return toRun(row);
  }

  async stage(id: number, from: number, rows: readonly StagedRow[]): Promise<void> {
    const run = await this.#mustGet(this.sql, id);
    // The same checks importMany makes, before the rows are kept: a staged row always applies.
    checkImportRows(
      rows.map((r) => r.change),
      run.changedBy,
      run.at,
    );
    const zones = rows.map((r) => ({
      tz: parseInput(zone, r.tz, 'time zone') ?? null,
      managerTz: parseInput(zone, r.managerTz, 'time zone') ?? null,
    }));
    await this.sql.transaction(async (sql) => {
      for (const [i, row] of rows.entries()) {
        const z = zones[i] as { tz: string | null; managerTz: string | null };
        await sql.run(IMPORT_SQL.stageRow, [id, from + i, JSON.stringify(row.change), z.tz, z.managerTz]);
      }
    });
  }

  async markStaged(id: number): Promise<ImportRun> {
    return this.sql.transaction(async (sql) => {
      const run = await this.#mustGet(sql, id);
      const staged = (await sql.get<{ n: number }>(IMPORT_SQL.stagedCount, [id]))?.n ?? 0;
      const marked =
        run.status === 'staging' && staged === run.total
          ? await sql.get<ImportDbRow>(IMPORT_SQL.markStaged, [id])
          : undefined;
      if (!marked) throw new Error(`import ${id}: ${staged} of ${run.total} rows staged, status ${run.status}`);
      return toRun(marked);
    });
  }

  async staged(id: number, from: number, limit: number): Promise<StagedBatchRow[]> {
    const rows = await this.sql.all<{ seq: number; change: string; tz: string | null; manager_tz: string | null }>(
      IMPORT_SQL.next,
      [id, from, limit],
    );
    // NOTE: checked again (checkImportRows) by whoever writes them, as every staged row was when it was staged.
    return rows.map((r) => ({
      seq: r.seq,
      change: JSON.parse(r.change) as ImportRow,
      tz: r.tz,
      managerTz: r.manager_tz,
    }));
  }

  async markWritten(id: number, batch: WrittenBatch): Promise<ImportRun> {
    const now = parseInput(timestamp, batch.now, 'now');
    const done = batch.from + batch.rows;
    const { created, updated, unchanged } = batch.counts;
    return this.sql.transaction(async (sql) => {
      const row = await sql.get<ImportDbRow>(IMPORT_SQL.advance, [
        done,
        created,
        updated,
        unchanged,
        done,
        done,
        now,
        id,
        batch.from,
      ]);
      if (!row) throw new Error(`import ${id}: the batch from row ${batch.from} was already written`);
      await sql.run(IMPORT_SQL.deleteUpTo, [id, done]);
      return toRun(row);
    });
  }

  async discardStaged(id: number, limit: number): Promise<boolean> {
    return this.sql.transaction(async (sql) => {
      const row = await sql.get<ImportDbRow>(IMPORT_SQL.get, [id]);
      if (!row) return true;
      if (row.status !== 'staging')
        throw new Error(`import ${id} is ${row.status}: only a staging import is discarded`);
      if ((await sql.run(IMPORT_SQL.discardSome, [id, id, limit])).changes === limit) return false;
      await sql.run(IMPORT_SQL.deleteImport, [id]);
      return true;
    });
  }

  async #mustGet(sql: Sql, id: number): Promise<ImportRun> {
    const row = await sql.get<ImportDbRow>(IMPORT_SQL.get, [id]);
    if (!row) throw new Error(`no import ${id}`);
    return toRun(row);
  }
}

STORE_SQL.imports = IMPORT_SQL;
