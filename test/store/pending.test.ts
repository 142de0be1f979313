import { describe, expect, it } from 'vitest';
import {
  PENDING_CHANGES_KEPT_MS,
  PRUNE_BATCH,
  PRUNE_BATCHES_PER_TICK,
  runMaintenance,
} from '../../src/scheduler/maintenance.js';
import type { PlannedChange } from '../../src/store/index.js';
import { PENDING_CHANGE_TTL_MS } from '../../src/teammates/service.js';
import { FakeClock } from '../support/app.js';
import { ADMIN, ALICE, fakeDatabase, T } from './fixtures.js';

const CHANGE: PlannedChange = { frameworkId: 'marketing', levelId: 'strategist', since: '2026-01-15', basedOn: null };
const HOUR = 60 * 60 * 1000;

const ago = (clock: FakeClock, ms: number) => new Date(clock.now().getTime() - ms).toISOString();

describe('pending changes', () => {
  it('prunes the oldest first, at most a batch at a time', async () => {
    const { stores } = fakeDatabase();
    const ids: string[] = [];
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04']) {
      ids.push(
        await stores.pending.add({
          teamId: T,
          requestedBy: ADMIN,
          userId: ALICE,
          change: CHANGE,
          createdAt: `${day}T09:00:00.000Z`,
        }),
      );
    }
    expect(await stores.pending.prune('2026-01-04T00:00:00.000Z', 2)).toBe(2);
    expect(await Promise.all(ids.map(async (id) => (await stores.pending.get(T, id)) !== null))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(await stores.pending.prune('2026-01-04T00:00:00.000Z', 2)).toBe(1);
    expect(await stores.pending.prune('2026-01-04T00:00:00.000Z', 2)).toBe(0);
    expect(await Promise.all(ids.map(async (id) => (await stores.pending.get(T, id)) !== null))).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it('maintenance forgets a preview a day after its Confirm button expired, and no sooner', async () => {
    const { stores } = fakeDatabase();
    const clock = new FakeClock('2026-11-29T15:00:00Z');
    expect(PENDING_CHANGES_KEPT_MS).toBe(PENDING_CHANGE_TTL_MS + 24 * HOUR);
    const add = async (createdAt: string) =>
      await stores.pending.add({ teamId: T, requestedBy: ADMIN, userId: ALICE, change: CHANGE, createdAt });
    const fresh = await add(ago(clock, HOUR));
    const expired = await add(ago(clock, PENDING_CHANGE_TTL_MS + HOUR));
    const old = await add(ago(clock, PENDING_CHANGES_KEPT_MS + HOUR));
    expect((await runMaintenance({ ...stores, clock })).pendingPruned).toBe(1);
    expect(
      await Promise.all([fresh, expired, old].map(async (id) => (await stores.pending.get(T, id)) !== null)),
    ).toEqual([true, true, false]);
    clock.advanceDays(1);
    expect((await runMaintenance({ ...stores, clock })).pendingPruned).toBe(1);
    expect(await stores.pending.get(T, expired)).toBeNull();
    expect(await stores.pending.get(T, fresh)).not.toBeNull();
  });

  it('works off a backlog over several ticks, in batches', async () => {
    const { db, stores } = fakeDatabase();
    const clock = new FakeClock('2026-11-29T15:00:00Z');
    const backlog = PRUNE_BATCH * PRUNE_BATCHES_PER_TICK + 10;
    const createdAt = ago(clock, PENDING_CHANGES_KEPT_MS + HOUR);
    await stores.unitOfWork.run(async () => {
      for (let i = 0; i < backlog; i++)
        await stores.pending.add({ teamId: T, requestedBy: ADMIN, userId: ALICE, change: CHANGE, createdAt });
    });
    expect((await runMaintenance({ ...stores, clock })).pendingPruned).toBe(PRUNE_BATCH * PRUNE_BATCHES_PER_TICK);
    expect((await runMaintenance({ ...stores, clock })).pendingPruned).toBe(10);
    expect(db.prepare('SELECT count(*) AS n FROM pending_changes').get()).toEqual({ n: 0 });
  });
});
