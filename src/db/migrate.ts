import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ErrorCode, RippleError } from '../errors.js';
import { BUSY_TIMEOUT_MS } from './busy.js';

/**
 * Opens Ripple's SQLite database and brings its schema up to date. Schema changes are forward-only
 * numbered files in `db/` (`001_initial.sql`, `002_…`); `PRAGMA user_version` records the last one
 * applied. Every pending file is applied inside ONE transaction, so a start either reaches the newest
 * version or leaves the database exactly as it was.
 */

export type Db = Database.Database;

/**
 * The folder holding Ripple's package.json, found by walking up from `file`: the repository root both
 * for the sources (src/db/) and for the build (dist/src/db/), which sit at different depths.
 */
function packageRoot(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * `db/` at the top of the package, found from this file rather than the working directory, so Ripple
 * can start from anywhere, from the sources or from the build. (A checkout and the image both have a
 * package.json; without one, this falls back to `db/` in the working directory.)
 */
export const DEFAULT_MIGRATIONS_DIR = join(packageRoot(fileURLToPath(import.meta.url)) ?? '.', 'db');

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  /** 1 for `001_initial.sql`. */
  version: number;
  /** The file name, `001_initial.sql`. */
  file: string;
  sql: string;
}

export interface MigrationResult {
  /** user_version before. */
  from: number;
  /** user_version after. */
  to: number;
  /** File names applied by this call, in order; empty when the database was already current. */
  applied: string[];
}

/** The database was written by a newer Ripple: refusing it is the only safe thing an older one can do. */
export class DatabaseTooNewError extends RippleError {
  readonly code = ErrorCode.DatabaseTooNew;
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
    readonly databaseName?: string,
    /** The setting that chose the database: DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL). */
    setting: 'DATABASE_PATH' | 'DATABASE_URL' = 'DATABASE_PATH',
  ) {
    const where = databaseName && databaseName !== ':memory:' ? ` (${databaseName})` : '';
    super(
      `The database${where} is at schema version ${databaseVersion}, but this Ripple knows migrations up to version ${knownVersion}. ` +
        `Upgrade Ripple, or point ${setting} at another database. Nothing was changed.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** The migrations directory itself is wrong (names, gaps, duplicates): a packaging mistake. */
export class MigrationFilesError extends RippleError {
  readonly code = ErrorCode.MigrationFiles;
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`The migrations in ${dir} cannot be used:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MigrationFilesError';
  }
}

/** One migration failed; the transaction was rolled back and the database is still at `fromVersion`. */
export class MigrationFailedError extends RippleError {
  readonly code = ErrorCode.MigrationFailed;
  constructor(
    readonly file: string,
    readonly fromVersion: number,
    /** `perFile`: each file had its own transaction (PostgreSQL), so files before this one stay applied. */
    options: { cause: unknown; perFile?: boolean },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    const kept = options.perFile ? 'Nothing of it was applied' : 'Nothing from this start was applied';
    super(`Migration ${file} failed: ${reason}. ${kept}: the database stays at schema version ${fromVersion}.`, {
      cause: options.cause,
    });
    this.name = 'MigrationFailedError';
  }
}

/** Problems with a list of migrations as a sequence: versions must run 1, 2, 3… with no gap or duplicate. */
function sequenceProblems(migrations: readonly Pick<Migration, 'version' | 'file'>[]): string[] {
  const problems: string[] = [];
  const byVersion = new Map<number, string[]>();
  for (const m of migrations) byVersion.set(m.version, [...(byVersion.get(m.version) ?? []), m.file]);
  for (const [version, files] of byVersion) {
    if (files.length > 1) problems.push(`version ${version} is used by more than one file: ${files.join(', ')}`);
  }
  const versions = [...byVersion.keys()].sort((a, b) => a - b);
  versions.forEach((version, i) => {
    if (version !== i + 1) {
      problems.push(
        i === 0
          ? `the first migration must be 001, found ${String(version).padStart(3, '0')}`
          : `no migration ${String(i + 1).padStart(3, '0')}: versions must follow each other without gaps`,
      );
    }
  });
  return [...new Set(problems)];
}

/**
 * Reads `NNN_name.sql` files from `dir`, checked and sorted. Files not ending in `.sql` (a README)
 * are ignored; a `.sql` file with another name shape is an error rather than silently skipped.
 */
export function loadMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (cause) {
    throw new MigrationFilesError(dir, [`cannot read the directory: ${(cause as Error).message}`]);
  }
  const problems: string[] = [];
  const migrations: Migration[] = [];
  for (const file of names.filter((n) => n.toLowerCase().endsWith('.sql')).sort()) {
    const match = MIGRATION_FILE.exec(file);
    if (!match) {
      problems.push(`"${file}" is not named like 001_short_name.sql (three digits, underscore, lowercase a-z 0-9 _)`);
      continue;
    }
    const sql = readFileSync(join(dir, file), 'utf8');
    if (sql.trim() === '') problems.push(`${file} is empty`);
    migrations.push({ version: Number(match[1]), file, sql });
  }
  if (migrations.length === 0 && problems.length === 0) problems.push('no migration files (001_initial.sql, …)');
  problems.push(...sequenceProblems(migrations));
  if (problems.length > 0) throw new MigrationFilesError(dir, problems);
  return migrations.sort((a, b) => a.version - b.version);
}

function userVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function assertNotTooNew(db: Db, known: number): number {
  const version = userVersion(db);
  if (version > known) throw new DatabaseTooNewError(version, known, db.name);
  return version;
}

/**
 * Applies every migration newer than the database's user_version, all in one IMMEDIATE transaction
 * (the write lock is taken before the version is re-read, so two processes starting at once cannot
 * both apply the same file). Refuses a database newer than `migrations` with DatabaseTooNewError.
 */
export function migrate(db: Db, migrations: readonly Migration[]): MigrationResult {
  const sequence = sequenceProblems(migrations);
  if (sequence.length > 0) throw new MigrationFilesError('(migrations passed to migrate)', sequence);
  const latest = latestVersion(migrations);
  const from = assertNotTooNew(db, latest);
  if (from === latest) return { from, to: from, applied: [] };

  // NOTE: SQLite ignores `PRAGMA foreign_keys` inside a transaction, and a migration that rebuilds a
  // table (create new, copy, drop old, rename) must run with enforcement off, or dropping the old table
  // would act on the rows that reference it. This is SQLite's documented procedure: turn enforcement
  // off, change the schema, run foreign_key_check before committing, turn it back on.
  const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    return db
      .transaction((): MigrationResult => {
        const current = assertNotTooNew(db, latest);
        const pending = migrations.filter((m) => m.version > current);
        for (const m of pending) {
          try {
            db.exec(m.sql);
          } catch (cause) {
            throw new MigrationFailedError(m.file, current, { cause });
          }
        }
        const violations = db.pragma('foreign_key_check') as unknown[];
        const last = pending.at(-1);
        if (last && violations.length > 0) {
          throw new MigrationFailedError(last.file, current, {
            cause: new Error(
              `${violations.length} foreign key violation(s): ${JSON.stringify(violations.slice(0, 3))}`,
            ),
          });
        }
        db.pragma(`user_version = ${latest}`);
        return { from: current, to: latest, applied: pending.map((m) => m.file) };
      })
      .immediate();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}

export interface OpenOptions {
  /** Where the `NNN_name.sql` files are; defaults to the repository's `db/`. */
  migrationsDir?: string;
  /**
   * How long a statement waits for another connection's lock once open. The app keeps it short
   * and retries asynchronously (src/db/busy.ts); a command-line tool may wait longer.
   */
  busyTimeoutMs?: number;
}

function isInMemory(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Opens (creating if needed) the database at `path` — `:memory:` works for tests — and migrates it.
 * A database newer than this code is closed and refused before anything is written to it, so the
 * file stays byte for byte as it was.
 */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const migrations = loadMigrations(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  if (!isInMemory(path)) mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    // Opening and migrating may wait for another process (a second instance, a backup) holding the
    // write lock: nothing is served yet, so waiting is right here.
    db.pragma('busy_timeout = 5000');
    // Checked before journal_mode: switching to WAL rewrites the file header of a database we refuse.
    assertNotTooNew(db, latestVersion(migrations));
    if (!isInMemory(path)) {
      // WAL: readers never block the writer, and a crash mid-write leaves the last commit intact.
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new Error(`SQLite refused WAL mode for ${path} (journal_mode is ${String(mode)})`);
    }
    // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss or an OS crash
    // (not on an app crash). Ripple tells people "saved" after a commit, so a commit must survive
    // both; writes are a few per command, so the extra fsync costs nothing anyone would notice.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations);
    // From here on a lock must never block the process for long: see src/db/busy.ts.
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
