import { describe, expect, it } from 'vitest';
import { DIGEST_BATCH, followRecordChanges, runGrowthTick } from '../../src/growth/tick.js';
import { growthTickDeps } from '../../src/jobs.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import type { ReminderSender } from '../../src/reminders/engine.js';
import { type DigestPlanRow, GROWTH_SQL } from '../../src/store/growth.js';
import { appsAt, type TestApp } from '../support/app.js';

/**
 * The weekly tick's digests at scale: read through the digest plan's index (db/011), in batches that
 * yield to the event loop, each manager at most once a tick, and Slack asked for a zone at most once
 * per manager. Counts are asserted (rows read, statements, calls), never times.
 */

const ADMIN = 'U0ADMIN001';
// A manager with a record and a zone: never looked up.
const LENA = 'U0LENA0001';
// A manager with no record of their own: Slack says New York.
const NORA = 'U0NORA0001';
// A manager whose record has no zone: Slack says Tokyo.
const TARO = 'U0TARO0001';
const REPORTS = ['U0REPA0001', 'U0REPB0001', 'U0REPC0001'];
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi', tz: 'Europe/Paris' },
  { id: LENA, name: 'lena', tz: 'Europe/London' },
  { id: NORA, name: 'nora', tz: 'America/New_York' },
  { id: TARO, name: 'taro', tz: 'Asia/Tokyo' },
  ...REPORTS.map((id) => ({ id, name: id.toLowerCase() })),
];

const start = appsAt({ users: USERS, admins: [ADMIN] });

/**
 * Marketing level 2 since 5 February 2026: the window (6–12 months) opens on Wednesday 5 August 2026, in
 * ISO week 2026-W32, so each manager's digest of that week has something for them, and the next week none.
 */
const SINCE = '2026-02-05';

async function record(
  t: TestApp,
  userId: string,
  managerId: string | null,
  tz: string | null = null,
  teammates = t.ctx.stores.teammates,
): Promise<void> {
  const at = t.clock.now().toISOString();
  await teammates.upsert({
    teamId: t.api.teamId,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    since: SINCE,
    managerId,
    changedBy: ADMIN,
    at,
  });
  if (tz) await teammates.setTimeZone(t.api.teamId, userId, tz, at);
}

function tickDeps(t: TestApp, sender?: ReminderSender) {
  const deps = growthTickDeps(t.slack.services, { warn: () => undefined, error: (...a) => t.errors.push(a) });
  return sender ? { ...deps, sender } : deps;
}

const digestsTo = (t: TestApp, user: string) =>
  t.api.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.args.channel === `D${user}` &&
      String(c.args.text).startsWith('Your team this week') &&
      c.response?.ok === true,
  );

describe('the digest plan', () => {
  it('reads managers in batches through its index and yields to the event loop between batches', async () => {
    const t = await start('2026-08-02T12:00:00Z'); // Sunday
    const managers = Array.from({ length: 2 * DIGEST_BATCH + 30 }, (_, i) => `U0M${String(i).padStart(7, '0')}`);
    await t.ctx.stores.unitOfWork.run(async (repos) => {
      for (const [i, m] of managers.entries()) {
        await record(t, m, null, 'Europe/London', repos.teammates);
        await record(t, `U0R${String(i).padStart(7, '0')}`, m, null, repos.teammates);
      }
    });
    // A sender that answers at once (no network): any turn of the event loop during the tick is the tick's own.
    const delivered: string[] = [];
    const fakeSender: ReminderSender = {
      deliver: async (_team, user) => {
        delivered.push(user);
        return { ok: true };
      },
    };
    const deps = tickDeps(t, fakeSender);
    const order: string[] = [];
    const reads: number[] = [];
    const claimDueDigests = deps.growth.claimDueDigests.bind(deps.growth);
    deps.growth = Object.assign(Object.create(deps.growth), {
      async claimDueDigests(now: string, until: string, limit: number): Promise<DigestPlanRow[]> {
        const rows = await claimDueDigests(now, until, limit);
        reads.push(rows.length);
        order.push('batch');
        return rows;
      },
    });
    // Turns of the event loop, recorded until the third batch is read.
    const turns = () => {
      const loop = () => {
        order.push('loop');
        if (order.filter((o) => o === 'batch').length < 3) setImmediate(loop);
      };
      setImmediate(loop);
    };
    // The order with repeats collapsed: batch, loop, batch, … (the loop also turns inside a batch).
    const collapsed = () => order.filter((o, i) => o !== order[i - 1]);

    // Sunday: every manager is planned (their next digest: Monday 10:00 in London), none sent.
    turns();
    expect((await runGrowthTick(deps)).digests).toBe(0);
    expect(reads).toEqual([DIGEST_BATCH, DIGEST_BATCH, 30]);
    expect(collapsed().slice(0, 5)).toEqual(['batch', 'loop', 'batch', 'loop', 'batch']);

    // A quiet tick reads nobody.
    reads.length = 0;
    t.clock.set('2026-08-02T12:15:00Z');
    await runGrowthTick(deps);
    expect(reads).toEqual([0]);

    // Monday 10:00 in London: every digest, once, in the same three batches.
    reads.length = 0;
    t.clock.set('2026-08-03T09:00:00Z');
    expect((await runGrowthTick(deps)).digests).toBe(managers.length);
    expect(reads).toEqual([DIGEST_BATCH, DIGEST_BATCH, 30]);
    expect(new Set(delivered).size).toBe(managers.length);
    // And nobody again this week: the plan points at next Monday.
    reads.length = 0;
    t.clock.set('2026-08-03T09:15:00Z');
    expect((await runGrowthTick(deps)).digests).toBe(0);
    expect(reads).toEqual([0]);
    // Next Monday: every manager is read again in the same batches, and nobody has anything that needs
    // them (no window opening, no check-in to rate, no level change), so nothing is sent or claimed.
    reads.length = 0;
    delivered.length = 0;
    t.clock.set('2026-08-10T09:00:00Z');
    expect((await runGrowthTick(deps)).digests).toBe(0);
    expect(reads).toEqual([DIGEST_BATCH, DIGEST_BATCH, 30]);
    expect(delivered).toEqual([]);
    expect((await t.ctx.stores.growth.weekEntries(t.api.teamId)).filter((e) => e.week === '2026-W33')).toEqual([]);
    expect(t.errors).toEqual([]);
  });

  it('reads "what is due" as a range of its index, never a scan', async () => {
    const t = await start('2026-08-02T12:00:00Z');
    const plan = t.db
      .prepare(`EXPLAIN QUERY PLAN ${GROWTH_SQL.claimDueDigests}`)
      .all('2026-08-03T09:15:00.000Z', '2026-08-03T09:00:00.000Z', DIGEST_BATCH) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH digest_plan USING (COVERING )?INDEX digest_plan_due/);
  });

  it('drops a manager whose reports all left, and adds one back when someone reports to them again', async () => {
    const t = await start('2026-08-02T12:00:00Z');
    await record(t, LENA, null, 'Europe/London');
    await record(t, REPORTS[0] as string, LENA);
    const planned = () => t.db.prepare('SELECT manager_id FROM digest_plan').all() as { manager_id: string }[];
    const deps = tickDeps(t);
    expect(await followRecordChanges(deps)).toBe(2);
    expect(planned()).toEqual([{ manager_id: LENA }]);
    await t.ctx.stores.teammates.setStatus(t.api.teamId, REPORTS[0] as string, {
      status: 'left',
      changedBy: 'slack:user_change',
      at: t.clock.now().toISOString(),
    });
    expect(await runGrowthTick(deps)).toMatchObject({ followed: 1 });
    expect(planned()).toEqual([]);
    await record(t, REPORTS[1] as string, LENA);
    expect(await followRecordChanges(deps)).toBe(1);
    expect(planned()).toEqual([{ manager_id: LENA }]);
  });
});

describe('manager time zones', () => {
  it('asks Slack for an unknown zone once per manager, never on a quiet tick, and sends once in a week that needs it', async () => {
    const t = await start('2026-08-02T00:00:00Z'); // Sunday
    await record(t, LENA, null, 'Europe/London');
    await record(t, TARO, null); // a record without a zone
    await record(t, REPORTS[0] as string, LENA);
    await record(t, REPORTS[1] as string, NORA); // Nora has no record of her own
    await record(t, REPORTS[2] as string, TARO);
    t.api.reset();
    const deps = tickDeps(t);
    const lookupTicks: string[] = [];
    while (t.clock.now().getTime() < Date.parse('2026-08-16T00:00:00Z')) {
      const before = t.api.calls.length;
      const { digests } = await runGrowthTick(deps);
      const calls = t.api.calls.slice(before);
      const lookups = calls.filter((c) => c.method === 'users.info').length;
      // A tick never asks Slack for more than it sends, except each unknown zone, once.
      expect(calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(digests);
      if (lookups > 0) lookupTicks.push(`${t.clock.now().toISOString()} ${lookups}`);
      if (digests === 0) expect(calls.filter((c) => c.method !== 'users.info')).toEqual([]);
      t.clock.set(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
    }
    // Both unknown zones asked once, at the first instant a digest can be due anywhere (10:00 at UTC+14).
    expect(lookupTicks).toEqual(['2026-08-02T20:00:00.000Z 2']);
    // The week of 3 August has a window opening for each; the week of 10 August nothing: one digest each.
    expect(digestsTo(t, LENA)).toHaveLength(1);
    expect(digestsTo(t, NORA)).toHaveLength(1);
    expect(digestsTo(t, TARO)).toHaveLength(1);
    const weeks = (await t.ctx.stores.growth.weekEntries(t.api.teamId))
      .map((e) => `${e.subject} ${e.week} ${e.sentAt}`)
      .sort();
    expect(weeks).toEqual([
      `${LENA} 2026-W32 2026-08-03T09:00:00.000Z`,
      `${NORA} 2026-W32 2026-08-03T14:00:00.000Z`,
      `${TARO} 2026-W32 2026-08-03T01:00:00.000Z`,
    ]);
    expect(t.errors).toEqual([]);
  });

  it('follows a zone change from Slack (user_change) for a manager without a record, without asking Slack', async () => {
    const t = await start('2026-08-02T12:00:00Z'); // Sunday
    await record(t, REPORTS[0] as string, NORA);
    const deps = tickDeps(t);
    const changed = await t.driver.event({ type: 'user_change', user: { id: NORA, tz: 'Asia/Kolkata' } });
    expect(changed.status).toBe(200);
    t.api.reset();
    while (t.clock.now().getTime() < Date.parse('2026-08-04T00:00:00Z')) {
      await runGrowthTick(deps);
      t.clock.set(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
    }
    expect(t.api.calls.filter((c) => c.method === 'users.info')).toEqual([]);
    // 10:00 in Kolkata (UTC+5:30) is 04:30 UTC: the first quarter-hour tick at or after it.
    expect(await t.ctx.stores.growth.weekEntries(t.api.teamId)).toMatchObject([
      { subject: NORA, week: '2026-W32', status: 'sent', sentAt: '2026-08-03T04:30:00.000Z' },
    ]);
  });
});
