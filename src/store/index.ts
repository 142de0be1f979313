import type { Db } from '../db/migrate.js';
import { type Engine, type Sql, SqliteEngine } from '../db/sql.js';
import type { Repos, Stores } from '../ports/index.js';
import { SqlCheckinStore } from './checkins.js';
import { SqlProcessedEventStore } from './events.js';
import { SqlEvidenceStore } from './evidence.js';
import { SqlEvidenceAskStore } from './evidence-asks.js';
import { SqlGrowthStore } from './growth.js';
import { SqlImportStore } from './imports.js';
import { SqlOutboxStore } from './outbox.js';
import { SqlPendingChangeStore } from './pending.js';
import { SqlPromotionStore } from './promotions.js';
import { SqlReminderStore } from './reminder-ledger.js';
import { SqlTeammateStore, TEAMMATE_KEPT_READS } from './teammates.js';
import { unitOfWork } from './unit-of-work.js';
import { SqlWorkspaceStore } from './workspaces.js';

// The set of repositories and the unit of work are the ports' (src/ports/index.ts); re-exported for the adapters.
export type { Repos, Stores } from '../ports/index.js';
export * from './checkins.js';
export * from './errors.js';
export * from './events.js';
export * from './evidence.js';
export * from './evidence-asks.js';
export * from './imports.js';
export * from './outbox.js';
export * from './pending.js';
export * from './promotions.js';
export * from './teammates.js';
export * from './types.js';
export * from './unit-of-work.js';
export * from './workspaces.js';

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
      evidence: new SqlEvidenceStore(sql),
      evidenceAsks: new SqlEvidenceAskStore(sql),
      promotions: new SqlPromotionStore(sql),
    };
  };
  (engine as Engine).keepReads?.(TEAMMATE_KEPT_READS());
  return { ...reposOn(engine.sql), unitOfWork: unitOfWork(engine, reposOn) };
}
