import type { Db } from '../db/migrate.js';
import { type Engine, type Sql, SqliteEngine } from '../db/sql.js';
import { type CheckinStore, SqlCheckinStore } from './checkins.js';
import { type ProcessedEventStore, SqlProcessedEventStore } from './events.js';
import { type GrowthStore, SqlGrowthStore } from './growth.js';
import { type ImportStore, SqlImportStore } from './imports.js';
import { type OutboxStore, SqlOutboxStore } from './outbox.js';
import { type PendingChangeStore, SqlPendingChangeStore } from './pending.js';
import { type ReminderStore, SqlReminderStore } from './reminder-ledger.js';
import { SqlTeammateStore, type TeammateStore } from './teammates.js';
import { type UnitOfWork, unitOfWork } from './unit-of-work.js';
import { SqlWorkspaceStore, type WorkspaceStore } from './workspaces.js';

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

/** One engine per SQLite handle: its statements and the transaction it runs are the handle's. */
const engines = new WeakMap<Db, SqliteEngine>();
export function sqliteEngineOf(db: Db): SqliteEngine {
  let engine = engines.get(db);
  if (!engine) {
    engine = new SqliteEngine(db);
    engines.set(db, engine);
  }
  return engine;
}

/**
 * The repositories on an engine, and its unit of work. Given a better-sqlite3 handle, the SQLite engine
 * on it. Each unit of work gets the repositories bound to its own transaction (`reposOn`).
 */
export function createStores(target: Db | Engine): Stores {
  const engine = 'dialect' in target ? target : sqliteEngineOf(target);
  // Cheap to build: a store holds only its Sql; statements are prepared (SQLite) once per engine.
  const reposOn = (sql: Sql): Repos => {
    return {
      teammates: new SqlTeammateStore(sql),
      workspaces: new SqlWorkspaceStore(sql),
      events: new SqlProcessedEventStore(sql),
      pending: new SqlPendingChangeStore(sql),
      checkins: new SqlCheckinStore(sql),
      outbox: new SqlOutboxStore(sql),
      growth: new SqlGrowthStore(sql),
      reminders: new SqlReminderStore(sql),
      imports: new SqlImportStore(sql),
    };
  };
  return { ...reposOn(engine.sql), unitOfWork: unitOfWork(engine, reposOn) };
}
