import type { Db } from '../db/migrate.js';
import { type Engine, type Sql, SqliteEngine } from '../db/sql.js';
import { asAsync } from './async.js';
import { type CheckinStore, SqlCheckinStore } from './checkins.js';
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
 * On PostgreSQL, the stores not yet moved onto the engine port: each call is refused, saying so, while the
 * stores already moved work (their contract tests run on both engines).
 */
function notOnPostgresYet<T extends object>(): T {
  return new Proxy({} as T, {
    get: (_stores, store) =>
      new Proxy(
        {},
        {
          get: (_store, method) =>
            // Not a promise itself: `then` stays undefined, so awaiting a store never hangs.
            method === 'then'
              ? undefined
              : () => Promise.reject(new Error(`The ${String(store)} store has no PostgreSQL implementation yet`)),
        },
      ),
  });
}

/**
 * The repositories on an engine, and its unit of work. Given a better-sqlite3 handle, the SQLite engine
 * on it. Each unit of work gets the repositories bound to its own transaction (`reposOn`).
 */
export function createStores(target: Db | Engine): Stores {
  const engine = 'dialect' in target ? target : sqliteEngineOf(target);
  // NOTE: stores still written against better-sqlite3 directly (synchronous, one connection) are built once and
  // shared by every unit: on one connection they are inside the unit's transaction anyway.
  const db = engine instanceof SqliteEngine ? engine.handle : undefined;
  const sqliteOnly = (): Db => {
    if (!db) throw new Error('This store has no PostgreSQL implementation yet');
    return db;
  };
  const sqliteLegacy = db
    ? (() => {
        const teammatesSync = new SqliteTeammateStore(sqliteOnly());
        return {
          teammates: asAsync(teammatesSync),
          workspaces: asAsync(new SqliteWorkspaceStore(sqliteOnly())),
          events: asAsync(new SqliteProcessedEventStore(sqliteOnly())),
          pending: asAsync(new SqlitePendingChangeStore(sqliteOnly())),
          outbox: asAsync(new SqliteOutboxStore(sqliteOnly())),
          growth: asAsync(new SqliteGrowthStore(sqliteOnly())),
          reminders: asAsync(new SqliteReminderStore(sqliteOnly())),
          imports: asAsync(new SqliteImportStore(sqliteOnly(), teammatesSync)),
        };
      })()
    : undefined;
  const reposOn = (sql: Sql): Repos => {
    const legacy = sqliteLegacy ?? notOnPostgresYet<NonNullable<typeof sqliteLegacy>>();
    return {
      teammates: legacy.teammates,
      workspaces: legacy.workspaces,
      events: legacy.events,
      pending: legacy.pending,
      checkins: new SqlCheckinStore(sql),
      outbox: legacy.outbox,
      growth: legacy.growth,
      reminders: legacy.reminders,
      imports: legacy.imports,
    };
  };
  return { ...reposOn(engine.sql), unitOfWork: unitOfWork(engine, reposOn) };
}
