import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import { EVIDENCE_SQL } from '../../src/store/evidence.js';
import { createStores, type ImportRow } from '../../src/store/index.js';
import { storeStatements as declaredStatements } from '../../src/store/statements.js';
import { ADMIN, OTHER_TEAM, T } from './fixtures.js';

/**
 * Every statement the stores prepare, planned by SQLite on a database shaped like a company: as Ripple runs it (no
 * ANALYZE statistics, so the planner's defaults decide) and again after ANALYZE (sqlite_stat1 describes the real
 * rows, as `PRAGMA optimize` or an operator's ANALYZE would leave it). A request must cost what it shows, never the
 * size of the company or the age of the database: a plan that scans a table that grows, or walks a whole workspace
 * of one, fails here unless the statement is listed below with the reason it is bounded.
 */

/**
 * Tables with one row per workspace, per setting or per framework expectation (checkin_question_texts: the words of
 * every question ever asked, once each, a few hundred rows whatever the company's size or age): reading one whole
 * costs nothing that grows with either.
 */
const SMALL_TABLES: ReadonlySet<string> = new Set([
  'workspaces',
  'growth_channels',
  'reminder_state',
  'checkin_question_texts',
  // One row per workspace, framework and status (db/022).
  'teammate_counts',
  // One row per workspace: where promotion cases go and the threshold (db/026).
  'promotion_settings',
]);

/**
 * Statements allowed to read a whole table or workspace, and why. None runs for a command everyone uses, the Home tab
 * or an event: background jobs, and admin commands or confirmations that are acked before they run.
 */
const ALLOWED: readonly [sqlStart: string, why: string][] = [
  [
    'SELECT * FROM teammates WHERE team_id = ? ORDER BY user_id',
    'the CSV export, and the channel post counts (weekly, or `/career admin nudge-now`): the whole workspace is the answer',
  ],
  [
    'SELECT * FROM growth_weekly WHERE team_id = ? ORDER BY claimed_at',
    "a workspace's whole weekly ledger, read by tests only: the schedule preview and the jobs read it by key",
  ],
  [
    'SELECT user_id FROM growth_preferences WHERE team_id = ? AND celebrate = 1',
    'the weekly channel post: only people who opted in to be celebrated have a row with celebrate = 1',
  ],
  [
    'DELETE FROM pending_changes WHERE team_id = ? AND user_id = ?',
    '`/career forget` only, after a confirmation; the table holds a day of previews (pruned by maintenance)',
  ],
  [
    "SELECT * FROM imports WHERE status != 'done' LIMIT 1",
    'the unfinished import, if any: imports_one_unfinished is a unique partial index on a constant, so it holds one row at most',
  ],
];

/**
 * Statements that walk one workspace's part of an index built for them, allowed only while their plan uses that index
 * (so losing it is still seen), and why that walk is bounded by what the reader is shown.
 */
const BOUNDED_BY_INDEX: readonly [sqlStart: string, index: string, why: string][] = [
  [
    "UPDATE promotion_cases SET status = 'expired'",
    'promotion_cases_drafts',
    "the maintenance job's draft expiry: the partial index holds open drafts only (one a person at most), read oldest first and stopped at the batch's LIMIT",
  ],
  [
    'SELECT id, user_id, shared_with, shared_at FROM checkins WHERE team_id = ? AND shared_with IS NOT NULL AND manager_rated_at IS NULL',
    'checkins_awaiting_ratings',
    'the partial index holds only shared check-ins still waiting for ratings: the LIMIT stops the walk at the rows shown',
  ],
  [
    'SELECT count(*) AS n FROM (SELECT 1 AS one FROM checkins WHERE team_id = ? AND shared_with IS NOT NULL AND manager_rated_at IS NULL LIMIT ?)',
    'checkins_awaiting_ratings',
    'the same partial index, counted no further than the LIMIT (the reply says "more than" past it)',
  ],
  [
    'SELECT * FROM (SELECT id, text, author_id, created_at, expectation_id, row_number() OVER',
    'evidence_by_person',
    "what a check-in showed of the log (summary, View answers): one person's entries between two of their check-ins, a range of the index, ranked by expectation to keep three each",
  ],
];

/**
 * Indexes whose loss the audit does not see, and why: another index still bounds every read they serve to one
 * person. Any other index must serve a statement that would read too much without it.
 */
const SPARE_INDEXES: readonly [index: string, why: string][] = [
  ['checkins_one_open', 'a constraint (one open check-in a person); checkins_by_person serves the reads too'],
  [
    'evidence_asks_one_open',
    "a constraint (one open ask a person, colleague and expectation); without it the lookup walks that person's asks on evidence_asks_by_person",
  ],
  [
    'evidence_by_expectation',
    "one person's entries for one expectation: without it the same reads walk that person's log on evidence_by_person",
  ],
  [
    'evidence_one_per_message',
    "a constraint (a message kept once a person); without it the lookup walks that person's log on evidence_by_person",
  ],
  ['imports_one_unfinished', 'a constraint (one unfinished import at a time); its one-row lookup is allowed above'],
  ['pauses_one_open', 'a constraint (one running pause a person); pauses_by_person serves the reads too'],
  [
    'promotion_cases_one_open',
    "a constraint (one open promotion case a person); promotion_cases_by_person serves the person's reads too",
  ],
  [
    'reminder_ledger_one_a_day',
    "a constraint (one reminder a person a local day, claimed by insert); the ledger's primary key serves the reads",
  ],
];

interface Planned {
  sql: string;
  plan: string[];
}

/** Builds every store on `db`, recording the SQL of each statement prepared. */
function storeStatements(db: Db): string[] {
  const seen: string[] = [...declaredStatements()];
  const prepare = db.prepare.bind(db);
  const recording = Object.create(db) as Db;
  recording.prepare = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Db['prepare'];
  createStores(recording);
  return seen;
}

/**
 * Calls of the engine port in src/ whose statement is not one of a store's declared constants
 * (`sql.get(TEAMMATE_SQL.byId, …)`): a literal or a built string there would escape the audit.
 */
/**
 * Files whose statements are not the app's queries, each with why: they run outside the app, over the
 * schema itself.
 */
const NOT_APP_QUERIES: readonly [path: string, why: string][] = [
  [
    join('src', 'bulk', 'copy-database.ts'),
    '`npm run copy-db`, run by hand with Ripple stopped: reads the schema of an empty in-memory database, then pages each table by its primary key',
  ],
];
const isAppQueries = (path: string) => !NOT_APP_QUERIES.some(([p]) => p === path);

function undeclaredEngineCalls(dir = 'src'): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...undeclaredEngineCalls(path));
    else if (entry.name.endsWith('.ts') && !path.startsWith(join('src', 'db')) && isAppQueries(path)) {
      for (const m of readFileSync(path, 'utf8').matchAll(/\bsql\.(?:all|get|run)(?:<[^>]*>)?\(\s*([^,)]*)/g)) {
        if (!/^[A-Z][A-Z0-9_]*_SQL\.\w+$/.test((m[1] ?? '').trim())) out.push(`${path}: ${m[0]}`);
      }
    }
  }
  return out;
}

/** How many times `.prepare(` or `.prepare<` is written in src/: each is a statement some code runs. */
function prepareCallSites(dir = 'src'): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) n += prepareCallSites(path);
    // The engine's own prepare (src/db/sql.ts) runs the statements the stores hand it: not a statement of its own.
    else if (entry.name.endsWith('.ts') && path !== join('src', 'db', 'sql.ts') && isAppQueries(path)) {
      n += readFileSync(path, 'utf8').match(/\.prepare\s*[<(]/g)?.length ?? 0;
    }
  }
  return n;
}

/**
 * EXPLAIN QUERY PLAN with every parameter NULL: without STAT4 samples the plan does not depend on the values. A
 * PostgreSQL row lock (`FOR UPDATE SKIP LOCKED`, in a statement a store runs on PostgreSQL only) is planned without
 * it: SQLite has no row locks, and the lock changes which rows are taken, not how they are found.
 */
function planOf(db: Database.Database, sql: string): string[] {
  const explain = db.prepare(`EXPLAIN QUERY PLAN ${sql.replace(/\s+FOR UPDATE SKIP LOCKED\b/g, '')}`);
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1] as string);
  const rows = (
    named.length > 0
      ? explain.all(Object.fromEntries(named.map((n) => [n, null])))
      : explain.all(...Array((sql.replace(/'[^']*'/g, '').match(/\?/g) ?? []).length).fill(null))
  ) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** The tables a statement names under another name (`FROM teammates t`): plans name them by the alias. */
function aliasesIn(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)/gi)) {
    const [, table, alias] = m as unknown as [string, string, string];
    if (!/^(WHERE|ON|ORDER|GROUP|LIMIT|JOIN|LEFT|INNER|CROSS|USING|WINDOW)$/i.test(alias)) aliases.set(alias, table);
  }
  return aliases;
}

/**
 * The first plan step that reads a whole growing table, or a whole workspace of one; undefined when none does.
 * `aliases` maps the names the statement gives its tables back to the tables.
 */
function wholeRead(
  plan: readonly string[],
  tables: ReadonlySet<string>,
  aliases: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  const growing = (name: string) => {
    const table = aliases.get(name) ?? name;
    return tables.has(table) && !SMALL_TABLES.has(table);
  };
  for (const step of plan) {
    const scan = /^SCAN (\w+)/.exec(step);
    if (scan && growing(scan[1] as string)) return step;
    const workspace = /^SEARCH (\w+) USING .*\((team_id=\?)\)$/.exec(step);
    if (workspace && growing(workspace[1] as string)) return step;
  }
  return undefined;
}

const id = (n: number) => `U0P${String(n).padStart(6, '0')}`;
const AT = '2026-01-15T09:00:00.000Z';

/**
 * A company as issue 14 measured it, small enough for a test: two workspaces, one manager with 400 reports and the
 * rest with 5 to 15, 45 % engineering, a fifth with a finished check-in, some paused, a few weeks of ledgers.
 */
async function aCompany(): Promise<Db> {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  const rows: ImportRow[] = [];
  let n = 0;
  const person = (teamId: string, managerId: string | null): string => {
    const userId = id(n++);
    const eng = n % 20 < 9;
    rows.push({
      teamId,
      userId,
      frameworkId: eng ? 'engineering' : 'marketing',
      levelId: eng ? 'software-engineer-ii' : 'level-2',
      since: `202${n % 5}-0${1 + (n % 9)}-15`,
      managerId,
    });
    return userId;
  };
  const big = person(T, null);
  for (let i = 0; i < 400; i++) person(T, big);
  for (const teamId of [T, T, OTHER_TEAM]) {
    for (let m = 0; m < 40; m++) {
      const manager = person(teamId, null);
      for (let r = 0; r < 5 + (m % 11); r++) person(teamId, manager);
    }
  }
  await stores.teammates.importMany(rows, ADMIN, AT);
  const weeks = ['2026-W01', '2026-W02', '2026-W03', '2026-W04'];
  for (const [i, row] of rows.entries()) {
    const key = { teamId: row.teamId, userId: row.userId };
    await stores.reminders.claim({ ...key, kind: 'heads-up', windowKey: `w/${i}` }, '2026-01-15', AT);
    await stores.reminders.claim({ ...key, kind: 'window-open', windowKey: `w/${i}` }, '2026-02-15', AT);
    await stores.reminders.setPlan({
      ...key,
      dueAt: i % 3 ? null : AT,
      kind: 'heads-up',
      windowKey: `w/${i}`,
      plannedAt: AT,
    });
    if (row.managerId === null) {
      for (const week of weeks)
        await stores.growth.claimWeek({ teamId: row.teamId, kind: 'digest', subject: row.userId, week }, AT);
    }
    if (i % 10 === 0) await stores.growth.setCelebrate(row.teamId, row.userId, i % 20 === 0, AT);
    if (i % 25 === 0)
      await stores.teammates.pause(row.teamId, row.userId, { start: '2026-02-01', changedBy: row.userId, at: AT });
    if (i % 5 === 0) {
      const question = { levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e', text: 'q' };
      const checkin = await stores.checkins.create({
        ...key,
        frameworkId: row.frameworkId,
        levelId: row.levelId,
        targetLevelId: null,
        questions: [question, question],
        at: AT,
      });
      await stores.checkins.apply(row.teamId, checkin.id, { kind: 'answer', version: 1, rating: 'sometimes', at: AT });
      await stores.checkins.apply(row.teamId, checkin.id, {
        kind: 'answer',
        version: 2,
        rating: 'consistently',
        at: AT,
      });
    }
    if (i % 50 === 0) await stores.outbox.enqueue({ ...key, kind: 'home' }, AT, AT);
    await stores.events.firstTime(`Ev${i}`, AT);
  }
  return db;
}

/**
 * The plans of the store statements on `db`, all but INSERTs of values, which read nothing. A statement's
 * PostgreSQL variant that only adds row locking (`FOR UPDATE SKIP LOCKED`, which SQLite has no use for) is
 * planned without it: the same reads.
 */
function plansOn(db: Database.Database, statements: readonly string[]): Planned[] {
  return statements
    .filter((sql) => !/^\s*INSERT\b/i.test(sql) || /\bSELECT\b/i.test(sql))
    .map((sql) => sql.replace(/\s+FOR UPDATE SKIP LOCKED\b/gi, ''))
    .map((sql) => ({ sql: sql.replace(/\s+/g, ' ').trim(), plan: planOf(db, sql) }));
}

function tablesOf(db: Database.Database): Set<string> {
  const rows = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
  return new Set(rows.map((r) => r.name));
}

/**
 * A statement that returns a few rows (`LIMIT`) but sorts what it found to pick them: it reads every row that
 * matches first (a person's whole history, say), however few it shows. The sort step, or undefined.
 */
function sortedToLimit(p: Planned): string | undefined {
  if (!/\bLIMIT\b/i.test(p.sql)) return undefined;
  return p.plan.find((step) => /^USE TEMP B-TREE FOR (?:RIGHT PART OF )?ORDER BY$/.test(step));
}

/** The statements not on the allow-list whose plan reads more than they show, each with the step that does. */
function offenders(db: Database.Database, statements: readonly string[]): { sql: string; step: string }[] {
  const tables = tablesOf(db);
  const allowed = (p: Planned) =>
    ALLOWED.some(([start]) => p.sql.startsWith(start)) ||
    BOUNDED_BY_INDEX.some(([start, index]) => p.sql.startsWith(start) && p.plan.some((step) => step.includes(index)));
  return plansOn(db, statements)
    .filter((p) => !allowed(p))
    .flatMap((p) => {
      const step = wholeRead(p.plan, tables, aliasesIn(p.sql)) ?? sortedToLimit(p);
      return step === undefined ? [] : [{ sql: p.sql, step }];
    });
}

/** A copy of `db` to change (drop an index, analyze) without touching the original. */
const copyOf = (db: Db) => new Database(db.serialize());

describe('query plans of the stores', async () => {
  const company = await aCompany();
  const statements = storeStatements(company);
  const analyzed = copyOf(company);
  analyzed.exec('ANALYZE');

  it('every statement in src/ is one the stores declare or prepare when they are built, so the audit sees it', () => {
    // A statement prepared later (inside a method) or by a store createStores does not build would escape
    // the plans below: prepare it in the store's constructor, and build the store in createStores. A store on
    // the engine port passes only its declared constants (listed in src/store/statements.ts) to the engine.
    expect(statements.length - declaredStatements().length).toBe(prepareCallSites());
    expect(undeclaredEngineCalls()).toEqual([]);
    const text = statements.join('\n');
    for (const table of [...tablesOf(company)].filter((t) => !t.startsWith('sqlite_'))) {
      expect(text, `no statement reads or writes ${table}`).toContain(table);
    }
  });

  it('the company is big enough for ANALYZE to describe it', () => {
    const stat = analyzed
      .prepare<[], { idx: string; stat: string }>("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'teammates'")
      .all();
    const byManager = stat
      .find((s) => s.idx === 'teammates_by_manager')
      ?.stat.split(' ')
      .map(Number);
    // rows, then rows per team_id, per (team_id, manager_id), per (team_id, manager_id, user_id)
    expect(byManager?.[0]).toBeGreaterThan(1500);
    expect(byManager?.[3]).toBe(1);
  });

  it('as Ripple runs (no statistics), no statement scans a growing table or walks a whole workspace', () => {
    expect(offenders(company, statements)).toEqual([]);
  });

  it('after ANALYZE, no statement scans a growing table or walks a whole workspace either', () => {
    expect(offenders(analyzed, statements)).toEqual([]);
  });

  it('fails on the reports queries when their index is gone', () => {
    const db = copyOf(company);
    db.exec('DROP INDEX teammates_by_manager');
    const found = offenders(db, statements).map((o) => o.sql);
    // isManager, the reports (Home, `/career team`, digests) and their count: each scans without the index.
    const reportsQueries = ['EXISTS (SELECT 1 FROM teammates', 'FROM teammates t WHERE', 'SELECT count(*) AS n'];
    for (const fragment of reportsQueries) {
      expect(
        found.some((sql) => sql.includes(fragment) && sql.includes('manager_id = ?')),
        fragment,
      ).toBe(true);
    }
  });

  it('fails on the reports list with the index as it was before db/009, without user_id', () => {
    // The planner walked the primary key over the whole workspace to avoid sorting: issue 14's 21 ms at 100k.
    const db = copyOf(company);
    db.exec('DROP INDEX teammates_by_manager; CREATE INDEX teammates_by_manager ON teammates (team_id, manager_id)');
    expect(offenders(db, statements)).toEqual([
      expect.objectContaining({ step: expect.stringMatching(/^SEARCH t USING .*\(team_id=\?\)$/) }),
    ]);
  });

  it('fails when an index on a growing table is gone, unless another index bounds the same reads', () => {
    const indexes = company
      .prepare<[], { name: string; tbl_name: string }>(
        "SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
      )
      .all()
      .filter((i) => !SMALL_TABLES.has(i.tbl_name));
    expect(indexes.length).toBeGreaterThan(10);
    const unseen = indexes
      .filter((index) => {
        const db = copyOf(company);
        db.exec(`DROP INDEX ${index.name}`);
        return offenders(db, statements).length === 0;
      })
      .map((i) => i.name);
    expect(unseen).toEqual(SPARE_INDEXES.map(([name]) => name));
  });

  it("reads a check-in question's log on its expectation's range of the index, and counts it on the index alone", () => {
    const planned = plansOn(company, [EVIDENCE_SQL.shownForQuestion]);
    expect(planned[0]?.plan).toEqual([
      expect.stringMatching(
        /^SEARCH evidence USING INDEX evidence_by_expectation \(team_id=\? AND user_id=\? AND expectation_id=\? AND created_at>\? AND created_at<\?\)$/,
      ),
      'SCALAR SUBQUERY 1',
      expect.stringMatching(/^SEARCH evidence USING COVERING INDEX evidence_by_expectation /),
    ]);
  });

  it('every allowed statement is still one the stores prepare', () => {
    const planned = plansOn(company, statements);
    for (const [start] of [...ALLOWED, ...BOUNDED_BY_INDEX])
      expect(
        planned.some((p) => p.sql.startsWith(start)),
        start,
      ).toBe(true);
  });

  it.each([
    ['SEARCH teammates USING INDEX sqlite_autoindex_teammates_1 (team_id=?)', true],
    ['SCAN teammates', true],
    ['SCAN checkins USING INDEX x', true],
    ['SCAN teammates USING COVERING INDEX teammates_by_update', true],
    ['SEARCH growth_weekly USING PRIMARY KEY (team_id=?)', true],
    ['SEARCH teammates USING INDEX teammates_by_manager (team_id=? AND manager_id=?)', false],
    ['SEARCH reminder_plan USING INDEX reminder_plan_due (due_at>? AND due_at<?)', false],
    ['SCAN workspaces', false],
    ['SCAN p', false],
    ['SEARCH t USING INDEX sqlite_autoindex_teammates_1 (team_id=?)', true],
  ])('%s is a whole read: %s', (step, whole) => {
    const tables = new Set(['teammates', 'checkins', 'growth_weekly', 'reminder_plan', 'workspaces']);
    expect(wholeRead([step], tables, aliasesIn('SELECT * FROM teammates t, (SELECT 1) AS p')) !== undefined).toBe(
      whole,
    );
  });
});
