import { type Db, openDatabase } from '../../src/db/migrate.js';
import { createStores, type Stores, type TeammateChange } from '../../src/store/index.js';

export const T = 'T0TEAM';
export const OTHER_TEAM = 'T0OTHER';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const MANAGER = 'U0MANAGER';
export const ADMIN = 'U0ADMIN';
export const AT = '2026-01-15T09:00:00.000Z';
export const LATER = '2026-02-01T10:00:00.000Z';

/** A fresh in-memory database with the real migrations, and the stores on it. */
export function fakeDatabase(): { db: Db; stores: Stores } {
  const db = openDatabase(':memory:');
  return { db, stores: createStores(db) };
}

/** A change with sensible defaults: Alice at Marketing level 2 since 2026-01-15, managed by MANAGER. */
export function aChange(overrides: Partial<TeammateChange> = {}): TeammateChange {
  return {
    teamId: T,
    userId: ALICE,
    frameworkId: 'marketing',
    levelId: 'strategist',
    since: '2026-01-15',
    managerId: MANAGER,
    changedBy: ADMIN,
    at: AT,
    ...overrides,
  };
}

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
