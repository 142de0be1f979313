import { afterEach, describe, expect, it } from 'vitest';
import type { Engine, Sql } from '../../src/db/sql.js';
import { ledgerFacts } from '../../src/reminders/engine.js';
import { MAX_DAY_STARTS, type ReminderStore, SqlReminderStore } from '../../src/store/reminder-ledger.js';
import { unitOfWork } from '../../src/store/unit-of-work.js';
import { engineSnapshot, stampChanged } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { ALICE, AT, BOB, T } from './fixtures.js';

const key = { teamId: T, userId: ALICE, kind: 'heads-up', windowKey: 'marketing/strategist/2026-01-15' };

/** A teammate row written directly (the teammate store is not on the engine port on this branch). */
async function addTeammate(sql: Sql, userId: string, since = '2026-01-15', teamId = T): Promise<void> {
  await sql.run('INSERT INTO workspaces (team_id) VALUES (?) ON CONFLICT (team_id) DO NOTHING', [teamId]);
  await sql.run(
    `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, created_at, updated_at)
     VALUES (?, ?, 'marketing', 'strategist', ?, ?, ?)`,
    [teamId, userId, since, AT, AT],
  );
}

describe.each(engines())('the reminder store on %s', (testEngine) => {
  describe.skipIf(testEngine.skip)('', () => {
    let engine: Engine;
    let reminders: ReminderStore;
    /** Units of work whose repositories are the reminder store alone. */
    let units: ReturnType<typeof unitOfWork<{ reminders: ReminderStore }>>;

    async function open(): Promise<void> {
      engine = await testEngine.open();
      reminders = new SqlReminderStore(engine.sql);
      units = unitOfWork(engine, (sql) => ({ reminders: new SqlReminderStore(sql) }));
    }

    afterEach(async () => {
      await engine?.close();
    });

    it('claims a key once: a second claim (a restart, another instance) gets false', async () => {
      await open();
      expect(await reminders.claim(key, '2026-06-17', AT)).toBe(true);
      expect(await reminders.claim(key, '2026-06-18', AT)).toBe(false);
      expect((await ledgerFacts(reminders, T, ALICE, key.windowKey)).sent).toEqual(new Set(['heads-up']));
    });

    it('allows one reminder a day per person, whatever the kind; a note that does not count is not limited', async () => {
      await open();
      expect(await reminders.claim(key, '2026-07-15', AT)).toBe(true);
      expect(await reminders.claim({ ...key, kind: 'open' }, '2026-07-15', AT)).toBe(false);
      // The manager's note goes with the day's reminder, and does not use up the next day either.
      expect(await reminders.claim({ ...key, kind: 'past-manager' }, '2026-07-15', AT, { perDay: false })).toBe(true);
      expect(await reminders.claim({ ...key, kind: 'open' }, '2026-07-16', AT)).toBe(true);
      expect(await reminders.claim({ ...key, userId: BOB }, '2026-07-15', AT)).toBe(true);
      expect((await ledgerFacts(reminders, T, ALICE, key.windowKey)).lastLocalDate).toBe('2026-07-16');
      expect((await reminders.entries(T, ALICE)).map((e) => [e.kind, e.localDate])).toEqual([
        ['heads-up', '2026-07-15'],
        ['open', '2026-07-16'],
        ['past-manager', '2026-07-15'],
      ]);
    });

    it('a released claim gives the key and the day back; a sent or undeliverable one cannot be released', async () => {
      await open();
      await reminders.claim(key, '2026-06-17', AT);
      await reminders.release(key);
      expect(await reminders.claim({ ...key, kind: 'open' }, '2026-06-17', AT)).toBe(true);
      await reminders.release({ ...key, kind: 'open' });
      expect(await reminders.claim(key, '2026-06-17', AT)).toBe(true);
      await reminders.markSent(key, AT);
      await reminders.release(key);
      expect(await reminders.entries(T, ALICE)).toMatchObject([{ kind: 'heads-up', status: 'sent', sentAt: AT }]);
      const other = { ...key, kind: 'open' };
      await reminders.claim(other, '2026-07-15', AT);
      await reminders.markUndeliverable(other, 'account_inactive', AT);
      await reminders.release(other);
      expect((await reminders.entries(T, ALICE))[1]).toMatchObject({
        status: 'undeliverable',
        error: 'account_inactive',
      });
    });

    it('marks a reminder sent and writes the next plan in one commit', async () => {
      await open();
      await reminders.claim(key, '2026-06-17', AT);
      const next = { teamId: T, userId: ALICE, dueAt: null, kind: null, windowKey: null, plannedAt: AT };
      await reminders.markSent(key, '2026-06-17T09:00:00.000Z', next);
      expect(await reminders.entries(T, ALICE)).toMatchObject([{ status: 'sent', sentAt: '2026-06-17T09:00:00.000Z' }]);
      expect(await reminders.getPlan(T, ALICE)).toEqual({ ...next, attempts: 0, unreachable: null });
    });

    it('marks several reminders sent with their next plans in one commit; a bad one writes none of them', async () => {
      await open();
      const bob = { ...key, userId: BOB };
      await reminders.claim(key, '2026-06-17', AT);
      await reminders.claim(bob, '2026-06-17', AT);
      const next = (userId: string) => ({ teamId: T, userId, dueAt: null, kind: null, windowKey: null, plannedAt: AT });
      const bad = { key: bob, at: 'yesterday', nextPlan: next(BOB) };
      await expect(reminders.markSentMany([{ key, at: AT, nextPlan: next(ALICE) }, bad])).rejects.toThrow();
      expect((await reminders.entries(T, ALICE)).map((e) => e.status)).toEqual(['claimed']);
      expect(await reminders.getPlan(T, ALICE)).toBeNull();
      await reminders.markSentMany([
        { key, at: AT, nextPlan: next(ALICE) },
        { key: bob, at: '2026-06-17T09:00:01.000Z', nextPlan: next(BOB) },
      ]);
      expect(await reminders.entries(T, ALICE)).toMatchObject([{ status: 'sent', sentAt: AT }]);
      expect(await reminders.entries(T, BOB)).toMatchObject([{ status: 'sent', sentAt: '2026-06-17T09:00:01.000Z' }]);
      expect(await reminders.getPlan(T, BOB)).toEqual({ ...next(BOB), attempts: 0, unreachable: null });
    });

    /**
     * Two units of work, each claiming with `claims[i]`. On PostgreSQL both have begun (and read) before
     * either claims, so their transactions truly overlap (the barrier would never open otherwise); SQLite
     * has one writer, so its second unit starts after the first commits.
     */
    async function racingUnits(claims: ((r: ReminderStore) => Promise<boolean>)[]): Promise<boolean[]> {
      let arrived = 0;
      let go!: () => void;
      const allIn = new Promise<void>((resolve) => {
        go = resolve;
      });
      const attempt = (claim: (r: ReminderStore) => Promise<boolean>) =>
        units.run(async ({ reminders: r }) => {
          await r.getPlan(T, ALICE);
          if (++arrived === claims.length) go();
          await allIn;
          return claim(r);
        });
      if (testEngine.name === 'postgres') return Promise.all(claims.map(attempt));
      go();
      const outcomes: boolean[] = [];
      for (const claim of claims) outcomes.push(await attempt(claim));
      return outcomes;
    }

    it('two concurrent units claiming the same reminder: exactly one wins, and only it would send', async () => {
      await open();
      const claim = (r: ReminderStore) => r.claim(key, '2026-06-17', AT);
      expect((await racingUnits([claim, claim])).filter(Boolean)).toHaveLength(1);
      expect(await reminders.entries(T, ALICE)).toHaveLength(1);
    });

    it('two concurrent units claiming different reminders for one person on one day: exactly one wins', async () => {
      await open();
      const claim = (kind: string) => (r: ReminderStore) => r.claim({ ...key, kind }, '2026-07-15', AT);
      expect((await racingUnits([claim('heads-up'), claim('open')])).filter(Boolean)).toHaveLength(1);
      expect((await reminders.entries(T, ALICE)).map((e) => e.localDate)).toEqual(['2026-07-15']);
    });

    it('claims racing on their own (as ticks on several instances claim, each its own commit): one a day wins', async () => {
      await open();
      const kinds = ['heads-up', 'open', 'checkin-1', 'checkin-2', 'past'];
      // On PostgreSQL each claim takes its own pooled connection: they run at the same time.
      const outcomes = await Promise.all(kinds.map((kind) => reminders.claim({ ...key, kind }, '2026-07-15', AT)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await reminders.entries(T, ALICE)).toHaveLength(1);
    });

    it('reads what is due, earliest first, and counts and samples a workspace for previews', async () => {
      await open();
      const plan = (userId: string, dueAt: string | null, kind = 'open') =>
        reminders.setPlan({ teamId: T, userId, dueAt, kind, windowKey: 'w', plannedAt: AT });
      await plan('U1', '2026-07-15T10:00:00.000Z');
      await plan('U2', '2026-07-14T10:00:00.000Z', 'checkin-2');
      await plan('U3', null);
      await plan('U4', '2026-07-16T10:00:00.000Z', 'checkin-1');
      expect((await reminders.due('2026-07-15T10:00:00Z', 10)).map((r) => r.userId)).toEqual(['U2', 'U1']);
      expect((await reminders.due('2026-07-15T10:00:00Z', 1)).map((r) => r.userId)).toEqual(['U2']);
      expect(
        (await reminders.dueBetween('2026-07-15T00:00:00Z', '2026-07-17T00:00:00Z', 10)).map((r) => r.userId),
      ).toEqual(['U1', 'U4']);
      const counts = await reminders.dueCounts(T, '2026-07-20T00:00:00Z', [
        '2026-07-15T00:00:00.000Z',
        '2026-07-16T00:00:00.000Z',
      ]);
      expect(counts.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        { kind: 'checkin-1', day: 2, count: 1 },
        { kind: 'checkin-2', day: 0, count: 1 },
        { kind: 'open', day: 1, count: 1 },
      ]);
      const tooMany = Array.from({ length: MAX_DAY_STARTS + 1 }, () => '2026-07-15T00:00:00.000Z');
      await expect(reminders.dueCounts(T, '2026-07-20T00:00:00Z', tooMany)).rejects.toThrow(RangeError);
      expect(await reminders.dueSample(T, '2026-07-20T00:00:00Z', 'checkin-%', 10)).toEqual(['U2', 'U4']);
      expect(await reminders.dueSample(T, '2026-07-20T00:00:00Z', 'open', 10)).toEqual(['U1']);
    });

    it('pages through changed teammates by (change_seq, team, user), many sharing a number, later ones after', async () => {
      await open();
      for (const userId of ['U3', 'U1', 'U2']) await addTeammate(engine.sql, userId);
      await stampChanged(engine, T, ['U1', 'U2', 'U3']);
      const first = await reminders.changedSince(null, 2);
      expect(first.map((r) => r.userId)).toEqual(['U1', 'U2']);
      const last = first[1] ?? null;
      expect((await reminders.changedSince(last, 2)).map((r) => r.userId)).toEqual(['U3']);
      const end = (await reminders.changedSince(last, 2))[0] ?? null;
      expect(await reminders.changedSince(end, 2)).toEqual([]);
      // A later change to the first of them comes after the cursor, whatever its timestamps say.
      const seq = await stampChanged(engine, T, ['U1']);
      expect(await reminders.changedSince(end, 2)).toEqual([{ seq, teamId: T, userId: 'U1' }]);
    });

    it('forgetting a person deletes their plan and ledger rows, and no one else’s', async () => {
      await open();
      await reminders.claim(key, '2026-06-17', AT);
      await reminders.claim({ ...key, kind: 'open' }, '2026-06-18', AT);
      await reminders.claim({ ...key, userId: BOB }, '2026-06-17', AT);
      for (const userId of [ALICE, BOB])
        await reminders.setPlan({ teamId: T, userId, dueAt: null, kind: null, windowKey: null, plannedAt: AT });
      expect(await reminders.forget(T, ALICE)).toBe(3);
      expect(await reminders.entries(T, ALICE)).toEqual([]);
      expect(await reminders.getPlan(T, ALICE)).toBeNull();
      expect(await reminders.entries(T, BOB)).toHaveLength(1);
      expect(await reminders.getPlan(T, BOB)).not.toBeNull();
      expect(await reminders.forget(T, ALICE)).toBe(0);
    });

    it("prunes old rows of past windows in key order, keeping the person's current window", async () => {
      await open();
      await addTeammate(engine.sql, ALICE, '2026-01-15');
      const old = { ...key, windowKey: 'marketing/strategist/2020-01-01' };
      await reminders.claim(key, '2020-01-02', '2020-01-02T09:00:00.000Z');
      await reminders.claim(old, '2020-01-03', '2020-01-03T09:00:00.000Z');
      await reminders.claim({ ...old, userId: BOB }, '2020-01-03', '2020-01-03T09:00:00.000Z');
      const first = await reminders.pruneLedger('2021-01-01T00:00:00.000Z', null, 2);
      expect(first).toEqual({ deleted: 1, next: key });
      expect(await reminders.pruneLedger('2021-01-01T00:00:00.000Z', first.next, 2)).toEqual({
        deleted: 1,
        next: { ...old, userId: BOB },
      });
      expect(await reminders.entries(T, ALICE)).toMatchObject([{ windowKey: key.windowKey }]);
      expect(await reminders.entries(T, BOB)).toEqual([]);
    });

    it('keeps named state', async () => {
      await open();
      expect(await reminders.getState('catalog')).toBeNull();
      await reminders.setState('catalog', 'a');
      await reminders.setState('catalog', 'b');
      expect(await reminders.getState('catalog')).toBe('b');
    });

    it('refuses a malformed key or plan before writing: the database is as it was', async () => {
      await open();
      const before = await engineSnapshot(engine);
      await expect(reminders.claim({ ...key, kind: 'Heads Up' }, '2026-06-17', AT)).rejects.toThrow(/reminder kind/);
      await expect(reminders.claim(key, '2026-02-30', AT)).rejects.toThrow();
      await expect(
        reminders.setPlans([
          { teamId: T, userId: ALICE, dueAt: null, kind: null, windowKey: null, plannedAt: AT },
          { teamId: T, userId: BOB, dueAt: 'soon', kind: null, windowKey: null, plannedAt: AT },
        ]),
      ).rejects.toThrow();
      expect(await engineSnapshot(engine)).toEqual(before);
    });
  });
});
