import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/sql.js';
import { CHANGE_SLICE, followRecordChanges, type GrowthTickDeps } from '../../src/growth/tick.js';
import type { Stores } from '../../src/store/index.js';
import { engineSnapshot, stampChanged } from '../support/db.js';
import { engines, freshStoresEach } from '../support/postgres.js';
import { ALICE, AT, aChange, BOB, fakeDatabase, LATER, MANAGER, T } from './fixtures.js';

const channel = {
  teamId: T,
  channelId: 'C0GROWTH01',
  weekday: 5,
  time: '10:00',
  tz: 'Europe/Paris',
  setBy: 'U0ADMIN',
  setAt: AT,
};

const LENA = 'U0LENA';
const MIKE = 'U0MIKE';
const NORA = 'U0NORA';
const DUE = '2026-03-02T09:00:00.000Z';

interface Person {
  userId: string;
  managerId?: string | null;
  status?: 'active' | 'left';
  tz?: string | null;
  tzFetchedAt?: string | null;
  nudges?: 'dm' | 'off';
}

/**
 * Teammate records written with SQL, the same on both engines (the teammate store is not on the engine
 * port on this branch). Unstamped (change_seq 0), as a record written before the change sequence.
 */
async function insertTeammates(engine: Engine, people: readonly Person[]): Promise<void> {
  await engine.transaction(async (sql) => {
    await sql.run('INSERT INTO workspaces (team_id) VALUES (?) ON CONFLICT (team_id) DO NOTHING', [T]);
    for (const p of people) {
      await sql.run(
        `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, manager_id, status, tz, tz_fetched_at,
           nudges, created_at, updated_at) VALUES (?, ?, 'marketing', 'level-2', '2026-01-15', ?, ?, ?, ?, ?, ?, ?)`,
        [
          T,
          p.userId,
          p.managerId ?? null,
          p.status ?? 'active',
          p.tz ?? null,
          p.tzFetchedAt ?? null,
          p.nudges ?? 'dm',
          AT,
          AT,
        ],
      );
    }
  });
}

interface PlanRow {
  manager_id: string;
  due_at: string;
  tz: string | null;
  tz_fetched_at: string | null;
}

const planOf = (engine: Engine): Promise<PlanRow[]> =>
  engine.sql.all<PlanRow>('SELECT manager_id, due_at, tz, tz_fetched_at FROM digest_plan ORDER BY manager_id');

/** Resolves when `open` is called; `release` lets the holder go on. */
function gate(): { reached: Promise<void>; reach: () => void; released: Promise<void>; release: () => void } {
  let reach!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((r) => {
    reach = r;
  });
  const released = new Promise<void>((r) => {
    release = r;
  });
  return { reached, reach, released, release };
}

describe.each(engines())('the growth store on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });

    it('keeps one growth channel per workspace, replaced when set again, and clears it', async () => {
      const growth = stores.growth;
      expect(await growth.channel(T)).toBeNull();
      await growth.setChannel(channel);
      await growth.setChannel({ ...channel, channelId: 'C0OTHER001', weekday: 1, time: '09:30' });
      expect(await growth.channel(T)).toEqual({ ...channel, channelId: 'C0OTHER001', weekday: 1, time: '09:30' });
      expect(await growth.channels()).toHaveLength(1);
      expect(await growth.clearChannel(T)).toBe(true);
      expect(await growth.clearChannel(T)).toBe(false);
    });

    it.each([
      ['a weekday of 8', { weekday: 8 }],
      ['a time of 24:00', { time: '24:00' }],
      ['a user id as the channel', { channelId: 'U0ALICE' }],
      ['an unknown zone', { tz: 'Mars/Olympus' }],
    ])('refuses %s and writes nothing', async (_, bad) => {
      await stores.growth.setChannel(channel);
      const before = await engineSnapshot(db);
      await expect(stores.growth.setChannel({ ...channel, ...bad })).rejects.toThrow();
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it('preferences default to optional reminders on and no celebration', async () => {
      expect(await stores.growth.preferences(T, ALICE)).toEqual({
        optionalNudges: 'on',
        celebrate: false,
        digest: 'on',
      });
      await stores.growth.setCelebrate(T, ALICE, true, AT);
      await stores.growth.setOptionalNudges(T, ALICE, false, AT);
      await stores.growth.setDigest(T, ALICE, false, AT);
      expect(await stores.growth.preferences(T, ALICE)).toEqual({
        optionalNudges: 'off',
        celebrate: true,
        digest: 'off',
      });
      expect(await stores.growth.celebrating(T)).toEqual([ALICE]);
      await stores.growth.setCelebrate(T, ALICE, false, LATER);
      expect(await stores.growth.celebrating(T)).toEqual([]);
    });

    it('claims a week once; a released claim can be taken again, a sent one cannot', async () => {
      const key = { teamId: T, kind: 'digest' as const, subject: MANAGER, week: '2026-W25' };
      expect(await stores.growth.weekTaken(key)).toBe(false);
      expect(await stores.growth.claimWeek(key, AT)).toBe(true);
      expect(await stores.growth.weekTaken(key)).toBe(true);
      expect(await stores.growth.claimWeek(key, AT)).toBe(false);
      await stores.growth.releaseWeek(key);
      expect(await stores.growth.claimWeek(key, AT)).toBe(true);
      await stores.growth.markWeek(key, { ok: true }, LATER);
      await stores.growth.releaseWeek(key);
      expect(await stores.growth.weekEntries(T)).toEqual([
        { ...key, status: 'sent', claimedAt: AT, sentAt: LATER, error: null },
      ]);
      expect(await stores.growth.claimWeek({ ...key, week: '2026-W26' }, AT)).toBe(true);
      await expect(stores.growth.claimWeek({ ...key, week: '2026-W60' }, AT)).rejects.toThrow(/ISO week/);
    });

    it("gives one week's digest to exactly one of two instances claiming it at once", async () => {
      const key = { teamId: T, kind: 'digest' as const, subject: MANAGER, week: '2026-W25' };
      const first = gate();
      // The first claim's transaction stays open while the second claims: on PostgreSQL the second waits
      // for it on the unique key, then finds the week taken (or is retried whole and finds it then).
      const a = stores.unitOfWork.run(async ({ growth }) => {
        const won = await growth.claimWeek(key, AT);
        first.reach();
        await first.released;
        return won;
      });
      await first.reached;
      const b = stores.unitOfWork.run(({ growth }) => growth.claimWeek(key, LATER));
      setTimeout(first.release, 50);
      expect([await a, await b]).toEqual([true, false]);
      expect(await stores.growth.weekEntries(T)).toMatchObject([{ claimedAt: AT, status: 'claimed' }]);
    });

    it('takes due digests once: two instances taking at once share them without overlap', async () => {
      const managers = Array.from({ length: 20 }, (_, i) => `U0M${String(i).padStart(4, '0')}`);
      await db.transaction(async (sql) => {
        for (const m of managers) await sql.run('INSERT INTO digest_plan (team_id, manager_id) VALUES (?, ?)', [T, m]);
      });
      await stores.growth.planDigests(managers.slice(15).map((managerId) => ({ teamId: T, managerId, dueAt: LATER })));
      const now = '2026-03-01T00:00:00.000Z';
      const until = '2026-03-01T00:15:00.000Z';
      const first = gate();
      const a = stores.unitOfWork.run(async ({ growth }) => {
        const rows = await growth.claimDueDigests(now, until, 15);
        first.reach();
        await first.released;
        return rows;
      });
      await first.reached;
      const b = stores.growth.claimDueDigests(now, until, 15);
      // PostgreSQL: the second skips the rows the first holds and answers before it commits.
      if (db.dialect === 'postgres') await b;
      first.release();
      const [taken, other] = [await a, await b];
      // Unplanned ones first: the first instance took those 15.
      expect(taken.map((r) => r.managerId)).toEqual(managers.slice(0, 15));
      expect(other.map((r) => r.managerId)).toEqual(managers.slice(15));
      expect(taken[0]).toEqual({ teamId: T, managerId: managers[0], dueAt: until, tz: null, tzKnown: false });
      expect(await stores.growth.claimDueDigests(now, until, 15)).toEqual([]);
      // Due again at `until` if nobody planned them meanwhile.
      expect(await stores.growth.claimDueDigests(until, '2026-03-01T00:30:00.000Z', 50)).toHaveLength(20);
    });

    it('turning a digest on or off re-plans the manager at the next tick, in one transaction', async () => {
      await insertTeammates(db, [{ userId: ALICE, managerId: LENA }]);
      await followRecordChanges(stores);
      await stores.growth.planDigests([{ teamId: T, managerId: LENA, dueAt: DUE }]);
      await stores.growth.setDigest(T, LENA, false, AT);
      expect((await stores.growth.preferences(T, LENA)).digest).toBe('off');
      expect((await planOf(db)).map((p) => p.due_at)).toEqual(['']);
      await stores.growth.planDigests([{ teamId: T, managerId: LENA, dueAt: DUE }]);
      await stores.growth.setDigest(T, LENA, true, LATER);
      expect((await stores.growth.preferences(T, LENA)).digest).toBe('on');
      expect((await planOf(db)).map((p) => p.due_at)).toEqual(['']);
      // Someone who manages nobody keeps the setting for when they do; no plan row is made.
      await stores.growth.setDigest(T, NORA, false, LATER);
      expect((await stores.growth.preferences(T, NORA)).digest).toBe('off');
      expect((await planOf(db)).map((p) => p.manager_id)).toEqual([LENA]);
    });

    it('keeps the zone Slack gave a manager and re-plans them only when asked', async () => {
      await insertTeammates(db, [{ userId: ALICE, managerId: LENA }]);
      await followRecordChanges(stores);
      await stores.growth.planDigests([{ teamId: T, managerId: LENA, dueAt: DUE }]);
      expect(await stores.growth.rememberDigestZone(T, LENA, 'Asia/Tokyo', AT)).toBe(true);
      expect(await planOf(db)).toEqual([{ manager_id: LENA, due_at: DUE, tz: 'Asia/Tokyo', tz_fetched_at: AT }]);
      expect(await stores.growth.rememberDigestZone(T, LENA, 'Asia/Tokyo', LATER, { replan: true })).toBe(false);
      expect(await stores.growth.rememberDigestZone(T, LENA, null, LATER, { replan: true })).toBe(true);
      expect(await planOf(db)).toEqual([{ manager_id: LENA, due_at: '', tz: null, tz_fetched_at: LATER }]);
      expect(await stores.growth.rememberDigestZone(T, LENA, null, LATER)).toBe(false);
      expect(await stores.growth.rememberDigestZone(T, NORA, 'Asia/Tokyo', LATER)).toBe(false);
      await expect(stores.growth.rememberDigestZone(T, LENA, 'Mars/Olympus', LATER)).rejects.toThrow();
      await stores.growth.dropDigest(T, LENA);
      expect(await planOf(db)).toEqual([]);
    });

    it('forgets a person: their preferences, the digests sent to them and the zone kept for them', async () => {
      await insertTeammates(db, [{ userId: BOB, managerId: ALICE }]);
      await followRecordChanges(stores);
      await stores.growth.rememberDigestZone(T, ALICE, 'Asia/Tokyo', AT);
      await stores.growth.planDigests([{ teamId: T, managerId: ALICE, dueAt: DUE }]);
      await stores.growth.setCelebrate(T, ALICE, true, AT);
      await stores.growth.setCelebrate(T, BOB, true, AT);
      for (const week of ['2026-W25', '2026-W26']) {
        await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: ALICE, week }, AT);
      }
      await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: MANAGER, week: '2026-W25' }, AT);
      await stores.growth.claimWeek({ teamId: T, kind: 'channel', subject: 'C0GROWTH01', week: '2026-W25' }, AT);

      expect(await stores.growth.forget(T, ALICE)).toBe(4);
      expect(await stores.growth.preferences(T, ALICE)).toEqual({
        optionalNudges: 'on',
        celebrate: false,
        digest: 'on',
      });
      expect(await stores.growth.celebrating(T)).toEqual([BOB]);
      expect((await stores.growth.weekEntries(T)).map((e) => `${e.kind} ${e.subject}`).sort()).toEqual([
        'channel C0GROWTH01',
        `digest ${MANAGER}`,
      ]);
      // Bob still reports to her: she stays planned, due at once, and Slack is asked for her zone again.
      expect(await planOf(db)).toEqual([{ manager_id: ALICE, due_at: '', tz: null, tz_fetched_at: null }]);
      const before = await engineSnapshot(db);
      expect(await stores.growth.forget(T, NORA)).toBe(0);
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it('prunes weekly sends claimed before the cut-off, a slice of the key at a time', async () => {
      const weeks = ['2026-W01', '2026-W02', '2026-W03', '2026-W04', '2026-W05'];
      for (const [i, week] of weeks.entries()) {
        await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: ALICE, week }, i < 3 ? AT : LATER);
      }
      const first = await stores.growth.pruneWeeks(LATER, null, 2);
      expect(first).toEqual({ deleted: 2, next: { teamId: T, kind: 'digest', subject: ALICE, week: '2026-W02' } });
      const second = await stores.growth.pruneWeeks(LATER, first.next, 2);
      expect(second).toMatchObject({ deleted: 1, next: { week: '2026-W04' } });
      expect(await stores.growth.pruneWeeks(LATER, second.next, 2)).toMatchObject({
        deleted: 0,
        next: { week: '2026-W05' },
      });
      expect(
        await stores.growth.pruneWeeks(LATER, { teamId: T, kind: 'digest', subject: ALICE, week: '2026-W05' }, 2),
      ).toEqual({ deleted: 0, next: null });
      expect((await stores.growth.weekEntries(T)).map((e) => e.week)).toEqual(['2026-W04', '2026-W05']);
    });

    it('pages through managers of record with whether they manage anyone, their zone, digest switch and sent weeks', async () => {
      await insertTeammates(db, [
        // Her own reminders are off: her digest is not (it has its own switch).
        { userId: LENA, tz: 'Europe/London', tzFetchedAt: AT, nudges: 'off' },
        { userId: 'U0R1', managerId: LENA },
        { userId: 'U0R2', managerId: LENA },
        { userId: 'U0R3', managerId: MIKE, status: 'left' },
        { userId: 'U0R4', managerId: NORA },
      ]);
      await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: LENA, week: '2026-W09' }, AT);
      await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: LENA, week: '2026-W11' }, AT);
      await stores.growth.claimWeek({ teamId: T, kind: 'digest', subject: NORA, week: '2026-W10' }, AT);
      await stores.growth.setDigest(T, NORA, false, AT);
      const weeks = ['2026-W09', '2026-W10'];
      expect(await stores.growth.managerPage(T, '', 2, weeks)).toEqual([
        { managerId: LENA, managing: true, tz: 'Europe/London', digest: 'on', weeks: ['2026-W09'] },
        { managerId: MIKE, managing: false, tz: null, digest: 'on', weeks: [] },
      ]);
      expect(await stores.growth.managerPage(T, MIKE, 2, weeks)).toEqual([
        { managerId: NORA, managing: true, tz: null, digest: 'off', weeks: ['2026-W10'] },
      ]);
      expect(await stores.growth.managerPage('T0OTHER', '', 2, weeks)).toEqual([]);
      await expect(stores.growth.managerPage(T, '', 2, ['a', 'b', 'c', 'd'])).rejects.toThrow(/at most 3 weeks/);
    });

    describe('the digest plan follows the teammates change sequence', () => {
      it('plans every manager of record on its first run, then only what changed', async () => {
        await insertTeammates(db, [
          { userId: LENA, tz: 'Europe/London', tzFetchedAt: AT },
          { userId: 'U0R1', managerId: LENA },
          { userId: 'U0R2', managerId: LENA },
          { userId: 'U0R3', managerId: MIKE, status: 'left' },
          { userId: 'U0R4', managerId: NORA },
        ]);
        expect(await stores.growth.digestCursor()).toBeNull();
        expect(await followRecordChanges(stores)).toBe(5);
        // Mike's only report left: not a manager of record. The plan asks Slack or the record for zones.
        expect(await planOf(db)).toEqual([
          { manager_id: LENA, due_at: '', tz: null, tz_fetched_at: null },
          { manager_id: NORA, due_at: '', tz: null, tz_fetched_at: null },
        ]);
        expect(await stores.growth.digestCursor()).toEqual({ seq: 0, teamId: T, userId: 'U0R4' });
        expect(await followRecordChanges(stores)).toBe(0);
      });

      it('picks up a new manager, a manager`s changed zone, and their nudges off and on; an unchanged zone stays planned', async () => {
        await insertTeammates(db, [
          { userId: LENA, tz: 'Europe/London', tzFetchedAt: AT },
          { userId: 'U0R1', managerId: LENA },
        ]);
        await followRecordChanges(stores);
        const planned = () => stores.growth.planDigests([{ teamId: T, managerId: LENA, dueAt: DUE }]);
        await planned();

        // A new manager: someone now reports to Mike.
        await insertTeammates(db, [{ userId: 'U0R2', managerId: MIKE }]);
        await stampChanged(db, T, ['U0R2']);
        expect(await followRecordChanges(stores)).toBe(1);
        expect(await planOf(db)).toEqual([
          { manager_id: LENA, due_at: DUE, tz: null, tz_fetched_at: null },
          { manager_id: MIKE, due_at: '', tz: null, tz_fetched_at: null },
        ]);

        // Lena's record is seen as a planned manager's: her zone is taken and she is planned again.
        await stampChanged(db, T, [LENA]);
        expect(await followRecordChanges(stores)).toBe(1);
        expect((await planOf(db))[0]).toEqual({ manager_id: LENA, due_at: '', tz: 'Europe/London', tz_fetched_at: AT });
        await planned();

        // Another change to her record (a new level) with the same zone: her plan stands.
        await db.sql.run("UPDATE teammates SET level_id = 'level-3' WHERE user_id = ?", [LENA]);
        await stampChanged(db, T, [LENA]);
        expect(await followRecordChanges(stores)).toBe(1);
        expect((await planOf(db))[0]).toMatchObject({ due_at: DUE, tz: 'Europe/London' });

        // She moves to Tokyo.
        await db.sql.run("UPDATE teammates SET tz = 'Asia/Tokyo', tz_fetched_at = ? WHERE user_id = ?", [LATER, LENA]);
        await stampChanged(db, T, [LENA]);
        await followRecordChanges(stores);
        expect((await planOf(db))[0]).toEqual({ manager_id: LENA, due_at: '', tz: 'Asia/Tokyo', tz_fetched_at: LATER });
        await planned();

        // Nudges off, then on again: planned again each time.
        for (const nudges of ['off', 'dm']) {
          await db.sql.run('UPDATE teammates SET nudges = ? WHERE user_id = ?', [nudges, LENA]);
          await stampChanged(db, T, [LENA]);
          await followRecordChanges(stores);
          expect((await planOf(db))[0], nudges).toMatchObject({ due_at: '', tz: 'Asia/Tokyo' });
          await planned();
        }

        // A zone Slack gave the plan later than the record's is kept when the record changes otherwise.
        await stores.growth.rememberDigestZone(T, LENA, 'Europe/Paris', '2026-02-10T00:00:00.000Z');
        await db.sql.run("UPDATE teammates SET level_id = 'level-4' WHERE user_id = ?", [LENA]);
        await stampChanged(db, T, [LENA]);
        await followRecordChanges(stores);
        expect((await planOf(db))[0]).toMatchObject({ due_at: DUE, tz: 'Europe/Paris' });
        expect(await followRecordChanges(stores)).toBe(0);
      });

      it('reads the changes in slices, each one transaction, and none again', async () => {
        const reports = Array.from({ length: 2 * CHANGE_SLICE + 10 }, (_, i) => ({
          userId: `U0R${String(i).padStart(5, '0')}`,
          managerId: `U0M${String(i % 7).padStart(5, '0')}`,
        }));
        await insertTeammates(db, reports);
        let units = 0;
        const counting: Pick<GrowthTickDeps, 'growth' | 'unitOfWork'> = {
          growth: stores.growth,
          unitOfWork: {
            run: (work, options) => {
              units++;
              return stores.unitOfWork.run(work, options);
            },
          },
        };
        expect(await followRecordChanges(counting)).toBe(reports.length);
        expect(units).toBe(3);
        expect(await planOf(db)).toHaveLength(7);
        // Nothing changed since: no transaction at all.
        units = 0;
        expect(await followRecordChanges(counting)).toBe(0);
        expect(units).toBe(0);
      });
    });
  });
});

describe('check-in counts', () => {
  async function finishOne(stores: ReturnType<typeof fakeDatabase>['stores'], at: string): Promise<number> {
    const c = await stores.checkins.create({
      teamId: T,
      userId: ALICE,
      frameworkId: 'marketing',
      levelId: 'level-2',
      targetLevelId: 'level-3',
      questions: [{ levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'E1' }],
      at,
    });
    await stores.checkins.apply(T, c.id, { kind: 'answer', version: 1, rating: 'consistently', at });
    return c.id;
  }

  it('counts only check-ins shared with the given manager, and the latest one waiting for their ratings', async () => {
    const { stores } = fakeDatabase();
    await stores.teammates.upsert(aChange());
    expect(await stores.checkins.sharedWith(T, ALICE, MANAGER)).toEqual({
      shared: 0,
      lastSharedAt: null,
      awaiting: null,
    });
    const first = await finishOne(stores, AT);
    const second = await finishOne(stores, LATER);
    await stores.checkins.share(T, first, MANAGER, LATER);
    // An open one is not counted.
    await stores.checkins.create({
      teamId: T,
      userId: ALICE,
      frameworkId: 'marketing',
      levelId: 'level-2',
      targetLevelId: null,
      questions: [{ levelId: 'level-2', levelNumber: 2, levelTitle: 'Strategist', expectationId: 'e1', text: 'E1' }],
      at: LATER,
    });
    // Two finished, one shared: the one Alice kept to herself is not counted.
    expect(await stores.checkins.sharedWith(T, ALICE, MANAGER)).toEqual({
      shared: 1,
      lastSharedAt: LATER,
      awaiting: { id: first, sharedAt: LATER },
    });
    expect(await stores.checkins.sharedWith(T, ALICE, 'U0OTHERBOSS')).toMatchObject({ shared: 0, awaiting: null });
    expect(second).not.toBe(first);
  });
});
