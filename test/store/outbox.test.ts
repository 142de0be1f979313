import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../../src/db/migrate.js';
import type { Notifier } from '../../src/slack/notifier.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { createStores } from '../../src/store/index.js';
import { ALICE, AT, BOB, fakeDatabase, LATER, T } from './fixtures.js';

const HELLO = { text: 'hello', blocks: [] };

describe('outbox', () => {
  it('keeps a post in a named conversation and gives it back as it was', async () => {
    const { stores } = fakeDatabase();
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

  it('merges a second Home refresh for a person into the pending one, and says which', async () => {
    const { stores } = fakeDatabase();
    const first = await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
    const second = await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
    const bob = await stores.outbox.enqueue({ kind: 'home', teamId: T, userId: BOB }, AT, LATER);
    expect(second).toBe(first);
    expect(bob).not.toBe(first);
    expect(await stores.outbox.due(LATER, 10)).toHaveLength(2);
  });

  it("keeps what an event sends with the event's write, in one unit of work", async () => {
    const { stores } = fakeDatabase();
    const id = await stores.unitOfWork.run(async (repos) => {
      await repos.workspaces.markActive(T, AT);
      return repos.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
    });
    expect((await stores.outbox.get(id))?.kind).toBe('home');
    expect(await stores.workspaces.isActive(T)).toBe(true);
  });

  it('keeps nothing when the write fails, and writes nothing when keeping fails', async () => {
    const { db, stores } = fakeDatabase();
    const workspaces = () => db.prepare('SELECT COUNT(*) AS n FROM workspaces').get();
    const kept = () => db.prepare('SELECT COUNT(*) AS n FROM notification_outbox').get();
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
    expect(workspaces()).toEqual({ n: 0 });
    expect(kept()).toEqual({ n: 0 });
  });

  it('never gives a removed notification’s id to another', async () => {
    const { stores } = fakeDatabase();
    const first = await stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, LATER);
    await stores.outbox.remove(first);
    const second = await stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, LATER);
    expect(second).toBeGreaterThan(first);
    expect(await stores.outbox.get(first)).toBeUndefined();
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

describe('two instances on one database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ripple-outbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Two connections to one file, as two Ripple processes have. */
  function twoInstances(name: string) {
    const path = join(dir, `${name}.db`);
    const a = openDatabase(path);
    const b = openDatabase(path);
    return {
      a: createStores(a),
      b: createStores(b),
      close: () => {
        a.close();
        b.close();
      },
    };
  }

  it('never take the same notification, and one taken but never sent is due again after its lease', async () => {
    const { a, b, close } = twoInstances('claims');
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await a.outbox.enqueue({ kind: 'dm', teamId: T, userId: `U0PERSON0${i}`, messages: [HELLO] }, AT, AT));
    }
    const lease = '2026-06-01T11:30:00.000Z';
    const first = (await a.outbox.claimDue(LATER, lease, 3)).map((n) => n.id);
    const second = (await b.outbox.claimDue(LATER, lease, 10)).map((n) => n.id);
    expect(first).toEqual(ids.slice(0, 3));
    expect(second).toEqual(ids.slice(3));
    expect(await b.outbox.claimDue(LATER, lease, 10)).toEqual([]);
    // Instance A stopped before sending: its three are due again once the lease ends, to whoever asks.
    expect((await b.outbox.claimDue(lease, '2026-06-01T12:00:00.000Z', 10)).map((n) => n.id)).toEqual(ids);
    close();
  });

  it('running the retry job at the same time send each notification once', async () => {
    const { a, b, close } = twoInstances('job');
    for (let i = 0; i < 40; i++) {
      await a.outbox.enqueue(
        { kind: 'dm', teamId: T, userId: `U0PERSON${String(i).padStart(2, '0')}`, messages: [HELLO] },
        AT,
        AT,
      );
    }
    const sent: string[] = [];
    const deps = (stores: typeof a) => ({
      outbox: stores.outbox,
      unitOfWork: stores.unitOfWork,
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
    close();
  });
});
