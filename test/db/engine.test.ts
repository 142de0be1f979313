import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Engine, SqliteEngine, toNumberedPlaceholders } from '../../src/db/sql.js';
import { engines } from '../support/postgres.js';

describe('toNumberedPlaceholders', () => {
  it.each([
    ['SELECT * FROM t WHERE a = ? AND b = ?', 'SELECT * FROM t WHERE a = $1 AND b = $2'],
    ["SELECT '?' AS q, a FROM t WHERE a = ?", "SELECT '?' AS q, a FROM t WHERE a = $1"],
    ["SELECT 'it''s ?' FROM t WHERE a = ?", "SELECT 'it''s ?' FROM t WHERE a = $1"],
    ['SELECT "odd?name" FROM t WHERE a = ?', 'SELECT "odd?name" FROM t WHERE a = $1'],
    ['SELECT a -- why? because\nFROM t WHERE a = ?', 'SELECT a -- why? because\nFROM t WHERE a = $1'],
    [
      'SELECT a /* why? /* nested? */ still? */ FROM t WHERE a = ?',
      'SELECT a /* why? /* nested? */ still? */ FROM t WHERE a = $1',
    ],
    ['SELECT $$what?$$, $tag$who? $$ ?$tag$ WHERE a = ?', 'SELECT $$what?$$, $tag$who? $$ ?$tag$ WHERE a = $1'],
    ['INSERT INTO t (a, b, c) VALUES (?, ?, ?)', 'INSERT INTO t (a, b, c) VALUES ($1, $2, $3)'],
    ['SELECT 1', 'SELECT 1'],
  ])('%s', (input, expected) => {
    expect(toNumberedPlaceholders(input)).toBe(expected);
  });
});

const TEAMMATE = [
  'T1',
  'U1',
  'engineering',
  'eng-2',
  '2025-03-01',
  'UM',
  'Europe/Berlin',
  '2026-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00.000Z',
];

async function seed(sql: Engine['sql']): Promise<void> {
  await sql.run('INSERT INTO workspaces (team_id, installed_at) VALUES (?, ?)', ['T1', '2026-01-01T00:00:00.000Z']);
  await sql.run(
    `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, tz, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    TEAMMATE,
  );
  for (const [field, from, to] of [
    ['level', null, 'eng-2'],
    ['manager', null, 'UM'],
  ]) {
    await sql.run(
      `INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ['T1', 'U1', field as string, from ?? null, to as string, 'UA', '2026-01-01T00:00:00.000Z'],
    );
  }
}

const count = async (sql: Engine['sql'], table: string) =>
  (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))?.n;

describe.each(engines())('the Engine contract on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => {
      await db.close();
    });

    it('returns the same rows as the other engine: numbers, NULLs, defaults and ids alike', async () => {
      await seed(db.sql);
      // Each engine is compared with the same literal rows, so they agree with each other.
      expect(await db.sql.get('SELECT * FROM teammates WHERE team_id = ? AND user_id = ?', ['T1', 'U1'])).toEqual({
        team_id: 'T1',
        user_id: 'U1',
        framework_id: 'engineering',
        level_id: 'eng-2',
        since: '2025-03-01',
        manager_id: 'UM',
        status: 'active',
        paused_until: null,
        tz: 'Europe/Berlin',
        tz_fetched_at: null,
        nudges: 'dm',
        created_at: '2026-01-01T00:00:00.000Z',
        updated_at: '2026-01-01T00:00:00.000Z',
        title: null,
        change_seq: 0,
      });
      expect(
        await db.sql.all('SELECT id, field, from_value, to_value FROM teammate_history WHERE user_id = ? ORDER BY id', [
          'U1',
        ]),
      ).toEqual([
        { id: 1, field: 'level', from_value: null, to_value: 'eng-2' },
        { id: 2, field: 'manager', from_value: null, to_value: 'UM' },
      ]);
      expect(await db.sql.get('SELECT active, count(*) AS n FROM workspaces GROUP BY active')).toEqual({
        active: 1,
        n: 1,
      });
      expect(await db.sql.get('SELECT * FROM workspaces WHERE team_id = ?', ['nobody'])).toBeUndefined();
      expect(await db.sql.all('SELECT * FROM workspaces WHERE team_id = ?', ['nobody'])).toEqual([]);
    });

    it('orders text by bytes, as SQLite does', async () => {
      await db.sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?), (?, ?), (?, ?), (?, ?)', [
        'b',
        '1',
        'B',
        '2',
        'a',
        '3',
        'é',
        '4',
      ]);
      const names = await db.sql.all<{ name: string }>('SELECT name FROM reminder_state ORDER BY name');
      expect(names.map((r) => r.name)).toEqual(['B', 'a', 'b', 'é']);
      expect(await count(db.sql, "reminder_state WHERE name > 'Z'")).toBe(3);
    });

    it('counts the rows a statement changed', async () => {
      await seed(db.sql);
      expect(await db.sql.run("UPDATE teammate_history SET note = 'x' WHERE user_id = ?", ['nobody'])).toEqual({
        changes: 0,
      });
      expect(
        await db.sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?), (?, ?)', ['a', '1', 'b', '2']),
      ).toEqual({ changes: 2 });
      expect(await db.sql.run("UPDATE reminder_state SET value = value || '!'")).toEqual({ changes: 2 });
      expect(
        await db.sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [
          'a',
          'again',
        ]),
      ).toEqual({ changes: 0 });
      expect(await db.sql.run('DELETE FROM reminder_state WHERE name = ?', ['a'])).toEqual({ changes: 1 });
    });

    it('commits a transaction as a whole and returns its result', async () => {
      const result = await db.transaction(async (sql) => {
        await seed(sql);
        return count(sql, 'teammate_history');
      });
      expect(result).toBe(2);
      expect(await count(db.sql, 'teammate_history')).toBe(2);
    });

    it('leaves nothing of a transaction that throws, and throws its error', async () => {
      const failure = new Error('the third write failed');
      await expect(
        db.transaction(async (sql) => {
          await seed(sql);
          expect(await count(sql, 'teammates')).toBe(1);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await count(db.sql, 'workspaces')).toBe(0);
      expect(await count(db.sql, 'teammates')).toBe(0);
      expect(await count(db.sql, 'teammate_history')).toBe(0);
    });

    it('reads in a read-only transaction, refuses a write inside it and writes nothing; the next one writes', async () => {
      await seed(db.sql);
      expect(await db.transaction(async (sql) => await count(sql, 'teammates'), { readOnly: true })).toBe(1);
      await expect(
        db.transaction(
          async (sql) => {
            await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['kept?', 'no']);
          },
          { readOnly: true },
        ),
      ).rejects.toThrow(/read[- ]only|readonly/i);
      expect(await count(db.sql, 'reminder_state')).toBe(0);
      // The connection writes again after it.
      await db.transaction(async (sql) => {
        await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['kept', 'yes']);
      });
      await db.sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['alone', 'yes']);
      expect(await count(db.sql, 'reminder_state')).toBe(2);
    });

    it('leaves nothing of a transaction whose statement the database refuses', async () => {
      await expect(
        db.transaction(async (sql) => {
          await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['kept?', 'no']);
          await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['kept?', 'duplicate']);
        }),
      ).rejects.toThrow(/unique|duplicate/i);
      expect(await count(db.sql, 'reminder_state')).toBe(0);
    });

    it('refuses a statement kept from a unit of work after it ended', async () => {
      let kept: Engine['sql'] | undefined;
      await db.transaction(async (sql) => {
        kept = sql;
      });
      await expect(kept?.get('SELECT 1 AS one')).rejects.toThrow('a statement ran after its unit of work ended');
    });

    it('runs a statement again after its table gained a column, on its own and in a transaction', async () => {
      // A rolling deploy: another instance migrates while this one keeps its statements (prepared, on PostgreSQL).
      await db.sql.run('CREATE TABLE widened (a INTEGER NOT NULL)');
      await db.sql.run('INSERT INTO widened (a) VALUES (?)', [1]);
      const read = 'SELECT * FROM widened WHERE a >= ?';
      for (let i = 0; i < 3; i++) expect(await db.sql.all(read, [0])).toEqual([{ a: 1 }]);
      expect(await db.transaction((sql) => sql.all(read, [0]))).toEqual([{ a: 1 }]);
      await db.sql.run('ALTER TABLE widened ADD COLUMN b INTEGER NOT NULL DEFAULT 2');
      expect(await db.sql.all(read, [0])).toEqual([{ a: 1, b: 2 }]);
      await db.sql.run('ALTER TABLE widened ADD COLUMN c INTEGER NOT NULL DEFAULT 3');
      expect(
        await db.transaction(async (sql) => {
          await sql.run('INSERT INTO widened (a) VALUES (?)', [4]);
          return sql.all(read, [0]);
        }),
      ).toEqual([
        { a: 1, b: 2, c: 3 },
        { a: 4, b: 2, c: 3 },
      ]);
    });

    it('never shows a statement outside a transaction what the transaction has not committed', async () => {
      let inside!: () => void;
      const written = new Promise<void>((resolve) => {
        inside = resolve;
      });
      let finish!: () => void;
      const held = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const unit = db.transaction(async (sql) => {
        await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['uncommitted', '1']);
        inside();
        await held;
        throw new Error('rolled back');
      });
      await written;
      const outside = count(db.sql, 'reminder_state');
      finish();
      await expect(unit).rejects.toThrow('rolled back');
      expect(await outside).toBe(0);
    });
  });
});

describe('SqliteEngine, one connection', () => {
  it('makes a statement from outside a running transaction wait for it, instead of running inside it', async () => {
    const [sqlite] = engines();
    const db = (await sqlite?.open()) as SqliteEngine;
    expect(db).toBeInstanceOf(SqliteEngine);
    const events: string[] = [];
    let written!: () => void;
    const inside = new Promise<void>((resolve) => {
      written = resolve;
    });
    let finish!: () => void;
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const unit = db.transaction(async (sql) => {
      await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['from the unit', '1']);
      written();
      await held;
      events.push('unit ends');
      throw new Error('the unit fails');
    });
    await inside;
    expect(db.handle.inTransaction).toBe(true);
    const outside = db.sql
      .run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['from outside', '2'])
      .then(() => {
        events.push('outside ran');
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([]);
    finish();
    await expect(unit).rejects.toThrow('the unit fails');
    await outside;
    expect(events).toEqual(['unit ends', 'outside ran']);
    // Run inside the unit, the outside write would have been rolled back with it.
    expect(await db.sql.all('SELECT name FROM reminder_state ORDER BY name')).toEqual([{ name: 'from outside' }]);
    await db.close();
  });

  it('runs units begun at the same moment one after the other, and a statement waiting with them outside all', async () => {
    const [sqlite] = engines();
    const db = (await sqlite?.open()) as SqliteEngine;
    const order: string[] = [];
    const unit = (name: string) =>
      db.transaction(async (sql) => {
        order.push(`${name} begins`);
        await sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', [name, '1']);
        await new Promise((resolve) => setImmediate(resolve));
        order.push(`${name} ends`);
        if (name === 'b') throw new Error('b fails');
      });
    // One held first, so the others all wait for it and wake up together.
    const results = await Promise.allSettled([
      unit('a'),
      unit('b'),
      db.sql.run('INSERT INTO reminder_state (name, value) VALUES (?, ?)', ['outside', '1']),
      unit('c'),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b ends', 'c begins', 'c ends']);
    // b rolled back alone: the statement outside did not run inside it.
    expect(await db.sql.all('SELECT name FROM reminder_state ORDER BY name')).toEqual([
      { name: 'a' },
      { name: 'c' },
      { name: 'outside' },
    ]);
    await db.close();
  });
});

for (const engine of engines().filter((e) => e.name === 'postgres')) {
  describe.skipIf(engine.skip)('PostgresEngine, prepared statements', () => {
    let db: Engine;
    beforeEach(async () => {
      db = await engine.open();
    });
    afterEach(async () => {
      await db.close();
    });

    it('parses and plans each statement once per connection, not on every run', async () => {
      // Run one after the other, so the pool only ever needs its first connection.
      for (let i = 0; i < 7; i++) await db.sql.get('SELECT count(*) AS n FROM teammates WHERE team_id = ?', [`T${i}`]);
      await db.transaction((sql) => sql.get('SELECT count(*) AS n FROM teammates WHERE team_id = ?', ['T7']));
      const prepared = await db.sql.all<{ statement: string; runs: number }>(
        "SELECT statement, generic_plans + custom_plans AS runs FROM pg_prepared_statements WHERE statement LIKE '%team_id = $1'",
      );
      expect(prepared).toEqual([{ statement: 'SELECT count(*) AS n FROM teammates WHERE team_id = $1', runs: 8 }]);
    });
  });
}
