import pg from 'pg';
import { retryWhileBusy } from './busy.js';
import type { Engine, RunResult, Sql, SqlValue } from './sql.js';
import { retryingTransaction, toNumberedPlaceholders } from './sql.js';

/**
 * PostgreSQL through node-postgres, for several Ripple instances on one database. A pool of
 * connections; each unit of work takes one for its transaction. Nothing waits forever: connecting,
 * every statement and an idle transaction all have limits.
 */

// COUNT(*) and BIGINT arrive as strings by default (they may exceed 2^53). Ripple's counts and ids
// never come near that, and both engines must return the same shapes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

export interface PostgresOptions {
  /** Connections in the pool; each request or job holds one only while it runs a statement or a unit. */
  max?: number;
  /** How long to wait for a connection (new or from the pool) before giving up. */
  connectTimeoutMs?: number;
  /** The longest one statement may run on the server. */
  statementTimeoutMs?: number;
}

/** Connecting to the database failed: nothing was read or written. */
export function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE'].includes(code)) {
    return true;
  }
  // SQLSTATE class 08: connection exception; 57P0x: the server is shutting down or restarting.
  return typeof code === 'string' && (code.startsWith('08') || /^57P0[1-3]$/.test(code));
}

/**
 * Named (prepared) statements: PostgreSQL parses and plans a statement once per connection instead of on every run.
 * For `/career me` that is the difference between ~110 µs and ~20 µs of the server's CPU a request (planning the
 * record-and-pauses statement costs far more than running it), on cores Ripple and the server share.
 *
 * NOTE: after 5 runs PostgreSQL may switch a named statement to a generic plan (`plan_cache_mode = auto`), when its
 * estimated cost is no worse than the custom plans'; every statement here is served by an index whatever its values.
 */
export class StatementNames {
  /** Statements given a name; any others (one-off SQL: the copy tool's per-table batches) run unnamed. */
  static readonly MAX_NAMED = 256;
  readonly #names = new Map<string, string>();
  /**
   * Bumped when the server says a connection's prepared statement no longer fits the schema (a migration run by
   * another instance during a rolling deploy): every statement gets a new name, so each connection prepares it again.
   */
  #generation = 0;

  /** The query for `text` (`?` placeholders) with `params`: named when the text is one of the first MAX_NAMED. */
  query(text: string, params: readonly SqlValue[]): pg.QueryConfig {
    const numbered = toNumberedPlaceholders(text);
    let name = this.#names.get(text);
    if (name === undefined && this.#names.size < StatementNames.MAX_NAMED) {
      name = `ripple_${this.#generation}_${this.#names.size}`;
      this.#names.set(text, name);
    }
    return name === undefined
      ? { text: numbered, values: params as SqlValue[] }
      : { name, text: numbered, values: params as SqlValue[] };
  }

  /** Forgets every name: the next run of each statement prepares it afresh, on every connection. */
  renew(): void {
    this.#generation += 1;
    this.#names.clear();
  }
}

/**
 * A prepared statement that no longer fits the schema: its table gained or lost a column since this connection
 * prepared it (`cached plan must not change result type`, 0A000). Nothing ran: the statement may be run again,
 * under a new name.
 */
export function isStalePreparedStatement(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan');
}

/**
 * Statements on `client`: the pool (each statement on its own; `transaction` begins one, retried), or a
 * unit's client (`transaction` joins it). `open` says whether the unit's transaction still owns the
 * client: once released to the pool, a statement kept from the unit would run in some other unit's session.
 */
function sqlOn(
  client: pg.Pool | pg.PoolClient,
  names: StatementNames,
  engine: PostgresEngine | undefined,
  open: () => boolean = () => true,
): Sql {
  const once = (text: string, params: readonly SqlValue[]) => {
    if (!open()) throw new Error('a statement ran after its unit of work ended');
    return client.query(names.query(text, params));
  };
  // A statement on its own that lost a race (a deadlock) did nothing: run it again after a pause. Inside a
  // unit, the unit is retried whole instead. One prepared before a schema change runs again at once, renamed.
  const alone = async (text: string, params: readonly SqlValue[]) => {
    try {
      return await once(text, params);
    } catch (err) {
      if (!isStalePreparedStatement(err)) throw err;
      names.renew();
      return await once(text, params);
    }
  };
  const query = engine
    ? (text: string, params: readonly SqlValue[]) => retryWhileBusy(() => alone(text, params))
    : once;
  const sql: Sql = {
    dialect: 'postgres',
    all: async <T>(text: string, params: readonly SqlValue[] = []) => (await query(text, params)).rows as T[],
    get: async <T>(text: string, params: readonly SqlValue[] = []) =>
      (await query(text, params)).rows[0] as T | undefined,
    run: async (text: string, params: readonly SqlValue[] = []): Promise<RunResult> => ({
      changes: (await query(text, params)).rowCount ?? 0,
    }),
    // On the pool: a transaction of its own, retried; on a transaction's client: join it.
    transaction: (work) => (engine ? retryingTransaction(engine, work) : work(sql)),
  };
  return sql;
}

export class PostgresEngine implements Engine {
  readonly dialect = 'postgres' as const;
  readonly sql: Sql;
  readonly pool: pg.Pool;
  readonly #names = new StatementNames();

  constructor(connectionString: string, options: PostgresOptions = {}) {
    const statementTimeout = options.statementTimeoutMs ?? 10_000;
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      // Server-side limits, so a stuck statement or a transaction left open cannot hold locks forever.
      statement_timeout: statementTimeout,
      idle_in_transaction_session_timeout: 30_000,
      // And a client-side one, for a server that stops answering altogether.
      query_timeout: statementTimeout + 2_000,
      application_name: 'ripple',
    });
    // An idle connection that the server closes (a restart, a failover) is reported here; without a
    // listener node-postgres would crash the process. The pool replaces it on the next checkout.
    this.pool.on('error', () => {});
    this.sql = sqlOn(this.pool, this.#names, this);
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    try {
      return await this.#transaction(work);
    } catch (err) {
      // Rolled back, so nothing was written: run it again at once with every statement renamed (prepared afresh).
      if (!isStalePreparedStatement(err)) throw err;
      this.#names.renew();
      return await this.#transaction(work);
    }
  }

  async #transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    let open = true;
    try {
      // SERIALIZABLE: a unit reads and writes as if it ran alone, as on SQLite; when two collide, one
      // fails with 40001 and its unit of work runs again.
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      try {
        const result = await work(sqlOn(client, this.#names, undefined, () => open));
        open = false;
        await client.query('COMMIT');
        return result;
      } catch (err) {
        open = false;
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw err;
      }
    } catch (err) {
      if (isConnectionFailure(err)) broken = true;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
