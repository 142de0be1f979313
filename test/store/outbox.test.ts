import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { createStores } from '../../src/store/index.js';
import { ALICE, AT, BOB, fakeDatabase, LATER, T } from './fixtures.js';

const HELLO = { text: 'hello', blocks: [] };

describe('outbox', () => {
  it('keeps a post in a named conversation and gives it back as it was', () => {
    const { stores } = fakeDatabase();
    const id = stores.outbox.enqueue(
      { kind: 'post', teamId: T, userId: ALICE, channelId: 'D0ALICE', messages: [HELLO] },
      AT,
      LATER,
    );
    expect(stores.outbox.get(id)).toEqual({
      id,
      kind: 'post',
      teamId: T,
      userId: ALICE,
      channelId: 'D0ALICE',
      messages: [HELLO],
      attempts: 0,
    });
    expect(stores.outbox.due(AT, 10)).toEqual([]);
    expect(stores.outbox.due(LATER, 10).map((n) => n.id)).toEqual([id]);
  });

  it('merges a second Home refresh for a person into the pending one, and says which', () => {
    const { stores } = fakeDatabase();
    const first = stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
    const second = stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER);
    const bob = stores.outbox.enqueue({ kind: 'home', teamId: T, userId: BOB }, AT, LATER);
    expect(second).toBe(first);
    expect(bob).not.toBe(first);
    expect(stores.outbox.due(LATER, 10)).toHaveLength(2);
  });

  it("keeps what an event sends with the event's write, in one transaction", () => {
    const { stores } = fakeDatabase();
    const { result, ids } = stores.outbox.keepWith(
      () => {
        stores.workspaces.markActive(T, AT);
        return 'written';
      },
      () => [{ kind: 'home', teamId: T, userId: ALICE }],
      AT,
      LATER,
    );
    expect(result).toBe('written');
    expect(ids.map((id) => stores.outbox.get(id)?.kind)).toEqual(['home']);
  });

  it('keeps nothing when the write fails, and writes nothing when keeping fails', () => {
    const { db, stores } = fakeDatabase();
    const workspaces = () => db.prepare('SELECT COUNT(*) AS n FROM workspaces').get();
    const kept = () => db.prepare('SELECT COUNT(*) AS n FROM notification_outbox').get();
    expect(() =>
      stores.outbox.keepWith(
        () => {
          stores.workspaces.markActive(T, AT);
          throw new Error('the write failed');
        },
        () => [{ kind: 'home', teamId: T, userId: ALICE }],
        AT,
        LATER,
      ),
    ).toThrow('the write failed');
    expect(
      stores.outbox.keepWith(
        () => 1,
        () => [],
        AT,
        LATER,
      ),
    ).toEqual({ result: 1, ids: [] });
    expect(() =>
      stores.outbox.keepWith(
        () => stores.workspaces.markActive(T, AT),
        () => [{ kind: 'post', teamId: T, userId: ALICE, channelId: 'not a channel', messages: [HELLO] }],
        AT,
        LATER,
      ),
    ).toThrow();
    expect(workspaces()).toEqual({ n: 0 });
    expect(kept()).toEqual({ n: 0 });
  });

  it('never gives a removed notification’s id to another', () => {
    const { stores } = fakeDatabase();
    const first = stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, LATER);
    stores.outbox.remove(first);
    const second = stores.outbox.enqueue({ kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO] }, AT, LATER);
    expect(second).toBeGreaterThan(first);
    expect(stores.outbox.get(first)).toBeUndefined();
  });
});

describe('migration 009 (posts in the outbox)', () => {
  it('keeps the notifications waiting before it, ids included', () => {
    const db = new Database(':memory:');
    const migrations = loadMigrations();
    migrate(db, migrations.slice(0, 8));
    db.prepare(
      `INSERT INTO notification_outbox (id, team_id, user_id, kind, messages, attempts, next_attempt_at, created_at)
       VALUES (7, ?, ?, 'dm', ?, 2, ?, ?), (8, ?, ?, 'home', NULL, 0, ?, ?)`,
    ).run(T, ALICE, JSON.stringify([HELLO]), LATER, AT, T, BOB, LATER, AT);
    migrate(db, migrations);
    const stores = createStores(db);
    expect(stores.outbox.due(LATER, 10)).toEqual([
      { id: 7, kind: 'dm', teamId: T, userId: ALICE, messages: [HELLO], attempts: 2 },
      { id: 8, kind: 'home', teamId: T, userId: BOB, attempts: 0 },
    ]);
    expect(stores.outbox.enqueue({ kind: 'home', teamId: T, userId: BOB }, AT, LATER)).toBe(8);
    expect(stores.outbox.enqueue({ kind: 'home', teamId: T, userId: ALICE }, AT, LATER)).toBeGreaterThan(8);
    db.close();
  });
});
