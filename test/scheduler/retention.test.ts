import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import { DEFAULT_REMINDER_SETTINGS, type ReminderDeps, runReminderTick } from '../../src/reminders/engine.js';
import {
  PRUNE_BATCH,
  PRUNE_BATCHES_PER_TICK,
  retentionCutOff,
  runMaintenance,
} from '../../src/scheduler/maintenance.js';
import { renderNotice } from '../../src/slack/render-notice.js';
import { createStores } from '../../src/store/index.js';
import { ADMIN, ALICE, aChange, BOB, T } from '../store/fixtures.js';
import { FakeClock } from '../support/app.js';

const catalog = new Catalog(loadFrameworks('frameworks'));

/** A database, its stores, a clock and the reminder engine with a sender that records each DM. */
function setup(now: string) {
  const db = openDatabase(':memory:');
  const stores = createStores(db);
  const clock = new FakeClock(now);
  const sent: { userId: string; text: string }[] = [];
  const engine: ReminderDeps = {
    teammates: stores.teammates,
    reminders: stores.reminders,
    checkins: stores.checkins,
    catalog,
    clock,
    sender: {
      async deliver(_teamId, userId, notice) {
        for (const m of renderNotice(notice)) sent.push({ userId, text: m.text });
        return { ok: true };
      },
    },
    settings: DEFAULT_REMINDER_SETTINGS,
    sleep: async () => undefined,
    log: { warn: () => undefined, error: () => undefined },
  };
  const maintain = (retentionMonths?: number) => runMaintenance({ ...stores, clock, retentionMonths });
  const ledgerRows = () => (db.prepare('SELECT count(*) AS n FROM reminder_ledger').get() as { n: number }).n;
  /** Ledger rows written directly: `count` kinds of one window, claimed at `at`. */
  const oldRows = (userId: string, windowKey: string, count: number, at: string) => {
    const insert = db.prepare(
      `INSERT INTO reminder_ledger (team_id, user_id, kind, window_key, status, local_date, claimed_at, sent_at)
       VALUES (?, ?, ?, ?, 'sent', ?, ?, ?)`,
    );
    db.transaction(() => {
      // One a day, as the ledger allows (reminder_ledger_one_a_day), on the days before `at`.
      for (let i = 0; i < count; i++) {
        const day = new Date(Date.parse(at) - i * 86_400_000).toISOString().slice(0, 10);
        insert.run(T, userId, `checkin-${i + 1}`, windowKey, day, at, at);
      }
    })();
  };
  return { db, stores, clock, sent, engine, maintain, ledgerRows, oldRows };
}

// Marketing level 2, reached long ago: past its window, so each gets the one "past" reminder.
const PAST = { frameworkId: 'marketing', levelId: 'level-2', since: '2020-01-01', managerId: null };

describe('ledger retention', () => {
  it('after pruning, a reminder of the current window is still not sent twice; old windows are forgotten', async () => {
    const h = setup('2026-01-05T11:00:00Z'); // a Monday, inside delivery hours
    await h.stores.teammates.upsert(aChange({ ...PAST, userId: ALICE }));
    await h.stores.teammates.upsert(aChange({ ...PAST, userId: BOB }));
    await runReminderTick(h.engine);
    expect(h.sent.map((s) => s.userId).sort()).toEqual([ALICE, BOB].sort());

    // Fourteen months on: Alice is still at the same level (her "past" reminder is still owed only
    // once); Bob moved up, so his old window's row is history past the retention period.
    h.clock.set('2027-03-08T11:00:00Z');
    await h.stores.teammates.upsert(
      aChange({ ...PAST, userId: BOB, levelId: 'level-3', since: '2027-03-01', at: '2027-03-01T09:00:00.000Z' }),
    );
    const report = await h.maintain();
    expect(report.ledgerPruned).toBe(1);
    expect((await h.stores.reminders.entries(T, ALICE)).map((e) => e.kind)).toEqual(['past']);
    expect(await h.stores.reminders.entries(T, BOB)).toEqual([]);
    for (let day = 0; day < 5; day++) {
      await runReminderTick(h.engine);
      h.clock.advanceDays(1);
    }
    expect(h.sent.filter((s) => s.userId === ALICE)).toHaveLength(1);
  });

  it('forgets weekly sends past the retention period; this week’s still blocks a second send', async () => {
    const h = setup('2027-03-08T11:00:00Z');
    const key = (week: string) => ({ teamId: T, kind: 'digest' as const, subject: ADMIN, week });
    await h.stores.growth.claimWeek(key('2026-W01'), '2026-01-05T10:00:00.000Z');
    await h.stores.growth.claimWeek(key('2027-W10'), '2027-03-08T10:00:00.000Z');
    expect((await h.maintain()).weeksPruned).toBe(1);
    expect(await h.stores.growth.weekTaken(key('2026-W01'))).toBe(false);
    expect(await h.stores.growth.claimWeek(key('2027-W10'), '2027-03-08T11:00:00.000Z')).toBe(false);
  });

  it('keeps what the setting says, by the injected clock: a day past the cut-off goes, a day before stays', async () => {
    const h = setup('2026-06-15T12:00:00Z');
    await h.stores.teammates.upsert(aChange({ ...PAST, userId: ALICE }));
    const cutOff = retentionCutOff(h.clock.now(), 2);
    expect(cutOff).toBe('2026-04-15T12:00:00.000Z');
    h.oldRows(ALICE, 'marketing/level-1/2019-01-01', 1, '2026-04-14T12:00:00.000Z');
    h.oldRows(BOB, 'marketing/level-1/2019-01-01', 1, '2026-04-16T12:00:00.000Z');
    expect((await h.maintain(2)).ledgerPruned).toBe(1);
    expect(await h.stores.reminders.entries(T, BOB)).toHaveLength(1);
    expect((await h.maintain(13)).ledgerPruned).toBe(0);
    h.clock.advanceDays(2);
    expect((await h.maintain(2)).ledgerPruned).toBe(1);
    expect(h.ledgerRows()).toBe(0);
  });

  it('deletes at most a bounded number of batches per tick, and walks past old rows it keeps', async () => {
    const h = setup('2027-03-08T11:00:00Z');
    await h.stores.teammates.upsert(aChange({ ...PAST, userId: ALICE }));
    // The oldest rows are of Alice's current window (kept); behind them, a backlog of old windows.
    h.oldRows(ALICE, 'marketing/level-2/2020-01-01', 600, '2025-01-01T09:00:00.000Z');
    const backlog = PRUNE_BATCH * PRUNE_BATCHES_PER_TICK + 10;
    h.oldRows(BOB, 'marketing/level-1/2019-01-01', backlog, '2025-02-01T09:00:00.000Z');
    let statements = 0;
    const prune = h.stores.reminders.pruneLedger.bind(h.stores.reminders);
    h.stores.reminders.pruneLedger = async (...args) => {
      statements++;
      return await prune(...args);
    };
    const first = await h.maintain();
    expect(statements).toBe(PRUNE_BATCHES_PER_TICK);
    expect(first.ledgerPruned).toBe(PRUNE_BATCH * PRUNE_BATCHES_PER_TICK - 600);
    statements = 0;
    expect((await h.maintain()).ledgerPruned).toBe(610);
    expect(statements).toBeLessThanOrEqual(PRUNE_BATCHES_PER_TICK);
    // A new pass finds only what it keeps.
    expect((await h.maintain()).ledgerPruned).toBe(0);
    expect(h.ledgerRows()).toBe(600);
  });
});
