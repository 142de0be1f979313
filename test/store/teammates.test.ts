import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  StateConflictError,
  type TeammateChange,
  TeammateNotFoundError,
} from '../../src/store/index.js';
import { ADMIN, ALICE, AT, aChange, BOB, fakeDatabase, LATER, MANAGER, OTHER_TEAM, snapshot, T } from './fixtures.js';

describe('upsert', () => {
  it('creates a record and logs each field it set, from nothing', async () => {
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange({ managerId: null }));
    expect((await stores.teammates.history(T, ALICE)).map((h) => h.field)).toEqual(['framework', 'level', 'since']);
  });

  it('logs exactly the changed fields with who, when, from and to', async () => {
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    const { changed } = await stores.teammates.upsert(
      aChange({ frameworkId: 'engineering', levelId: 'software-engineer' }),
    );
    expect(changed).toEqual(['framework', 'level']);
  });

  it('keeps the manager when managerId is left out, and logs clearing it', async () => {
    const { stores } = fakeDatabase();
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
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    const before = snapshot(db);
    const result = await stores.teammates.upsert(aChange({ at: LATER, changedBy: MANAGER, note: 'same again' }));
    expect(result.changed).toEqual([]);
    expect(result.after).toEqual(result.before);
    expect(snapshot(db)).toEqual(before);
  });

  it('stores timestamps in UTC', async () => {
    const { stores } = fakeDatabase();
    const { after } = await stores.teammates.upsert(aChange({ at: '2026-01-15T10:00:00+01:00' }));
    expect(after.createdAt).toBe('2026-01-15T09:00:00.000Z');
  });

  it('registers the workspace as active on the first record', async () => {
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    expect(db.prepare('SELECT team_id, active, installed_at FROM workspaces').all()).toEqual([
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
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    const before = snapshot(db);
    await expect(
      async () => await stores.teammates.upsert(aChange({ levelId: 'coordinator', ...overrides })),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      async () => await stores.teammates.upsert(aChange({ levelId: 'coordinator', ...overrides })),
    ).rejects.toThrow(message);
    expect(snapshot(db)).toEqual(before);
  });
});

describe('the database itself', () => {
  it('refuses to UPDATE a history row (append-only trigger)', async () => {
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    const before = snapshot(db);
    expect(() => db.prepare("UPDATE teammate_history SET to_value = 'head' WHERE field = 'level'").run()).toThrow(
      /teammate_history is append-only/,
    );
    expect(snapshot(db)).toEqual(before);
  });

  it('refuses an impossible date even when the store is bypassed', async () => {
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    expect(() => db.prepare("UPDATE teammates SET since = '2026-02-30'").run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare("UPDATE teammates SET status = 'gone'").run()).toThrow(/CHECK constraint failed/);
  });

  it('refuses history for a person with no record (foreign key)', () => {
    const { db } = fakeDatabase();
    expect(() =>
      db
        .prepare(
          `INSERT INTO teammate_history (team_id, user_id, field, from_value, to_value, changed_by, changed_at)
           VALUES ('T1', 'U1', 'level', NULL, 'x', 'U2', '2026-01-01T00:00:00.000Z')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY constraint failed/);
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
    const { stores } = fakeDatabase();
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
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    const before = snapshot(db);
    const broken = [...rows.slice(0, 2), { ...rows[2], since: '2025-11-31' }] as typeof rows;
    await expect(async () => await stores.teammates.importMany(broken, ADMIN, LATER)).rejects.toThrow(
      /row 3, since: 2025-11-31 is not a date: November 2025 has 30 days/,
    );
    expect(snapshot(db)).toEqual(before);
  });

  it('refuses the same person twice', async () => {
    const { db, stores } = fakeDatabase();
    const before = snapshot(db);
    await expect(
      async () => await stores.teammates.importMany([rows[0], rows[1], rows[0]] as typeof rows, ADMIN, LATER),
    ).rejects.toThrow(`row 3: ${ALICE} is already in row 1`);
    expect(snapshot(db)).toEqual(before);
  });

  it('rolls back every row when a write fails half-way', async () => {
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    // A temporary trigger makes the third row fail inside SQLite, after two rows were written.
    db.exec(`CREATE TEMP TRIGGER fail_carol BEFORE INSERT ON main.teammates WHEN NEW.user_id = 'U0CAROL'
             BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const changedRows = [{ ...rows[0], levelId: 'coordinator' }, ...rows.slice(1)] as typeof rows;
    const before = snapshot(db);
    await expect(async () => await stores.teammates.importMany(changedRows, ADMIN, LATER)).rejects.toThrow(
      /disk on fire/,
    );
    expect(snapshot(db)).toEqual(before);
    expect((await stores.teammates.get(T, ALICE))?.levelId).toBe('strategist');
    expect(await stores.teammates.get(T, BOB)).toBeNull();
  });
});

describe('lists', () => {
  it('lists a manager’s reports in one workspace, by user id', async () => {
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await stores.teammates.pause(T, ALICE, { start: '2026-03-01', until: '2026-04-15', changedBy: ALICE, at: pauseAt });
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
    const { stores } = fakeDatabase();
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

  it('reads a record without pauses, and nobody, together with their pauses', async () => {
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    expect(await stores.teammates.getWithPauses(T, ALICE)).toEqual({
      record: await stores.teammates.get(T, ALICE),
      pauses: [],
    });
    expect(await stores.teammates.getWithPauses(T, BOB)).toBeNull();
  });

  type Attempt = (s: ReturnType<typeof fakeDatabase>['stores']) => unknown;
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
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await stores.teammates.upsert(aChange({ userId: BOB }));
    await stores.teammates.upsert(aChange({ userId: 'U0LEFT' }));
    await stores.teammates.setStatus(T, 'U0LEFT', { status: 'left', changedBy: 'slack:user_change', at: AT });
    await stores.teammates.upsert(aChange({ userId: 'U0EARLIER' }));
    await stores.teammates.pause(T, 'U0EARLIER', { start: '2026-01-16', changedBy: ADMIN, at: AT });
    await stores.teammates.resume(T, 'U0EARLIER', { on: '2026-02-01', changedBy: ADMIN, at: AT });
    await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt });
    const before = snapshot(db);

    let error: unknown;
    try {
      await attempt(stores);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateConflictError);
    expect((error as StateConflictError).conflict).toBe(conflict);
    expect(snapshot(db)).toEqual(before);
  });

  it('refuses a day back that is not after the first day away', async () => {
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
    await expect(
      async () => await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt }),
    ).rejects.toThrow(TeammateNotFoundError);
  });

  it('allows one running pause per person even when the store is bypassed', async () => {
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await stores.teammates.pause(T, ALICE, { start: '2026-03-01', changedBy: ALICE, at: pauseAt });
    expect(() =>
      db
        .prepare(`INSERT INTO pauses (team_id, user_id, start_date, created_at) VALUES (?, ?, '2026-04-01', ?)`)
        .run(T, ALICE, AT),
    ).toThrow(/UNIQUE constraint failed/);
  });
});

describe('setStatus', () => {
  it('marks someone as left and logs it', async () => {
    const { stores } = fakeDatabase();
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
    const { db, stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    const before = snapshot(db);
    expect(
      (await stores.teammates.setStatus(T, ALICE, { status: 'active', changedBy: ADMIN, at: LATER }))?.status,
    ).toBe('active');
    expect(await stores.teammates.setStatus(T, BOB, { status: 'left', changedBy: ADMIN, at: LATER })).toBeNull();
    expect(snapshot(db)).toEqual(before);
  });

  it('closes a running pause on the UTC date of the change when someone leaves', async () => {
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await expect(
      async () =>
        await stores.teammates.setStatus(T, ALICE, { status: 'paused' as 'active', changedBy: ADMIN, at: LATER }),
    ).rejects.toThrow(InvalidInputError);
  });
});

describe('time zone and nudges', () => {
  it('caches the time zone without touching updatedAt or history', async () => {
    const { stores } = fakeDatabase();
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
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    await expect(async () => await stores.teammates.setTimeZone(T, ALICE, 'Mars/Olympus', LATER)).rejects.toThrow(
      /an IANA time zone/,
    );
    expect(await stores.teammates.setTimeZone(T, BOB, 'UTC', LATER)).toBe(false);
  });

  it('sets the nudge preference', async () => {
    const { stores } = fakeDatabase();
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
    const fake = fakeDatabase();
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
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const before = snapshot(db);

    // 7 history rows + 1 pause + 1 record.
    expect(await stores.teammates.forget(T, ALICE)).toEqual({ deleted: 9 });

    expect(await stores.teammates.get(T, ALICE)).toBeNull();
    expect(await stores.teammates.history(T, ALICE)).toEqual([]);
    expect(await stores.teammates.pauses(T, ALICE)).toEqual([]);
    expect(count('SELECT count(*) AS n FROM teammates')).toBe(3);
    expect(count('SELECT count(*) AS n FROM teammate_history')).toBe(21);
    expect(count('SELECT count(*) AS n FROM pauses')).toBe(3);
    const after = snapshot(db);
    for (const table of ['teammates', 'teammate_history', 'pauses'] as const) {
      const keep = (rows: unknown) =>
        (rows as { team_id: string; user_id: string }[]).filter((r) => !(r.team_id === T && r.user_id === ALICE));
      expect(after[table]).toEqual(keep(before[table]));
    }
  });

  it('deletes nothing for someone without a record', async () => {
    const { db, stores } = await twoPeopleInTwoTeams();
    const before = snapshot(db);
    expect(await stores.teammates.forget(T, 'U0NOBODY')).toEqual({ deleted: 0 });
    expect(snapshot(db)).toEqual(before);
  });
});
