import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { retryWhileBusy } from './busy.js';
import type { Engine, RunResult, Sql, SqlValue, TransactionOptions } from './sql.js';
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

/** The channel db/postgres/012's triggers notify, at commit, when a statement changed teammates or pauses. */
export const TEAMMATES_CHANGED = 'ripple_teammates_changed';

/** Answers kept at most; the oldest is dropped first. */
const READ_CACHE_MAX = 5_000;
/** After the listening connection is lost: nothing is kept until it listens again, tried this often. */
const RELISTEN_MS = 1_000;
/** How often the listening connection proves that notifications reach it, and how long its proof may take. */
const PROBE_EVERY_MS = 60_000;
const PROBE_WAIT_MS = 5_000;

/**
 * The answers to a few hot reads of teammates and pauses (`/career me`, help's "manager? has a record?"), kept
 * between requests so that most of them need no round trip, and correct with several instances on one database:
 *
 * - each instance LISTENs on {@link TEAMMATES_CHANGED}; a statement that changes teammates or pauses, on any
 *   instance, notifies it at commit (db/postgres/012), and everything kept is dropped;
 * - this instance's own writes drop everything as soon as they commit (before the notification comes back);
 * - an answer is kept only if nothing was dropped while it was being read (it may predate a change);
 * - while not listening (starting, the connection lost), nothing is kept or served;
 * - listening is proven, at the start and every minute, by a notification sent through the pool that must reach
 *   the listening connection: behind a pooler in transaction mode (where LISTEN does not last), or with the
 *   triggers missing, it never does, and nothing is kept.
 *
 * A change committed on another instance is seen here once its notification arrives (typically well under a
 * millisecond later on the same network): the same as a read that started a moment earlier.
 */
export class ReadCache {
  readonly #statements = new Set<string>();
  readonly #kept = new Map<string, unknown>();
  #generation = 0;
  #listening = false;
  #closed = false;
  #listener: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  /** Reads served from what was kept, reads that went to the server, and how often everything was dropped. */
  readonly counts = { hits: 0, misses: 0, dropped: 0 };

  #probe: NodeJS.Timeout | undefined;
  readonly #heard = new Set<string>();

  /** `connect`: a new connection for listening; `notify`: sends a notification on the channel, through the pool. */
  constructor(
    private readonly connect: () => pg.Client,
    private readonly notify: (payload: string) => Promise<unknown>,
    private readonly probeWaitMs = PROBE_WAIT_MS,
  ) {}

  /** Keeps the answers of these statements (each must read only teammates and pauses); starts listening. */
  keep(statements: readonly string[]): void {
    for (const text of statements) this.#statements.add(text);
    if (this.#listener === undefined && this.#retry === undefined && !this.#closed) void this.#listen();
  }

  /** Whether it listens, and so keeps and serves answers. */
  get listening(): boolean {
    return this.#listening;
  }

  serves(text: string): boolean {
    return this.#listening && this.#statements.has(text);
  }

  /** `read`'s answer, kept or read now. */
  async read<T>(text: string, params: readonly SqlValue[], read: () => Promise<T>): Promise<T> {
    const key = `${text}\u0000${JSON.stringify(params)}`;
    if (this.#kept.has(key)) {
      this.counts.hits++;
      return this.#kept.get(key) as T;
    }
    this.counts.misses++;
    const generation = this.#generation;
    const answer = await read();
    if (generation === this.#generation && this.#listening) {
      if (this.#kept.size >= READ_CACHE_MAX) this.#kept.delete(this.#kept.keys().next().value as string);
      this.#kept.set(key, answer);
    }
    return answer;
  }

  /** Something may have changed: nothing kept so far is served again, nor kept from a read begun before. */
  dropAll(): void {
    this.counts.dropped++;
    this.#generation++;
    this.#kept.clear();
  }

  async #listen(): Promise<void> {
    this.#retry = undefined;
    const client = this.connect();
    this.#listener = client;
    const lost = () => {
      if (this.#listener !== client) return;
      clearInterval(this.#probe);
      this.#listener = undefined;
      this.#listening = false;
      this.dropAll();
      client.end().catch(() => undefined);
      if (!this.#closed) this.#retry = setTimeout(() => void this.#listen(), RELISTEN_MS).unref();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n) => {
      this.dropAll();
      if (n.payload) this.#heard.add(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${TEAMMATES_CHANGED}`);
      if (!(await this.#proves(client))) throw new Error('no notification reached the listening connection');
      this.dropAll();
      this.#listening = true;
      this.#probe = setInterval(async () => {
        if (!(await this.#proves(client))) lost();
      }, PROBE_EVERY_MS).unref();
    } catch {
      lost();
    }
  }

  /** Whether a notification sent through the pool reaches `client` (still the listener) in time. */
  async #proves(client: pg.Client): Promise<boolean> {
    const token = `probe:${randomUUID()}`;
    try {
      await this.notify(token);
    } catch {
      return false;
    }
    for (let waited = 0; waited < this.probeWaitMs && !this.#heard.has(token); waited += 10) {
      if (this.#listener !== client) return false;
      await new Promise((resolve) => setTimeout(resolve, 10).unref());
    }
    const heard = this.#heard.delete(token);
    return heard && this.#listener === client;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listening = false;
    clearTimeout(this.#retry);
    clearInterval(this.#probe);
    const client = this.#listener;
    this.#listener = undefined;
    this.dropAll();
    await client?.end().catch(() => undefined);
  }
}

/**
 * A statement that may change what {@link ReadCache} keeps: one that writes (anything but a plain SELECT) and names
 * teammates or pauses. NOTE: no trigger or foreign key action writes to either table (db/postgres/), so a statement
 * that does not name them leaves them as they were: a reminder's claim or a check-in's answer keeps what was kept.
 */
const changesTeammates = (text: string) => !/^\s*SELECT\b/i.test(text) && /\b(?:teammates|pauses)\b/i.test(text);

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
  wrote: () => void = () => undefined,
): Sql {
  const once = (text: string, params: readonly SqlValue[]) => {
    if (!open()) throw new Error('a statement ran after its unit of work ended');
    if (changesTeammates(text)) wrote();
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
  const cache = engine?.readCache;
  const query = engine
    ? async (text: string, params: readonly SqlValue[]) => {
        if (cache?.serves(text)) return cache.read(text, params, () => retryWhileBusy(() => alone(text, params)));
        try {
          return await retryWhileBusy(() => alone(text, params));
        } finally {
          // A write on its own commits with it (or failed, and may have committed before its answer was lost).
          if (changesTeammates(text)) cache?.dropAll();
        }
      }
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
  /** Hot reads of teammates and pauses kept between requests (see {@link ReadCache}); off until `keepReads`. */
  readonly readCache: ReadCache;

  constructor(connectionString: string, options: PostgresOptions = {}) {
    const statementTimeout = options.statementTimeoutMs ?? 10_000;
    this.readCache = new ReadCache(
      () =>
        new pg.Client({
          connectionString,
          connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
          application_name: 'ripple-listen',
        }),
      (payload) => this.pool.query('SELECT pg_notify($1, $2)', [TEAMMATES_CHANGED, payload]),
    );
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

  async transaction<T>(work: (sql: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    try {
      return await this.#transaction(work, options);
    } catch (err) {
      // Rolled back, so nothing was written: run it again at once with every statement renamed (prepared afresh).
      if (!isStalePreparedStatement(err)) throw err;
      this.#names.renew();
      return await this.#transaction(work, options);
    }
  }

  /** Keeps the answers of these statements between requests (each must read only teammates and pauses). */
  keepReads(statements: readonly string[]): void {
    this.readCache.keep(statements);
  }

  async #transaction<T>(work: (sql: Sql) => Promise<T>, options: TransactionOptions): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    let open = true;
    let wrote = false;
    try {
      // SERIALIZABLE: a unit reads and writes as if it ran alone, as on SQLite; when two collide, one
      // fails with 40001 and its unit of work runs again.
      // A read-only unit reads one snapshot and writes nothing: it cannot conflict, so it needs no SERIALIZABLE.
      await client.query(
        options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN ISOLATION LEVEL SERIALIZABLE',
      );
      try {
        const result = await work(
          sqlOn(
            client,
            this.#names,
            undefined,
            () => open,
            () => {
              wrote = true;
            },
          ),
        );
        open = false;
        try {
          await client.query('COMMIT');
        } finally {
          // What the unit wrote is committed now (or, the answer lost, may be): nothing kept before is served.
          if (wrote) this.readCache.dropAll();
        }
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
    await Promise.all([this.pool.end(), this.readCache.close()]);
  }
}
