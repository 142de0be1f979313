import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database as SqliteHandle, Statement } from 'better-sqlite3';
import { BUSY_RETRY_DELAYS_MS, isDatabaseBusy, retryWhileBusy } from './busy.js';

/**
 * The one seam between Ripple's stores and a database engine. Stores write each statement once, in
 * the SQL both engines agree on, with `?` placeholders; an engine runs it. Two engines implement it:
 * SQLite (better-sqlite3, embedded, the default) and PostgreSQL (node-postgres, several instances).
 *
 * Where the dialects differ, a store asks `sql.dialect`; that is rare and always commented.
 */

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | null;

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

/** Runs statements: on its own (each one commits) outside a unit of work, inside its transaction within one. */
export interface Sql {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /**
   * Runs `work` in one transaction, for a store method of several statements: inside a unit of work it
   * joins the unit's transaction; on its own it begins one, retried whole when it loses a race for the
   * database (see unit-of-work.ts).
   */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

/** How a transaction begins. */
export interface TransactionOptions {
  /**
   * Reads only (an export, the brag file): SQLite begins without taking the write lock, so it reads while another
   * connection writes (WAL: a backup, an import, another instance); PostgreSQL begins READ ONLY. A write inside is
   * refused by the database, and nothing is written.
   */
  readOnly?: boolean;
}

/** An open database: statements on their own, and transactions (one attempt; see unit-of-work.ts for retries). */
export interface Engine {
  readonly dialect: Dialect;
  /** Each statement commits on its own; `sql.transaction` begins a transaction, retried. */
  readonly sql: Sql;
  /**
   * Runs `work` in one transaction, as if no other ran at the same time: SQLite takes the write lock at
   * its start (`BEGIN IMMEDIATE`); PostgreSQL runs it SERIALIZABLE. All of its writes or none. One
   * attempt: a lock or serialization failure is thrown for the caller to retry whole. `readOnly`: see
   * {@link TransactionOptions}.
   */
  transaction<T>(work: (sql: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * PostgreSQL: keep the answers of these statements (on their own, outside units) between requests, dropped
   * whenever teammates or pauses change on any instance (src/db/postgres.ts, ReadCache). Each must read only
   * those two tables. SQLite reads its own file in microseconds and keeps nothing.
   */
  keepReads?(statements: readonly string[]): void;
  close(): Promise<void>;
}

/**
 * `engine.transaction(work)`, run again after a pause each time it loses a race, until `delays` run
 * out (then DatabaseBusyError). Safe because a failed attempt wrote nothing.
 */
export function retryingTransaction<T>(
  engine: Pick<Engine, 'transaction'>,
  work: (sql: Sql) => Promise<T>,
  delays: readonly number[] = BUSY_RETRY_DELAYS_MS,
  options?: TransactionOptions,
): Promise<T> {
  return retryWhileBusy(() => engine.transaction(work, options), delays);
}

/**
 * SQLite through better-sqlite3, on one connection. better-sqlite3 is synchronous, so a statement
 * runs to completion before its promise is returned; the promises only give both engines one shape.
 *
 * One connection means one transaction at a time: while a unit of work holds it, statements from
 * anything else (another person's request, a job) wait for it to end rather than run inside it.
 */
export class SqliteEngine implements Engine {
  readonly dialect = 'sqlite' as const;
  readonly sql: Sql;
  readonly #db: SqliteHandle;
  readonly #statements = new Map<string, Statement>();
  /** Settles when the running transaction ends; undefined when none runs. */
  #busy: Promise<void> | undefined;

  constructor(db: SqliteHandle) {
    this.#db = db;
    this.sql = {
      dialect: 'sqlite',
      all: (text, params) => this.#alone(() => this.#all(text, params)),
      get: (text, params) => this.#alone(() => this.#get(text, params)),
      run: (text, params) => this.#alone(() => this.#run(text, params)),
      transaction: (work) => retryingTransaction(this, work),
    };
  }

  /** The better-sqlite3 handle, for SQLite-only tools (backups, pragmas, tests). */
  get handle(): SqliteHandle {
    return this.#db;
  }

  /**
   * One statement on its own: after the running unit (if any), and again after a pause while another
   * connection holds the lock (a statement that met the lock did nothing), as a unit would be.
   */
  #alone<T>(statement: () => T): Promise<T> {
    // The usual case, first and without a closure per attempt: no unit running and no lock met.
    if (this.#busy === undefined) {
      try {
        return Promise.resolve(statement());
      } catch (err) {
        if (!isDatabaseBusy(err)) return Promise.reject(err);
      }
    }
    return retryWhileBusy(async () => {
      while (this.#busy !== undefined) await this.#idle();
      return statement();
    });
  }

  /** Marks the async context of the running unit, to catch a statement that would wait for its own unit. */
  readonly #inUnit = new AsyncLocalStorage<true>();

  /** Waits for the running transaction to end; the caller checks `#busy` again after (another may have begun). */
  async #idle(): Promise<void> {
    if (this.#inUnit.getStore()) {
      throw new Error('A unit of work used a store outside it: use the repositories the unit was given');
    }
    while (this.#busy !== undefined) await this.#busy;
  }

  #statement(text: string): Statement {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  /** A transaction's own statement (BEGIN, COMMIT, …), prepared once like the others rather than parsed on every unit. */
  #control(text: string): void {
    this.#statement(text).run();
  }

  #all<T>(text: string, params: readonly SqlValue[] = []): T[] {
    return this.#statement(text).all(...params) as T[];
  }

  #get<T>(text: string, params: readonly SqlValue[] = []): T | undefined {
    return this.#statement(text).get(...params) as T | undefined;
  }

  #run(text: string, params: readonly SqlValue[] = []): RunResult {
    return { changes: this.#statement(text).run(...params).changes };
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    await this.#idle();
    // NOTE: checked again after every wait, with no await between the check and taking #busy: another unit
    // waiting too may have begun between the wake-up and this line (two BEGINs on one connection fail).
    while (this.#busy !== undefined) await this.#idle();
    let release!: () => void;
    this.#busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      // NOTE: a read-only unit takes no lock until it reads (WAL readers never wait for a writer), and the connection
      // refuses writes until it ends.
      this.#control(options.readOnly ? 'BEGIN DEFERRED' : 'BEGIN IMMEDIATE');
      if (options.readOnly) this.#control('PRAGMA query_only = ON');
      let open = true;
      const inside: Sql = {
        dialect: 'sqlite',
        all: async (text, params) => {
          if (!open) throw new Error('a statement ran after its unit of work ended');
          return this.#all(text, params);
        },
        get: async (text, params) => {
          if (!open) throw new Error('a statement ran after its unit of work ended');
          return this.#get(text, params);
        },
        run: async (text, params) => {
          if (!open) throw new Error('a statement ran after its unit of work ended');
          return this.#run(text, params);
        },
        // Already inside one: join it.
        transaction: (inner) => inner(inside),
      };
      try {
        const result = await this.#inUnit.run(true, () => work(inside));
        open = false;
        this.#control('COMMIT');
        return result;
      } catch (err) {
        open = false;
        if (this.#db.inTransaction) this.#control('ROLLBACK');
        throw err;
      }
    } finally {
      if (options.readOnly) this.#control('PRAGMA query_only = OFF');
      this.#busy = undefined;
      release();
    }
  }

  async close(): Promise<void> {
    await this.#idle();
    if (this.#db.open) this.#db.close();
  }
}

/**
 * `?` placeholders to PostgreSQL's `$1, $2, …`, skipping quoted text ('…', "…", $$…$$, $tag$…$tag$)
 * and comments (-- to the end of the line, /* … *\/, which nest in PostgreSQL). Each statement is
 * converted once and remembered.
 */
const numbered = new Map<string, string>();
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;
export function toNumberedPlaceholders(text: string): string {
  const known = numbered.get(text);
  if (known !== undefined) return known;
  let out = '';
  let n = 0;
  /** Copies text[i, stop) unchanged and returns the index of its last character. */
  const copy = (i: number, stop: number): number => {
    out += text.slice(i, stop);
    return stop - 1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      i = copy(i, end === -1 ? text.length : end + 1);
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = copy(i, end === -1 ? text.length : end);
    } else if (c === '/' && text[i + 1] === '*') {
      let depth = 0;
      let j = i;
      while (j < text.length) {
        if (text.startsWith('/*', j)) {
          depth += 1;
          j += 2;
        } else if (text.startsWith('*/', j)) {
          depth -= 1;
          j += 2;
          if (depth === 0) break;
        } else j += 1;
      }
      i = copy(i, Math.min(j, text.length));
    } else if (c === '$' && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
      // A dollar quote, unless `$` ends an identifier (PostgreSQL allows `$` inside one: a$b).
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))?.[0];
      if (tag) {
        const end = text.indexOf(tag, i + tag.length);
        i = copy(i, end === -1 ? text.length : end + tag.length);
      } else out += c;
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
    } else {
      out += c;
    }
  }
  numbered.set(text, out);
  return out;
}
