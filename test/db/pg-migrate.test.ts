import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, loadMigrations, MigrationFailedError } from '../../src/db/migrate.js';
import { DEFAULT_PG_MIGRATIONS_DIR, migratePostgres } from '../../src/db/pg-migrate.js';
import { PostgresEngine } from '../../src/db/postgres.js';
import { createPostgresDatabase, dropDatabase, postgresServer } from '../support/postgres.js';

const server = postgresServer();

describe.skipIf(server.skip)('PostgreSQL migrations', () => {
  const url = server.url as string;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** An empty database (no schema at all) and `count` engines on it. */
  async function emptyDatabase(count = 1): Promise<PostgresEngine[]> {
    const name = await createPostgresDatabase(url, { migrated: false });
    const opened = Array.from({ length: count }, () => new PostgresEngine(`${url}${name}`));
    cleanups.push(async () => {
      for (const engine of opened) await engine.close();
      await dropDatabase(url, name);
    });
    return opened;
  }

  /** A migrations folder: the real 001 followed by `extra` files. */
  function migrationsDir(extra: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-pg-migrations-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    copyFileSync(join(DEFAULT_PG_MIGRATIONS_DIR, '001_initial.sql'), join(dir, '001_initial.sql'));
    for (const [file, sql] of Object.entries(extra)) writeFileSync(join(dir, file), sql);
    return dir;
  }

  /** Every table and every row of the migrations table: equal snapshots mean nothing changed. */
  async function snapshot(engine: PostgresEngine): Promise<unknown> {
    return {
      tables: await engine.sql.all(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      ),
      migrations: await engine.sql.all('SELECT * FROM ripple_migrations ORDER BY version'),
      workspaces: await engine.sql.all('SELECT * FROM workspaces ORDER BY team_id'),
    };
  }

  it('applies the schema to an empty database and records it, then has nothing more to do', async () => {
    const [engine] = (await emptyDatabase()) as [PostgresEngine];
    const files = loadMigrations(DEFAULT_PG_MIGRATIONS_DIR);
    const latest = files.length;
    expect(await migratePostgres(engine)).toEqual({ from: 0, to: latest, applied: files.map((m) => m.file) });
    expect(await engine.sql.all('SELECT version, file FROM ripple_migrations ORDER BY version')).toEqual(
      files.map((m) => ({ version: m.version, file: m.file })),
    );
    const row = await engine.sql.get<{ applied_at: string }>('SELECT applied_at FROM ripple_migrations LIMIT 1');
    expect(Number.isNaN(Date.parse(row?.applied_at ?? ''))).toBe(false);
    expect(await migratePostgres(engine)).toEqual({ from: latest, to: latest, applied: [] });
    expect(await engine.sql.get('SELECT count(*) AS n FROM teammates')).toEqual({ n: 0 });
  });

  it('refuses a database with a newer version and leaves it untouched', async () => {
    const [engine] = (await emptyDatabase()) as [PostgresEngine];
    const dir = migrationsDir({ '002_more.sql': 'CREATE TABLE more (id INTEGER);' });
    // At version 2 of `dir`, whatever number the real files reach, then a version from the future.
    await migratePostgres(engine, dir);
    await engine.sql.run("INSERT INTO workspaces (team_id) VALUES ('T1')");
    // A version past every real migration, as a newer Ripple would have recorded it.
    const future = loadMigrations(DEFAULT_PG_MIGRATIONS_DIR).length + 1;
    await engine.sql.run('INSERT INTO ripple_migrations (version, file, applied_at) VALUES (?, ?, ?)', [
      future,
      `${String(future).padStart(3, '0')}_future.sql`,
      'x',
    ]);
    const before = await snapshot(engine);

    const refused = await migratePostgres(engine, dir).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DatabaseTooNewError);
    expect(refused).toMatchObject({ databaseVersion: future, knownVersion: 2 });
    expect((refused as Error).message).toContain('point DATABASE_URL at another database');
    expect((refused as Error).message).toContain('Nothing was changed');
    expect(await snapshot(engine)).toEqual(before);
  });

  it('leaves nothing of a failing migration and the version as it was; the files before it stay applied', async () => {
    const [engine] = (await emptyDatabase()) as [PostgresEngine];
    const dir = migrationsDir({
      '002_half.sql':
        "CREATE TABLE half (id INTEGER);\nINSERT INTO workspaces (team_id) VALUES ('T-half');\nSELECT 1 / 0;",
    });
    const failed = await migratePostgres(engine, dir).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(MigrationFailedError);
    expect(failed).toMatchObject({ file: '002_half.sql', fromVersion: 1 });
    expect((failed as Error).message).toContain('division by zero');
    expect((failed as Error).message).toContain('Nothing of it was applied: the database stays at schema version 1');

    expect(await engine.sql.all('SELECT version FROM ripple_migrations ORDER BY version')).toEqual([{ version: 1 }]);
    expect(await engine.sql.get("SELECT to_regclass('half') AS found")).toEqual({ found: null });
    expect(await engine.sql.all('SELECT * FROM workspaces')).toEqual([]);
    // The connection went back to the pool usable, outside any transaction.
    expect(await engine.sql.get('SELECT 1 AS one')).toEqual({ one: 1 });
  });

  it('applies each file once when several instances start at the same moment', async () => {
    const engines = await emptyDatabase(4);
    // Not idempotent on purpose: CREATE TABLE fails if run twice, the log counts every run.
    const dir = migrationsDir({
      '002_log.sql':
        "CREATE TABLE applied_log (file TEXT NOT NULL);\nSELECT pg_sleep(0.05);\nINSERT INTO applied_log VALUES ('002');",
      '003_more.sql':
        "CREATE TABLE more (id INTEGER);\nSELECT pg_sleep(0.05);\nINSERT INTO applied_log VALUES ('003');",
    });
    const results = await Promise.all(engines.map((engine) => migratePostgres(engine, dir)));

    expect(results.flatMap((r) => r.applied).sort()).toEqual(['001_initial.sql', '002_log.sql', '003_more.sql']);
    for (const result of results) expect(result.to).toBe(3);
    const [first] = engines as [PostgresEngine];
    expect(await first.sql.all('SELECT file FROM applied_log ORDER BY file')).toEqual([
      { file: '002' },
      { file: '003' },
    ]);
    expect(await first.sql.all('SELECT version FROM ripple_migrations ORDER BY version')).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
    ]);
  });
});
