import type { Db } from '../db/migrate.js';
import { type CheckinStore, SqliteCheckinStore } from './checkins.js';
import { type ProcessedEventStore, SqliteProcessedEventStore } from './events.js';
import { type OutboxStore, SqliteOutboxStore } from './outbox.js';
import { type PendingChangeStore, SqlitePendingChangeStore } from './pending.js';
import { SqliteTeammateStore, type TeammateStore } from './teammates.js';
import { SqliteWorkspaceStore, type WorkspaceStore } from './workspaces.js';

export * from './checkins.js';
export * from './errors.js';
export * from './events.js';
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
}

/** The SQLite implementations, all on one database handle (open it with `openDatabase`). */
export function createStores(db: Db): Stores {
  return {
    teammates: new SqliteTeammateStore(db),
    workspaces: new SqliteWorkspaceStore(db),
    events: new SqliteProcessedEventStore(db),
    pending: new SqlitePendingChangeStore(db),
    checkins: new SqliteCheckinStore(db),
    outbox: new SqliteOutboxStore(db),
  };
}
