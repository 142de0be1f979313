import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { AppContext, Clock } from '../../src/context.js';
import { PostgresWriteProbe, WriteProbe } from '../../src/db/health.js';
import { openDatabase } from '../../src/db/migrate.js';
import { PostgresEngine } from '../../src/db/postgres.js';
import { type Engine, type Sql, SqliteEngine } from '../../src/db/sql.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { listFrameworkFiles, loadFrameworks } from '../../src/frameworks/load.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { type Offline, type OfflineOptions, startOffline } from '../../src/offline-slack/offline.js';
import { createStores, sqliteEngineOf } from '../../src/store/index.js';
import { createPostgresDatabase, dropDatabase, openPostgres, postgresServer } from './postgres.js';

/** A clock tests can set and move. */
export class FakeClock implements Clock {
  #now: Date;
  constructor(iso = '2026-11-29T15:00:00Z') {
    this.#now = new Date(iso);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(iso: string): void {
    this.#now = new Date(iso);
  }
  advanceDays(days: number): void {
    this.#now = new Date(this.#now.getTime() + days * 86_400_000);
  }
}

export interface TestApp extends Offline {
  ctx: AppContext;
  /** What the app logged at error level: tests that provoke no failure expect it empty. */
  errors: unknown[][];
  /** The SQLite handle, for tests that read SQLite directly; throws on PostgreSQL (use `engine`). */
  readonly db: Database;
  /** The database on either engine, for engine-neutral reads (`engine.sql.all`, `engineSnapshot`). */
  engine: Engine;
  clock: FakeClock;
  /** With `probeDatabaseMs`: what `/healthz` knows about the database. */
  database: WriteProbe | PostgresWriteProbe | undefined;
  /** What the app's stores have run so far, on either engine: statements, and units of work (transactions). */
  readonly ran: Ran;
}

export type EngineName = 'sqlite' | 'postgres';

export interface TestAppOptions {
  frameworks?: Framework[];
  users?: FakeUser[];
  admins?: string[];
  now?: string;
  /** The engine the app runs on: SQLite (the default) or a fresh database on the test PostgreSQL server. */
  engine?: EngineName;
  /** A database file instead of `:memory:`, for tests that compare the file before and after (SQLite only). */
  databasePath?: string;
  /**
   * PostgreSQL only: an existing database on the test server instead of a fresh one (a restart, see
   * {@link lastingDatabase}); the app leaves it in place when it stops.
   */
  postgresDatabase?: string;
  /** Where the app logs; by default errors are recorded in `errors` and the rest dropped. */
  logger?: OfflineOptions['logger'];
  /** Extra options for the offline harness (failures to inject before start, shorter retries). */
  offline?: Pick<
    OfflineOptions,
    'prepareApi' | 'authRetry' | 'stopDeadlineMs' | 'waitUntilReady' | 'logLevel' | 'slackTimeoutMs' | 'socket'
  >;
  /** Probe the database for writes this often (ms), for `/healthz`, as src/main.ts does. */
  probeDatabaseMs?: number;
}

let defaultFrameworks: { files: string; frameworks: Framework[] } | undefined;

/**
 * The files in frameworks/, parsed and validated once (about half the cost of starting an app) and
 * again only when a file changes, and a copy of them for each app, so no test sees another's changes.
 */
function frameworksCopy(): Framework[] {
  // The text of the files, to notice an edit in watch mode, where a worker may outlive a run.
  const files = listFrameworkFiles('frameworks')
    .map((path) => `${path}\0${readFileSync(path, 'utf8')}`)
    .join('\0');
  if (defaultFrameworks?.files !== files) defaultFrameworks = { files, frameworks: loadFrameworks('frameworks') };
  return structuredClone(defaultFrameworks.frameworks);
}

/** The database an app runs on, as `options` ask; closing it drops a fresh PostgreSQL database. */
async function openTestEngine(options: TestAppOptions): Promise<Engine> {
  if ((options.engine ?? 'sqlite') === 'sqlite') {
    if (options.postgresDatabase) throw new Error('postgresDatabase is for engine: postgres');
    return sqliteEngineOf(openDatabase(options.databasePath ?? ':memory:'));
  }
  if (options.databasePath)
    throw new Error('databasePath is a SQLite file: with engine: postgres use postgresDatabase');
  if (!options.postgresDatabase) return await openPostgres();
  const { url, skip } = postgresServer();
  if (!url) throw new Error(skip);
  return new PostgresEngine(`${url}${options.postgresDatabase}`);
}

/**
 * The real app, with the default frameworks and a real database (SQLite in memory unless `options.engine`
 * says postgres), behind the offline Slack.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const engine = await openTestEngine(options);
  const clock = new FakeClock(options.now);
  const ran: Ran = { statements: 0, inTransactions: 0, transactions: 0 };
  const ctx: AppContext = {
    catalog: new Catalog(options.frameworks ?? frameworksCopy()),
    stores: createStores(counting(engine, ran)),
    admins: options.admins ?? [],
    clock,
  };
  const errors: unknown[][] = [];
  const probe =
    engine instanceof SqliteEngine ? new WriteProbe(engine.handle) : new PostgresWriteProbe(engine as PostgresEngine);
  const database = options.probeDatabaseMs ? probe.start(options.probeDatabaseMs) : undefined;
  let offline: Offline;
  try {
    offline = await startOffline({
      database,
      ctx,
      users: options.users,
      logger: options.logger ?? recordingLogger(errors),
      ...options.offline,
    });
  } catch (err) {
    database?.stop();
    await engine.close();
    throw err;
  }
  return {
    ...offline,
    ctx,
    errors,
    get db(): Database {
      if (engine instanceof SqliteEngine) return engine.handle;
      throw new Error(
        'TestApp.db is the SQLite handle and this app runs on PostgreSQL: read through t.engine.sql or the stores',
      );
    },
    engine,
    clock,
    database,
    ran,
    async stop() {
      database?.stop();
      await offline.stop();
      await engine.close();
    },
  };
}

/** What an app's stores ran: every statement, those of them inside a transaction, and the transactions begun. */
export interface Ran {
  statements: number;
  inTransactions: number;
  transactions: number;
}

/** `engine`, counting what runs through it into `ran` (BEGIN and COMMIT are not counted as statements). */
function counting(engine: Engine, ran: Ran): Engine {
  const wrap = (sql: Sql, inside: boolean): Sql => {
    const one = () => {
      ran.statements++;
      if (inside) ran.inTransactions++;
    };
    return {
      dialect: sql.dialect,
      all: (text, params) => {
        one();
        return sql.all(text, params);
      },
      get: (text, params) => {
        one();
        return sql.get(text, params);
      },
      run: (text, params) => {
        one();
        return sql.run(text, params);
      },
      // Outside a transaction, a store's own one is begun (counted); inside one, it joins it.
      transaction: (work) =>
        sql.transaction((inner) => {
          if (!inside) ran.transactions++;
          return work(wrap(inner, true));
        }),
    };
  };
  return {
    dialect: engine.dialect,
    sql: wrap(engine.sql, false),
    transaction: (work, options) => {
      ran.transactions++;
      return engine.transaction((inner) => work(wrap(inner, true)), options);
    },
    keepReads: (statements) => engine.keepReads?.(statements),
    close: () => engine.close(),
  };
}

/**
 * A database that outlives an app, for tests that restart one on the same data: a SQLite file in a temp
 * directory, or a migrated database of its own on the test PostgreSQL server. `options` go to each
 * `startTestApp`; `remove()` deletes it once every app on it has stopped.
 */
export async function lastingDatabase(
  engine: EngineName,
): Promise<{ options: Pick<TestAppOptions, 'engine' | 'databasePath' | 'postgresDatabase'>; remove(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-test-'));
    return {
      options: { engine, databasePath: join(dir, 'ripple.db') },
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { url, skip } = postgresServer();
  if (!url) throw new Error(skip);
  const name = await createPostgresDatabase(url, { migrated: true });
  return { options: { engine, postgresDatabase: name }, remove: () => dropDatabase(url, name) };
}

/** Keeps test output readable while letting tests see what the app logged as an error. */
export function recordingLogger(errors: unknown[][]) {
  const noop = () => undefined;
  let level = 'error';
  return {
    debug: noop,
    info: noop,
    warn: noop,
    error: (...args: unknown[]) => {
      errors.push(args);
    },
    setLevel: (l: string) => {
      level = l;
    },
    getLevel: () => level,
    setName: noop,
  } as never;
}

/**
 * For a test file whose apps differ only in the time they start at: `start(now)` starts one with `options`, and
 * every app started is stopped after each test.
 */
export function appsAt(options: Omit<TestAppOptions, 'now'>): (now: string) => Promise<TestApp> {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.stop();
  });
  return async (now) => {
    const t = await startTestApp({ ...options, now });
    apps.push(t);
    return t;
  };
}
