import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS } from '../../src/db/busy.js';
import {
  DatabaseTooNewError,
  type Db,
  loadMigrations,
  MigrationFailedError,
  MigrationFilesError,
  migrate,
  openDatabase,
} from '../../src/db/migrate.js';
import { followRecordChanges } from '../../src/growth/tick.js';
import { createStores } from '../../src/store/index.js';

const realMigrations = loadMigrations();
const latest = realMigrations.length;

let dir: string;
const opened: Db[] = [];

/** Opens and remembers the handle, so afterEach can close it before the temp dir is removed. */
function open(path: string, migrationsDir?: string): Db {
  const db = openDatabase(path, migrationsDir ? { migrationsDir } : {});
  opened.push(db);
  return db;
}

function tables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((r) => r.name);
}

function writeMigrations(files: Record<string, string>): string {
  const migrationsDir = mkdtempSync(join(dir, 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(migrationsDir, name), sql);
  return migrationsDir;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ripple-migrate-'));
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the real migrations', () => {
  it('are numbered from 001 without gaps', () => {
    expect(realMigrations.map((m) => m.version)).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
    expect(realMigrations[0]?.file).toBe('001_initial.sql');
  });

  it('bring a fresh database to the latest version with every table', () => {
    const db = new Database(':memory:');
    const result = migrate(db, realMigrations);
    expect(result).toEqual({ from: 0, to: latest, applied: realMigrations.map((m) => m.file) });
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(tables(db)).toEqual([
      'change_counter',
      'checkin_answers',
      'checkin_evidence',
      'checkin_question_texts',
      'checkin_questions',
      'checkins',
      'digest_plan',
      'digest_plan_cursor',
      'evidence',
      'evidence_asks',
      'growth_channels',
      'growth_preferences',
      'growth_weekly',
      'import_rows',
      'imports',
      'notification_outbox',
      'pauses',
      'pending_changes',
      'processed_events',
      'promotion_cases',
      'promotion_settings',
      'reminder_ledger',
      'reminder_plan',
      'reminder_state',
      'teammate_counts',
      'teammate_history',
      'teammates',
      'workspaces',
    ]);
    db.close();
  });

  it('make every table STRICT', () => {
    const db = open(':memory:');
    const list = db.prepare<[], { name: string; strict: number }>('PRAGMA table_list').all();
    for (const name of tables(db)) expect(list.find((t) => t.name === name)?.strict, name).toBe(1);
  });
});

describe('014: question words kept once', () => {
  it('moves every check-in snapshot, answers and evidence still on their question, each text stored once', async () => {
    const db = new Database(':memory:');
    migrate(db, realMigrations.slice(0, 13));
    const T = 'T0RIPPLE01';
    db.prepare("INSERT INTO workspaces (team_id, active, installed_at) VALUES (?, 1, '2026-01-01T00:00:00.000Z')").run(
      T,
    );
    const asked = [
      ['software-engineer-ii', 2, 'Software Engineer II', 'e-ship', 'Ships features end to end'],
      ['software-engineer-ii', 2, 'Software Engineer II', 'e-review', 'Reviews code with care'],
    ] as const;
    for (const [n, user] of ['U0ANA00001', 'U0BEN00001'].entries()) {
      db.prepare(
        `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, created_at, updated_at)
         VALUES (?, ?, 'engineering', 'software-engineer-ii', '2026-01-01', 'x', 'x')`,
      ).run(T, user);
      db.prepare(
        `INSERT INTO checkins (id, team_id, user_id, framework_id, level_id, status, version, cursor, question_count,
           started_at, last_activity_at) VALUES (?, ?, ?, 'engineering', 'software-engineer-ii', 'open', 3, 2, 2, 'x', 'x')`,
      ).run(n + 1, T, user);
      for (const [position, q] of asked.entries()) {
        db.prepare('INSERT INTO checkin_questions VALUES (?, ?, ?, ?, ?, ?, ?)').run(n + 1, position, ...q);
      }
      db.prepare("INSERT INTO checkin_answers VALUES (?, 1, 'self', 'sometimes', 'x')").run(n + 1);
      db.prepare("INSERT INTO checkin_evidence (checkin_id, position, text, added_at) VALUES (?, 1, 'PR 42', 'x')").run(
        n + 1,
      );
    }
    migrate(db, realMigrations);
    expect(db.prepare('SELECT COUNT(*) AS n FROM checkin_question_texts').get()).toEqual({ n: 2 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const detail = await createStores(db).checkins.detail(T, 2);
    expect(detail?.questions).toEqual([
      {
        position: 0,
        levelId: 'software-engineer-ii',
        levelNumber: 2,
        levelTitle: 'Software Engineer II',
        expectationId: 'e-ship',
        text: 'Ships features end to end',
      },
      {
        position: 1,
        levelId: 'software-engineer-ii',
        levelNumber: 2,
        levelTitle: 'Software Engineer II',
        expectationId: 'e-review',
        text: 'Reviews code with care',
        rating: 'sometimes',
      },
    ]);
    expect(detail?.evidence).toEqual([{ position: 1, text: 'PR 42', addedAt: 'x' }]);
  });
});

describe('017: the growth tick keeps the digest plan, not triggers', () => {
  it('drops the plan triggers, keeps the plan, and starts the tick after the records the triggers saw', async () => {
    const db = new Database(':memory:');
    migrate(db, realMigrations.slice(0, 15));
    const T = 'T0RIPPLE01';
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(T);
    const insert = db.prepare(
      `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, nudges, created_at, updated_at)
       VALUES (?, ?, 'marketing', 'level-2', '2026-01-01', ?, ?, 'x', 'x')`,
    );
    insert.run(T, 'U0LENA0001', null, 'off');
    insert.run(T, 'U0REPA0001', 'U0LENA0001', 'dm');
    db.prepare("UPDATE teammates SET tz = 'Asia/Tokyo', tz_fetched_at = 'x' WHERE user_id = 'U0LENA0001'").run();
    const plan = () => db.prepare('SELECT manager_id, due_at, tz, nudges FROM digest_plan ORDER BY manager_id').all();

    migrate(db, realMigrations);
    const triggers = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%digest%'")
      .all();
    // 018 drops the plan's triggers; the one that reset a forgotten manager's zone goes with 019.
    expect(triggers.map((t) => t.name)).toEqual([]);
    expect(plan()).toEqual([{ manager_id: 'U0LENA0001', due_at: '', tz: 'Asia/Tokyo', nudges: 'off' }]);
    const stores = createStores(db);
    expect(await stores.growth.digestCursor()).toEqual({ seq: 1, teamId: T, userId: 'U0REPA0001' });
    // Nothing the triggers already applied is read again; a new report is.
    expect(await followRecordChanges(stores)).toBe(0);
    insert.run(T, 'U0REPB0001', 'U0MIKE0001', 'dm');
    db.prepare("UPDATE teammates SET change_seq = 2 WHERE user_id = 'U0REPB0001'").run();
    expect(await followRecordChanges(stores)).toBe(1);
    expect(plan()).toEqual([
      { manager_id: 'U0LENA0001', due_at: '', tz: 'Asia/Tokyo', nudges: 'off' },
      { manager_id: 'U0MIKE0001', due_at: '', tz: null, nudges: null },
    ]);
  });
});

describe('openDatabase', () => {
  it('creates the parent directory of a file path', () => {
    const path = join(dir, 'nested', 'deeper', 'ripple.db');
    const db = open(path);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
  });

  it('turns on WAL, foreign keys, FULL synchronous and a short busy timeout for a file database', () => {
    const db = open(join(dir, 'ripple.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    // Short, so a lock held elsewhere never blocks the process for long (src/db/busy.ts retries).
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('opens :memory: with foreign keys on', () => {
    const db = open(':memory:');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(tables(db)).toContain('teammates');
  });

  it('re-applies nothing on a second start and keeps the data', () => {
    const path = join(dir, 'ripple.db');
    const first = open(path);
    first
      .prepare("INSERT INTO processed_events (event_id, received_at) VALUES ('Ev1', '2026-01-01T00:00:00.000Z')")
      .run();
    first.close();

    const second = open(path);
    expect(migrate(second, realMigrations)).toEqual({ from: latest, to: latest, applied: [] });
    expect(second.prepare('SELECT count(*) AS n FROM processed_events').get()).toEqual({ n: 1 });
  });

  it('works from any working directory (migrations resolved from the source file)', () => {
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      const db = open(':memory:');
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('a database newer than the code', () => {
  it('is refused with DatabaseTooNewError and left byte for byte as it was', () => {
    const path = join(dir, 'newer.db');
    const setup = new Database(path);
    setup.exec('CREATE TABLE future_thing (x INTEGER) STRICT');
    setup.pragma(`user_version = ${latest + 1}`);
    setup.close();
    const bytes = readFileSync(path);

    let error: unknown;
    try {
      open(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseTooNewError);
    const tooNew = error as DatabaseTooNewError;
    expect(tooNew.code).toBe('ripple_db_too_new');
    expect(tooNew.message).toContain(`schema version ${latest + 1}`);
    expect(tooNew.message).toContain(`up to version ${latest}`);
    expect(tooNew.message).toContain('Upgrade Ripple, or point DATABASE_PATH at another database');
    expect(readFileSync(path).equals(bytes)).toBe(true);

    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(latest + 1);
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  it('is refused by migrate itself too', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${latest + 1}`);
    expect(() => migrate(db, realMigrations)).toThrow(DatabaseTooNewError);
    expect(tables(db)).toEqual([]);
    db.close();
  });
});

describe('a failing migration', () => {
  it('leaves the database at the previous version with none of its effects', () => {
    const path = join(dir, 'ripple.db');
    const good = { '001_first.sql': 'CREATE TABLE a (x INTEGER) STRICT; INSERT INTO a VALUES (1);' };
    const v1 = writeMigrations(good);
    open(path, v1).close();

    const v2 = writeMigrations({
      ...good,
      '002_second.sql': 'CREATE TABLE b (y INTEGER) STRICT; INSERT INTO a VALUES (2); THIS IS NOT SQL;',
    });
    let error: unknown;
    try {
      open(path, v2);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MigrationFailedError);
    expect((error as Error).message).toMatch(/Migration 002_second\.sql failed: .*stays at schema version 1\./);

    const check = new Database(path);
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    expect(tables(check)).toEqual(['a']);
    expect(check.prepare('SELECT x FROM a').all()).toEqual([{ x: 1 }]);
    check.close();
  });

  it('applies all pending migrations together or not at all', () => {
    const migrationsDir = writeMigrations({
      '001_first.sql': 'CREATE TABLE a (x INTEGER) STRICT;',
      '002_second.sql': 'CREATE TABLE a (x INTEGER) STRICT;',
    });
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(migrationsDir))).toThrow(/002_second\.sql failed.*version 0/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('is rolled back when it leaves a foreign key dangling, and foreign keys are back on', () => {
    const migrationsDir = writeMigrations({
      '001_parent.sql': 'CREATE TABLE p (id INTEGER PRIMARY KEY) STRICT;',
      '002_child.sql': 'CREATE TABLE c (p_id INTEGER REFERENCES p (id)) STRICT; INSERT INTO c VALUES (42);',
    });
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    expect(() => migrate(db, loadMigrations(migrationsDir))).toThrow(/foreign key violation/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

describe('loadMigrations', () => {
  it.each([
    ['a name without three digits', { '1_init.sql': 'SELECT 1;' }, /"1_init\.sql" is not named like/],
    ['upper case', { '001_Init.sql': 'SELECT 1;' }, /"001_Init\.sql" is not named like/],
    ['a dash', { '001_add-thing.sql': 'SELECT 1;' }, /"001_add-thing\.sql" is not named like/],
    ['an upper-case extension', { '001_init.SQL': 'SELECT 1;' }, /"001_init\.SQL" is not named like/],
    [
      'a duplicate version',
      { '001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 1;' },
      /version 1 is used by more than one file: 001_a\.sql, 001_b\.sql/,
    ],
    ['a gap', { '001_a.sql': 'SELECT 1;', '003_c.sql': 'SELECT 1;' }, /no migration 002/],
    ['not starting at 001', { '002_b.sql': 'SELECT 1;' }, /the first migration must be 001, found 002/],
    ['an empty file', { '001_a.sql': '  \n' }, /001_a\.sql is empty/],
    ['no migrations at all', { 'README.md': '# notes' }, /no migration files/],
  ])('rejects %s', (_title, files, message) => {
    const migrationsDir = writeMigrations(files);
    expect(() => loadMigrations(migrationsDir)).toThrow(MigrationFilesError);
    expect(() => loadMigrations(migrationsDir)).toThrow(message);
  });

  it('ignores files that are not .sql and sorts by version', () => {
    const migrationsDir = writeMigrations({
      '002_b.sql': 'SELECT 2;',
      '001_a.sql': 'SELECT 1;',
      'README.md': 'notes',
    });
    expect(loadMigrations(migrationsDir).map((m) => [m.version, m.file])).toEqual([
      [1, '001_a.sql'],
      [2, '002_b.sql'],
    ]);
  });

  it('names a missing directory', () => {
    expect(() => loadMigrations(join(dir, 'nope'))).toThrow(/cannot read the directory/);
  });

  it('is enforced by migrate for a hand-built list', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [{ version: 2, file: '002_x.sql', sql: 'SELECT 1;' }])).toThrow(MigrationFilesError);
    db.close();
  });
});

describe('028: where a check-in’s window of the evidence log starts, kept on the check-in', () => {
  it('gives each existing check-in the finish of the person’s check-in before it, and a new one the latest finish', async () => {
    const db = new Database(':memory:');
    migrate(db, realMigrations.slice(0, 27));
    const T = 'T0RIPPLE01';
    db.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(T);
    for (const user of ['U0ANA00001', 'U0BEN00001'])
      db.prepare(
        `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, created_at, updated_at)
         VALUES (?, ?, 'marketing', 'level-2', '2026-01-01', 'x', 'x')`,
      ).run(T, user);
    const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T09:00:00.000Z`;
    const checkin = (user: string, started: number, status: string, finished: number | null) =>
      Number(
        db
          .prepare(
            `INSERT INTO checkins (team_id, user_id, framework_id, level_id, target_level_id, status, version, cursor,
               question_count, started_at, last_activity_at, finished_at)
             VALUES (?, ?, 'marketing', 'level-2', NULL, ?, 1, ?, 1, ?, ?, ?)`,
          )
          .run(
            T,
            user,
            status,
            status === 'finished' ? 1 : 0,
            day(started),
            day(started),
            finished === null ? null : day(finished),
          ).lastInsertRowid,
      );
    const first = checkin('U0ANA00001', 1, 'finished', 2);
    const expired = checkin('U0ANA00001', 3, 'expired', null);
    const second = checkin('U0ANA00001', 4, 'finished', 5);
    const open = checkin('U0ANA00001', 6, 'open', null);
    const bens = checkin('U0BEN00001', 1, 'finished', 4);

    migrate(db, realMigrations);
    const since = (id: number) => db.prepare('SELECT log_since FROM checkins WHERE id = ?').pluck().get(id);
    expect([first, second, open, bens].map(since)).toEqual([null, day(2), day(5), null]);
    // One that never finished ran to now: the latest finish, as it was looked up.
    expect(since(expired)).toBe(day(5));

    // A check-in started now starts its window at the person's latest finish.
    db.prepare("UPDATE checkins SET status = 'finished', cursor = 1, version = 2, finished_at = ? WHERE id = ?").run(
      day(7),
      open,
    );
    const next = await createStores(db).checkins.create({
      teamId: T,
      userId: 'U0ANA00001',
      frameworkId: 'marketing',
      levelId: 'level-2',
      targetLevelId: null,
      questions: [{ levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'Ship' }],
      at: day(8),
    });
    expect(next.logSince).toBe(day(7));
  });
});
