import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { afterEach } from 'vitest';
import type { AppContext, Clock } from '../../src/context.js';
import { WriteProbe } from '../../src/db/health.js';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { listFrameworkFiles, loadFrameworks } from '../../src/frameworks/load.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { type Offline, type OfflineOptions, startOffline } from '../../src/offline-slack/offline.js';
import { createStores } from '../../src/store/index.js';

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
  db: Database;
  clock: FakeClock;
  /** With `probeDatabaseMs`: what `/healthz` knows about the database. */
  database: WriteProbe | undefined;
}

export interface TestAppOptions {
  frameworks?: Framework[];
  users?: FakeUser[];
  admins?: string[];
  now?: string;
  /** A database file instead of `:memory:`, for tests that compare the file before and after. */
  databasePath?: string;
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

/** The real app, with the default frameworks and a real SQLite database, behind the offline Slack. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = openDatabase(options.databasePath ?? ':memory:');
  const clock = new FakeClock(options.now);
  const ctx: AppContext = {
    catalog: new Catalog(options.frameworks ?? frameworksCopy()),
    stores: createStores(db),
    admins: options.admins ?? [],
    clock,
  };
  const errors: unknown[][] = [];
  const database = options.probeDatabaseMs ? new WriteProbe(db).start(options.probeDatabaseMs) : undefined;
  const offline = await startOffline({
    database,
    ctx,
    users: options.users,
    logger: options.logger ?? recordingLogger(errors),
    ...options.offline,
  });
  return {
    ...offline,
    ctx,
    errors,
    db,
    clock,
    database,
    async stop() {
      database?.stop();
      await offline.stop();
      db.close();
    },
  };
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
