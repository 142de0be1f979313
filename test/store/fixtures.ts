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

export { snapshot } from '../support/db.js';
