import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import {
  createStores,
  InvalidInputError,
  StateConflictError,
  type Stores,
  type TeammateChange,
  TeammateNotFoundError,
} from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { ADMIN, ALICE, AT, aChange, BOB, LATER, MANAGER, OTHER_TEAM, T } from './fixtures.js';

/** A CHECK constraint, as SQLite and PostgreSQL word it. */
const CHECK = /CHECK constraint failed|violates check constraint/;

describe.each(engines())('the teammate store on %s', (testEngine) => {
  describe.skipIf(testEngine.skip)('', () => {
    let opened: Engine[] = [];
    afterEach(async () => {
      for (const engine of opened) await engine.close();
      opened = [];
    });

    /** A fresh database on this engine with the real migrations, and the stores on it. */
    async function fakeDatabase(): Promise<{ db: Engine; stores: Stores }> {
      const db = await testEngine.open();
      opened.push(db);
      return { db, stores: createStores(db) };
    }
    const snapshot = (db: Engine) => engineSnapshot(db);

    describe('upsert', () => {
      it('creates a record and logs each field it set, from nothing', async () => {
        const { stores } = await fakeDatabase();
        const { before, after, changed } = await stores.teammates.upsert(aChange({ note: 'joined' }));

        expect(before).toBeNull();
        expect(after).toEqual({
          teamId: T,
          userId: ALICE,
          frameworkId: 'marketing',
          levelId: 'strategist',
          since: '2026-01-15',
          managerId: MANAGER,
          title: null,
          status: 'active',
          pausedUntil: null,
          tz: null,
          tzFetchedAt: null,
          nudges: 'dm',
          createdAt: AT,
          updatedAt: AT,
        });
        expect(changed).toEqual(['framework', 'level', 'since', 'manager']);
        expect((await stores.teammates.history(T, ALICE)).map(({ id: _id, ...rest }) => rest)).toEqual([
          {
            teamId: T,
            userId: ALICE,
            field: 'framework',
            from: null,
            to: 'marketing',
            changedBy: ADMIN,
            changedAt: AT,
            note: 'joined',
          },
          {
            teamId: T,
            userId: ALICE,
            field: 'level',
            from: null,
            to: 'strategist',
            changedBy: ADMIN,
            changedAt: AT,
            note: 'joined',
          },
          {
            teamId: T,
            userId: ALICE,
            field: 'since',
            from: null,
            to: '2026-01-15',
            changedBy: ADMIN,
            changedAt: AT,
            note: 'joined',
          },
          {
            teamId: T,
            userId: ALICE,
            field: 'manager',
            from: null,
            to: MANAGER,
            changedBy: ADMIN,
            changedAt: AT,
            note: 'joined',
          },
        ]);
      });

      it('logs no manager row for a record created without a manager', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange({ managerId: null }));
        expect((await stores.teammates.history(T, ALICE)).map((h) => h.field)).toEqual(['framework', 'level', 'since']);
      });

      it('logs exactly the changed fields with who, when, from and to', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const { before, after, changed } = await stores.teammates.upsert(
          aChange({ levelId: 'coordinator', since: '2026-09-01', changedBy: MANAGER, at: LATER, note: 'well earned' }),
        );

        expect(changed).toEqual(['level', 'since']);
        expect(before?.levelId).toBe('strategist');
        expect(after).toMatchObject({ levelId: 'coordinator', since: '2026-09-01', createdAt: AT, updatedAt: LATER });
        const newRows = (await stores.teammates.history(T, ALICE)).slice(4);
        expect(newRows.map(({ id: _id, teamId: _t, userId: _u, ...rest }) => rest)).toEqual([
          {
            field: 'level',
            from: 'strategist',
            to: 'coordinator',
            changedBy: MANAGER,
            changedAt: LATER,
            note: 'well earned',
          },
          {
            field: 'since',
            from: '2026-01-15',
            to: '2026-09-01',
            changedBy: MANAGER,
            changedAt: LATER,
            note: 'well earned',
          },
        ]);
      });

      it('logs a framework change and its level change as two rows', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const { changed } = await stores.teammates.upsert(
          aChange({ frameworkId: 'engineering', levelId: 'software-engineer' }),
        );
        expect(changed).toEqual(['framework', 'level']);
      });

      it('keeps the manager when managerId is left out, and logs clearing it', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const { managerId: _omit, ...withoutManager } = aChange({ levelId: 'coordinator' });
        expect((await stores.teammates.upsert(withoutManager)).after.managerId).toBe(MANAGER);

        const cleared = await stores.teammates.upsert(aChange({ levelId: 'coordinator', managerId: null }));
        expect(cleared.changed).toEqual(['manager']);
        expect(cleared.after.managerId).toBeNull();
        expect((await stores.teammates.history(T, ALICE)).at(-1)).toMatchObject({
          field: 'manager',
          from: MANAGER,
          to: null,
        });
      });

      it('writes nothing at all when nothing changed', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const before = await snapshot(db);
        const result = await stores.teammates.upsert(aChange({ at: LATER, changedBy: MANAGER, note: 'same again' }));
        expect(result.changed).toEqual([]);
        expect(result.after).toEqual(result.before);
        expect(await snapshot(db)).toEqual(before);
      });

      it('stores timestamps in UTC', async () => {
        const { stores } = await fakeDatabase();
        const { after } = await stores.teammates.upsert(aChange({ at: '2026-01-15T10:00:00+01:00' }));
        expect(after.createdAt).toBe('2026-01-15T09:00:00.000Z');
      });

      it('registers the workspace as active on the first record', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        expect(await db.sql.all('SELECT team_id, active, installed_at FROM workspaces')).toEqual([
          { team_id: T, active: 1, installed_at: AT },
        ]);
      });

      const badChanges: [string, Partial<TeammateChange>, RegExp][] = [
        [
          'a day that does not exist',
          { since: '2026-02-30' },
          /since: 2026-02-30 is not a date: February 2026 has 28 days/,
        ],
        ['a date without leading zeros', { since: '2026-2-3' }, /since: expected a date as YYYY-MM-DD/],
        ['an empty since', { since: '' }, /since: expected a date/],
        ['the person as their own manager', { managerId: ALICE }, /managerId: a person cannot be their own manager/],
        ['a level id that is not a slug', { levelId: 'Level 2' }, /levelId: a lowercase slug/],
        ['an empty user id', { userId: '' }, /userId: a Slack id/],
        ['a timestamp that is not one', { at: 'yesterday' }, /at: an ISO 8601 timestamp/],
        ['a blank note', { note: '   ' }, /note: a note cannot be blank/],
      ];
      it.each(badChanges)('refuses %s and leaves the database as it was', async (_title, overrides, message) => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const before = await snapshot(db);
        await expect(
          async () => await stores.teammates.upsert(aChange({ levelId: 'coordinator', ...overrides })),
        ).rejects.toThrow(InvalidInputError);
        await expect(
          async () => await stores.teammates.upsert(aChange({ levelId: 'coordinator', ...overrides })),
        ).rejects.toThrow(message);
        expect(await snapshot(db)).toEqual(before);
      });
    });

    describe('the database itself', () => {
      it('refuses to UPDATE a history row (append-only trigger)', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const before = await snapshot(db);
        await expect(db.sql.run("UPDATE teammate_history SET to_value = 'head' WHERE field = 'level'")).rejects.toThrow(
          /teammate_history is append-only/,
        );
        expect(await snapshot(db)).toEqual(before);
      });

      it('refuses an impossible date even when the store is bypassed', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await expect(db.sql.run("UPDATE teammates SET since = '2026-02-30'")).rejects.toThrow(CHECK);
        await expect(db.sql.run("UPDATE teammates SET status = 'gone'")).rejects.toThrow(CHECK);
      });

      it('refuses history for a person with no record (foreign key)', async () => {
        const { db } = await fakeDatabase();
        await expect(
          db.sql.run(
            `INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at)
             VALUES ('T1', 'U1', 'level', NULL, 'x', 'U2', '2026-01-01T00:00:00.000Z')`,
          ),
        ).rejects.toThrow(/FOREIGN KEY constraint failed|violates foreign key constraint/);
      });
    });

    describe('importMany', () => {
      const rows = [
        {
          teamId: T,
          userId: ALICE,
          frameworkId: 'marketing',
          levelId: 'strategist',
          since: '2026-01-15',
          managerId: MANAGER,
        },
        {
          teamId: T,
          userId: BOB,
          frameworkId: 'marketing',
          levelId: 'coordinator',
          since: '2025-06-01',
          managerId: MANAGER,
        },
        { teamId: T, userId: 'U0CAROL', frameworkId: 'engineering', levelId: 'software-engineer', since: '2025-11-30' },
      ];

      it('creates, updates and counts', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await stores.teammates.upsert(aChange({ userId: BOB, levelId: 'strategist' }));
        expect(await stores.teammates.importMany(rows, ADMIN, LATER)).toEqual({ created: 1, updated: 1, unchanged: 1 });
        expect((await stores.teammates.listAll(T)).map((r) => [r.userId, r.levelId])).toEqual([
          [ALICE, 'strategist'],
          [BOB, 'coordinator'],
          ['U0CAROL', 'software-engineer'],
        ]);
        expect((await stores.teammates.history(T, BOB)).slice(-2)).toMatchObject([
          { field: 'level', from: 'strategist', to: 'coordinator', changedBy: ADMIN, changedAt: LATER },
          { field: 'since', from: '2026-01-15', to: '2025-06-01', changedBy: ADMIN, changedAt: LATER },
        ]);
      });

      it('writes nothing when one row is invalid, and names the row', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const before = await snapshot(db);
        const broken = [...rows.slice(0, 2), { ...rows[2], since: '2025-11-31' }] as typeof rows;
        await expect(async () => await stores.teammates.importMany(broken, ADMIN, LATER)).rejects.toThrow(
          /row 3, since: 2025-11-31 is not a date: November 2025 has 30 days/,
        );
        expect(await snapshot(db)).toEqual(before);
      });

      it('refuses the same person twice', async () => {
        const { db, stores } = await fakeDatabase();
        const before = await snapshot(db);
        await expect(
          async () => await stores.teammates.importMany([rows[0], rows[1], rows[0]] as typeof rows, ADMIN, LATER),
        ).rejects.toThrow(`row 3: ${ALICE} is already in row 1`);
        expect(await snapshot(db)).toEqual(before);
      });

      it('rolls back every row when a write fails half-way', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        // A temporary trigger makes the third row fail inside SQLite, after two rows were written.
        if (db.dialect === 'sqlite') {
          await db.sql.run(`CREATE TEMP TRIGGER fail_carol BEFORE INSERT ON main.teammates WHEN NEW.user_id = 'U0CAROL'
                   BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
        } else {
          await db.sql.run(`CREATE FUNCTION fail_carol() RETURNS TRIGGER LANGUAGE plpgsql AS $$
            BEGIN IF NEW.user_id = 'U0CAROL' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$`);
          await db.sql.run(
            'CREATE TRIGGER fail_carol BEFORE INSERT ON teammates FOR EACH ROW EXECUTE FUNCTION fail_carol()',
          );
        }
        const changedRows = [{ ...rows[0], levelId: 'coordinator' }, ...rows.slice(1)] as typeof rows;
        const before = await snapshot(db);
        await expect(async () => await stores.teammates.importMany(changedRows, ADMIN, LATER)).rejects.toThrow(
          /disk on fire/,
        );
        expect(await snapshot(db)).toEqual(before);
        expect((await stores.teammates.get(T, ALICE))?.levelId).toBe('strategist');
        expect(await stores.teammates.get(T, BOB)).toBeNull();
      });
    });

    describe('lists', () => {
      it('lists a manager’s reports in one workspace, by user id', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange({ userId: BOB }));
        await stores.teammates.upsert(aChange({ userId: ALICE }));
        await stores.teammates.upsert(aChange({ userId: 'U0CAROL', managerId: 'U0SOMEONE' }));
        await stores.teammates.upsert(aChange({ teamId: OTHER_TEAM, userId: 'U0DAVE' }));
        expect((await stores.teammates.reports(T, MANAGER)).map((r) => r.record.userId)).toEqual([ALICE, BOB]);
        expect((await stores.teammates.listAll(T)).map((r) => r.userId)).toEqual([ALICE, BOB, 'U0CAROL']);
        expect((await stores.teammates.listAll(OTHER_TEAM)).map((r) => r.userId)).toEqual(['U0DAVE']);
        expect(await stores.teammates.get(OTHER_TEAM, ALICE)).toBeNull();
      });

      it('says whether someone manages anyone who has not left, in their workspace only', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange({ userId: ALICE }));
        await stores.teammates.upsert(aChange({ teamId: OTHER_TEAM, userId: 'U0DAVE', managerId: 'U0SOMEONE' }));
        expect(await stores.teammates.isManager(T, MANAGER)).toBe(true);
        expect(await stores.teammates.isManager(T, ALICE)).toBe(false);
        expect(await stores.teammates.isManager(T, 'U0SOMEONE')).toBe(false);
        expect(await stores.teammates.isManager(OTHER_TEAM, 'U0SOMEONE')).toBe(true);
        await stores.teammates.setStatus(T, ALICE, { status: 'left', changedBy: ADMIN, at: LATER });
        expect(await stores.teammates.isManager(T, MANAGER)).toBe(false);
      });
    });

    describe('reports', () => {
      it('lists the current reports by user id with their pauses, the first `limit` of them, and counts them all', async () => {
        const { stores } = await fakeDatabase();
        for (const userId of ['U0R4', 'U0R2', 'U0R3', 'U0R1']) await stores.teammates.upsert(aChange({ userId }));
        await stores.teammates.upsert(aChange({ userId: 'U0R0' }));
        await stores.teammates.setStatus(T, 'U0R0', { status: 'left', changedBy: ADMIN, at: LATER });
        await stores.teammates.upsert(aChange({ userId: 'U0ELSE', managerId: 'U0SOMEONE' }));
        await stores.teammates.upsert(aChange({ teamId: OTHER_TEAM, userId: 'U0R9' }));
        await stores.teammates.pause(T, 'U0R2', { start: '2026-03-01', changedBy: 'U0R2', at: LATER });

        const all = await stores.teammates.reports(T, MANAGER);
        expect(all.map((r) => r.record.userId)).toEqual(['U0R1', 'U0R2', 'U0R3', 'U0R4']);
        expect(all[1]?.pauses).toEqual(await stores.teammates.pauses(T, 'U0R2'));
        expect(all[1]?.pauses).toHaveLength(1);
        expect(all[0]?.pauses).toEqual([]);
        expect((await stores.teammates.reports(T, MANAGER, 2)).map((r) => r.record.userId)).toEqual(['U0R1', 'U0R2']);
        expect(await stores.teammates.countReports(T, MANAGER)).toBe(4);
        expect(await stores.teammates.countReports(OTHER_TEAM, MANAGER)).toBe(1);
        expect(await stores.teammates.countReports(T, ALICE)).toBe(0);
        expect(await stores.teammates.reports(T, ALICE)).toEqual([]);
      });
    });

    describe('pause and resume', () => {
      const pauseAt = '2026-03-01T08:00:00.000Z';
      const resumeAt = '2026-03-31T08:00:00.000Z';

      it('pauses: status, expected day back, an open pause and a history row', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const record = await stores.teammates.pause(T, ALICE, {
          start: '2026-03-01',
          until: '2026-03-31',
          changedBy: ALICE,
          at: pauseAt,
          note: 'parental leave',
        });
        expect(record).toMatchObject({ status: 'paused', pausedUntil: '2026-03-31', updatedAt: pauseAt });
        expect(await stores.teammates.pauses(T, ALICE)).toEqual([
          { id: expect.any(Number), teamId: T, userId: ALICE, start: '2026-03-01', end: null, createdAt: pauseAt },
        ]);
        expect((await stores.teammates.history(T, ALICE)).at(-1)).toMatchObject({
          field: 'status',
          from: 'active',
          to: 'paused',
          changedBy: ALICE,
          changedAt: pauseAt,
          note: 'parental leave',
        });
      });

      it('resumes: closes the pause on the first day back', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await stores.teammates.pause(T, ALICE, {
          start: '2026-03-01',
          until: '2026-04-15',
          changedBy: ALICE,
          at: pauseAt,
        });
        const record = await stores.teammates.resume(T, ALICE, { on: '2026-03-31', changedBy: ALICE, at: resumeAt });
        expect(record).toMatchObject({ status: 'active', pausedUntil: null });
        expect((await stores.teammates.pauses(T, ALICE)).map((p) => [p.start, p.end])).toEqual([
          ['2026-03-01', '2026-03-31'],
        ]);
        expect((await stores.teammates.history(T, ALICE)).at(-1)).toMatchObject({
          field: 'status',
          from: 'paused',
          to: 'active',
        });
      });

      it('keeps several pauses in order', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt });
        await stores.teammates.resume(T, ALICE, { on: '2026-03-10', changedBy: ALICE, at: resumeAt });
        await stores.teammates.pause(T, ALICE, { start: '2026-03-10', changedBy: ALICE, at: resumeAt });
        expect((await stores.teammates.pauses(T, ALICE)).map((p) => [p.start, p.end])).toEqual([
          ['2026-03-01', '2026-03-10'],
          ['2026-03-10', null],
        ]);
        // Read together, in one statement, they are the same record and the same pauses in the same order.
        expect(await stores.teammates.getWithPauses(T, ALICE)).toEqual({
          record: await stores.teammates.get(T, ALICE),
          pauses: await stores.teammates.pauses(T, ALICE),
        });
      });

      it('reads pauses together with the record oldest first, whatever order they were written in', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        // Written newest first (an import of old leave, say): ids and dates disagree.
        const insert = 'INSERT INTO pauses (team_id, user_id, start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?)';
        const written: [string, string][] = [
          ['2026-05-01', '2026-05-02'],
          ['2026-01-01', '2026-01-05'],
          ['2026-03-01', '2026-03-10'],
          ['2026-03-01', '2026-03-01'],
        ];
        for (const [start, end] of written) {
          await db.sql.run(insert, [T, ALICE, start, end, pauseAt]);
        }
        const together = await stores.teammates.getWithPauses(T, ALICE);
        expect(together?.pauses.map((p) => [p.start, p.end])).toEqual([
          ['2026-01-01', '2026-01-05'],
          ['2026-03-01', '2026-03-10'],
          ['2026-03-01', '2026-03-01'],
          ['2026-05-01', '2026-05-02'],
        ]);
        expect(together?.pauses).toEqual(await stores.teammates.pauses(T, ALICE));
        expect((await stores.teammates.reports(T, MANAGER))[0]?.pauses).toEqual(together?.pauses);
      });

      it('reads a record without pauses, and nobody, together with their pauses', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        expect(await stores.teammates.getWithPauses(T, ALICE)).toEqual({
          record: await stores.teammates.get(T, ALICE),
          pauses: [],
        });
        expect(await stores.teammates.getWithPauses(T, BOB)).toBeNull();
      });

      type Attempt = (s: Stores) => unknown;
      const conflicts: [string, Attempt, string][] = [
        [
          'pausing twice',
          async (s) => await s.teammates.pause(T, ALICE, { start: '2026-03-05', changedBy: ALICE, at: resumeAt }),
          'already-paused',
        ],
        [
          'resuming before the first day away',
          async (s) => await s.teammates.resume(T, ALICE, { on: '2026-02-27', changedBy: ALICE, at: resumeAt }),
          'resume-before-pause',
        ],
        [
          'resuming someone who is not paused',
          async (s) => await s.teammates.resume(T, BOB, { on: '2026-03-05', changedBy: BOB, at: resumeAt }),
          'not-paused',
        ],
        [
          'pausing someone who left',
          async (s) => await s.teammates.pause(T, 'U0LEFT', { start: '2026-03-05', changedBy: ADMIN, at: resumeAt }),
          'has-left',
        ],
        [
          'a pause overlapping an earlier one',
          async (s) => await s.teammates.pause(T, 'U0EARLIER', { start: '2026-01-20', changedBy: ADMIN, at: resumeAt }),
          'overlapping-pause',
        ],
      ];
      it.each(conflicts)('refuses %s and changes nothing', async (_title, attempt, conflict) => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await stores.teammates.upsert(aChange({ userId: BOB }));
        await stores.teammates.upsert(aChange({ userId: 'U0LEFT' }));
        await stores.teammates.setStatus(T, 'U0LEFT', { status: 'left', changedBy: 'slack:user_change', at: AT });
        await stores.teammates.upsert(aChange({ userId: 'U0EARLIER' }));
        await stores.teammates.pause(T, 'U0EARLIER', { start: '2026-01-16', changedBy: ADMIN, at: AT });
        await stores.teammates.resume(T, 'U0EARLIER', { on: '2026-02-01', changedBy: ADMIN, at: AT });
        await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt });
        const before = await snapshot(db);

        let error: unknown;
        try {
          await attempt(stores);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(StateConflictError);
        expect((error as StateConflictError).conflict).toBe(conflict);
        expect(await snapshot(db)).toEqual(before);
      });

      it('refuses a day back that is not after the first day away', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await expect(
          async () =>
            await stores.teammates.pause(T, ALICE, {
              start: '2026-03-01',
              until: '2026-03-01',
              changedBy: ALICE,
              at: pauseAt,
            }),
        ).rejects.toThrow(/until: the day back must be after the first day away/);
        expect((await stores.teammates.get(T, ALICE))?.status).toBe('active');
      });

      it('refuses to pause someone without a record', async () => {
        const { stores } = await fakeDatabase();
        await expect(
          async () => await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt }),
        ).rejects.toThrow(TeammateNotFoundError);
      });

      it('allows one running pause per person even when the store is bypassed', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt });
        await expect(
          db.sql.run(`INSERT INTO pauses (team_id, user_id, start_date, created_at) VALUES (?, ?, '2026-04-01', ?)`, [
            T,
            ALICE,
            AT,
          ]),
        ).rejects.toThrow(/UNIQUE constraint failed|duplicate key value violates unique constraint/);
      });
    });

    describe('setStatus', () => {
      it('marks someone as left and logs it', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const record = await stores.teammates.setStatus(T, ALICE, {
          status: 'left',
          changedBy: 'slack:user_change',
          at: LATER,
        });
        expect(record?.status).toBe('left');
        expect((await stores.teammates.history(T, ALICE)).at(-1)).toMatchObject({
          field: 'status',
          from: 'active',
          to: 'left',
          changedBy: 'slack:user_change',
        });
      });

      it('does nothing for the same status, and returns null without a record', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const before = await snapshot(db);
        expect(
          (await stores.teammates.setStatus(T, ALICE, { status: 'active', changedBy: ADMIN, at: LATER }))?.status,
        ).toBe('active');
        expect(await stores.teammates.setStatus(T, BOB, { status: 'left', changedBy: ADMIN, at: LATER })).toBeNull();
        expect(await snapshot(db)).toEqual(before);
      });

      it('closes a running pause on the UTC date of the change when someone leaves', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await stores.teammates.pause(T, ALICE, { start: '2026-03-01', until: '2026-05-01', changedBy: ALICE, at: AT });
        const record = await stores.teammates.setStatus(T, ALICE, {
          status: 'left',
          changedBy: 'slack:user_change',
          at: '2026-04-02T23:30:00.000Z',
        });
        expect(record).toMatchObject({ status: 'left', pausedUntil: null });
        expect((await stores.teammates.pauses(T, ALICE)).map((p) => p.end)).toEqual(['2026-04-02']);
      });

      it('refuses "paused", which needs a start date', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await expect(
          async () =>
            await stores.teammates.setStatus(T, ALICE, { status: 'paused' as 'active', changedBy: ADMIN, at: LATER }),
        ).rejects.toThrow(InvalidInputError);
      });
    });

    describe('time zone and nudges', () => {
      it('caches the time zone without touching updatedAt or history', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        expect(await stores.teammates.setTimeZone(T, ALICE, 'Europe/Paris', LATER)).toBe(true);
        expect(await stores.teammates.get(T, ALICE)).toMatchObject({
          tz: 'Europe/Paris',
          tzFetchedAt: LATER,
          updatedAt: AT,
        });
        expect(await stores.teammates.history(T, ALICE)).toHaveLength(4);
      });

      it('refuses an unknown time zone and reports a missing record', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        await expect(async () => await stores.teammates.setTimeZone(T, ALICE, 'Mars/Olympus', LATER)).rejects.toThrow(
          /an IANA time zone/,
        );
        expect(await stores.teammates.setTimeZone(T, BOB, 'UTC', LATER)).toBe(false);
      });

      it('sets the nudge preference', async () => {
        const { stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        expect(await stores.teammates.setNudges(T, ALICE, 'off', LATER)).toBe(true);
        expect(await stores.teammates.get(T, ALICE)).toMatchObject({ nudges: 'off', updatedAt: LATER });
        await expect(async () => await stores.teammates.setNudges(T, ALICE, 'sms' as 'off', LATER)).rejects.toThrow(
          InvalidInputError,
        );
      });
    });

    describe('export and forget', () => {
      async function twoPeopleInTwoTeams() {
        const fake = await fakeDatabase();
        const { teammates } = fake.stores;
        for (const teamId of [T, OTHER_TEAM]) {
          for (const userId of [ALICE, BOB]) {
            await teammates.upsert(aChange({ teamId, userId }));
            await teammates.upsert(aChange({ teamId, userId, levelId: 'coordinator', at: LATER }));
            await teammates.pause(teamId, userId, { start: '2026-03-01', changedBy: userId, at: LATER });
            await teammates.resume(teamId, userId, { on: '2026-03-08', changedBy: userId, at: LATER });
          }
        }
        return fake;
      }

      it('exports the record, its history and its pauses', async () => {
        const { stores } = await twoPeopleInTwoTeams();
        const data = await stores.teammates.export(T, ALICE);
        expect(data?.record).toMatchObject({ userId: ALICE, levelId: 'coordinator' });
        expect(data?.history.map((h) => h.field)).toEqual([
          'framework',
          'level',
          'since',
          'manager',
          'level',
          'status',
          'status',
        ]);
        expect(data?.pauses.map((p) => [p.start, p.end])).toEqual([['2026-03-01', '2026-03-08']]);
        expect(await stores.teammates.export(T, 'U0NOBODY')).toBeNull();
      });

      it('removes everything about one person, and only them', async () => {
        const { db, stores } = await twoPeopleInTwoTeams();
        const count = async (sql: string) => Number((await db.sql.get<{ n: number }>(sql))?.n);
        const before = await snapshot(db);

        // 7 history rows + 1 pause + 1 record.
        expect(await stores.teammates.forget(T, ALICE)).toEqual({ deleted: 9 });

        expect(await stores.teammates.get(T, ALICE)).toBeNull();
        expect(await stores.teammates.history(T, ALICE)).toEqual([]);
        expect(await stores.teammates.pauses(T, ALICE)).toEqual([]);
        expect(await count('SELECT count(*) AS n FROM teammates')).toBe(3);
        expect(await count('SELECT count(*) AS n FROM teammate_history')).toBe(21);
        expect(await count('SELECT count(*) AS n FROM pauses')).toBe(3);
        const after = await snapshot(db);
        for (const table of ['teammates', 'teammate_history', 'pauses'] as const) {
          const keep = (rows: unknown) =>
            (rows as { team_id: string; user_id: string }[]).filter((r) => !(r.team_id === T && r.user_id === ALICE));
          expect(after[table]).toEqual(keep(before[table]));
        }
      });

      it('deletes nothing for someone without a record', async () => {
        const { db, stores } = await twoPeopleInTwoTeams();
        const before = await snapshot(db);
        expect(await stores.teammates.forget(T, 'U0NOBODY')).toEqual({ deleted: 0 });
        expect(await snapshot(db)).toEqual(before);
      });
    });
    describe('the change sequence', () => {
      const seqOf = async (db: Engine, userId: string, teamId = T) =>
        Number(
          (
            await db.sql.get<{ change_seq: number }>(
              'SELECT change_seq FROM teammates WHERE team_id = ? AND user_id = ?',
              [teamId, userId],
            )
          )?.change_seq,
        );

      it('stamps every write with a new number, and a write that changes nothing with none', async () => {
        const { db, stores } = await fakeDatabase();
        await stores.teammates.upsert(aChange());
        const created = await seqOf(db, ALICE);
        await stores.teammates.upsert(aChange({ at: LATER }));
        expect(await seqOf(db, ALICE)).toBe(created);
        const steps: [string, () => Promise<unknown>][] = [
          ['upsert', () => stores.teammates.upsert(aChange({ levelId: 'coordinator', at: LATER }))],
          ['setTimeZone', () => stores.teammates.setTimeZone(T, ALICE, 'Europe/Paris', LATER)],
          ['setNudges', () => stores.teammates.setNudges(T, ALICE, 'off', LATER)],
          // The optional-steps preference lives beside the record: the planners must look again.
          ['markChanged', () => stores.teammates.markChanged(T, ALICE)],
          ['pause', () => stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: LATER })],
          ['resume', () => stores.teammates.resume(T, ALICE, { on: '2026-03-08', changedBy: ALICE, at: LATER })],
          ['setStatus', () => stores.teammates.setStatus(T, ALICE, { status: 'left', changedBy: ADMIN, at: LATER })],
        ];
        let last = created;
        for (const [name, step] of steps) {
          await step();
          const now = await seqOf(db, ALICE);
          expect(now, name).toBeGreaterThan(last);
          last = now;
        }
        // updated_at is still written as before (records show it).
        expect((await stores.teammates.get(T, ALICE))?.updatedAt).toBe(LATER);
      });

      it('takes one number per transaction: a batch import, and a unit that writes a record and its zone', async () => {
        const { db, stores } = await fakeDatabase();
        const people = [ALICE, BOB, MANAGER].map((userId) => ({ ...aChange({ userId, managerId: null }) }));
        await stores.teammates.importMany(people, ADMIN, AT);
        const batch = await Promise.all([ALICE, BOB, MANAGER].map((u) => seqOf(db, u)));
        expect(new Set(batch).size).toBe(1);
        await stores.unitOfWork.run(async (repos) => {
          await repos.teammates.upsert(aChange({ userId: BOB, levelId: 'coordinator', managerId: null, at: LATER }));
          await repos.teammates.setTimeZone(T, BOB, 'Asia/Tokyo', LATER);
          await repos.teammates.setTimeZone(T, ALICE, 'Asia/Tokyo', LATER);
        });
        expect(await seqOf(db, BOB)).toBe(await seqOf(db, ALICE));
        expect(await seqOf(db, BOB)).toBe((batch[0] as number) + 1);
        expect(await seqOf(db, MANAGER)).toBe(batch[0]);
      });

      it('walks what changed in change order from a cursor, a page at a time, and names the last change', async () => {
        const { stores } = await fakeDatabase();
        expect(await stores.teammates.lastChange()).toBeNull();
        expect(await stores.teammates.changedSince(null, 10)).toEqual([]);
        await stores.teammates.importMany(
          [BOB, ALICE].map((userId) => aChange({ userId, managerId: null })),
          ADMIN,
          AT,
        );
        await stores.teammates.upsert(aChange({ teamId: OTHER_TEAM }));
        await stores.teammates.setNudges(T, BOB, 'off', LATER);
        const all = await stores.teammates.changedSince(null, 10);
        expect(all.map((c) => `${c.teamId}/${c.userId}`)).toEqual([
          `${T}/${ALICE}`,
          `${OTHER_TEAM}/${ALICE}`,
          `${T}/${BOB}`,
        ]);
        expect(all.map((c) => c.seq)).toEqual([all[0]?.seq, (all[0]?.seq ?? 0) + 1, (all[0]?.seq ?? 0) + 2]);
        const first = await stores.teammates.changedSince(null, 1);
        expect(first).toEqual(all.slice(0, 1));
        expect(await stores.teammates.changedSince(first[0] ?? null, 5)).toEqual(all.slice(1));
        expect(await stores.teammates.lastChange()).toEqual(all[2]);
        expect(await stores.teammates.changedSince(all[2] ?? null, 5)).toEqual([]);
      });

      it.skipIf(testEngine.name !== 'postgres')(
        'two concurrent upserts of one person: the history tells exactly the committed states, one after the other',
        async () => {
          const { stores } = await fakeDatabase();
          await stores.teammates.upsert(aChange());
          let attempts = 0;
          let arrived = 0;
          let bothRead!: () => void;
          const barrier = new Promise<void>((resolve) => {
            bothRead = resolve;
          });
          const setLevel = (levelId: string) =>
            stores.unitOfWork.run(async (repos) => {
              attempts++;
              // Both read the record before either writes: one of them must start again from what the other wrote.
              await repos.teammates.get(T, ALICE);
              if (++arrived === 2) bothRead();
              await barrier;
              return repos.teammates.upsert(aChange({ levelId, at: LATER, changedBy: ADMIN }));
            });
          const [a, b] = await Promise.all([setLevel('coordinator'), setLevel('content-crafter')]);
          expect(attempts).toBe(3);
          const levels = (await stores.teammates.history(T, ALICE)).filter((h) => h.field === 'level');
          expect(levels.map((h) => [h.from, h.to])[0]).toEqual([null, 'strategist']);
          // Each row starts where the one before it ended, and the last ends at the record as it is.
          for (let i = 1; i < levels.length; i++) expect(levels[i]?.from).toBe(levels[i - 1]?.to);
          expect(levels).toHaveLength(3);
          expect(levels.at(-1)?.to).toBe((await stores.teammates.get(T, ALICE))?.levelId);
          // Each result says what its own committed transaction saw and wrote.
          const results = [a, b].sort((x, y) =>
            x.before?.levelId === 'strategist' ? -1 : y.before?.levelId === 'strategist' ? 1 : 0,
          );
          expect(results[1]?.before?.levelId).toBe(results[0]?.after.levelId);
        },
      );

      it.skipIf(testEngine.name !== 'postgres')(
        'the numbers of two concurrent writers follow their commit order, so a walk never misses a late commit',
        async () => {
          const { stores } = await fakeDatabase();
          await stores.teammates.upsert(aChange());
          await stores.teammates.upsert(aChange({ userId: BOB }));
          const commits: string[] = [];
          let firstHasNumber!: () => void;
          const numbered = new Promise<void>((resolve) => {
            firstHasNumber = resolve;
          });
          let releaseFirst!: () => void;
          const release = new Promise<void>((resolve) => {
            releaseFirst = resolve;
          });
          // The first writer takes its number, then waits; the second begins meanwhile and must wait for it.
          const first = stores.unitOfWork
            .run(async (repos) => {
              await repos.teammates.setNudges(T, ALICE, 'off', LATER);
              firstHasNumber();
              await release;
            })
            .then(() => commits.push(ALICE));
          await numbered;
          const walked = await stores.teammates.changedSince(null, 10);
          const second = stores.unitOfWork
            .run(async (repos) => {
              await repos.teammates.setNudges(T, BOB, 'off', LATER);
            })
            .then(() => commits.push(BOB));
          // Let the second reach the counter before the first commits (it cannot pass it).
          await new Promise((resolve) => setTimeout(resolve, 200));
          expect(commits).toEqual([]);
          releaseFirst();
          await Promise.all([first, second]);
          expect(commits).toEqual([ALICE, BOB]);
          const after = await stores.teammates.changedSince(walked.at(-1) ?? null, 10);
          expect(after.map((c) => c.userId)).toEqual([ALICE, BOB]);
          expect((after[0]?.seq ?? 0) < (after[1]?.seq ?? 0)).toBe(true);
        },
      );
    });
  });
});
