import type { Database } from 'better-sqlite3';
import { isDatabaseBusy } from './busy.js';
import { isConnectionFailure, type PostgresEngine } from './postgres.js';

/** How often the database is asked to take a write, by default. */
export const DEFAULT_WRITE_PROBE_MS = 5_000;

/**
 * SQLite codes that mean writes cannot succeed until a person acts: a full disk, a read-only file or
 * mount, an I/O error, a database that cannot be opened for writing. A lock (SQLITE_BUSY) is not
 * among them: another connection holding it briefly is normal (an import, a backup).
 */
export function isWriteFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_CORRUPT', 'SQLITE_NOTADB'].some(
    (prefix) => code === prefix || code.startsWith(`${prefix}_`),
  );
}

/** What `/healthz` needs to know about the database. */
export interface DatabaseHealth {
  /** False while the last write attempt met a write failure (see {@link isWriteFailure}). */
  readonly writable: boolean;
  /** Tells it about an error from a real write; anything but a write failure is ignored. */
  report?(err: unknown): void;
}

/**
 * Knows whether the database can take a write, without ever blocking the event loop for long:
 * every `intervalMs` it commits one tiny write (the header's application_id, rewritten with the
 * value it already has: a real commit, so a full disk or a read-only file fails it, and no table
 * or migration is needed for it). The connection's busy timeout is a few milliseconds
 * (src/db/busy.ts), so a probe that meets a lock gives up at once and leaves the verdict as it was.
 *
 * Test hook: `db.pragma('query_only = ON')` makes every write fail with SQLITE_READONLY, exactly as
 * a read-only database would; the next probe reports it, and `query_only = OFF` heals it.
 */
export class WriteProbe implements DatabaseHealth {
  #writable = true;
  #timer: NodeJS.Timeout | undefined;
  readonly #db: Database;
  readonly #onChange: ((writable: boolean, err?: unknown) => void) | undefined;

  constructor(db: Database, options: { onChange?: (writable: boolean, err?: unknown) => void } = {}) {
    this.#db = db;
    this.#onChange = options.onChange;
  }

  get writable(): boolean {
    return this.#writable;
  }

  /** Probes now, then every `intervalMs` until {@link stop}. */
  start(intervalMs: number = DEFAULT_WRITE_PROBE_MS): this {
    this.stop();
    this.probe();
    this.#timer = setInterval(() => this.probe(), intervalMs);
    // Health checking alone must never keep the process alive.
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Tries one write now; returns whether the database took it (a lock counts as no news). */
  probe(): boolean {
    if (!this.#db.open) return this.#writable;
    try {
      const id = this.#db.pragma('application_id', { simple: true }) as number;
      this.#db.pragma(`application_id = ${Number(id) | 0}`);
      this.#set(true);
    } catch (err) {
      if (isDatabaseBusy(err)) return this.#writable;
      if (isWriteFailure(err)) this.#set(false, err);
    }
    return this.#writable;
  }

  /** A real write failed: remember it until a probe succeeds again. */
  report(err: unknown): void {
    if (isWriteFailure(err)) this.#set(false, err);
  }

  #set(writable: boolean, err?: unknown): void {
    if (writable === this.#writable) return;
    this.#writable = writable;
    this.#onChange?.(writable, err);
  }
}

/**
 * PostgreSQL codes that mean writes cannot succeed until a person acts: a full disk (53100), a
 * read-only server or transaction (25006: a replica, `default_transaction_read_only`), too many
 * connections or out of memory (53xxx), and a server that cannot be reached or is shutting down.
 * A serialization failure or a deadlock is not among them: the unit of work retries those.
 */
export function isPostgresWriteFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (isConnectionFailure(err)) return true;
  return typeof code === 'string' && (code === '25006' || code.startsWith('53'));
}

/**
 * {@link WriteProbe} for PostgreSQL: every `intervalMs` asks the server for a transaction id, which
 * only a server that takes writes gives (a replica or a read-only server refuses with 25006); a
 * server that cannot be reached fails it too. Never blocks the event loop: the question is a network
 * round trip with the pool's timeouts.
 */
export class PostgresWriteProbe implements DatabaseHealth {
  #writable = true;
  #timer: NodeJS.Timeout | undefined;
  readonly #engine: PostgresEngine;
  readonly #onChange: ((writable: boolean, err?: unknown) => void) | undefined;

  constructor(engine: PostgresEngine, options: { onChange?: (writable: boolean, err?: unknown) => void } = {}) {
    this.#engine = engine;
    this.#onChange = options.onChange;
  }

  get writable(): boolean {
    return this.#writable;
  }

  start(intervalMs: number = DEFAULT_WRITE_PROBE_MS): this {
    this.stop();
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), intervalMs);
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async probe(): Promise<boolean> {
    try {
      await this.#engine.sql.get('SELECT pg_current_xact_id() AS id');
      this.#set(true);
    } catch (err) {
      if (isPostgresWriteFailure(err)) this.#set(false, err);
    }
    return this.#writable;
  }

  report(err: unknown): void {
    if (isPostgresWriteFailure(err)) this.#set(false, err);
  }

  #set(writable: boolean, err?: unknown): void {
    if (writable === this.#writable) return;
    this.#writable = writable;
    this.#onChange?.(writable, err);
  }
}
