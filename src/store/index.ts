import type { Db } from '../db/migrate.js';
import { type CheckinStore, SqliteCheckinStore } from './checkins.js';
import { type ProcessedEventStore, SqliteProcessedEventStore } from './events.js';
import { type GrowthStore, SqliteGrowthStore } from './growth.js';
import { type ImportStore, SqliteImportStore } from './imports.js';
import { type OutboxStore, SqliteOutboxStore } from './outbox.js';
import { type PendingChangeStore, SqlitePendingChangeStore } from './pending.js';
import { type ReminderStore, SqliteReminderStore } from './reminder-ledger.js';
import { SqliteTeammateStore, type TeammateStore } from './teammates.js';
import { SqliteWorkspaceStore, type WorkspaceStore } from './workspaces.js';

export * from './checkins.js';
export * from './errors.js';
export * from './events.js';
export * from './imports.js';
export * from './outbox.js';
export * from './pending.js';
export * from './teammates.js';
export * from './types.js';
export * from './workspaces.js';

/** Every store the app needs, built once in the composition root and passed down in the context. */
export interface Stores {
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
  /**
   * Runs `work` (store calls only, no Slack) as one transaction: all of its writes or none, and one
   * commit. A background slice of many small writes uses it, so the disk is waited on once per slice
   * rather than once per row. Store methods called inside it join it.
   */
  atomically<T>(work: () => T): T;
}

/** The SQLite implementations, all on one database handle (open it with `openDatabase`). */
export function createStores(db: Db): Stores {
  const teammates = new SqliteTeammateStore(db);
  return {
    teammates,
    workspaces: new SqliteWorkspaceStore(db),
    events: new SqliteProcessedEventStore(db),
    pending: new SqlitePendingChangeStore(db),
    checkins: new SqliteCheckinStore(db),
    outbox: new SqliteOutboxStore(db),
    growth: new SqliteGrowthStore(db),
    reminders: new SqliteReminderStore(db),
    imports: new SqliteImportStore(db, teammates),
    // IMMEDIATE: the write lock is taken at the start, so a unit never fails half-way to upgrade a read.
    atomically: (work) => db.transaction(work).immediate(),
  };
}
