import { z } from 'zod';
import type { Db } from '../db/migrate.js';
import type { Async } from './async.js';
import { parseInput } from './errors.js';
import { slackId, timestamp, timeZone } from './input.js';
import { checkImportRows, type ImportRow, type TeammateStoreSync } from './teammates.js';
import type { Timestamp } from './types.js';

/**
 * Bulk imports written in short batches (db/011_imports.sql). The whole plan is checked and staged
 * first; then each `applyBatch` writes the next rows, removes them from the stage and advances the
 * import's `done` in one transaction, so a row is applied exactly once whatever stops the process.
 * An import that stopped is finished later from its staged rows (`resume` in the import command).
 */

/** One planned row: the change, and the Slack time zones its lookup returned. */
export interface StagedRow {
  change: ImportRow;
  /** The person's zone, stored on their record when the row is written. */
  tz?: string | null;
  /** The zone of the row's manager, given on the first row that names them; stored if they have a record. */
  managerTz?: string | null;
}

export type ImportStatus = 'staging' | 'writing' | 'done';

export interface ImportRun {
  id: number;
  teamId: string;
  /** The file's name as given. */
  file: string;
  changedBy: string;
  /** When it began, and `changed_at` of every history row it writes. */
  at: Timestamp;
  total: number;
  /** Rows written so far. */
  done: number;
  created: number;
  updated: number;
  unchanged: number;
  status: ImportStatus;
  finishedAt: Timestamp | null;
}

export interface NewImport {
  teamId: string;
  file: string;
  changedBy: string;
  at: Timestamp;
  total: number;
}

export type ImportStore = Async<ImportStoreSync>;

/** The SQLite implementation's own, synchronous shape. */
export interface ImportStoreSync {
  /** The import that has not finished (at most one exists), or null. */
  unfinished(): ImportRun | null;
  get(id: number): ImportRun | null;
  /** Records a new import in 'staging'. Refused (a constraint error) while another is unfinished. */
  begin(run: NewImport): ImportRun;
  /** Stages `rows` as positions `from`, `from + 1`, … in one transaction; checks them first. */
  stage(id: number, from: number, rows: readonly StagedRow[]): void;
  /** Every row is staged: the import may be written. */
  markStaged(id: number): ImportRun;
  /** Writes the next `limit` staged rows in one transaction and returns the import as it is after. */
  applyBatch(id: number, limit: number, now: Timestamp): ImportRun;
  /**
   * Forgets an import that never reached 'writing' (nothing of it is in the records): up to `limit`
   * staged rows per call, each call one transaction; true once the import itself is gone.
   */
  discardStaged(id: number, limit: number): boolean;
}

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

export class SqliteImportStore implements ImportStoreSync {
  private readonly db: Db;
  private readonly teammates: TeammateStoreSync;
  private readonly sql;

  /** `teammates` must be a store on the same database handle: a batch is one transaction across both. */
  constructor(db: Db, teammates: TeammateStoreSync) {
    this.db = db;
    this.teammates = teammates;
    this.sql = {
      unfinished: db.prepare<[], ImportDbRow>("SELECT * FROM imports WHERE status != 'done' LIMIT 1"),
      get: db.prepare<[id: number], ImportDbRow>('SELECT * FROM imports WHERE id = ?'),
      insert: db.prepare<[NewImport], ImportDbRow>(
        `INSERT INTO imports (team_id, file, changed_by, at, total, status)
         VALUES (@teamId, @file, @changedBy, @at, @total, 'staging') RETURNING *`,
      ),
      stageRow: db.prepare<
        [id: number, seq: number, change: string, tz: string | null, managerTz: string | null],
        void
      >('INSERT INTO import_rows (import_id, seq, change, tz, manager_tz) VALUES (?, ?, ?, ?, ?)'),
      staged: db.prepare<[id: number], { n: number }>('SELECT count(*) AS n FROM import_rows WHERE import_id = ?'),
      markStaged: db.prepare<[id: number], void>("UPDATE imports SET status = 'writing' WHERE id = ?"),
      // The primary key (import_id, seq) serves both: a range read and a range delete of the batch.
      next: db.prepare<
        [id: number, from: number, limit: number],
        { seq: number; change: string; tz: string | null; manager_tz: string | null }
      >('SELECT seq, change, tz, manager_tz FROM import_rows WHERE import_id = ? AND seq >= ? ORDER BY seq LIMIT ?'),
      deleteUpTo: db.prepare<[id: number, before: number], void>(
        'DELETE FROM import_rows WHERE import_id = ? AND seq < ?',
      ),
      advance: db.prepare<
        [{ id: number; done: number; created: number; updated: number; unchanged: number; at: string | null }],
        void
      >(
        `UPDATE imports SET done = @done, created = @created, updated = @updated, unchanged = @unchanged,
           status = CASE WHEN @done = total THEN 'done' ELSE status END,
           finished_at = CASE WHEN @done = total THEN @at ELSE NULL END
         WHERE id = @id`,
      ),
      discardSome: db.prepare<[{ id: number; limit: number }], void>(
        `DELETE FROM import_rows
         WHERE import_id = @id AND seq IN (SELECT seq FROM import_rows WHERE import_id = @id ORDER BY seq LIMIT @limit)`,
      ),
      deleteImport: db.prepare<[id: number], void>("DELETE FROM imports WHERE id = ? AND status = 'staging'"),
    };
  }

  unfinished(): ImportRun | null {
    const row = this.sql.unfinished.get();
    return row ? toRun(row) : null;
  }

  get(id: number): ImportRun | null {
    const row = this.sql.get.get(id);
    return row ? toRun(row) : null;
  }

  begin(run: NewImport): ImportRun {
    const v = parseInput(newImportSchema, run, 'import');
    const row = this.sql.insert.get(v);
    if (!row) throw new Error('INSERT … RETURNING gave no row');
    return toRun(row);
  }

  stage(id: number, from: number, rows: readonly StagedRow[]): void {
    const run = this.mustGet(id);
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
    this.db
      .transaction(() => {
        rows.forEach((row, i) => {
          const z = zones[i] as { tz: string | null; managerTz: string | null };
          this.sql.stageRow.run(id, from + i, JSON.stringify(row.change), z.tz, z.managerTz);
        });
      })
      .immediate();
  }

  markStaged(id: number): ImportRun {
    return this.db
      .transaction(() => {
        const run = this.mustGet(id);
        const staged = this.sql.staged.get(id)?.n ?? 0;
        if (run.status !== 'staging' || staged !== run.total) {
          throw new Error(`import ${id}: ${staged} of ${run.total} rows staged, status ${run.status}`);
        }
        this.sql.markStaged.run(id);
        return this.mustGet(id);
      })
      .immediate();
  }

  applyBatch(id: number, limit: number, now: Timestamp): ImportRun {
    const finishedAt = parseInput(timestamp, now, 'now');
    // Read and checked before the write lock is taken: the lock is held only to write.
    const run = this.mustGet(id);
    if (run.status !== 'writing') return run;
    const rows = this.sql.next.all(id, run.done, limit);
    // NOTE: rows are staged 0…total-1 and removed only with `done` advanced in the same
    // transaction: the next staged row is always position `done`.
    if (rows.length === 0 || rows[0]?.seq !== run.done)
      throw new Error(`import ${id}: staged row ${run.done} is missing`);
    const changes = checkImportRows(
      rows.map((r) => JSON.parse(r.change) as ImportRow),
      run.changedBy,
      run.at,
    );
    const zones: { teamId: string; userId: string; tz: string }[] = [];
    rows.forEach((r, i) => {
      const change = changes[i] as (typeof changes)[number];
      if (r.tz !== null) zones.push({ teamId: change.teamId, userId: change.userId, tz: r.tz });
      // A manager without a record of their own has nowhere to keep a zone: that update changes nothing.
      if (r.manager_tz !== null && change.managerId) {
        zones.push({ teamId: change.teamId, userId: change.managerId, tz: r.manager_tz });
      }
    });
    return this.db
      .transaction(() => {
        const current = this.mustGet(id);
        // Another process resuming the same import wrote this batch first: let the caller go on from there.
        if (current.done !== run.done || current.status !== 'writing') return current;
        // Nested in this transaction, these run as savepoints: the batch commits as one.
        const counts = this.teammates.importChecked(changes);
        this.teammates.setTimeZones(zones, run.at);
        const done = run.done + rows.length;
        this.sql.deleteUpTo.run(id, done);
        this.sql.advance.run({
          id,
          done,
          created: run.created + counts.created,
          updated: run.updated + counts.updated,
          unchanged: run.unchanged + counts.unchanged,
          at: done === run.total ? finishedAt : null,
        });
        return this.mustGet(id);
      })
      .immediate();
  }

  discardStaged(id: number, limit: number): boolean {
    return this.db
      .transaction(() => {
        const run = this.get(id);
        if (run === null) return true;
        if (run.status !== 'staging')
          throw new Error(`import ${id} is ${run.status}: only a staging import is discarded`);
        if (this.sql.discardSome.run({ id, limit }).changes === limit) return false;
        this.sql.deleteImport.run(id);
        return true;
      })
      .immediate();
  }

  private mustGet(id: number): ImportRun {
    const run = this.get(id);
    if (run === null) throw new Error(`no import ${id}`);
    return run;
  }
}
