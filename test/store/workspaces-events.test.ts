import { describe, expect, it } from 'vitest';
import { PostgresEngine } from '../../src/db/postgres.js';
import type { Engine, Sql } from '../../src/db/sql.js';
import { createStores, InvalidInputError, SqlWorkspaceStore, type Stores } from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach, openPostgres, postgresServer } from '../support/postgres.js';
import { AT, LATER, T } from './fixtures.js';

/** `sql`, counting the statements run through it by kind. */
function counting(sql: Sql): { sql: Sql; calls: { all: number; get: number; run: number } } {
  const calls = { all: 0, get: 0, run: 0 };
  const counted: Sql = {
    dialect: sql.dialect,
    all: (text, params) => {
      calls.all++;
      return sql.all(text, params);
    },
    get: (text, params) => {
      calls.get++;
      return sql.get(text, params);
    },
    run: (text, params) => {
      calls.run++;
      return sql.run(text, params);
    },
    transaction: (work) => sql.transaction(work),
  };
  return { sql: counted, calls };
}

describe.each(engines())('workspaces and processed events on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });
    const workspaceRows = () =>
      db.sql.all('SELECT team_id, active, installed_at, uninstalled_at FROM workspaces ORDER BY team_id');

    describe('workspaces', () => {
      it('counts a workspace never heard of as active', async () => {
        expect(await stores.workspaces.isActive(T)).toBe(true);
      });

      it('stops a workspace on uninstall and starts it again on reinstall', async () => {
        await stores.workspaces.markActive(T, AT);
        expect(await stores.workspaces.isActive(T)).toBe(true);
        expect(await workspaceRows()).toEqual([{ team_id: T, active: 1, installed_at: AT, uninstalled_at: null }]);

        await stores.workspaces.markInactive(T, LATER);
        expect(await stores.workspaces.isActive(T)).toBe(false);
        expect(await workspaceRows()).toEqual([{ team_id: T, active: 0, installed_at: AT, uninstalled_at: LATER }]);

        await stores.workspaces.markActive(T, '2026-03-01T00:00:00.000Z');
        expect(await stores.workspaces.isActive(T)).toBe(true);
        expect(await workspaceRows()).toEqual([
          { team_id: T, active: 1, installed_at: '2026-03-01T00:00:00.000Z', uninstalled_at: LATER },
        ]);
      });

      it('takes app_uninstalled then tokens_revoked as one uninstall', async () => {
        await stores.workspaces.markActive(T, AT);
        await stores.workspaces.markInactive(T, LATER);
        await stores.workspaces.markInactive(T, '2026-02-01T10:00:01.000Z');
        await stores.workspaces.markActive(T, AT);
        await stores.workspaces.markActive(T, LATER);
        expect(await workspaceRows()).toEqual([{ team_id: T, active: 1, installed_at: AT, uninstalled_at: LATER }]);
      });

      it('remembers an uninstall of a workspace it had not seen', async () => {
        await stores.workspaces.markInactive(T, AT);
        expect(await stores.workspaces.isActive(T)).toBe(false);
      });

      it('reactivates only an inactive workspace, and writes nothing for an active or unknown one', async () => {
        expect(await stores.workspaces.reactivate(T, AT)).toBe(false);
        expect(await workspaceRows()).toEqual([]);
        await stores.workspaces.markInactive(T, AT);
        expect(await stores.workspaces.reactivate(T, LATER)).toBe(true);
        expect(await workspaceRows()).toEqual([{ team_id: T, active: 1, installed_at: LATER, uninstalled_at: AT }]);
        expect(await stores.workspaces.reactivate(T, '2026-03-01T00:00:00.000Z')).toBe(false);
        expect(await workspaceRows()).toEqual([{ team_id: T, active: 1, installed_at: LATER, uninstalled_at: AT }]);
      });

      it('reactivate costs an active workspace one read and no write (it runs on every request)', async () => {
        await stores.workspaces.markActive(T, AT);
        const { sql, calls } = counting(db.sql);
        const workspaces = new SqlWorkspaceStore(sql);
        expect(await workspaces.reactivate(T, LATER)).toBe(false);
        expect(calls).toEqual({ all: 0, get: 1, run: 0 });
        expect(await workspaces.reactivate('T0NEVERSEEN', LATER)).toBe(false);
        expect(calls).toEqual({ all: 0, get: 2, run: 0 });
      });

      it('reactivated by several requests at once, says so to one', async () => {
        await stores.workspaces.markInactive(T, AT);
        const results = await Promise.all([1, 2, 3].map(() => stores.workspaces.reactivate(T, LATER)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await stores.workspaces.isActive(T)).toBe(true);
      });

      it('refuses a bad timestamp or team id, and writes nothing', async () => {
        const before = await engineSnapshot(db);
        await expect(stores.workspaces.markInactive(T, 'now')).rejects.toThrow(InvalidInputError);
        await expect(stores.workspaces.markActive('not a team', AT)).rejects.toThrow(InvalidInputError);
        expect(await engineSnapshot(db)).toEqual(before);
      });
    });

    describe('processed events', () => {
      it('says first time exactly once per event id', async () => {
        expect(await stores.events.firstTime('Ev01', AT)).toBe(true);
        expect(await stores.events.firstTime('Ev01', LATER)).toBe(false);
        expect(await stores.events.firstTime('Ev01', LATER)).toBe(false);
        expect(await stores.events.firstTime('Ev02', LATER)).toBe(true);
      });

      it('says first time to one of several calls at once', async () => {
        const results = await Promise.all([1, 2, 3, 4].map(() => stores.events.firstTime('Ev01', AT)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('handles an event again once released (its processing failed)', async () => {
        await stores.events.firstTime('Ev01', AT);
        await stores.events.release('Ev01');
        expect(await stores.events.firstTime('Ev01', LATER)).toBe(true);
      });

      it('prunes ids received before a cut-off, oldest first, all of them or at most a limit', async () => {
        await stores.events.firstTime('Ev01', AT);
        await stores.events.firstTime('Ev02', '2026-01-16T09:00:00.000Z');
        await stores.events.firstTime('Ev03', '2026-01-17T09:00:00.000Z');
        await stores.events.firstTime('Ev04', LATER);
        expect(await stores.events.prune('2026-01-20T00:00:00.000Z', 1)).toBe(1);
        expect(await stores.events.firstTime('Ev01', LATER)).toBe(true);
        expect(await stores.events.prune('2026-01-20T00:00:00.000Z')).toBe(2);
        expect(await stores.events.firstTime('Ev03', LATER)).toBe(true);
        expect(await stores.events.firstTime('Ev04', LATER)).toBe(false);
      });

      it('refuses an empty event id', async () => {
        await expect(stores.events.firstTime('', AT)).rejects.toThrow(InvalidInputError);
      });
    });
  });
});

describe.skipIf(postgresServer().skip)('two instances on one PostgreSQL database', () => {
  it("receiving Slack's retry of one event at once: exactly one handles it", async () => {
    const a = await openPostgres();
    const b = new PostgresEngine(`${a.serverUrl}${a.databaseName}`);
    try {
      const [one, two] = [createStores(a), createStores(b)];
      for (let i = 0; i < 10; i++) {
        const first = await Promise.all([
          one.events.firstTime(`Ev${i}`, AT),
          two.events.firstTime(`Ev${i}`, AT),
          // Inside a unit of work too, as a handler writing what the event changed would be.
          two.unitOfWork.run((repos) => repos.events.firstTime(`Ev${i}`, AT)),
        ]);
        expect(first.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await b.close();
      await a.close();
    }
  });
});
