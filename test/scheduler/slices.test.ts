import { describe, expect, it, vi } from 'vitest';
import { EXPIRY_BATCH } from '../../src/checkins/service.js';
import { runMaintenance, SETTLE_BATCH } from '../../src/scheduler/maintenance.js';
import { expireIdleCheckins } from '../../src/slack/checkins.js';
import { SqlCheckinStore } from '../../src/store/index.js';
import { ADMIN, fakeDatabase, T } from '../store/fixtures.js';
import { FakeClock, startTestApp } from '../support/app.js';
import { replaceMethod } from '../support/db.js';

/**
 * Maintenance and check-in expiry at scale: everything due is done in one run, read in bounded slices
 * with a turn of the event loop between them. Counts are asserted (statements, slices), never times.
 */

const user = (i: number) => `U0P${String(i).padStart(7, '0')}`;

/** Records the order of the job's reads and of the event loop's turns while it runs. */
function loopTurns(order: string[]): void {
  const loop = () => {
    order.push('loop');
    if (order.length < 40) setImmediate(loop);
  };
  setImmediate(loop);
}

describe('maintenance', () => {
  it('settles every ended pause in one run, in slices that yield to the event loop', async () => {
    const { stores } = fakeDatabase();
    const clock = new FakeClock('2026-06-01T12:00:00Z');
    const count = 2 * SETTLE_BATCH + 7;
    for (let i = 0; i < count; i++) {
      const at = '2026-05-01T00:00:00.000Z';
      await stores.teammates.upsert({
        teamId: T,
        userId: user(i),
        frameworkId: 'marketing',
        levelId: 'level-2',
        since: '2026-01-15',
        changedBy: ADMIN,
        at,
      });
      await stores.teammates.pause(T, user(i), { start: '2026-05-01', until: '2026-05-20', changedBy: user(i), at });
    }
    const order: string[] = [];
    // On the class: maintenance reads through the stores of its unit of work.
    const counting = replaceMethod(
      stores.teammates,
      'pausedWithReturnBy',
      (read) =>
        async function (this: unknown, ...args: unknown[]) {
          const rows = (await read.apply(this, args)) as unknown[];
          order.push(`read ${rows.length}`);
          return rows;
        },
    );
    loopTurns(order);
    expect((await runMaintenance({ ...stores, clock })).pausesSettled).toBe(count);
    counting.restore();
    expect(order.slice(0, 5)).toEqual([`read ${SETTLE_BATCH}`, 'loop', `read ${SETTLE_BATCH}`, 'loop', 'read 7']);
    expect((await stores.teammates.get(T, user(0)))?.status).toBe('active');
  });
});

describe('check-in expiry', () => {
  it('expires every idle check-in in one run, in slices that yield, telling each person once', async () => {
    const t = await startTestApp({ now: '2026-06-01T12:00:00Z' });
    let cleanup = () => {};
    try {
      const count = 2 * EXPIRY_BATCH + 3;
      const insert = t.db.prepare(
        `INSERT INTO checkins (team_id, user_id, framework_id, level_id, status, version, cursor, question_count,
           started_at, last_activity_at) VALUES (?, ?, 'marketing', 'level-2', 'open', 1, 0, 1, ?, ?)`,
      );
      const at = '2026-05-01T00:00:00.000Z';
      await t.ctx.stores.unitOfWork.run(async (repos) => {
        for (let i = 0; i < count; i++) {
          await repos.teammates.upsert({
            teamId: t.api.teamId,
            userId: user(i),
            frameworkId: 'marketing',
            levelId: 'level-2',
            since: '2026-01-15',
            changedBy: ADMIN,
            at,
          });
          insert.run(t.api.teamId, user(i), at, at);
        }
      });
      const order: string[] = [];
      // On the class: each slice is a unit of work with check-in repositories of its own.
      const read = SqlCheckinStore.prototype.openIdleSince;
      const spy = vi.spyOn(SqlCheckinStore.prototype, 'openIdleSince').mockImplementation(async function (
        this: SqlCheckinStore,
        before,
        page,
      ) {
        const rows = await read.call(this, before, page);
        order.push(`read ${rows.length}`);
        return rows;
      });
      cleanup = () => spy.mockRestore();
      t.api.reset();
      loopTurns(order);
      expect(await expireIdleCheckins(t.slack.services)).toBe(count);
      expect(order.filter((o) => o.startsWith('read'))).toEqual([
        `read ${EXPIRY_BATCH}`,
        `read ${EXPIRY_BATCH}`,
        'read 3',
      ]);
      expect(order.indexOf('read 3')).toBeGreaterThan(order.indexOf('loop'));
      const told = t.api.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args.channel);
      expect(new Set(told).size).toBe(count);
      expect(told).toHaveLength(count);
      expect(t.db.prepare("SELECT count(*) AS n FROM checkins WHERE status = 'open'").get()).toEqual({ n: 0 });
    } finally {
      cleanup();
      await t.stop();
    }
  });
});
