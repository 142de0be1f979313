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
 * The verdict both engines' probes keep: writable until a probe or a real write meets a write failure
 * (`isFailure`), and again once a probe succeeds; `onChange` hears each change. A probe runs now and then
 * every `intervalMs`, on a timer that never keeps the process alive.
 */
abstract class Probe implements DatabaseHealth {
  #writable = true;
  #timer: NodeJS.Timeout | undefined;
  readonly #onChange: ((writable: boolean, err?: unknown) => void) | undefined;

  constructor(options: { onChange?: (writable: boolean, err?: unknown) => void }) {
    this.#onChange = options.onChange;
  }

  /** Whether `err` means writes cannot succeed until a person acts. */
  protected abstract isFailure(err: unknown): boolean;

  /** Tries one write now; resolves (or returns) whether the database took it. */
  abstract probe(): boolean | Promise<boolean>;

  get writable(): boolean {
    return this.#writable;
  }

  /** Probes now, then every `intervalMs` until {@link stop}. */
  start(intervalMs: number = DEFAULT_WRITE_PROBE_MS): this {
    this.stop();
    void this.probe();
    this.#timer = setInterval(() => void this.probe(), intervalMs);
    // Health checking alone must never keep the process alive.
    this.#timer.unref();
    return this;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A real write failed: remember it until a probe succeeds again. */
  report(err: unknown): void {
    if (this.isFailure(err)) this.verdict(false, err);
  }

  /** A probe's outcome: taken, or failed with `err` (anything but a write failure changes nothing). */
  protected verdict(writable: boolean, err?: unknown): void {
    if (!writable && !this.isFailure(err)) return;
    if (writable === this.#writable) return;
    this.#writable = writable;
    this.#onChange?.(writable, err);
  }
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
export class WriteProbe extends Probe {
  readonly #db: Database;

  constructor(db: Database, options: { onChange?: (writable: boolean, err?: unknown) => void } = {}) {
    super(options);
    this.#db = db;
  }

  protected isFailure(err: unknown): boolean {
    return isWriteFailure(err);
  }

  /** Tries one write now; returns whether the database took it (a lock counts as no news). */
  probe(): boolean {
    if (!this.#db.open) return this.writable;
    try {
      const id = this.#db.pragma('application_id', { simple: true }) as number;
      this.#db.pragma(`application_id = ${Number(id) | 0}`);
      this.verdict(true);
    } catch (err) {
      if (!isDatabaseBusy(err)) this.verdict(false, err);
    }
    return this.writable;
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
export class PostgresWriteProbe extends Probe {
  readonly #engine: PostgresEngine;

  constructor(engine: PostgresEngine, options: { onChange?: (writable: boolean, err?: unknown) => void } = {}) {
    super(options);
    this.#engine = engine;
  }

  protected isFailure(err: unknown): boolean {
    return isPostgresWriteFailure(err);
  }

  async probe(): Promise<boolean> {
    try {
      await this.#engine.sql.get('SELECT pg_current_xact_id() AS id');
      this.verdict(true);
    } catch (err) {
      this.verdict(false, err);
    }
    return this.writable;
  }
}
