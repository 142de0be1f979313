import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import { createStores } from '../../src/store/index.js';
import { SqliteReminderStore } from '../../src/store/reminder-ledger.js';
import { aChange, MANAGER, T } from './fixtures.js';

/**
 * Every statement the stores prepare, planned by SQLite as the app would run it: a database with
 * some rows and no ANALYZE statistics (Ripple never runs ANALYZE), so the planner's defaults decide.
 * A request must cost what it shows, never the size of the company: a full scan of a table, or a
 * walk of a whole workspace's teammates, fails here unless listed below with the reason it is fine.
 */

/** Statements that read a whole table or workspace on purpose, and why that is bounded. */
const WHOLE_BY_DESIGN: readonly [sqlStart: string, why: string][] = [
  [
    'SELECT * FROM teammates WHERE team_id = ? ORDER BY user_id',
    'export and import: the whole workspace is the answer',
  ],
  [
    'SELECT DISTINCT team_id, manager_id FROM teammates WHERE manager_id IS NOT NULL',
    'the weekly digests: every manager is the answer (issue 14 item 3 bounds the growth tick)',
  ],
  ['SELECT * FROM growth_channels ORDER BY team_id', 'one row per workspace'],
  [
    'DELETE FROM pending_changes WHERE team_id = ? AND user_id = ?',
    '/career forget only; the table holds a day or two of previews (pruned by maintenance)',
  ],
];

/** Tables where walking every row of a workspace by (team_id=?) alone is a company-wide read. */
const PER_PERSON_TABLES = new Set(['teammates', 'checkins', 'reminder_ledger', 'reminder_plan', 'pauses']);

interface Planned {
  sql: string;
  plan: string[];
}

/** Prepares every store on `db`, recording each statement's SQL. */
function storeStatements(db: Db): string[] {
  const seen: string[] = [];
  const prepare = db.prepare.bind(db);
  const recording = Object.create(db) as Db;
  recording.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Db['prepare'];
  createStores(recording);
  new SqliteReminderStore(recording);
  return seen;
}

/** EXPLAIN QUERY PLAN with every parameter NULL: the plan does not depend on the values. */
function planOf(db: Db, sql: string): string[] {
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1] as string);
  const rows = (
    named.length > 0
      ? explain.all(Object.fromEntries(named.map((n) => [n, null])))
      : explain.all(...Array((sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length).fill(null))
  ) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** A database with a small company: 3 managers, 60 people, a few check-ins and ledger rows. */
function someRows(): Db {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  const ledger = new SqliteReminderStore(db);
  for (let i = 0; i < 60; i++) {
    const userId = `U0P${String(i).padStart(6, '0')}`;
    stores.teammates.upsert(aChange({ userId, managerId: i % 20 === 0 ? null : `${MANAGER}${i % 3}` }));
    ledger.claim(
      { teamId: T, userId, kind: 'heads-up', windowKey: 'marketing/level-2/2026-01-15' },
      '2026-06-17',
      '2026-06-17T09:00:00.000Z',
    );
  }
  return db;
}

/**
 * Why a plan reads more than the request shows, or undefined when it does not. An index walked in
 * order under a LIMIT stops after what it returns, so it is bounded.
 */
function wholeRead(plan: readonly string[], tables: ReadonlySet<string>, limited = false): string | undefined {
  for (const step of plan) {
    const scan = /^SCAN (\w+)( USING (COVERING )?INDEX)?/.exec(step);
    if (scan && tables.has(scan[1] as string) && !(limited && scan[2])) return step;
    const search = /^SEARCH (\w+) USING .*\((team_id=\?)\)$/.exec(step);
    if (search && PER_PERSON_TABLES.has(search[1] as string)) return step;
  }
  return undefined;
}

describe('query plans of the stores', () => {
  const db = someRows();
  const tables = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .all()
      .map((r) => r.name),
  );
  const planned: Planned[] = storeStatements(db)
    // An INSERT of values reads nothing; only one that selects has a plan worth checking.
    .filter((sql) => !/^\s*INSERT\b/i.test(sql) || /\bSELECT\b/i.test(sql))
    .map((sql) => ({ sql: sql.replace(/\s+/g, ' ').trim(), plan: planOf(db, sql) }));

  it('finds the hot statements of every store', () => {
    const text = planned.map((p) => p.sql).join('\n');
    for (const table of ['teammates', 'checkins', 'reminder_ledger', 'reminder_plan', 'growth_weekly']) {
      expect(text).toContain(table);
    }
    for (const table of ['notification_outbox', 'pending_changes', 'processed_events']) expect(text).toContain(table);
    expect(planned.length).toBeGreaterThan(40);
  });

  it('no statement scans a table or walks a whole workspace, except those that must', () => {
    const exempt = (sql: string) => WHOLE_BY_DESIGN.some(([start]) => sql.startsWith(start));
    const offenders = planned
      .filter((p) => !exempt(p.sql))
      .map((p) => ({ sql: p.sql, step: wholeRead(p.plan, tables, /\bLIMIT\b/i.test(p.sql)) }))
      .filter((p) => p.step !== undefined);
    expect(offenders).toEqual([]);
  });

  it('every exemption still names a statement the stores prepare', () => {
    for (const [start] of WHOLE_BY_DESIGN)
      expect(
        planned.some((p) => p.sql.startsWith(start)),
        start,
      ).toBe(true);
  });

  it.each([
    ['SEARCH teammates USING INDEX sqlite_autoindex_teammates_1 (team_id=?)', true],
    ['SCAN teammates', true],
    ['SCAN checkins USING INDEX x', true],
    ['SEARCH teammates USING INDEX teammates_by_manager (team_id=? AND manager_id=?)', false],
    ['SEARCH growth_weekly USING PRIMARY KEY (team_id=?)', false],
    ['SCAN p', false],
  ])('%s is a whole read: %s', (step, whole) => {
    expect(wholeRead([step], new Set(['teammates', 'checkins', 'growth_weekly'])) !== undefined).toBe(whole);
  });

  it('an index walked in order under a LIMIT is bounded; a table scan under a LIMIT is not', () => {
    const tables = new Set(['teammates']);
    expect(wholeRead(['SCAN teammates USING COVERING INDEX teammates_by_update'], tables, true)).toBeUndefined();
    expect(wholeRead(['SCAN teammates'], tables, true)).toBe('SCAN teammates');
  });
});
