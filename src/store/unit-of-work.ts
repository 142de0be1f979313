import { AsyncLocalStorage } from 'node:async_hooks';
import { type Engine, retryingTransaction, type Sql } from '../db/sql.js';
import type { UnitOfWork, UnitOptions } from '../ports/index.js';

// The port (src/ports/index.ts) is the contract; re-exported for the adapters that reach the store.
export type { UnitOfWork, UnitOptions } from '../ports/index.js';

/**
 * The port's unit of work on an engine: the repositories of `reposOn`, bound to one of the engine's
 * transactions, retried whole (`retryingTransaction`). A unit started inside another joins it.
 */
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
        options.readOnly ? { readOnly: true } : undefined,
      );
    },
  };
}
