import { AsyncLocalStorage } from 'node:async_hooks';
import { type Engine, retryingTransaction, type Sql } from '../db/sql.js';

/**
 * One user action, one transaction. `run(async (repos) => …)` gives the work repositories bound to
 * one transaction: all of its writes land together or none do. When the engine says the transaction
 * lost a race (SQLite's lock, PostgreSQL's serialization failure or deadlock), the WHOLE unit runs
 * again after a pause, never half of it; past the last pause it fails with DatabaseBusyError, having
 * written nothing.
 *
 * A unit must not call Slack: gather what Slack says first, then write once. A unit started inside
 * another joins it (one transaction, retried as the outer one).
 */
export interface UnitOfWork<R> {
  run<T>(work: (repos: R) => Promise<T>, options?: UnitOptions): Promise<T>;
}

export interface UnitOptions {
  /** Pauses between attempts; the default suits a request waiting for its ack (about 1.6 s in all). */
  delays?: readonly number[];
}

export function unitOfWork<R>(engine: Engine, reposOn: (sql: Sql) => R): UnitOfWork<R> {
  const current = new AsyncLocalStorage<R>();
  return {
    async run<T>(work: (repos: R) => Promise<T>, options: UnitOptions = {}): Promise<T> {
      const outer = current.getStore();
      if (outer) return work(outer);
      return retryingTransaction(
        engine,
        (sql) => {
          const repos = reposOn(sql);
          return current.run(repos, () => work(repos));
        },
        options.delays,
      );
    },
  };
}
