import { describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../src/db/postgres.js';
import type { Engine } from '../../src/db/sql.js';
import {
  PENDING_CHANGES_KEPT_MS,
  PRUNE_BATCH,
  PRUNE_BATCHES_PER_TICK,
  runMaintenance,
} from '../../src/scheduler/maintenance.js';
import { createStores, InvalidInputError, type PlannedChange, type Stores } from '../../src/store/index.js';
import { PENDING_CHANGE_TTL_MS } from '../../src/teammates/service.js';
import { FakeClock } from '../support/app.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach, openPostgres, postgresServer } from '../support/postgres.js';
import { ADMIN, ALICE, AT, BOB, fakeDatabase, LATER, T } from './fixtures.js';

const CHANGE: PlannedChange = { frameworkId: 'marketing', levelId: 'strategist', since: '2026-01-15', basedOn: null };
const HOUR = 60 * 60 * 1000;

const ago = (clock: FakeClock, ms: number) => new Date(clock.now().getTime() - ms).toISOString();

describe.each(engines())('the pending change store on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });
    const add = (over: Partial<Parameters<Stores['pending']['add']>[0]> = {}) =>
      stores.pending.add({ teamId: T, requestedBy: ADMIN, userId: ALICE, change: CHANGE, createdAt: AT, ...over });

    it('keeps a change as it was given, for its workspace only', async () => {
      const change: PlannedChange = { ...CHANGE, managerId: null, title: 'Brand lead', note: 'promo', basedOn: 'x' };
      const id = await add({ change });
      expect(await stores.pending.get(T, id)).toEqual({
        id,
        teamId: T,
        requestedBy: ADMIN,
        userId: ALICE,
        change,
        createdAt: AT,
      });
      expect(await stores.pending.get('T0OTHER', id)).toBeNull();
    });

    it('is taken once, only by the person who asked, only while it is fresh; a refused take removes nothing', async () => {
      const id = await add();
      expect(await stores.pending.take(T, id, BOB, AT)).toBeNull();
      expect(await stores.pending.take(T, id, ADMIN, LATER)).toBeNull();
      expect(await stores.pending.take('T0OTHER', id, ADMIN, AT)).toBeNull();
      expect(await stores.pending.get(T, id)).not.toBeNull();
      expect((await stores.pending.take(T, id, ADMIN, AT))?.change).toEqual(CHANGE);
      expect(await stores.pending.take(T, id, ADMIN, AT)).toBeNull();
      expect(await stores.pending.get(T, id)).toBeNull();
    });

    it('two Confirm clicks at once, each in a unit of work: one takes the change, the other gets nothing', async () => {
      const id = await add();
      const confirm = () =>
        stores.unitOfWork.run(async (repos) => {
          const taken = await repos.pending.take(T, id, ADMIN, AT);
          // What confirming writes next: a write in the same unit after the take.
          if (taken) await repos.workspaces.markActive(T, AT);
          return taken;
        });
      const results = await Promise.all([confirm(), confirm(), confirm()]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await stores.pending.get(T, id)).toBeNull();
    });

    it('forgets every change waiting for a person, and no one else’s', async () => {
      await add();
      await add({ requestedBy: BOB });
      const bobs = await add({ userId: BOB });
      expect(await stores.pending.forgetUser(T, ALICE)).toBe(2);
      expect(await stores.pending.get(T, bobs)).not.toBeNull();
    });

    it('refuses a change it could not read back, and keeps nothing', async () => {
      const before = await engineSnapshot(db);
      await expect(add({ change: { ...CHANGE, since: '2026-02-30' } })).rejects.toThrow(InvalidInputError);
      await expect(add({ userId: 'not a user' })).rejects.toThrow(InvalidInputError);
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it('prunes the oldest first, at most a batch at a time', async () => {
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
  });
});

describe.skipIf(postgresServer().skip)('two instances on one PostgreSQL database', () => {
  it('a change confirmed on both at once is taken by one', async () => {
    const a = await openPostgres();
    const b = new PostgresEngine(`${a.serverUrl}${a.databaseName}`);
    try {
      const [one, two] = [createStores(a), createStores(b)];
      for (let i = 0; i < 5; i++) {
        const id = await one.pending.add({
          teamId: T,
          requestedBy: ADMIN,
          userId: ALICE,
          change: CHANGE,
          createdAt: AT,
        });
        const taken = await Promise.all([
          one.unitOfWork.run((repos) => repos.pending.take(T, id, ADMIN, AT)),
          two.unitOfWork.run((repos) => repos.pending.take(T, id, ADMIN, AT)),
          two.pending.take(T, id, ADMIN, AT),
        ]);
        expect(taken.filter((t) => t !== null)).toHaveLength(1);
      }
    } finally {
      await b.close();
      await a.close();
    }
  });
});

// NOTE: maintenance also settles pauses and prunes the ledgers, whose stores run on SQLite only on this branch.
describe('pending changes, pruned by maintenance', () => {
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
    await stores.unitOfWork.run(async (repos) => {
      for (let i = 0; i < backlog; i++)
        await repos.pending.add({ teamId: T, requestedBy: ADMIN, userId: ALICE, change: CHANGE, createdAt });
    });
    expect((await runMaintenance({ ...stores, clock })).pendingPruned).toBe(PRUNE_BATCH * PRUNE_BATCHES_PER_TICK);
    expect((await runMaintenance({ ...stores, clock })).pendingPruned).toBe(10);
    expect(db.prepare('SELECT count(*) AS n FROM pending_changes').get()).toEqual({ n: 0 });
  });
});
