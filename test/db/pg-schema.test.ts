import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import type { Engine } from '../../src/db/sql.js';
import { engines, openPostgres, postgresServer, type TestPostgresEngine } from '../support/postgres.js';

/**
 * db/postgres/ must describe the schema that db/ reaches on SQLite. Every deliberate difference is
 * listed here with its reason; anything else is a mistake in one of the two.
 */
const DELIBERATE = {
  /** Tables only one engine has. */
  sqliteOnlyTables: { sqlite_sequence: 'SQLite keeps AUTOINCREMENT counters there; PostgreSQL uses identities' },
  postgresOnlyTables: { ripple_migrations: 'the version record; SQLite keeps it in PRAGMA user_version' },
  /** Named indexes only one engine has. */
  postgresOnlyIndexes: {
    checkin_question_texts_unique:
      "SQLite's unnamed UNIQUE (…, text), keyed on md5(text): a B-tree entry must fit in ~2.7 kB, a framework text may not",
  },
  /** Triggers only SQLite has (none since db/019: `forget` is one unit of work on both engines). */
  sqliteOnlyTriggers: {} as Record<string, string>,
  /** Triggers only PostgreSQL has. */
  postgresOnlyTriggers: {
    pauses_changed_notify: 'tells every instance that its kept reads of pauses are stale (postgres/012, ReadCache)',
    teammates_changed_notify:
      'tells every instance that its kept reads of teammates are stale (postgres/012, ReadCache)',
  } as Record<string, string>,
};

const server = postgresServer();

describe.skipIf(server.skip)('the PostgreSQL schema matches the SQLite schema', () => {
  let sqlite: Db;
  let postgres: TestPostgresEngine;
  beforeAll(async () => {
    sqlite = openDatabase(':memory:');
    postgres = await openPostgres();
  });
  afterAll(async () => {
    sqlite.close();
    await postgres.close();
  });

  const sqliteTables = () =>
    sqlite
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => r.name);
  const postgresTables = async () =>
    (
      await postgres.sql.all<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      )
    ).map((r) => r.name);

  it('runs on a test server whose own collation orders text unlike SQLite, so COLLATE "C" is what makes them agree', async () => {
    // The schema's columns order 'B' before 'a' (engine.test.ts); the database's default would not.
    expect(await postgres.sql.get("SELECT 'a' < 'B' AS a_first")).toEqual({ a_first: true });
  });

  it('has the same tables, apart from the listed ones', async () => {
    const withoutSqliteOnly = sqliteTables().filter((t) => !(t in DELIBERATE.sqliteOnlyTables));
    const withoutPostgresOnly = (await postgresTables()).filter((t) => !(t in DELIBERATE.postgresOnlyTables));
    expect(withoutPostgresOnly).toEqual(withoutSqliteOnly);
  });

  it('has the same columns in the same order, with the same NOT NULL, defaults and primary keys', async () => {
    for (const table of sqliteTables().filter((t) => !(t in DELIBERATE.sqliteOnlyTables))) {
      const expected = sqlite
        .prepare<[], { name: string; notnull: number; dflt_value: string | null; pk: number }>(
          `SELECT name, "notnull", dflt_value, pk FROM pragma_table_info('${table}') ORDER BY cid`,
        )
        .all()
        .map((c) => ({ name: c.name, notNull: c.notnull === 1 || c.pk > 0, hasDefault: c.dflt_value !== null }));
      const actual = (
        await postgres.sql.all<{ name: string; is_nullable: string; column_default: string | null; identity: string }>(
          `SELECT column_name AS name, is_nullable, column_default, is_identity AS identity
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position`,
          [table],
        )
      ).map((c) => ({ name: c.name, notNull: c.is_nullable === 'NO', hasDefault: c.column_default !== null }));
      expect(actual, table).toEqual(expected);

      const sqlitePk = sqlite
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}') WHERE pk > 0 ORDER BY pk`)
        .all()
        .map((c) => c.name);
      const postgresPk = (
        await postgres.sql.all<{ name: string }>(
          `SELECT a.attname AS name FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
           WHERE i.indrelid = ?::regclass AND i.indisprimary
           ORDER BY array_position(i.indkey, a.attnum)`,
          [table],
        )
      ).map((c) => c.name);
      expect(postgresPk, `${table} primary key`).toEqual(sqlitePk);
    }
  });

  it('has the same named indexes, unique where SQLite`s are and partial where they are', async () => {
    const expected = sqlite
      .prepare<[], { name: string; unique: number; partial: number }>(
        `SELECT l.name, l."unique", l.partial FROM sqlite_schema s, pragma_index_list(s.tbl_name) l
         WHERE s.type = 'table' AND l.origin = 'c' ORDER BY l.name`,
      )
      .all()
      .map((i) => ({ name: i.name, unique: i.unique === 1, partial: i.partial === 1 }));
    const actual = await postgres.sql.all<{ name: string; unique: boolean; partial: boolean }>(
      `SELECT c.relname AS name, i.indisunique AS "unique", i.indpred IS NOT NULL AS partial
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY c.relname`,
    );
    expect(actual.filter((i) => !(i.name in DELIBERATE.postgresOnlyIndexes))).toEqual(expected);
  });

  it('has the same foreign keys, none with an ON DELETE action', async () => {
    const expected = sqliteTables()
      .flatMap((table) =>
        sqlite
          .prepare<[], { table: string; from: string; to: string; on_delete: string }>(
            `SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list('${table}')`,
          )
          .all()
          .map((k) => `${table}.${k.from} -> ${k.table}.${k.to} on delete ${k.on_delete}`),
      )
      .sort();
    const actual = (
      await postgres.sql.all<{ line: string }>(
        `SELECT c.conrelid::regclass || '.' || a.attname || ' -> ' || c.confrelid::regclass || '.' || f.attname
                || ' on delete ' || CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' ELSE c.confdeltype::text END AS line
         FROM pg_constraint c
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, fcol)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
         JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = k.fcol
         WHERE c.contype = 'f'`,
      )
    )
      .map((r) => r.line)
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has the append-only trigger and none of the cross-table ones', async () => {
    const sqliteTriggers = sqlite
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")
      .all()
      .map((r) => r.name);
    const postgresTriggers = await postgres.sql.all<{ name: string }>(
      "SELECT DISTINCT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = 'public'",
    );
    expect(postgresTriggers.map((r) => r.name).sort()).toEqual(
      [
        ...sqliteTriggers.filter((t) => !(t in DELIBERATE.sqliteOnlyTriggers)),
        ...Object.keys(DELIBERATE.postgresOnlyTriggers),
      ].sort(),
    );
    expect(sqliteTriggers.filter((t) => t in DELIBERATE.sqliteOnlyTriggers)).toHaveLength(
      Object.keys(DELIBERATE.sqliteOnlyTriggers).length,
    );
  });
});

/** Statements each constraint must accept or refuse, the same on both engines. */
const SETUP = [
  "INSERT INTO workspaces (team_id) VALUES ('T1')",
  `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, created_at, updated_at)
   VALUES ('T1', 'U1', 'eng', 'eng-1', '2025-01-01', 'now', 'now')`,
  `INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at)
   VALUES ('T1', 'U1', 'level', NULL, 'eng-1', 'UA', 'now')`,
];
const teammate = (values: string) =>
  `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, status, paused_until, title, created_at, updated_at)
   VALUES ${values}`;
const CASES: [string, string, boolean][] = [
  ['a real day', teammate("('T1', 'U2', 'eng', 'eng-1', '2024-02-29', NULL, 'active', NULL, NULL, 'n', 'n')"), true],
  [
    'a day that does not exist',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2023-02-29', NULL, 'active', NULL, NULL, 'n', 'n')"),
    false,
  ],
  [
    'the 31st of April',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2025-04-31', NULL, 'active', NULL, NULL, 'n', 'n')"),
    false,
  ],
  [
    'a day not written YYYY-MM-DD',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2025-1-01', NULL, 'active', NULL, NULL, 'n', 'n')"),
    false,
  ],
  [
    'a time after the day',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2025-01-01 10:00', NULL, 'active', NULL, NULL, 'n', 'n')"),
    false,
  ],
  [
    'their own manager',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2025-01-01', 'U2', 'active', NULL, NULL, 'n', 'n')"),
    false,
  ],
  [
    'an unknown workspace',
    teammate("('T9', 'U2', 'eng', 'eng-1', '2025-01-01', NULL, 'active', NULL, NULL, 'n', 'n')"),
    false,
  ],
  [
    'a return day while active',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2025-01-01', NULL, 'active', '2025-02-01', NULL, 'n', 'n')"),
    false,
  ],
  [
    'a return day while paused',
    teammate("('T1', 'U2', 'eng', 'eng-1', '2025-01-01', NULL, 'paused', '2025-02-01', NULL, 'n', 'n')"),
    true,
  ],
  ['an empty title', teammate("('T1', 'U2', 'eng', 'eng-1', '2025-01-01', NULL, 'active', NULL, '', 'n', 'n')"), false],
  [
    'a 100-character title',
    teammate(`('T1', 'U2', 'eng', 'eng-1', '2025-01-01', NULL, 'active', NULL, '${'é'.repeat(100)}', 'n', 'n')`),
    true,
  ],
  [
    'a 101-character title',
    teammate(`('T1', 'U2', 'eng', 'eng-1', '2025-01-01', NULL, 'active', NULL, '${'é'.repeat(101)}', 'n', 'n')`),
    false,
  ],
  ['a history row rewritten', "UPDATE teammate_history SET note = 'edited'", false],
  [
    'a history row that changes nothing',
    "INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at) VALUES ('T1', 'U1', 'level', 'a', 'a', 'UA', 'n')",
    false,
  ],
  ['a rewrite that matches no history row', "UPDATE teammate_history SET note = 'x' WHERE id = 999", true],
  ['history deleted (forget)', "DELETE FROM teammate_history WHERE user_id = 'U1'", true],
  ['valid JSON', "INSERT INTO pending_changes VALUES ('p1', 'T1', 'U1', 'U1', '{\"a\": [1, 2]}', 'n')", true],
  ['invalid JSON', "INSERT INTO pending_changes VALUES ('p1', 'T1', 'U1', 'U1', '{a: 1}', 'n')", false],
  ['a channel time of 23:59', "INSERT INTO growth_channels VALUES ('T1', 'C1', 1, '23:59', NULL, 'UA', 'n')", true],
  ['a channel time of 24:00', "INSERT INTO growth_channels VALUES ('T1', 'C1', 1, '24:00', NULL, 'UA', 'n')", false],
  ['a channel time of 9:30', "INSERT INTO growth_channels VALUES ('T1', 'C1', 1, '9:30', NULL, 'UA', 'n')", false],
  ['a weekday of 8', "INSERT INTO growth_channels VALUES ('T1', 'C1', 8, '09:30', NULL, 'UA', 'n')", false],
  [
    'an ISO week',
    "INSERT INTO growth_weekly VALUES ('T1', 'digest', 'UM', '2026-W25', 'claimed', 'n', NULL, NULL)",
    true,
  ],
  [
    'a week 60',
    "INSERT INTO growth_weekly VALUES ('T1', 'digest', 'UM', '2026-W60', 'claimed', 'n', NULL, NULL)",
    false,
  ],
  [
    'a second open pause',
    "INSERT INTO pauses (team_id, user_id, start_date, created_at) VALUES ('T1', 'U1', '2025-01-01', 'n'), ('T1', 'U1', '2025-02-01', 'n')",
    false,
  ],
  [
    'a pause ending before it starts',
    "INSERT INTO pauses (team_id, user_id, start_date, end_date, created_at) VALUES ('T1', 'U1', '2025-02-01', '2025-01-01', 'n')",
    false,
  ],
  [
    'a home refresh with messages',
    "INSERT INTO notification_outbox (team_id, user_id, kind, messages, next_attempt_at, created_at) VALUES ('T1', 'U1', 'home', '[]', 'n', 'n')",
    false,
  ],
  [
    'a post without a channel',
    "INSERT INTO notification_outbox (team_id, user_id, kind, messages, next_attempt_at, created_at) VALUES ('T1', 'U1', 'post', '[]', 'n', 'n')",
    false,
  ],
  [
    'two unfinished imports',
    "INSERT INTO imports (team_id, file, changed_by, at, total, status) VALUES ('T1', 'a.csv', 'UA', 'n', 1, 'staging'), ('T1', 'b.csv', 'UA', 'n', 1, 'writing')",
    false,
  ],
  [
    'two finished imports',
    "INSERT INTO imports (team_id, file, changed_by, at, total, done, status, finished_at) VALUES ('T1', 'a.csv', 'UA', 'n', 1, 1, 'done', 'n'), ('T1', 'b.csv', 'UA', 'n', 1, 1, 'done', 'n')",
    true,
  ],
  [
    'a check-in at a question past the end',
    "INSERT INTO checkins (team_id, user_id, framework_id, level_id, status, version, cursor, question_count, started_at, last_activity_at) VALUES ('T1', 'U1', 'eng', 'eng-1', 'open', 1, 3, 2, 'n', 'n')",
    false,
  ],
  [
    'a check-in finished without a time',
    "INSERT INTO checkins (team_id, user_id, framework_id, level_id, status, version, cursor, question_count, started_at, last_activity_at) VALUES ('T1', 'U1', 'eng', 'eng-1', 'finished', 1, 2, 2, 'n', 'n')",
    false,
  ],
  [
    'a question text already kept',
    "INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text) VALUES ('l', 1, 'L', 'e', 't'), ('l', 1, 'L', 'e', 't')",
    false,
  ],
  [
    'a long question text',
    `INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text) VALUES ('l', 1, 'L', 'e', '${'long words '.repeat(1000)}')`,
    true,
  ],
];

describe.each(engines())('constraints on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    beforeAll(async () => {
      db = await engine.open();
      for (const statement of SETUP) await db.sql.run(statement);
    });
    afterAll(async () => {
      await db.close();
    });

    /** Whether the database accepts `statement`; rolled back either way, so each case starts from SETUP. */
    async function outcome(statement: string): Promise<string> {
      const undo = new Error('undo');
      return db
        .transaction(async (sql) => {
          await sql.run(statement);
          throw undo;
        })
        .catch((err: Error) => (err === undo ? 'accepted' : `refused: ${err.message}`));
    }

    it.each(CASES)('%s', async (_name, statement, accepted) => {
      const result = await outcome(statement);
      expect(result.startsWith(accepted ? 'accepted' : 'refused'), result).toBe(true);
    });

    it('refuses a history rewrite with the same message', async () => {
      expect(await outcome("UPDATE teammate_history SET note = 'x'")).toBe(
        'refused: teammate_history is append-only: history rows are never rewritten',
      );
    });

    it('keeps one question text, silently, with ON CONFLICT DO NOTHING', async () => {
      const insert =
        "INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text) VALUES ('l', 1, 'L', 'e', 't') ON CONFLICT DO NOTHING";
      const changes = await db
        .transaction(async (sql) => [await sql.run(insert), await sql.run(insert)])
        .then((results) => results.map((r) => r.changes));
      expect(changes).toEqual([1, 0]);
    });
  });
});
