import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { DEFAULT_REMINDER_SETTINGS, planChanged } from '../../src/reminders/engine.js';
import { createStores, sqliteEngineOf } from '../../src/store/index.js';
import { FakeClock } from '../support/app.js';
import { markChanged } from '../support/changes.js';

const catalog = new Catalog(loadFrameworks('frameworks'));

function setup() {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  const clock = new FakeClock('2026-06-01T09:00:00Z');
  const deps = {
    teammates: stores.teammates,
    reminders: stores.reminders,
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
    await markChanged(sqliteEngineOf(db).sql, 'T0TEAM', [userId]);
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
    const { db, stores, clock, deps, add } = setup();
    await add('U0A', 'Europe/London');
    await planChanged(deps, clock.now());
    clock.set('2026-06-01T10:00:00Z');
    await stores.teammates.setTimeZone('T0TEAM', 'U0A', 'America/New_York', clock.now().toISOString());
    await markChanged(sqliteEngineOf(db).sql, 'T0TEAM', ['U0A']);
    expect(await planChanged(deps, clock.now())).toBe(1);
    // Heads-up on 17 June at 10:00 in New York, no longer London.
    expect((await deps.reminders.getPlan('T0TEAM', 'U0A'))?.dueAt).toBe('2026-06-17T14:00:00.000Z');
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
