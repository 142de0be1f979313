import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/migrate.js';
import { DatabaseUnreachableError, DatabaseUrlError, openEngine } from '../../src/db/open.js';
import { DEFAULT_PG_MIGRATIONS_DIR } from '../../src/db/pg-migrate.js';
import { PostgresEngine } from '../../src/db/postgres.js';
import { type Engine, SqliteEngine } from '../../src/db/sql.js';
import { createPostgresDatabase, dropDatabase, postgresServer } from '../support/postgres.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-open-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function closing(engine: Engine): Engine {
  cleanups.push(() => engine.close());
  return engine;
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openEngine', () => {
  it('opens the SQLite file at databasePath, migrated, without DATABASE_URL', async () => {
    const path = join(tempDir(), 'career.db');
    for (const databaseUrl of [undefined, '', '  ']) {
      const engine = closing(await openEngine({ databaseUrl, databasePath: path }));
      expect(engine).toBeInstanceOf(SqliteEngine);
      expect(await engine.sql.get('SELECT count(*) AS n FROM teammates')).toEqual({ n: 0 });
      await engine.close();
    }
    expect(existsSync(path)).toBe(true);
  });

  it('refuses a DATABASE_URL that is not PostgreSQL rather than ignoring it', async () => {
    const path = join(tempDir(), 'career.db');
    const err = await openEngine({ databaseUrl: 'mysql://ripple:s3cret@db/ripple', databasePath: path }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatabaseUrlError);
    expect((err as Error).message).toContain('must start with postgres:// or postgresql:// (it starts with mysql:)');
    expect((err as Error).message).not.toContain('s3cret');
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a malformed postgres URL without repeating it', async () => {
    const err = await openEngine({ databaseUrl: 'postgres://ripple:s3cret@[bad/ripple', databasePath: 'x.db' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DatabaseUrlError);
    expect((err as Error).message).toContain('is not a valid URL');
    expect((err as Error).message).not.toContain('s3cret');
  });

  it('says which host and port did not answer, never the password', async () => {
    const port = await closedPort();
    const path = join(tempDir(), 'career.db');
    const err = await openEngine({
      databaseUrl: `postgresql://ripple:s3cret@127.0.0.1:${port}/career`,
      databasePath: path,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnreachableError);
    expect((err as Error).message).toBe(
      `Cannot use the PostgreSQL database "career" on 127.0.0.1:${port} (DATABASE_URL): no server is listening there. Nothing was written.`,
    );
    expect(existsSync(path)).toBe(false);
  });

  const server = postgresServer();
  describe.skipIf(server.skip)('on the test server', () => {
    const url = server.url as string;

    it('opens a migrated PostgresEngine and creates no SQLite file', async () => {
      const name = await createPostgresDatabase(url, { migrated: false });
      cleanups.push(() => dropDatabase(url, name));
      const dir = tempDir();
      const path = join(dir, 'data', 'career.db');
      const engine = closing(await openEngine({ databaseUrl: `${url}${name}`, databasePath: path }));
      expect(engine).toBeInstanceOf(PostgresEngine);
      expect(await engine.sql.get('SELECT max(version) AS version FROM ripple_migrations')).toEqual({
        version: loadMigrations(DEFAULT_PG_MIGRATIONS_DIR).length,
      });
      expect(await engine.sql.get('SELECT count(*) AS n FROM teammates')).toEqual({ n: 0 });
      expect(existsSync(join(dir, 'data'))).toBe(false);
    });

    it('names a database that does not exist', async () => {
      const err = await openEngine({ databaseUrl: `${url}ripple_missing`, databasePath: 'unused.db' }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DatabaseUnreachableError);
      expect((err as Error).message).toMatch(/"ripple_missing" on 127\.0\.0\.1:\d+ .*the database does not exist/);
    });
  });
});
