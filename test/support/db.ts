import type { Db } from '../../src/db/migrate.js';

/** Every row of every table, and the schema and version: equal snapshots mean nothing changed. */
export function snapshot(db: Db): Record<string, unknown> {
  const names = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
  const out: Record<string, unknown> = {
    user_version: db.pragma('user_version', { simple: true }),
    schema: db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all(),
  };
  for (const name of names) out[name] = db.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all();
  return out;
}

/**
 * Makes the next call of a store method meet a lock (SQLITE_BUSY), as another connection holding the write lock
 * would at that moment; later calls run as usual. `met()` says whether the lock was met.
 */
export function lockOnce<T extends object>(store: T, method: keyof T & string): { met: () => boolean } {
  const methods = store as Record<string, unknown>;
  const original = methods[method] as (...args: unknown[]) => unknown;
  let met = false;
  methods[method] = (...args: unknown[]) => {
    if (met) return original.apply(store, args);
    met = true;
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  };
  return { met: () => met };
}
