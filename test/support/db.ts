import type { Db } from '../../src/db/migrate.js';
import type { Engine } from '../../src/db/sql.js';

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
 * Replaces a store method until `restore()`. A store class's method lives on its prototype, shared with the
 * copy each unit of work builds on its own transaction: it is replaced there, so calls inside a unit see it
 * too; a method of the object itself (the legacy wrappers, one object for every unit) is replaced on it.
 */
export function replaceMethod<T extends object>(
  store: T,
  method: keyof T & string,
  replacement: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): { restore: () => void } {
  let owner: object = store;
  while (!Object.hasOwn(owner, method)) {
    const next = Object.getPrototypeOf(owner) as object | null;
    if (next === null) throw new Error(`no method ${method} on this store`);
    owner = next;
  }
  const methods = owner as Record<string, unknown>;
  const original = methods[method] as (...args: unknown[]) => unknown;
  methods[method] = replacement(original);
  return {
    restore: () => {
      methods[method] = original;
    },
  };
}

/**
 * Makes the next call of a store method meet a lock (SQLITE_BUSY), as another connection holding the write lock
 * would at that moment; later calls run as usual. `met()` says whether the lock was met. `store` may be a store's
 * prototype (`SqlPendingChangeStore.prototype`): a unit of work builds its own stores, so the lock is then met by
 * whichever store of that class is called next.
 */
export function lockOnce<T extends object>(store: T, method: keyof T & string): { met: () => boolean } {
  let met = false;
  const replaced = replaceMethod(store, method, () => () => {
    met = true;
    replaced.restore();
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  });
  return { met: () => met };
}

/**
 * Every row of every table on either engine, each table's rows in a fixed order: equal snapshots mean
 * nothing changed (a refused write must leave the database exactly as it was, on both engines).
 */
export async function engineSnapshot(engine: Engine): Promise<Record<string, unknown[]>> {
  const tables =
    engine.dialect === 'sqlite'
      ? await engine.sql.all<{ name: string }>(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
      : await engine.sql.all<{ name: string }>(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
        );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    // Ordered by every column (1, 2, … n): the same rows always come back in the same order.
    const first = await engine.sql.all<Record<string, unknown>>(`SELECT * FROM "${name}" LIMIT 1`);
    const width = Object.keys(first[0] ?? { a: 1 }).length;
    const order = Array.from({ length: width }, (_, i) => i + 1).join(', ');
    out[name] = await engine.sql.all(`SELECT * FROM "${name}" ORDER BY ${order}`);
  }
  return out;
}

/**
 * Marks teammate records changed as a unit of work that writes them does (db/016): takes the next number
 * of the change counter and stamps the records with it. For tests of what follows the change sequence.
 */
export async function stampChanged(engine: Engine, teamId: string, userIds: readonly string[]): Promise<number> {
  return await engine.transaction(async (sql) => {
    const next = await sql.get<{ seq: number }>('UPDATE change_counter SET seq = seq + 1 RETURNING seq');
    if (!next) throw new Error('change_counter has no row');
    for (const userId of userIds) {
      await sql.run('UPDATE teammates SET change_seq = ? WHERE team_id = ? AND user_id = ?', [
        next.seq,
        teamId,
        userId,
      ]);
    }
    return next.seq;
  });
}
