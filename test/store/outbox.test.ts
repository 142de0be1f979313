import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../../src/db/migrate.js';
import { PostgresEngine } from '../../src/db/postgres.js';
import type { Engine } from '../../src/db/sql.js';
import type { Notifier } from '../../src/slack/notifier.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { createStores, type Stores } from '../../src/store/index.js';
import { engineSnapshot } from '../support/db.js';
import { engines, freshStoresEach, openPostgres, postgresServer } from '../support/postgres.js';
import { ALICE, AT, BOB, LATER, T } from './fixtures.js';

const HELLO = { text: 'hello', blocks: [] };

describe.each(engines())('the outbox on %s', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    let db: Engine;
    let stores: Stores;
    freshStoresEach(engine, (opened, built) => {
      db = opened;
      stores = built;
    });

    it('keeps a post in a named conversation and gives it back as it was', async () => {
      const id = await stores.outbox.enqueue(
        { kind: 'post', teamId: T, userId: ALICE, channelId: 'D0ALICE', messages: [HELLO] },
        AT,
        LATER,
      );
      expect(await stores.outbox.get(id)).toEqual({
        id,
        kind: 'post',
        teamId: T,
        userId: ALICE,
        channelId: 'D0ALICE',
        messages: [HELLO],
        attempts: 0,
      });
      expect(await stores.outbox.due(AT, 10)).toEqual([]);
      expect((await stores.outbox.due(LATER, 10)).map((n) => n.id)).toEqual([id]);
    });

    it('a held DM is taken once, by its key, only while held: not twice, not by someone else, not once the job took it', async () => {
      const held = '2026-01-16T09:30:00.000Z';
      const before = '2026-01-16T08:00:00.000Z';
      const lease = '2026-01-16T08:30:00.000Z';
      const id = await stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, held);
      expect(await stores.outbox.claimHeld(id, BOB, held, before, lease)).toBeUndefined();
      expect((await stores.outbox.claimHeld(id, ALICE, held, before, lease))?.id).toBe(id);
      expect(await stores.outbox.claimHeld(id, ALICE, held, before, lease)).toBeUndefined();
      await stores.outbox.remove(id);

      // Left alone, the job takes it at the hold's end; a late click then takes nothing.
      const later = await stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, held);
      expect((await stores.outbox.claimDue(held, '2026-01-16T10:00:00.000Z', 10)).map((n) => n.id)).toEqual([later]);
      expect(await stores.outbox.claimHeld(later, ALICE, held, held, lease)).toBeUndefined();
    });

    it('merges a second Home refresh for a person into the pending one, and says which', async () => {
      const first = await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
      const second = await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
      const bob = await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: BOB }, AT, LATER);
      expect(second).toBe(first);
      expect(bob).not.toBe(first);
      expect(await stores.outbox.due(LATER, 10)).toHaveLength(2);
    });

    it("keeps what an event sends with the event's write, in one unit of work", async () => {
      const id = await stores.unitOfWork.run(async (repos) => {
        await repos.workspaces.markActive(T, AT);
        return repos.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
      });
      expect((await stores.outbox.get(id))?.kind).toBe('home');
      expect(await stores.workspaces.isActive(T)).toBe(true);
    });

    it('keeps nothing when the write fails, and writes nothing when keeping fails', async () => {
      const before = await engineSnapshot(db);
      await expect(
        stores.unitOfWork.run(async (repos) => {
          await repos.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
          await repos.workspaces.markActive(T, AT);
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');
      await expect(
        stores.unitOfWork.run(async (repos) => {
          await repos.workspaces.markActive(T, AT);
          await repos.outbox.enqueue(
            { kind: 'post', teamId: T, userId: ALICE, channelId: 'not a channel', messages: [HELLO] },
            AT,
            LATER,
          );
        }),
      ).rejects.toThrow();
      expect(await engineSnapshot(db)).toEqual(before);
    });

    it('never gives a removed notification’s id to another', async () => {
      const first = await stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, LATER);
      await stores.outbox.remove(first);
      const second = await stores.outbox.enqueue(
        { kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] },
        AT,
        LATER,
      );
      expect(second).toBeGreaterThan(first);
      expect(await stores.outbox.get(first)).toBeUndefined();
    });

    it('claims the oldest due first, leases them, and counts a failed attempt', async () => {
      const dm = (userId: string) => ({ kind: 'dm' as const, teamId: T, userId, messages: [HELLO] });
      // Kept in this order, due in another: the claim takes the two due first, in the order they were kept.
      const late = await stores.outbox.enqueue(dm('U0LATE'), AT, '2026-02-01T09:00:00.000Z');
      const early = await stores.outbox.enqueue(dm('U0EARLY'), AT, '2026-01-20T09:00:00.000Z');
      const middle = await stores.outbox.enqueue(dm('U0MIDDLE'), AT, '2026-01-25T09:00:00.000Z');
      const notYet = await stores.outbox.enqueue(dm('U0NOTYET'), AT, '2026-03-01T09:00:00.000Z');
      const lease = '2026-02-01T10:30:00.000Z';
      expect((await stores.outbox.claimDue(LATER, lease, 2)).map((n) => n.id)).toEqual([early, middle]);
      expect((await stores.outbox.claimDue(LATER, lease, 10)).map((n) => n.id)).toEqual([late]);
      expect(await stores.outbox.claimDue(LATER, lease, 10)).toEqual([]);
      await stores.outbox.retryLater(early, '2026-02-01T10:05:00.000Z', 'x'.repeat(500));
      expect(await stores.outbox.claimDue('2026-02-01T10:10:00.000Z', lease, 10)).toEqual([
        { id: early, kind: 'dm', teamId: T, userId: 'U0EARLY', messages: [HELLO], attempts: 1 },
      ]);
      // All three leased to the same time now: in the order they were kept.
      expect((await stores.outbox.due('2026-03-01T09:00:00.000Z', 10)).map((n) => n.id)).toEqual([
        late,
        early,
        middle,
        notYet,
      ]);
    });
  });
});

describe('migration 009 (posts in the outbox)', () => {
  it('keeps the notifications waiting before it, ids included', async () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 8));
    db.prepare(
      `INSERT INTO notification_outbox (id, team_id, user_id, kind, messages, attempts, next_attempt_at, created_at)
       VALUES (7, ?, ?, 'dm', ?, 2, ?, ?), (8, ?, ?, 'home', NULL, 0, ?, ?)`,
    ).run(T, ALICE, JSON.stringify([HELLO]), LATER, AT, T, BOB, LATER, AT);
    migrate(db, migrations);
    const stores = createStores(db);
    expect(await stores.outbox.due(LATER, 10)).toEqual([
      { id: 7, kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO], attempts: 2 },
      { id: 8, kind: 'home', teamId: T, userId: BOB, attempts: 0 },
    ]);
    expect(await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: BOB }, AT, LATER)).toBe(8);
    expect(await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER)).toBeGreaterThan(8);
    db.close();
  });
});

interface Instances {
  /** The stores of each instance, each on its own connection(s) to one database. */
  stores: Stores[];
  close(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'ripple-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `n` SQLite connections to one file, as `n` Ripple processes have. */
async function sqliteInstances(n: number, name: string): Promise<Instances> {
  const path = join(dir, `${name}.db`);
  const handles = Array.from({ length: n }, () => openDatabase(path));
  return {
    stores: handles.map((h) => createStores(h)),
    close: async () => {
      for (const h of handles) h.close();
    },
  };
}

/** `n` pools on one PostgreSQL database, as `n` Ripple processes have. */
async function postgresInstances(n: number): Promise<Instances> {
  const first = await openPostgres();
  const others = Array.from({ length: n - 1 }, () => new PostgresEngine(`${first.serverUrl}${first.databaseName}`));
  return {
    stores: [first, ...others].map((e) => createStores(e)),
    close: async () => {
      for (const e of others) await e.close();
      await first.close();
    },
  };
}

const INSTANCES: [name: string, open: (n: number, test: string) => Promise<Instances>, skip: string | undefined][] = [
  ['SQLite connections to one file', sqliteInstances, undefined],
  ['PostgreSQL pools on one database', (n) => postgresInstances(n), postgresServer().skip],
];

describe.each(INSTANCES)('instances on one database: %s', (name, open, skip) => {
  describe.skipIf(skip)('', () => {
    const dm = (i: number) => ({
      kind: 'dm' as const,
      teamId: T,
      userId: `U0PERSON${String(i).padStart(2, '0')}`,
      messages: [HELLO],
    });

    it('never take the same notification, and one taken but never sent is due again after its lease', async () => {
      const { stores, close } = await open(2, 'claims');
      const [a, b] = stores as [Stores, Stores];
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await a.outbox.enqueue(dm(i), AT, AT));
      const lease = '2026-06-01T11:30:00.000Z';
      const first = (await a.outbox.claimDue(LATER, lease, 3)).map((n) => n.id);
      const second = (await b.outbox.claimDue(LATER, lease, 10)).map((n) => n.id);
      expect(first).toEqual(ids.slice(0, 3));
      expect(second).toEqual(ids.slice(3));
      expect(await b.outbox.claimDue(LATER, lease, 10)).toEqual([]);
      // Instance A stopped before sending: its three are due again once the lease ends, to whoever asks.
      expect((await b.outbox.claimDue(lease, '2026-06-01T12:00:00.000Z', 10)).map((n) => n.id)).toEqual(ids);
      await close();
    });

    it('three claims at once take every due notification, none twice, and none fails', async () => {
      const { stores, close } = await open(3, 'race');
      const lease = '2026-06-01T11:30:00.000Z';
      // A few rounds: on PostgreSQL the three statements run at the same time on three connections.
      for (let round = 0; round < 3; round++) {
        const ids: number[] = [];
        for (let i = 0; i < 30; i++) ids.push(await (stores[0] as Stores).outbox.enqueue(dm(i), AT, AT));
        const claims = await Promise.all(stores.map((s) => s.outbox.claimDue(LATER, lease, 10)));
        const taken = claims.flat().map((n) => n.id);
        expect(claims.map((c) => c.length)).toEqual([10, 10, 10]);
        expect(taken.sort((x, y) => x - y)).toEqual(ids);
        for (const id of ids) await (stores[0] as Stores).outbox.remove(id);
      }
      await close();
    });

    it.skipIf(name.startsWith('SQLite'))(
      'a claim held open by one instance is skipped by two others claiming at once, which never wait for it',
      async () => {
        const { stores, close } = await open(3, 'held');
        const [a, b, c] = stores as [Stores, Stores, Stores];
        const lease = '2026-06-01T11:30:00.000Z';
        const ids: number[] = [];
        for (let i = 0; i < 30; i++) ids.push(await a.outbox.enqueue(dm(i), AT, AT));
        // Instance A's claim is inside a transaction that stays open (its rows locked) while B and C claim: without
        // SKIP LOCKED they would wait for A, which waits for them, until the statement timeout.
        const claims = await a.unitOfWork.run(async (repos) => {
          const held = await repos.outbox.claimDue(LATER, lease, 10);
          const others = await Promise.all([b.outbox.claimDue(LATER, lease, 10), c.outbox.claimDue(LATER, lease, 10)]);
          return [held, ...others];
        });
        expect(claims.map((claim) => claim.length)).toEqual([10, 10, 10]);
        expect(
          claims
            .flat()
            .map((n) => n.id)
            .sort((x, y) => x - y),
        ).toEqual(ids);
        await close();
      },
    );

    it('running the retry job at the same time send each notification once', async () => {
      const { stores, close } = await open(2, 'job');
      const [a, b] = stores as [Stores, Stores];
      for (let i = 0; i < 40; i++) await a.outbox.enqueue(dm(i), AT, AT);
      const sent: string[] = [];
      const deps = (s: Stores) => ({
        outbox: s.outbox,
        unitOfWork: s.unitOfWork,
        clock: { now: () => new Date(LATER) },
        homeView: async () => ({ type: 'home' as const, blocks: [] }),
        logger: { warn: () => undefined },
        notifier: {
          // A Slack call takes a turn of the event loop, so the two jobs interleave.
          async dm(_team: string, user: string) {
            await new Promise((resolve) => setImmediate(resolve));
            sent.push(user);
            return true;
          },
        } as unknown as Notifier,
      });
      const reports = await Promise.all([
        deliverPending(deps(a), 10),
        deliverPending(deps(b), 10),
        deliverPending(deps(a), 10),
      ]);
      await deliverPending(deps(b), 100);
      expect(reports.map((r) => r.sent)).toEqual([10, 10, 10]);
      expect(sent).toHaveLength(40);
      expect(new Set(sent).size).toBe(40);
      expect(await a.outbox.due('2099-01-01T00:00:00.000Z', 100)).toEqual([]);
      await close();
    });
  });
});
