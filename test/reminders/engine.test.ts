import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/migrate.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { loadFrameworks } from '../../src/frameworks/load.js';
import type { Delivery, Notice } from '../../src/notify/port.js';
import {
  DEFAULT_REMINDER_SETTINGS,
  evaluate,
  type ReminderDeps,
  type ReminderSender,
  runReminderTick,
} from '../../src/reminders/engine.js';
import { renderNotice } from '../../src/slack/render-notice.js';
import { createStores, type Stores } from '../../src/store/index.js';
import type { ReminderStore } from '../../src/store/reminder-ledger.js';
import { FakeClock } from '../support/app.js';

const T = 'T0TEAM';
const catalog = new Catalog(loadFrameworks('frameworks'));

interface Sent {
  userId: string;
  text: string;
  at: string;
}

/** Records deliveries; `failNext(user, delivery)` makes that person's next delivery fail. */
class FakeSender implements ReminderSender {
  readonly sent: Sent[] = [];
  readonly attempts: string[] = [];
  private readonly failures = new Map<string, Delivery[]>();
  hangAfterDelivering: string | undefined;
  constructor(private readonly clock: FakeClock) {}
  failNext(userId: string, failure: Delivery, times = 1): void {
    this.failures.set(userId, [...(this.failures.get(userId) ?? []), ...Array(times).fill(failure)]);
  }
  async deliver(_teamId: string, userId: string, notice: Notice): Promise<Delivery> {
    this.attempts.push(userId);
    const failure = this.failures.get(userId)?.shift();
    if (failure) return failure;
    for (const m of renderNotice(notice)) this.sent.push({ userId, text: m.text, at: this.clock.now().toISOString() });
    // A process killed right after Slack took the message, before the ledger said so.
    if (this.hangAfterDelivering === userId) return new Promise(() => undefined);
    return { ok: true };
  }
}

interface Harness {
  db: Db;
  stores: Stores;
  clock: FakeClock;
  sender: FakeSender;
  sleeps: number[];
  errors: unknown[][];
  deps: ReminderDeps;
}

function harness(now: string, db: Db = openDatabase(':memory:'), clock = new FakeClock(now)): Harness {
  const stores = createStores(db);
  const sender = new FakeSender(clock);
  const sleeps: number[] = [];
  const errors: unknown[][] = [];
  const deps: ReminderDeps = {
    teammates: stores.teammates,
    reminders: stores.reminders,
    checkins: stores.checkins,
    catalog,
    clock,
    sender,
    settings: DEFAULT_REMINDER_SETTINGS,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.set(new Date(clock.now().getTime() + ms).toISOString());
    },
    log: { warn: () => undefined, error: (...args: unknown[]) => errors.push(args) },
  };
  return { db, stores, clock, sender, sleeps, errors, deps };
}

/** Marketing level 2 (Strategist, 6–12 months): since 2026-01-15 opens 2026-07-15, heads-up 2026-06-17. */
async function addPerson(
  h: Harness,
  userId: string,
  tz: string | null,
  since = '2026-01-15',
  managerId?: string,
): Promise<void> {
  await h.stores.teammates.upsert({
    teamId: T,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    since,
    managerId: managerId ?? null,
    changedBy: 'U0ADMIN',
    at: h.clock.now().toISOString(),
  });
  if (tz !== null) await h.stores.teammates.setTimeZone(T, userId, tz, h.clock.now().toISOString());
}

/** Runs a tick every 15 minutes from the clock's time up to `until`. */
async function runUntil(h: Harness, until: string): Promise<void> {
  const end = Date.parse(until);
  while (h.clock.now().getTime() <= end) {
    await runReminderTick(h.deps);
    h.clock.set(new Date(h.clock.now().getTime() + 15 * 60_000).toISOString());
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ripple-reminders-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

describe('the reminder engine', () => {
  it('delivers the heads-up at 10:00 local time in Tokyo, London and New York, once each', async () => {
    const h = harness('2026-06-16T00:00:00Z');
    await addPerson(h, 'U0TOKYO', 'Asia/Tokyo');
    await addPerson(h, 'U0LONDON', 'Europe/London');
    await addPerson(h, 'U0NY', 'America/New_York');
    await runUntil(h, '2026-06-18T23:00:00Z');
    expect(h.sender.sent.map((s) => [s.userId, s.at])).toEqual([
      ['U0TOKYO', '2026-06-17T01:00:00.000Z'],
      ['U0LONDON', '2026-06-17T09:00:00.000Z'],
      ['U0NY', '2026-06-17T14:00:00.000Z'],
    ]);
    expect(h.sender.sent[0]?.text).toBe('Your window for Coordinator opens on 15 July 2026.');
    expect(h.errors).toEqual([]);
  });

  it('after three days down, sends one catch-up each (the latest reminder), not one per missed day', async () => {
    const h = harness('2026-06-01T00:00:00Z');
    // Windows opened on 2026-06-01 (since 2025-12-01); the heads-ups fell due while Ripple was down.
    for (const [id, tz] of [
      ['U0A', 'Europe/Paris'],
      ['U0B', 'America/Chicago'],
      ['U0C', 'Australia/Sydney'],
    ] as const)
      await addPerson(h, id, tz, '2025-12-01');
    h.clock.set('2026-06-03T00:00:00Z');
    await runUntil(h, '2026-06-06T00:00:00Z');
    expect(h.sender.sent.map((s) => s.userId).sort()).toEqual(['U0A', 'U0B', 'U0C']);
    expect(new Set(h.sender.sent.map((s) => s.text))).toEqual(
      new Set(['Your window for Coordinator is open: 1 June 2026 to 1 December 2026.']),
    );
  });

  it('a process killed mid-batch and restarted sends nothing twice', async () => {
    const path = join(dir, 'killed.db');
    const clock = new FakeClock('2026-06-17T09:00:00Z');
    const first = harness('', openDatabase(path), clock);
    for (const id of ['U0A', 'U0B', 'U0C']) await addPerson(first, id, 'Europe/London');
    first.sender.hangAfterDelivering = 'U0B';
    void runReminderTick(first.deps); // never finishes: "killed" while U0B's send is in flight
    await new Promise((resolve) => setImmediate(resolve));
    expect(first.sender.sent.map((s) => s.userId)).toEqual(['U0A', 'U0B']);
    first.db.close();

    const second = harness('', openDatabase(path), clock);
    await runUntil(second, '2026-06-18T12:00:00Z');
    expect(second.sender.sent.map((s) => s.userId)).toEqual(['U0C']);
    second.db.close();
  });

  it('two engines on one database (overlapping ticks) send each reminder once', async () => {
    const path = join(dir, 'shared.db');
    const clock = new FakeClock('2026-06-17T09:00:00Z');
    const a = harness('', openDatabase(path), clock);
    const b = harness('', openDatabase(path), clock);
    for (const id of ['U0A', 'U0B', 'U0C', 'U0D']) await addPerson(a, id, 'Europe/London');
    await Promise.all([runReminderTick(a.deps), runReminderTick(b.deps)]);
    const all = [...a.sender.sent, ...b.sender.sent].map((s) => s.userId).sort();
    expect(all).toEqual(['U0A', 'U0B', 'U0C', 'U0D']);
    a.db.close();
    b.db.close();
  });

  it.each([
    ['the same reminder', 'open'],
    ["another of the person's reminders on the same local day", 'heads-up'],
  ])('a claim lost to another instance between its read and its claim (%s) sends nothing', async (_what, kind) => {
    const h = harness('2026-06-17T09:00:00Z');
    await addPerson(h, 'U0A', 'Europe/London', '2025-12-01'); // window open since 1 June: "open" is due
    const claim = h.deps.reminders.claim.bind(h.deps.reminders);
    const claims: boolean[] = [];
    // Everything as the real store, but the claim: another instance's claim commits just before ours.
    h.deps.reminders = Object.assign(Object.create(h.deps.reminders) as ReminderStore, {
      claim: async (...args: Parameters<ReminderStore['claim']>) => {
        const [key, localDate, at, options] = args;
        if (claims.length === 0) claims.push(await claim({ ...key, kind }, localDate, at, options));
        const won = await claim(key, localDate, at, options);
        claims.push(won);
        return won;
      },
    });
    const report = await runReminderTick(h.deps);
    expect(claims).toEqual([true, false]);
    expect(h.sender.attempts).toEqual([]);
    expect(report).toMatchObject({ due: 1, sent: 0, deferred: 1 });
    expect((await h.stores.reminders.entries(T, 'U0A')).map((e) => [e.kind, e.status])).toEqual([[kind, 'claimed']]);
  });

  it('a 429 waits for Retry-After and loses nothing', async () => {
    const h = harness('2026-06-17T09:00:00Z');
    for (const id of ['U0A', 'U0B']) await addPerson(h, id, 'Europe/London');
    h.sender.failNext('U0A', { ok: false, error: 'ratelimited', retryAfterSec: 30 });
    const report = await runReminderTick(h.deps);
    expect(h.sleeps).toEqual([30_000]);
    expect(h.sender.sent.map((s) => [s.userId, s.at])).toEqual([
      ['U0A', '2026-06-17T09:00:30.000Z'],
      ['U0B', '2026-06-17T09:00:30.000Z'],
    ]);
    expect(report).toMatchObject({ sent: 2, rateLimitWaits: 1, retrying: 0 });
  });

  it('rate limited past every wait: left for a later tick, then delivered', async () => {
    const h = harness('2026-06-17T09:00:00Z');
    await addPerson(h, 'U0A', 'Europe/London');
    h.sender.failNext('U0A', { ok: false, error: 'ratelimited', retryAfterSec: 1 }, 4);
    await runUntil(h, '2026-06-17T12:00:00Z');
    expect(h.sender.sent.map((s) => s.userId)).toEqual(['U0A']);
  });

  it('account_inactive marks the person and never blocks the others', async () => {
    const h = harness('2026-06-17T09:00:00Z');
    for (const id of ['U0A', 'U0B', 'U0C']) await addPerson(h, id, 'Europe/London');
    h.sender.failNext('U0A', { ok: false, error: 'account_inactive' });
    await runUntil(h, '2026-06-20T12:00:00Z');
    expect(h.sender.sent.map((s) => s.userId)).toEqual(['U0B', 'U0C']);
    expect(h.sender.attempts.filter((u) => u === 'U0A')).toHaveLength(1);
    expect(await h.deps.reminders.getPlan(T, 'U0A')).toMatchObject({ dueAt: null, unreachable: 'account_inactive' });
    expect(await h.deps.reminders.entries(T, 'U0A')).toMatchObject([{ kind: 'heads-up', status: 'undeliverable' }]);
  });

  it('a server error is retried on a later tick; the others are not held up', async () => {
    const h = harness('2026-06-17T09:00:00Z');
    for (const id of ['U0A', 'U0B']) await addPerson(h, id, 'Europe/London');
    h.sender.failNext('U0A', { ok: false, error: 'http_500' });
    await runReminderTick(h.deps);
    expect(h.sender.sent.map((s) => s.userId)).toEqual(['U0B']);
    await runUntil(h, '2026-06-17T12:00:00Z');
    expect(h.sender.sent.map((s) => [s.userId, s.at])).toEqual([
      ['U0B', '2026-06-17T09:00:00.000Z'],
      ['U0A', '2026-06-17T09:15:00.000Z'],
    ]);
  });

  it('a time zone change moves the next delivery', async () => {
    const h = harness('2026-06-16T12:00:00Z');
    await addPerson(h, 'U0A', 'America/Los_Angeles');
    await runReminderTick(h.deps);
    expect((await h.deps.reminders.getPlan(T, 'U0A'))?.dueAt).toBe('2026-06-17T17:00:00.000Z');
    await h.stores.teammates.setTimeZone(T, 'U0A', 'Asia/Tokyo', '2026-06-16T12:05:00Z');
    await runReminderTick(h.deps);
    expect((await h.deps.reminders.getPlan(T, 'U0A'))?.dueAt).toBe('2026-06-17T01:00:00.000Z');
    await runUntil(h, '2026-06-18T00:00:00Z');
    expect(h.sender.sent.map((s) => s.at)).toEqual(['2026-06-17T01:00:00.000Z']);
  });

  it('at most one a day: a new window opened the same day waits for the next delivery day', async () => {
    const h = harness('2026-06-17T09:00:00Z');
    await addPerson(h, 'U0A', 'Europe/London', '2025-12-01'); // window open since 1 June
    await runReminderTick(h.deps);
    // The same day, the record is corrected to an earlier since: a new window, also open.
    h.clock.set('2026-06-17T09:10:00Z');
    await addPerson(h, 'U0A', 'Europe/London', '2025-11-20');
    await runUntil(h, '2026-06-18T12:00:00Z');
    expect(h.sender.sent.map((s) => [s.at, s.text])).toEqual([
      ['2026-06-17T09:00:00.000Z', 'Your window for Coordinator is open: 1 June 2026 to 1 December 2026.'],
      ['2026-06-18T09:10:00.000Z', 'Your window for Coordinator is open: 20 May 2026 to 20 November 2026.'],
    ]);
  });

  it('nothing for people who opted out, left, or are paused; a return date brings them back', async () => {
    const h = harness('2026-06-17T09:00:00Z');
    await addPerson(h, 'U0OFF', 'Europe/London');
    await h.stores.teammates.setNudges(T, 'U0OFF', 'off', '2026-06-01T00:00:00Z');
    await addPerson(h, 'U0LEFT', 'Europe/London');
    await h.stores.teammates.setStatus(T, 'U0LEFT', {
      status: 'left',
      changedBy: 'slack:user_change',
      at: '2026-06-01T00:00:00Z',
    });
    await addPerson(h, 'U0AWAY', 'Europe/London');
    await h.stores.teammates.pause(T, 'U0AWAY', {
      start: '2026-06-01',
      until: '2026-06-22',
      changedBy: 'U0AWAY',
      at: '2026-06-01T00:00:00Z',
    });
    await runReminderTick(h.deps);
    expect(h.sender.sent).toEqual([]);
    expect((await h.deps.reminders.getPlan(T, 'U0AWAY'))?.dueAt).toBe('2026-06-22T09:00:00.000Z');
    // Back on 22 June; the 21 paused days moved the heads-up from 17 June to 8 July.
    const away = await h.stores.teammates.get(T, 'U0AWAY');
    if (away === null) throw new Error('expected a record');
    expect(await evaluate(h.deps, away, new Date('2026-06-22T09:00:00Z'))).toMatchObject({
      action: 'wait',
      kind: 'heads-up',
      dueAt: new Date('2026-07-08T09:00:00Z'),
    });
  });

  it('past the window: the person and, privately, their manager', async () => {
    const h = harness('2027-01-18T15:00:00Z'); // Monday
    await addPerson(h, 'U0A', 'UTC', '2026-01-15', 'U0BOSS');
    await runReminderTick(h.deps);
    expect(h.sender.sent.map((s) => [s.userId, s.text])).toEqual([
      ['U0A', 'Your expected window for Coordinator ended on 15 January 2027: a good topic for your next 1:1.'],
      ['U0BOSS', '<@U0A> is past the expected window for Coordinator, which ended on 15 January 2027.'],
    ]);
  });

  it("a server error on the manager's past-window note is retried on a later tick: the manager gets it once", async () => {
    const h = harness('2027-01-18T15:00:00Z'); // Monday
    await addPerson(h, 'U0A', 'UTC', '2026-01-15', 'U0BOSS');
    h.sender.failNext('U0BOSS', { ok: false, error: 'http_500' });
    expect(await runReminderTick(h.deps)).toMatchObject({ sent: 1, retrying: 1 });
    expect(h.sender.sent.map((s) => s.userId)).toEqual(['U0A']);
    expect(await h.deps.reminders.getPlan(T, 'U0A')).toMatchObject({
      kind: 'past-manager',
      attempts: 1,
      dueAt: '2027-01-18T15:15:00.000Z',
    });
    await runUntil(h, '2027-01-22T16:00:00Z');
    expect(h.sender.sent.map((s) => [s.userId, s.at])).toEqual([
      ['U0A', '2027-01-18T15:00:00.000Z'],
      ['U0BOSS', '2027-01-18T15:15:00.000Z'],
    ]);
    expect(h.sender.attempts).toEqual(['U0A', 'U0BOSS', 'U0BOSS']);
    expect((await h.deps.reminders.entries(T, 'U0A')).map((e) => [e.kind, e.status])).toEqual([
      ['past', 'sent'],
      ['past-manager', 'sent'],
    ]);
    expect(await h.deps.reminders.getPlan(T, 'U0A')).toMatchObject({ dueAt: null, attempts: 0 });
    expect(h.errors).toEqual([]);
  });

  it('an unreachable manager is noted once and the note not tried again', async () => {
    const h = harness('2027-01-18T15:00:00Z');
    await addPerson(h, 'U0A', 'UTC', '2026-01-15', 'U0BOSS');
    h.sender.failNext('U0BOSS', { ok: false, error: 'account_inactive' });
    await runUntil(h, '2027-01-20T16:00:00Z');
    expect(h.sender.attempts).toEqual(['U0A', 'U0BOSS']);
    expect((await h.deps.reminders.entries(T, 'U0A')).map((e) => [e.kind, e.status])).toEqual([
      ['past', 'sent'],
      ['past-manager', 'undeliverable'],
    ]);
    expect(await h.deps.reminders.getPlan(T, 'U0A')).toMatchObject({ dueAt: null, unreachable: null });
  });
});
