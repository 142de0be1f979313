import type { Timestamp } from '../teammates/model.js';
import type { ImportCounts, ImportRow } from './teammates.js';

/**
 * Bulk imports written in short batches (db/011_imports.sql). The whole plan is checked and staged
 * first; then the import writer (src/bulk/import-writer.ts) writes each batch in one unit of work: the
 * teammates' records, and `markWritten`, which removes the batch from the stage and advances the import's
 * `done`. So a row is applied exactly once whatever stops the process.
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

/** A staged row as it is read back to be written: its position in the import, and what was staged. */
export interface StagedBatchRow extends StagedRow {
  seq: number;
  tz: string | null;
  managerTz: string | null;
}

/** A batch the caller has written to the records (in the same unit of work), to record as written. */
export interface WrittenBatch {
  /** The position of its first row: the import's `done` when it was read. */
  from: number;
  /** How many staged rows it wrote. */
  rows: number;
  /** What writing them did. */
  counts: ImportCounts;
  /** The time now: when the import finished, if this was its last batch. */
  now: Timestamp;
}

export interface ImportStore {
  /** The import that has not finished (at most one exists), or null. */
  unfinished(): Promise<ImportRun | null>;
  get(id: number): Promise<ImportRun | null>;
  /** Records a new import in 'staging'. Refused (a constraint error) while another is unfinished. */
  begin(run: NewImport): Promise<ImportRun>;
  /** Stages `rows` as positions `from`, `from + 1`, … in one transaction; checks them first. */
  stage(id: number, from: number, rows: readonly StagedRow[]): Promise<void>;
  /** Every row is staged: the import may be written. */
  markStaged(id: number): Promise<ImportRun>;
  /** At most `limit` staged rows from position `from`, in order. Reads only. */
  staged(id: number, from: number, limit: number): Promise<StagedBatchRow[]>;
  /**
   * Records a batch as written: removes its staged rows and advances the import's `done` and counts ('done' after
   * the last row), and returns the import as it is after. NOTE: run it in the unit of work that wrote the batch's
   * records, so the records and the progress commit together and a row is applied exactly once. Throws (the unit
   * rolls back) when the import is no longer at `batch.from`: another process wrote that batch first.
   */
  markWritten(id: number, batch: WrittenBatch): Promise<ImportRun>;
  /**
   * Forgets an import that never reached 'writing' (nothing of it is in the records): up to `limit`
   * staged rows per call, each call one transaction; true once the import itself is gone.
   */
  discardStaged(id: number, limit: number): Promise<boolean>;
}
