import type { Db } from '../db/migrate.js';
import { SqliteEngine } from '../db/sql.js';
import { asAsync } from './async.js';
import { type CheckinStore, SqliteCheckinStore } from './checkins.js';
import { type ProcessedEventStore, SqliteProcessedEventStore } from './events.js';
import { type GrowthStore, SqliteGrowthStore } from './growth.js';
import { type ImportStore, SqliteImportStore } from './imports.js';
import { type OutboxStore, SqliteOutboxStore } from './outbox.js';
import { type PendingChangeStore, SqlitePendingChangeStore } from './pending.js';
import { type ReminderStore, SqliteReminderStore } from './reminder-ledger.js';
import { SqliteTeammateStore, type TeammateStore } from './teammates.js';
import { type UnitOfWork, unitOfWork } from './unit-of-work.js';
import { SqliteWorkspaceStore, type WorkspaceStore } from './workspaces.js';

export * from './checkins.js';
export * from './errors.js';
export * from './events.js';
export * from './imports.js';
export * from './outbox.js';
export * from './pending.js';
export * from './teammates.js';
export * from './types.js';
export * from './unit-of-work.js';
export * from './workspaces.js';

/** Every repository the app needs: on their own (each call commits) or bound to one unit of work. */
export interface Repos {
  teammates: TeammateStore;
  workspaces: WorkspaceStore;
  events: ProcessedEventStore;
  /** `/career set` changes waiting for their Confirm button. */
  pending: PendingChangeStore;
  checkins: CheckinStore;
  /** Notifications that failed, for the background job to retry. */
  outbox: OutboxStore;
  /** Growth channel, growth preferences and the weekly ledger (channel posts, manager digests). */
  growth: GrowthStore;
  /** The reminder plan and ledger (the engine's own; read here for `/career admin schedule`). */
  reminders: ReminderStore;
  /** Bulk imports written in batches (`npm run import`), and their staged rows until written. */
  imports: ImportStore;
}

/** The repositories, built once in the composition root and passed down in the context, and the unit of work. */
export interface Stores extends Repos {
  /**
   * Runs `work` (repository calls only, no Slack) as one transaction, retried whole when it loses a
   * race for the database: all of its writes or none, and one commit. A background slice of many
   * small writes uses it too, so the disk is waited on once per slice rather than once per row.
   */
  unitOfWork: UnitOfWork<Repos>;
}

/** The SQLite implementations, all on one database handle (open it with `openDatabase`). */
export function createStores(db: Db): Stores {
  const teammatesSync = new SqliteTeammateStore(db);
  const repos: Repos = {
    teammates: asAsync(teammatesSync),
    workspaces: asAsync(new SqliteWorkspaceStore(db)),
    events: asAsync(new SqliteProcessedEventStore(db)),
    pending: asAsync(new SqlitePendingChangeStore(db)),
    checkins: asAsync(new SqliteCheckinStore(db)),
    outbox: asAsync(new SqliteOutboxStore(db)),
    growth: asAsync(new SqliteGrowthStore(db)),
    reminders: asAsync(new SqliteReminderStore(db)),
    imports: asAsync(new SqliteImportStore(db, teammatesSync)),
  };
  // IMMEDIATE: the write lock is taken at the start, so a unit never fails half-way to upgrade a read.
  return { ...repos, unitOfWork: unitOfWork(new SqliteEngine(db), () => repos) };
}
