import { join } from 'node:path';
import type pg from 'pg';
import {
  DatabaseTooNewError,
  DEFAULT_MIGRATIONS_DIR,
  loadMigrations,
  type Migration,
  MigrationFailedError,
  type MigrationResult,
} from './migrate.js';
import type { PostgresEngine } from './postgres.js';

/**
 * Ripple's schema on PostgreSQL: forward-only numbered files in `db/postgres/` (the twins of the
 * SQLite files in `db/`), checked and read by the same loadMigrations. A table records each one
 * applied; the newest version there is the schema version.
 *
 * Guarantees, as for SQLite (src/db/migrate.ts):
 * - A database newer than these files is refused before anything is written (DatabaseTooNewError).
 * - Each file is applied in its own transaction together with its ripple_migrations row: after a
 *   failure the database is at the version before that file, with nothing of it.
 * - Several instances starting at once apply each file once: every transaction first takes one
 *   advisory lock, then re-reads the version.
 */

/** `db/postgres/` at the top of the package, found as DEFAULT_MIGRATIONS_DIR is. */
export const DEFAULT_PG_MIGRATIONS_DIR = join(DEFAULT_MIGRATIONS_DIR, 'postgres');

/** The key of the transaction-scoped advisory lock every migration transaction takes first ("RIPPLEMG"). */
export const MIGRATION_LOCK_KEY = 0x524950504c454d47n;

/** Longest a migration may run (a CREATE INDEX on a large table): the pool's statement limits are for requests. */
const MIGRATION_TIMEOUT_MS = 2 ** 31 - 1;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ripple_migrations (
  version INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

async function query<T extends pg.QueryResultRow>(
  client: pg.ClientBase,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  // query_timeout is node-postgres's own (client-side) limit; its types do not list it per query.
  const config = { text, values, query_timeout: MIGRATION_TIMEOUT_MS } as pg.QueryConfig;
  return (await client.query<T>(config)).rows;
}

/** The newest version recorded, 0 for a database without the table; reads only. */
async function appliedVersion(client: pg.ClientBase): Promise<number> {
  const [table] = await query<{ found: string | null }>(client, "SELECT to_regclass('ripple_migrations') AS found");
  if (!table?.found) return 0;
  const [row] = await query<{ version: number | null }>(
    client,
    'SELECT max(version) AS version FROM ripple_migrations',
  );
  return row?.version ?? 0;
}

function describe(client: pg.ClientBase): string {
  const { host, port, database } = client as unknown as { host?: string; port?: number; database?: string };
  return `${database ?? '?'} on ${host ?? '?'}:${port ?? '?'}`;
}

/**
 * Applies the migration after the database's current version, in one transaction with its
 * ripple_migrations row. Returns the file applied, or undefined when there was none to apply.
 */
async function applyNext(client: pg.ClientBase, migrations: readonly Migration[], latest: number) {
  await query(client, 'BEGIN');
  try {
    // The lock waits for another instance's migration; this transaction's own statements may take long.
    await query(client, 'SET LOCAL statement_timeout = 0');
    await query(client, 'SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    // Under the lock: another instance may have applied files since this one last looked.
    const current = await appliedVersion(client);
    if (current > latest) throw new DatabaseTooNewError(current, latest, describe(client), 'DATABASE_URL');
    const next = migrations.find((m) => m.version === current + 1);
    if (!next) {
      await query(client, 'ROLLBACK');
      return { current, applied: undefined };
    }
    try {
      if (current === 0) await query(client, CREATE_TABLE);
      await query(client, next.sql);
      await query(client, 'INSERT INTO ripple_migrations (version, file, applied_at) VALUES ($1, $2, $3)', [
        next.version,
        next.file,
        new Date().toISOString(),
      ]);
    } catch (cause) {
      throw new MigrationFailedError(next.file, current, { cause, perFile: true });
    }
    await query(client, 'COMMIT');
    return { current, applied: next };
  } catch (err) {
    await query(client, 'ROLLBACK').catch(() => {});
    throw err;
  }
}

/**
 * Brings the PostgreSQL database behind `engine` up to the newest file in `dir`. Refuses a database
 * newer than the files before writing anything.
 */
export async function migratePostgres(
  engine: PostgresEngine,
  dir: string = DEFAULT_PG_MIGRATIONS_DIR,
): Promise<MigrationResult> {
  const migrations = loadMigrations(dir);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const client = await engine.pool.connect();
  let broken = false;
  try {
    const from = await appliedVersion(client);
    if (from > latest) throw new DatabaseTooNewError(from, latest, describe(client), 'DATABASE_URL');
    const applied: string[] = [];
    let to = from;
    while (to < latest) {
      const step = await applyNext(client, migrations, latest);
      if (!step.applied) {
        to = step.current;
        break;
      }
      applied.push(step.applied.file);
      to = step.applied.version;
    }
    return { from, to, applied };
  } catch (err) {
    // A connection lost mid-migration must not go back to the pool with a transaction open.
    if (!(err instanceof MigrationFailedError || err instanceof DatabaseTooNewError)) broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
}
