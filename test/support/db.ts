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
