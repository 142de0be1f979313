import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, inject } from 'vitest';
import { openDatabase } from '../../src/db/migrate.js';
import { PostgresEngine } from '../../src/db/postgres.js';
import { type Engine, SqliteEngine } from '../../src/db/sql.js';
import { createStores, type Stores } from '../../src/store/index.js';
import { TEMPLATE_DATABASE } from './postgres-server.js';

/**
 * Test databases on both engines. The PostgreSQL server is started once per run by
 * test/support/postgres-server.ts (vitest's globalSetup); each `open()` here is a fresh, migrated
 * database of its own:
 *
 *   describe.each(engines())('the teammate store on %s', (engine) => {
 *     describe.skipIf(engine.skip)('', () => { … await engine.open() … });
 *   });
 *
 * or, to name the skip in the title, `for (const engine of engines()) describe.skipIf(engine.skip)(…)`.
 */

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** A fresh database with Ripple's schema; closing it removes it. */
  open(): Promise<Engine>;
  /** Why this engine's tests are skipped (no PostgreSQL server here); undefined when they run. */
  skip: string | undefined;
  toString(): string;
}

/** The shared server, or why there is none. */
export function postgresServer(): { url: string; skip: undefined } | { url: undefined; skip: string } {
  const { url, skip } = inject('postgres');
  return url ? { url, skip: undefined } : { url: undefined, skip: `PostgreSQL tests skipped: ${skip}` };
}

let admin: pg.Pool | undefined;

/** One small pool per test process for CREATE/DROP DATABASE on the shared server. */
function adminPool(url: string): pg.Pool {
  admin ??= new pg.Pool({
    connectionString: `${url}postgres`,
    max: 2,
    idleTimeoutMillis: 1_000,
    allowExitOnIdle: true,
  });
  return admin;
}

/** A PostgresEngine on its own database, dropped when the engine is closed. */
export class TestPostgresEngine extends PostgresEngine {
  constructor(
    readonly serverUrl: string,
    readonly databaseName: string,
  ) {
    super(`${serverUrl}${databaseName}`);
  }

  override async close(): Promise<void> {
    await super.close();
    await dropDatabase(this.serverUrl, this.databaseName);
  }
}

/** A new database on the shared server: empty (`migrated: false`) or a copy of the migrated template. */
export async function createPostgresDatabase(url: string, options: { migrated: boolean }): Promise<string> {
  const name = `ripple_t_${randomBytes(6).toString('hex')}`;
  await adminPool(url).query(
    options.migrated ? `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}` : `CREATE DATABASE ${name}`,
  );
  return name;
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  await adminPool(url).query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** A fresh migrated PostgreSQL database; throws when there is no server (check `postgresServer().skip`). */
export async function openPostgres(): Promise<TestPostgresEngine> {
  const { url, skip } = postgresServer();
  if (!url) throw new Error(skip);
  return new TestPostgresEngine(url, await createPostgresDatabase(url, { migrated: true }));
}

/** SQLite in memory and PostgreSQL on the shared server, for `describe.each`. */
export function engines(): TestEngine[] {
  const { skip } = postgresServer();
  return [
    {
      name: 'sqlite',
      open: async () => new SqliteEngine(openDatabase(':memory:')),
      skip: undefined,
      toString: () => 'sqlite',
    },
    { name: 'postgres', open: openPostgres, skip, toString: () => 'postgres' },
  ];
}

/**
 * A fresh database on `engine` and its stores before each test of the enclosing block, handed to `use`;
 * closed (on PostgreSQL, dropped) after it.
 */
export function freshStoresEach(engine: TestEngine, use: (db: Engine, stores: Stores) => void): void {
  let db: Engine | undefined;
  beforeEach(async () => {
    db = await engine.open();
    use(db, createStores(db));
  });
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
}
