import { ErrorCode, RippleError } from '../errors.js';
import { type OpenOptions, openDatabase } from './migrate.js';
import { DEFAULT_PG_MIGRATIONS_DIR, migratePostgres } from './pg-migrate.js';
import { isConnectionFailure, PostgresEngine, type PostgresOptions } from './postgres.js';
import { type Engine, SqliteEngine } from './sql.js';

/**
 * Opens Ripple's database on the engine the settings choose: PostgreSQL when DATABASE_URL is a
 * postgres:// URL (several instances may share it), else the SQLite file at DATABASE_PATH. Either
 * way the schema is migrated before the engine is returned.
 */

export interface OpenEngineOptions extends OpenOptions {
  /** DATABASE_URL; unset or empty means SQLite. */
  databaseUrl?: string | undefined;
  /** DATABASE_PATH: the SQLite file (or `:memory:`); never touched when databaseUrl is set. */
  databasePath: string;
  /** Where PostgreSQL's `NNN_name.sql` files are; defaults to the repository's `db/postgres/`. */
  pgMigrationsDir?: string;
  /** The pool's limits (src/db/postgres.ts). */
  postgres?: PostgresOptions;
}

/** DATABASE_URL is set but cannot be used; nothing was opened. */
export class DatabaseUrlError extends RippleError {
  readonly code = ErrorCode.DatabaseUrl;
  constructor(problem: string) {
    super(`DATABASE_URL ${problem}`);
    this.name = 'DatabaseUrlError';
  }
}

/** No PostgreSQL server answered at DATABASE_URL, or it refused Ripple; nothing was written. */
export class DatabaseUnreachableError extends RippleError {
  readonly code = ErrorCode.DatabaseUnreachable;
  constructor(
    readonly where: string,
    reason: string,
    options: { cause: unknown },
  ) {
    super(`Cannot use the PostgreSQL database ${where} (DATABASE_URL): ${reason}. Nothing was written.`, options);
    this.name = 'DatabaseUnreachableError';
  }
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

/** Whether a DATABASE_URL asks for PostgreSQL. */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && POSTGRES_URL.test(url.trim());
}

/** "ripple on db.example.com:5432": where a URL points, never its password. */
function describeUrl(url: URL): string {
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(the user name)';
  const host = url.hostname || url.searchParams.get('host') || 'localhost';
  return `"${database}" on ${host}:${url.port || '5432'}`;
}

/** Why the server could not be used, in words, with the password removed wherever it might appear. */
function reasonOf(err: unknown, password: string): string {
  const code = (err as { code?: unknown })?.code;
  let reason = err instanceof Error && err.message ? err.message : String(err);
  if (code === 'ECONNREFUSED') reason = 'no server is listening there';
  else if (code === 'ENOTFOUND') reason = 'the host name does not resolve';
  else if (code === '28P01' || code === '28000') reason = `the server refused the login (${reason})`;
  else if (code === '3D000') reason = `the database does not exist (${reason}); create it first`;
  else if (/timeout/i.test(reason)) reason = `no answer within the connection timeout (${reason})`;
  return password ? reason.split(password).join('***') : reason;
}

/** The server could not be reached or refused us, as opposed to a problem with the schema. */
function isUnreachable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (isConnectionFailure(err)) return true;
  if (typeof code === 'string' && /^(28|3D)/.test(code)) return true;
  return err instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(err.message);
}

async function openPostgres(rawUrl: string, options: OpenEngineOptions): Promise<PostgresEngine> {
  const url = rawUrl.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL itself may hold a password: never repeat it.
    throw new DatabaseUrlError(
      'is not a valid URL. Write it as postgres://user:password@host:5432/database (percent-encode special characters in the password).',
    );
  }
  const password = decodeURIComponent(parsed.password);
  const where = describeUrl(parsed);
  let engine: PostgresEngine;
  try {
    engine = new PostgresEngine(url, options.postgres);
  } catch (cause) {
    throw new DatabaseUrlError(`cannot be used for ${where}: ${reasonOf(cause, password)}`);
  }
  try {
    await migratePostgres(engine, options.pgMigrationsDir ?? DEFAULT_PG_MIGRATIONS_DIR);
    return engine;
  } catch (err) {
    await engine.close().catch(() => {});
    if (isUnreachable(err)) throw new DatabaseUnreachableError(where, reasonOf(err, password), { cause: err });
    throw err;
  }
}

/**
 * The migrated database the options name. With a postgres:// or postgresql:// `databaseUrl`, a
 * PostgresEngine, and no SQLite file is created; with none, the SQLite file at `databasePath`.
 * Any other non-empty `databaseUrl` is refused rather than silently ignored.
 */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const url = options.databaseUrl?.trim();
  if (url) {
    if (!isPostgresUrl(url)) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
      throw new DatabaseUrlError(
        `must start with postgres:// or postgresql://${scheme ? ` (it starts with ${scheme}:)` : ''}. ` +
          'Leave it unset to use the SQLite file at DATABASE_PATH.',
      );
    }
    return openPostgres(url, options);
  }
  return new SqliteEngine(openDatabase(options.databasePath, options));
}
