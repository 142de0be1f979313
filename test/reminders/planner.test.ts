import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate, openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { catalogDigest, DEFAULT_REMINDER_SETTINGS, planChanged } from '../../src/reminders/engine.js';
import { createStores } from '../../src/store/index.js';
import { FakeClock } from '../support/app.js';

const catalog = new Catalog(loadFrameworks('frameworks'));

function setup() {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  const clock = new FakeClock('2026-06-01T09:00:00Z');
  const deps = {
    teammates: stores.teammates,
    reminders: stores.reminders,
    checkins: stores.checkins,
    catalog,
    clock,
    settings: DEFAULT_REMINDER_SETTINGS,
  };
  const add = async (userId: string, tz: string) => {
    const at = clock.now().toISOString();
    await stores.teammates.upsert({
      teamId: 'T0TEAM',
      userId,
      frameworkId: 'marketing',
      levelId: 'level-2',
      since: '2026-01-15',
      changedBy: 'U0ADMIN',
      at,
    });
    await stores.teammates.setTimeZone('T0TEAM', userId, tz, at);
  };
  return { db, stores, clock, deps, add };
}

describe('the planner', () => {
  it('plans each teammate once on a full pass, though both their record and their zone are new', async () => {
    const { deps, add } = setup();
    await add('U0A', 'Europe/London');
    await add('U0B', 'Asia/Tokyo');
    expect(await planChanged(deps, new Date('2026-06-01T09:00:00Z'))).toBe(2);
    expect(await planChanged(deps, new Date('2026-06-01T09:15:00Z'))).toBe(0);
  });

  it('after a full pass, a time zone change is still re-planned', async () => {
    const { stores, clock, deps, add } = setup();
    await add('U0A', 'Europe/London');
    await planChanged(deps, clock.now());
    clock.set('2026-06-01T10:00:00Z');
    await stores.teammates.setTimeZone('T0TEAM', 'U0A', 'America/New_York', clock.now().toISOString());
    expect(await planChanged(deps, clock.now())).toBe(1);
    // Heads-up on 17 June at 10:00 in New York, no longer London.
    expect((await deps.reminders.getPlan('T0TEAM', 'U0A'))?.dueAt).toBe('2026-06-17T14:00:00.000Z');
  });
});

describe('the planner follows the change sequence, not timestamps', () => {
  it('plans a record committed late with an older timestamp than ones already planned', async () => {
    const { stores, clock, deps, add } = setup();
    clock.set('2026-06-01T10:00:02Z');
    await add('U0A', 'Europe/London');
    expect(await planChanged(deps, clock.now())).toBe(1);
    // Another writer stamped its change at 10:00:01 but committed after the planner read past 10:00:02:
    // a cursor over updated_at would never see it; its change number is still after the cursor.
    await stores.teammates.upsert({
      teamId: 'T0TEAM',
      userId: 'U0B',
      frameworkId: 'marketing',
      levelId: 'level-2',
      since: '2026-01-15',
      changedBy: 'U0ADMIN',
      at: '2026-06-01T10:00:01Z',
    });
    expect(await planChanged(deps, clock.now())).toBe(1);
    expect(await deps.reminders.getPlan('T0TEAM', 'U0B')).not.toBeNull();
    expect(await planChanged(deps, clock.now())).toBe(0);
  });

  it('a database upgraded past db/017 drops the old cursors and plans everyone once; old ledger days still fit', async () => {
    const migrations = loadMigrations();
    const before017 = migrations.findIndex((m) => m.file.startsWith('017_'));
    expect(before017).toBeGreaterThan(0);
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, migrations.slice(0, before017));
    db.prepare("INSERT INTO workspaces (team_id) VALUES ('T0TEAM')").run();
    for (const userId of ['U0A', 'U0B']) {
      db.prepare(
        `INSERT INTO teammates (team_id, user_id, framework_id, level_id, since, tz, tz_fetched_at, created_at, updated_at)
         VALUES ('T0TEAM', ?, 'marketing', 'level-2', '2026-01-15', 'Europe/London', ?, ?, ?)`,
      ).run(userId, '2026-05-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
    }
    // The old planner's state: both cursors at the end, the frameworks' digest current.
    const state = db.prepare('INSERT INTO reminder_state (name, value) VALUES (?, ?)');
    state.run('cursor.updated', JSON.stringify({ at: '2026-05-01T00:00:00.000Z', teamId: 'T0TEAM', userId: 'U0B' }));
    state.run('cursor.tz', JSON.stringify({ at: '2026-05-01T00:00:00.000Z', teamId: 'T0TEAM', userId: 'U0B' }));
    state.run('catalog', catalogDigest(catalog));
    // Ledger rows from before: a reminder and the manager's note on one day, and (written outside the
    // old check) two reminders on another.
    const ledger = db.prepare(
      `INSERT INTO reminder_ledger (team_id, user_id, kind, window_key, status, local_date, claimed_at)
       VALUES ('T0TEAM', 'U0A', ?, 'w', 'sent', ?, '2026-05-01T09:00:00.000Z')`,
    );
    ledger.run('past', '2026-05-01');
    ledger.run('past-manager', '2026-05-01');
    ledger.run('heads-up', '2026-04-01');
    ledger.run('open', '2026-04-01');

    migrate(db, migrations);
    const names = db.prepare<[], { name: string }>('SELECT name FROM reminder_state ORDER BY name').all();
    expect(names.map((r) => r.name)).toEqual(['catalog']);
    const perDay = db
      .prepare<[], { kind: string; per_day: number }>('SELECT kind, per_day FROM reminder_ledger ORDER BY kind')
      .all();
    expect(perDay).toEqual([
      { kind: 'heads-up', per_day: 1 },
      { kind: 'open', per_day: 0 },
      { kind: 'past', per_day: 1 },
      { kind: 'past-manager', per_day: 0 },
    ]);
    const stores = createStores(db);
    const deps = {
      teammates: stores.teammates,
      reminders: stores.reminders,
      checkins: stores.checkins,
      catalog,
      clock: new FakeClock('2026-06-01T09:00:00Z'),
      settings: DEFAULT_REMINDER_SETTINGS,
    };
    expect(await planChanged(deps, new Date('2026-06-01T09:00:00Z'))).toBe(2);
    expect(await planChanged(deps, new Date('2026-06-01T09:15:00Z'))).toBe(0);
  });
});

describe('a full pass over many teammates', () => {
  it('lets the event loop run between batches, so Slack requests are still answered', async () => {
    const { deps, add } = setup();
    for (let i = 0; i < 600; i++) await add(`U0P${String(i).padStart(5, '0')}`, 'Europe/London');
    // Another task that wants the event loop whenever it is free (as a Slack request would).
    let turns = 0;
    let done = false;
    const other = () => {
      turns++;
      if (!done) setImmediate(other);
    };
    setImmediate(other);
    try {
      expect(await planChanged(deps, new Date('2026-06-01T09:00:00Z'))).toBe(600);
    } finally {
      done = true;
    }
    // Three batches of 250: other work ran between them.
    expect(turns).toBeGreaterThanOrEqual(2);
  });
});
