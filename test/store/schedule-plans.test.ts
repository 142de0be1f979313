import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import { createStores } from '../../src/store/index.js';
import { storeStatements } from '../../src/store/statements.js';

/**
 * The statements behind `/career admin schedule` and ledger retention, planned by SQLite as the app
 * runs them (no ANALYZE statistics): each must go through the index that bounds it by what it shows
 * or deletes, never scan a table. (test/store/query-plans.test.ts checks every statement for whole
 * reads; this file pins the index each of these relies on.)
 */

/** Every statement the stores declare (src/store/statements.ts) or prepare. */
function statements(db: Db): string[] {
  const seen: string[] = storeStatements().map((sql) => sql.replace(/\s+/g, ' ').trim());
  const prepare = db.prepare.bind(db);
  const recording = Object.create(db) as Db;
  recording.prepare = ((sql: string) => {
    seen.push(sql.replace(/\s+/g, ' ').trim());
    return prepare(sql);
  }) as Db['prepare'];
  createStores(recording);
  return seen;
}

function planOf(db: Db, sql: string): string[] {
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const named = [...new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1] as string))];
  const rows = (
    named.length > 0
      ? explain.all(Object.fromEntries(named.map((n) => [n, null])))
      : explain.all(...Array((sql.match(/\?/g) ?? []).length).fill(null))
  ) as { detail: string }[];
  return rows.map((r) => r.detail);
}

const db = openDatabase(':memory:');
const tables = new Set(
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
    .all()
    .map((r) => r.name),
);
const prepared = statements(db);

function planFor(start: string): string[] {
  const found = prepared.filter((sql) => sql.startsWith(start));
  expect(found, start).toHaveLength(1);
  return planOf(db, found[0] as string);
}

/** The plan's steps that read a whole table (virtual tables such as json_each are not tables). */
const scans = (plan: readonly string[]) => plan.filter((step) => tables.has(/^SCAN (\w+)/.exec(step)?.[1] ?? ''));

describe('plans of the schedule preview and of retention', () => {
  it.each([
    [
      'the reminder counts per kind and day: one workspace, due before the end, read from the index alone',
      'SELECT kind, CASE WHEN ? <= due_at THEN 1 ELSE 0 END',
      ['SEARCH reminder_plan USING COVERING INDEX reminder_plan_team_due (team_id=? AND due_at>? AND due_at<?)'],
    ],
    [
      'the names per stage: the same range, in due order',
      'SELECT user_id FROM reminder_plan WHERE team_id = ? AND due_at IS NOT NULL',
      ['SEARCH reminder_plan USING COVERING INDEX reminder_plan_team_due (team_id=? AND due_at>? AND due_at<?)'],
    ],
    [
      'the managers: one seek per manager, then their record and this week’s ledger key',
      'WITH RECURSIVE m (manager_id',
      [
        'SEARCH teammates USING COVERING INDEX teammates_by_manager (team_id=? AND manager_id>?)',
        'SEARCH t USING INDEX sqlite_autoindex_teammates_1 (team_id=? AND user_id=?) LEFT-JOIN',
        'SEARCH r USING INDEX teammates_by_manager (team_id=? AND manager_id=?)',
        'SEARCH g USING PRIMARY KEY (team_id=? AND kind=? AND subject=? AND week=?)',
      ],
    ],
    [
      'the ledger retention batch: the next keys after the cursor',
      'SELECT team_id, user_id, kind, window_key FROM reminder_ledger',
      ['SEARCH reminder_ledger USING PRIMARY KEY ((team_id,user_id,kind,window_key)>(?,?,?,?))'],
    ],
    [
      'the ledger retention delete: the same keys, each row checked against its person’s record',
      'DELETE FROM reminder_ledger AS l',
      [
        'SEARCH l USING PRIMARY KEY ((team_id,user_id,kind,window_key)>(?,?,?,?) AND (team_id,user_id,kind,window_key)<(?,?,?,?))',
        'SEARCH t USING INDEX sqlite_autoindex_teammates_1 (team_id=? AND user_id=?)',
      ],
    ],
    [
      'the weekly retention batch: the next keys after the cursor',
      'SELECT team_id, kind, subject, week FROM growth_weekly',
      ['SEARCH growth_weekly USING PRIMARY KEY ((team_id,kind,subject,week)>(?,?,?,?))'],
    ],
    [
      'the weekly retention delete: the same keys',
      'DELETE FROM growth_weekly WHERE (team_id, kind, subject, week) >',
      [
        'SEARCH growth_weekly USING PRIMARY KEY ((team_id,kind,subject,week)>(?,?,?,?) AND (team_id,kind,subject,week)<(?,?,?,?))',
      ],
    ],
  ])('%s', (_what, start, steps) => {
    const plan = planFor(start);
    for (const step of steps) expect(plan).toContain(step);
    expect(scans(plan)).toEqual([]);
  });

  it('a table scan in a plan is caught', () => {
    expect(scans(['SCAN reminder_plan', 'SCAN json_each VIRTUAL TABLE INDEX 1:', 'SCAN m'])).toEqual([
      'SCAN reminder_plan',
    ]);
  });
});
