import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import type { Engine } from '../../src/db/sql.js';
import { createStores, type ImportRow, type Stores } from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { ADMIN, AT, MANAGER, OTHER_TEAM, T } from './fixtures.js';

const id = (n: number) => `U0P${String(n).padStart(5, '0')}`;
const question = { levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e', text: 'q' };

async function people(stores: Stores, teamId: string, count: number, frameworkId = 'marketing'): Promise<string[]> {
  const rows: ImportRow[] = Array.from({ length: count }, (_, i) => ({
    teamId,
    userId: id(i + (teamId === T ? 0 : 50_000) + (frameworkId === 'marketing' ? 0 : 10_000)),
    frameworkId,
    levelId: 'level-2',
    since: '2025-01-15',
    managerId: MANAGER,
  }));
  await stores.teammates.importMany(rows, ADMIN, AT);
  return rows.map((r) => r.userId);
}

/** A finished check-in of `userId` shared with MANAGER at `sharedAt`. */
async function shared(stores: Stores, teamId: string, userId: string, sharedAt: string): Promise<number> {
  const c = await stores.checkins.create({
    teamId,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    targetLevelId: null,
    questions: [question],
    at: AT,
  });
  await stores.checkins.apply(teamId, c.id, { kind: 'answer', version: 1, rating: 'sometimes', at: AT });
  await stores.checkins.share(teamId, c.id, MANAGER, sharedAt);
  return c.id;
}

const day = (d: number) => `2026-03-${String(d).padStart(2, '0')}T09:00:00.000Z`;

describe.each(engines())('what `/career admin people` reads, on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (d, s) => {
      db = d;
      stores = s;
    });

    it('counts records by framework and status, in one workspace only', async () => {
      const mkt = await people(stores, T, 3);
      await people(stores, T, 2, 'engineering');
      await people(stores, OTHER_TEAM, 4);
      await stores.teammates.pause(T, mkt[0] as string, { start: '2026-02-01', changedBy: ADMIN, at: AT });
      await stores.teammates.setStatus(T, mkt[1] as string, { status: 'left', changedBy: ADMIN, at: AT });
      expect(await stores.teammates.census(T)).toEqual([
        { frameworkId: 'engineering', status: 'active', count: 2 },
        { frameworkId: 'marketing', status: 'active', count: 1 },
        { frameworkId: 'marketing', status: 'left', count: 1 },
        { frameworkId: 'marketing', status: 'paused', count: 1 },
      ]);
      expect(await stores.teammates.census('T0NOBODY')).toEqual([]);
    });

    it('keeps the counts equal to the records through every write: create, import, move, pause, resume, leave, return, forget', async () => {
      const fromRecords = async () =>
        (
          await db.sql.all<{ framework_id: string; status: string; n: number | string }>(
            'SELECT framework_id, status, count(*) AS n FROM teammates WHERE team_id = ? GROUP BY framework_id, status ORDER BY framework_id, status',
            [T],
          )
        ).map((r) => ({ frameworkId: r.framework_id, status: r.status, count: Number(r.n) }));
      const agree = async () => expect(await stores.teammates.census(T)).toEqual(await fromRecords());
      const [a, b, c] = await people(stores, T, 3);
      await agree();
      const change = { teamId: T, levelId: 'level-2', since: '2025-01-15', changedBy: ADMIN, at: AT };
      // Another framework, then the same one again (no change), then only the manager.
      await stores.teammates.upsert({ ...change, userId: a as string, frameworkId: 'engineering' });
      await stores.teammates.upsert({ ...change, userId: a as string, frameworkId: 'engineering' });
      await stores.teammates.upsert({ ...change, userId: a as string, frameworkId: 'engineering', managerId: null });
      await agree();
      await stores.teammates.pause(T, b as string, { start: '2026-02-01', changedBy: ADMIN, at: AT });
      await agree();
      // Moved to another team while paused: counted there, still paused.
      await stores.teammates.upsert({ ...change, userId: b as string, frameworkId: 'design' });
      await agree();
      await stores.teammates.resume(T, b as string, { on: '2026-03-01', changedBy: ADMIN, at: AT });
      await stores.teammates.setStatus(T, c as string, { status: 'left', changedBy: ADMIN, at: AT });
      await agree();
      await stores.teammates.setStatus(T, c as string, { status: 'active', changedBy: ADMIN, at: AT });
      await stores.teammates.setStatus(T, c as string, { status: 'left', changedBy: ADMIN, at: AT });
      await stores.teammates.forget(T, c as string);
      await stores.teammates.forget(T, 'U0NORECORD');
      await agree();
      // An import that updates some and creates others, in one transaction.
      await stores.teammates.importMany(
        [
          { teamId: T, userId: a as string, frameworkId: 'marketing', levelId: 'level-2', since: '2025-01-15' },
          { teamId: T, userId: 'U0FRESH', frameworkId: 'sales', levelId: 'level-1', since: '2025-01-15' },
        ],
        ADMIN,
        AT,
      );
      await agree();
      expect(await stores.teammates.census(T)).toEqual([
        { frameworkId: 'design', status: 'active', count: 1 },
        { frameworkId: 'marketing', status: 'active', count: 1 },
        { frameworkId: 'sales', status: 'active', count: 1 },
      ]);
    });

    it('says which of up to 200 ids have a record in this workspace, and refuses more', async () => {
      const mine = await people(stores, T, 3);
      const theirs = await people(stores, OTHER_TEAM, 1);
      const asked = [
        ...mine.slice(0, 2),
        ...theirs,
        'U0NORECORD',
        ...Array.from({ length: 196 }, (_, i) => id(90_000 + i)),
      ];
      expect(asked).toHaveLength(200);
      expect(await stores.teammates.withRecords(T, asked)).toEqual(new Set(mine.slice(0, 2)));
      expect(await stores.teammates.withRecords(T, [])).toEqual(new Set());
      await expect(stores.teammates.withRecords(T, [...asked, 'U0ONEMORE'])).rejects.toThrow(/at most 200/);
    });

    it('lists shared check-ins waiting for ratings newest first, capped, and counts them no further than asked', async () => {
      const who = await people(stores, T, 6);
      const other = await people(stores, OTHER_TEAM, 1);
      const ids: number[] = [];
      for (const [i, userId] of who.entries()) ids.push(await shared(stores, T, userId, day(i + 1)));
      await shared(stores, OTHER_TEAM, other[0] as string, day(20));
      // Not shared: never listed.
      await stores.checkins.create({
        teamId: T,
        userId: who[0] as string,
        frameworkId: 'marketing',
        levelId: 'level-2',
        targetLevelId: null,
        questions: [question],
        at: AT,
      });
      // Rated by the manager: no longer waiting. An empty rating changes nothing.
      expect(await stores.checkins.rate(T, ids[5] as number, MANAGER, new Map([[0, 'consistently']]), AT)).toBe(true);
      expect(await stores.checkins.rate(T, ids[4] as number, MANAGER, new Map(), AT)).toBe(true);

      const first = await stores.checkins.awaitingRatings(T, 3, 1_000);
      expect(first.shown.map((a) => a.userId)).toEqual([who[4], who[3], who[2]]);
      expect(first.shown[0]).toEqual({ id: ids[4], userId: who[4], managerId: MANAGER, sharedAt: day(5) });
      expect(first).toMatchObject({ total: 5, more: false });
      expect(await stores.checkins.awaitingRatings(T, 3, 4)).toMatchObject({ total: 4, more: true });
      expect(await stores.checkins.awaitingRatings(T, 3, 5)).toMatchObject({ total: 5, more: false });
      expect((await stores.checkins.awaitingRatings(OTHER_TEAM, 20, 1_000)).total).toBe(1);
      // Reading writes nothing.
      const before = await engineSnapshot(db);
      await stores.checkins.awaitingRatings(T, 20, 1_000);
      expect(await engineSnapshot(db)).toEqual(before);
    });
  });
});

describe('db/022 on a database with shared check-ins', () => {
  it('marks as rated the shared check-ins a manager already rated, and leaves the others waiting', async () => {
    const all = loadMigrations();
    const before = all.filter((m) => m.version < 22);
    const sqlite = new Database(':memory:');
    migrate(sqlite, before);
    // Records as they were before db/022 (the store of today keeps counts the old schema has no table for).
    const who = ['U0P00001', 'U0P00002'];
    sqlite.prepare('INSERT INTO workspaces (team_id) VALUES (?)').run(T);
    for (const userId of who)
      sqlite
        .prepare(
          `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, created_at, updated_at, change_seq)
           VALUES (?, ?, 'marketing', 'level-2', '2025-01-15', 'x', 'x', 1)`,
        )
        .run(T, userId);
    // A shared check-in as the store wrote one then (today's store writes columns added since).
    const text = sqlite
      .prepare(
        `INSERT INTO checkin_question_texts (level_id, level_number, level_title, expectation_id, text)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(question.levelId, question.levelNumber, question.levelTitle, question.expectationId, question.text);
    const sharedBefore = (userId: string, sharedAt: string) => {
      const id = Number(
        sqlite
          .prepare(
            `INSERT INTO checkins (team_id, user_id, framework_id, level_id, target_level_id, status, version, cursor,
               question_count, started_at, last_activity_at, finished_at, shared_at, shared_with)
             VALUES (?, ?, 'marketing', 'level-2', NULL, 'finished', 2, 1, 1, ?, ?, ?, ?, ?)`,
          )
          .run(T, userId, AT, AT, AT, sharedAt, MANAGER).lastInsertRowid,
      );
      sqlite
        .prepare('INSERT INTO checkin_questions (checkin_id, position, question_id) VALUES (?, 0, ?)')
        .run(id, text.lastInsertRowid);
      return id;
    };
    const rated = sharedBefore(who[0] as string, day(1));
    sharedBefore(who[1] as string, day(2));
    // As the store wrote a manager's ratings before db/022.
    sqlite
      .prepare(
        "INSERT INTO checkin_answers (checkin_id, position, rater, rating, answered_at) VALUES (?, 0, 'manager', 'sometimes', ?)",
      )
      .run(rated, '2026-03-05T09:00:00.000Z');
    migrate(sqlite, all);
    const stores = createStores(sqlite);
    // The counts start from the records there are.
    expect(await stores.teammates.census(T)).toEqual([{ frameworkId: 'marketing', status: 'active', count: 2 }]);
    const waiting = await stores.checkins.awaitingRatings(T, 20, 1_000);
    expect(waiting.shown.map((a) => a.userId)).toEqual([who[1]]);
    expect(sqlite.prepare('SELECT manager_rated_at FROM checkins WHERE id = ?').pluck().get(rated)).toBe(
      '2026-03-05T09:00:00.000Z',
    );
  });
});
