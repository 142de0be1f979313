/**
 * Writes a checked import plan into a database a live Ripple may be using: staged first, then
 * applied in batches of a few hundred rows, each batch one short transaction followed by a pause as
 * long as the batch held the lock, so the app's writes (which wait at most a few hundred ms for the
 * lock, src/db/busy.ts) always get their turn. A batch and the import's progress commit together:
 * an import that stops part-way is finished by `resumeImport`, and never applies a row twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportRun, NewImport, StagedRow } from '../store/imports.js';
import type { Stores } from '../store/index.js';
import { checkImportRows, type ImportRow } from '../store/teammates.js';
import { createProgress, type ProgressStream } from './progress.js';

/** Rows per write transaction: a few milliseconds of lock each (about 40 µs a row). */
export const DEFAULT_BATCH_ROWS = 250;
/** The most rows a batch may have (`--batch-size`): beyond this a batch holds the lock long enough to be felt. */
export const MAX_BATCH_ROWS = 5_000;
/** Rows staged per transaction: a staged row is one small insert, so more fit in the same lock time. */
const STAGE_ROWS = 1_000;
/** The least pause between two batches, even after a very fast one. */
const MIN_PAUSE_MS = 1;

export interface WriteOptions {
  /** Rows per write transaction. */
  batchRows?: number;
  /** Where the progress bar goes. */
  progress: ProgressStream;
  /** The time now, ISO 8601 (the import's finish time is recorded with it). */
  now: () => string;
}

/** The import stopped part-way; `run` is where it stands (rows up to `run.done` are written). */
export class ImportStoppedError extends Error {
  constructor(
    readonly run: ImportRun,
    options: { cause: unknown },
  ) {
    super(`import ${run.id} stopped after ${run.done} of ${run.total} rows`, options);
    this.name = 'ImportStoppedError';
  }
}

/** The import could not be staged; nothing of it was written and what was staged is removed again. */
export class ImportNotStagedError extends Error {
  constructor(options: { cause: unknown }) {
    super('the import could not be prepared', options);
    this.name = 'ImportNotStagedError';
  }
}

/**
 * The rows to stage, with the time zone of each person (and, on the first row naming a manager, the
 * manager's) from `zones`.
 */
export function stagedRows(changes: readonly ImportRow[], zones: ReadonlyMap<string, string>): StagedRow[] {
  const named = new Set<string>();
  return changes.map((change) => {
    const row: StagedRow = { change, tz: zones.get(change.userId) ?? null };
    const manager = change.managerId;
    if (manager && !named.has(manager)) {
      named.add(manager);
      row.managerTz = zones.get(manager) ?? null;
    }
    return row;
  });
}

/** What the import writes with: its own store, and units of work with the teammates' records. */
export type ImportStores = Pick<Stores, 'imports' | 'unitOfWork'>;

/** Runs `write` (one unit of work, retried whole while the database is busy), then pauses as long as it took. */
async function paced<T>(write: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await write();
  // NOTE: a live Ripple waiting for the lock gets it during this pause: the import never holds the
  // write lock more than half the time, and never for longer than one batch.
  await sleep(Math.max(MIN_PAUSE_MS, performance.now() - started));
  return result;
}

/** Removes an import that never reached 'writing', a few thousand staged rows per transaction. */
export async function discardStaged(stores: ImportStores, id: number): Promise<void> {
  while (!(await paced(() => stores.unitOfWork.run((repos) => repos.imports.discardStaged(id, STAGE_ROWS))))) {
    // Each call removes one slice; the last removes the import itself.
  }
}

/**
 * Stages `rows` as a new import and writes it. Throws ImportNotStagedError when staging fails
 * (nothing written), ImportStoppedError when writing stops part-way (resume it).
 */
export async function writeImport(
  stores: ImportStores,
  start: NewImport,
  rows: readonly StagedRow[],
  options: WriteOptions,
): Promise<ImportRun> {
  const begun = await stores.unitOfWork.run((repos) => repos.imports.begin(start));
  let run: ImportRun;
  try {
    for (let from = 0; from < rows.length; from += STAGE_ROWS) {
      const slice = rows.slice(from, from + STAGE_ROWS);
      await paced(() => stores.unitOfWork.run((repos) => repos.imports.stage(begun.id, from, slice)));
    }
    run = await stores.unitOfWork.run((repos) => repos.imports.markStaged(begun.id));
  } catch (cause) {
    await discardStaged(stores, begun.id);
    throw new ImportNotStagedError({ cause });
  }
  return writeStaged(stores, run, options);
}

/**
 * Writes the next `limit` staged rows of `run` and returns the import as it is after: the records, their time
 * zones and the import's progress in one unit of work, so the batch is written whole or not at all, and exactly
 * once. The rows are read and checked before the unit begins: the unit holds the write lock only to write.
 */
async function writeBatch(stores: ImportStores, run: ImportRun, limit: number, now: string): Promise<ImportRun> {
  const rows = await stores.imports.staged(run.id, run.done, limit);
  // NOTE: rows are staged 0…total-1 and removed only with `done` advanced in the same unit: the next staged row
  // is always position `done`.
  if (rows[0]?.seq !== run.done) throw new Error(`import ${run.id}: staged row ${run.done} is missing`);
  const changes = checkImportRows(
    rows.map((r) => r.change),
    run.changedBy,
    run.at,
  );
  const zones: { teamId: string; userId: string; tz: string }[] = [];
  rows.forEach((r, i) => {
    const change = changes[i] as (typeof changes)[number];
    if (r.tz !== null) zones.push({ teamId: change.teamId, userId: change.userId, tz: r.tz });
    // A manager without a record of their own has nowhere to keep a zone: that update changes nothing.
    if (r.managerTz !== null && change.managerId) {
      zones.push({ teamId: change.teamId, userId: change.managerId, tz: r.managerTz });
    }
  });
  return stores.unitOfWork.run(async (repos) => {
    const current = await repos.imports.get(run.id);
    if (current === null) throw new Error(`no import ${run.id}`);
    // Another process resuming the same import wrote this batch first: go on from where it stands.
    if (current.done !== run.done || current.status !== 'writing') return current;
    const counts = await repos.teammates.importChecked(changes);
    await repos.teammates.setTimeZones(zones, run.at);
    return repos.imports.markWritten(run.id, { from: run.done, rows: rows.length, counts, now });
  });
}

/** Writes what is left of a staged import, batch by batch, with a progress bar and an estimate. */
export async function writeStaged(stores: ImportStores, run: ImportRun, options: WriteOptions): Promise<ImportRun> {
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const progress = createProgress(options.progress, 'Writing teammates', run.total);
  const started = performance.now();
  const from = run.done;
  let batches = 0;
  let current = run;
  progress.update(current.done);
  try {
    while (current.status === 'writing') {
      const from = current;
      current = await paced(() => writeBatch(stores, from, batchRows, options.now()));
      batches++;
      progress.update(current.done);
    }
  } catch (cause) {
    progress.finish(`Writing teammates stopped at ${current.done}/${current.total}.`);
    throw new ImportStoppedError(current, { cause });
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  progress.finish(
    `Writing teammates: ${current.done - from} rows in ${batches} batch${batches === 1 ? '' : 'es'} of at most ${batchRows}, ${seconds} s`,
  );
  return current;
}
