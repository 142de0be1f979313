import { afterEach, describe, expect, it } from 'vitest';
import { reminderEngine } from '../../src/jobs.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { runReminderTick } from '../../src/reminders/engine.js';
import { DEFAULT_DELIVERY } from '../../src/reminders/schedule.js';
import { type EngineName, lastingDatabase, startTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const TOKYO = 'U0TOKYO001';
const LONDON = 'U0LONDON01';
const NEWYORK = 'U0NEWYORK1';
const USERS: FakeUser[] = [
  { id: TOKYO, name: 'kenji', tz: 'Asia/Tokyo' },
  { id: LONDON, name: 'ben', tz: 'Europe/London' },
  { id: NEWYORK, name: 'nora', tz: 'America/New_York' },
];
const TZ: Record<string, string> = { [TOKYO]: 'Asia/Tokyo', [LONDON]: 'Europe/London', [NEWYORK]: 'America/New_York' };

const apps: TestApp[] = [];
afterEach(async () => {
  for (const t of apps.splice(0)) await t.stop();
});

async function start(now: string, options: TestAppOptions): Promise<TestApp> {
  const t = await startTestApp({ users: USERS, now, ...options });
  apps.push(t);
  return t;
}

/** Marketing level 2 since 2026-01-15: window 15 July 2026 to 15 January 2027, heads-up 17 June. */
async function record(t: TestApp, userId: string, since = '2026-01-15', managerId?: string): Promise<void> {
  const at = t.clock.now().toISOString();
  await t.ctx.stores.teammates.upsert({
    teamId: t.api.teamId,
    userId,
    frameworkId: 'marketing',
    levelId: 'level-2',
    since,
    ...(managerId === undefined ? {} : { managerId }),
    changedBy: 'U0ADMIN001',
    at,
  });
  await t.ctx.stores.teammates.setTimeZone(t.api.teamId, userId, TZ[userId] ?? null, at);
}

function engine(t: TestApp) {
  const sleeps: number[] = [];
  const e = reminderEngine({
    ctx: t.ctx,
    notifier: t.slack.services.notifier,
    schedule: DEFAULT_DELIVERY,
    log: { warn: () => undefined, error: (...args: unknown[]) => t.errors.push(args) },
    sleep: async (ms) => {
      sleeps.push(ms);
      t.clock.set(new Date(t.clock.now().getTime() + ms).toISOString());
    },
  });
  return { ...e, sleeps };
}

async function ticksUntil(t: TestApp, tick: () => Promise<unknown>, until: string): Promise<void> {
  while (t.clock.now().getTime() <= Date.parse(until)) {
    await tick();
    t.clock.set(new Date(t.clock.now().getTime() + 15 * 60_000).toISOString());
  }
}

/** The reminder DMs the fake Slack took, by recipient. */
function dms(t: TestApp): { user: string; text: string; args: Record<string, unknown> }[] {
  return t.api.calls
    .filter((c) => c.method === 'chat.postMessage' && c.status === 200 && c.response?.ok === true)
    .map((c) => ({ user: String(c.args.channel).slice(1), text: String(c.args.text), args: c.args }));
}

/** One tick a day at 12:00 UTC (inside London's working hours on weekdays), from now to `until`. */
async function dailyTicksUntil(t: TestApp, tick: () => Promise<unknown>, until: string): Promise<void> {
  while (t.clock.now().getTime() <= Date.parse(until)) {
    await tick();
    t.clock.set(new Date(t.clock.now().getTime() + 86_400_000).toISOString());
  }
}

/** Starts a check-in with `/career checkin` and answers every question "Consistently" by clicking, as Slack sends it. */
async function finishCheckin(t: TestApp, user: string): Promise<void> {
  let reply = await t.driver.command('checkin', { user });
  for (let i = 0; i < 100; i++) {
    const posted = reply.calls.filter((c) => c.method === 'chat.postMessage' && c.response?.ok === true).reverse();
    const question = posted.find((c) => buttonsOf(c.args).some((b) => b.actionId === 'checkin.rate.consistently'));
    if (question === undefined) return;
    const rate = buttonsOf(question.args).find((b) => b.actionId === 'checkin.rate.consistently');
    reply = await t.driver.action({
      user,
      actionId: 'checkin.rate.consistently',
      value: rate?.value,
      channel: String(question.response?.channel ?? question.args.channel),
      message: { ts: String(question.response?.ts) },
    });
    expect(reply.status).toBe(200);
  }
  throw new Error('the check-in never finished');
}

async function sentAt(t: TestApp, userId: string): Promise<(string | null)[]> {
  return (await t.ctx.stores.reminders.entries(t.api.teamId, userId)).map((e) => e.sentAt);
}

// The same deliveries on SQLite and on PostgreSQL (skipped with a reason when there is no server here).
describe.each(engines())('on %s', ({ name, skip }) => {
  const engineName: EngineName = name;
  describe.skipIf(skip)('growth reminders through the offline Slack', () => {
    it('arrive at 10:00 local time in Tokyo, London and New York, once each, with a check-in button', async () => {
      const t = await start('2026-06-16T00:00:00Z', { engine: engineName });
      for (const id of [TOKYO, LONDON, NEWYORK]) await record(t, id);
      const e = engine(t);
      await ticksUntil(t, e.tick, '2026-06-18T23:00:00Z');
      expect(dms(t).map((d) => d.user)).toEqual([TOKYO, LONDON, NEWYORK]);
      expect(await sentAt(t, TOKYO)).toEqual(['2026-06-17T01:00:00.000Z']);
      expect(await sentAt(t, LONDON)).toEqual(['2026-06-17T09:00:00.000Z']);
      expect(await sentAt(t, NEWYORK)).toEqual(['2026-06-17T14:00:00.000Z']);
      const first = dms(t)[0];
      expect(first?.text).toBe('Your window for Coordinator opens on 15 July 2026.');
      expect(buttonsOf(first?.args).map((b) => [b.text, b.actionId])).toEqual([['Start a check-in', 'checkin.start']]);
      expectWithinSlackLimits(dms(t).map((d) => d.args));
      // The button starts a check-in, in the DM where the reminder came.
      const button = buttonsOf(first?.args)[0];
      const pressed = await t.driver.action({
        user: TOKYO,
        actionId: button?.actionId ?? '',
        value: button?.value,
        channel: `D${TOKYO}`,
        message: first?.args,
      });
      expect(pressed.status).toBe(200);
      expect(await t.ctx.stores.checkins.all(t.api.teamId, TOKYO)).toHaveLength(1);
      expect(t.errors).toEqual([]);
    });

    it('a 429 delays delivery for Retry-After and loses nothing', async () => {
      const t = await start('2026-06-17T09:00:00Z', { engine: engineName });
      for (const id of [LONDON, NEWYORK]) await record(t, id, '2025-12-01'); // windows open since 1 June
      t.api.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
      const e = engine(t);
      await e.tick();
      await e.tick();
      t.clock.set('2026-06-17T14:00:00Z');
      await e.tick();
      expect(e.sleeps).toEqual([7000]);
      expect(dms(t).map((d) => d.user)).toEqual([LONDON, NEWYORK]);
      expect(await sentAt(t, LONDON)).toEqual(['2026-06-17T09:00:07.000Z']);
    });

    it('an account_inactive recipient is marked and does not block the others', async () => {
      const t = await start('2026-06-17T14:00:00Z', { engine: engineName });
      for (const id of [TOKYO, LONDON, NEWYORK]) await record(t, id, '2025-12-01');
      t.clock.set('2026-06-18T01:00:00Z'); // 10:00 in Tokyo
      t.api.failNext('conversations.open', { error: 'account_inactive' });
      const e = engine(t);
      await ticksUntil(t, e.tick, '2026-06-19T00:00:00Z');
      expect(dms(t).map((d) => d.user)).toEqual([LONDON, NEWYORK]);
      expect(await t.ctx.stores.reminders.getPlan(t.api.teamId, TOKYO)).toMatchObject({
        unreachable: 'account_inactive',
      });
    });

    it('after three days down, one catch-up each, not one per missed day', async () => {
      const t = await start('2026-06-01T00:00:00Z', { engine: engineName });
      for (const id of [TOKYO, LONDON, NEWYORK]) await record(t, id, '2025-12-01'); // windows open on 1 June
      t.clock.set('2026-06-04T00:00:00Z'); // Ripple was down from 1 to 4 June
      const e = engine(t);
      await ticksUntil(t, e.tick, '2026-06-06T00:00:00Z');
      expect(dms(t).map((d) => d.user)).toEqual([TOKYO, LONDON, NEWYORK]);
      expect(new Set(dms(t).map((d) => d.text))).toEqual(
        new Set(['Your window for Coordinator is open: 1 June 2026 to 1 December 2026.']),
      );
    });

    it('a time zone change from Slack (user_change) moves the next delivery', async () => {
      const t = await start('2026-06-16T12:00:00Z', { engine: engineName });
      await record(t, NEWYORK);
      const e = engine(t);
      await e.tick();
      const plans = t.ctx.stores.reminders;
      expect((await plans.getPlan(t.api.teamId, NEWYORK))?.dueAt).toBe('2026-06-17T14:00:00.000Z');
      t.clock.set('2026-06-16T12:05:00Z');
      const changed = await t.driver.event({ type: 'user_change', user: { id: NEWYORK, tz: 'Asia/Tokyo' } });
      expect(changed.status).toBe(200);
      await e.tick();
      expect((await plans.getPlan(t.api.teamId, NEWYORK))?.dueAt).toBe('2026-06-17T01:00:00.000Z');
      t.clock.set('2026-06-16T12:15:00Z'); // back on the quarter-hour ticks
      await ticksUntil(t, e.tick, '2026-06-18T00:00:00Z');
      expect(await sentAt(t, NEWYORK)).toEqual(['2026-06-17T01:00:00.000Z']);
    });

    it('a restart in the middle of a batch sends nothing twice', async () => {
      const lasting = await lastingDatabase(engineName);
      try {
        const first = await start('2026-06-17T14:00:00Z', lasting.options);
        expect(first.engine.dialect).toBe(engineName);
        for (const id of [TOKYO, LONDON, NEWYORK]) await record(first, id, '2025-12-01');
        first.clock.set('2026-06-18T14:00:00Z'); // inside everyone's hours but Tokyo's
        // London's message reaches Slack, which never answers: the process dies there.
        first.api.on('chat.postMessage', (args) =>
          args.channel === `D${LONDON}`
            ? new Promise(() => undefined)
            : { ok: true, ts: '1.000100', channel: args.channel },
        );
        const e1 = engine(first);
        const killed = runReminderTick(e1.deps).catch(() => undefined);
        const londonReachedSlack = () =>
          first.api.calls.some((c) => c.method === 'chat.postMessage' && c.args.channel === `D${LONDON}`);
        while (!londonReachedSlack()) await new Promise((resolve) => setTimeout(resolve, 5));
        await first.stop();
        apps.splice(apps.indexOf(first), 1);
        await killed;

        const second = await start('2026-06-18T14:15:00Z', lasting.options);
        const e2 = engine(second);
        await ticksUntil(second, e2.tick, '2026-06-19T23:00:00Z');
        const firstRecipients = first.api.calls
          .filter((c) => c.method === 'chat.postMessage')
          .map((c) => c.args.channel);
        const secondRecipients = dms(second).map((d) => `D${d.user}`);
        expect(firstRecipients).toEqual([`D${LONDON}`]);
        expect(secondRecipients.sort()).toEqual([`D${NEWYORK}`, `D${TOKYO}`]);
      } finally {
        await lasting.remove();
      }
    });
  });

  describe.skipIf(skip)('what a tick costs a reminder', () => {
    /**
     * Each person due is read once (their record, pauses, ledger, last finished check-in), claimed (its own
     * commit, before the send) and, after the send, recorded as sent with their next plan; the look after the
     * send reuses the reads, and the "sent" of every person delivered is one transaction for the batch.
     */
    it('three reminders: eight statements each and one transaction for their "sent"', async () => {
      const t = await start('2026-06-17T08:00:00Z', { engine: engineName });
      for (const id of [TOKYO, LONDON, NEWYORK]) {
        await record(t, id);
        await t.ctx.stores.teammates.setTimeZone(t.api.teamId, id, 'Europe/London', t.clock.now().toISOString());
      }
      const e = engine(t);
      await e.tick(); // plans everyone: the heads-up is due at 10:00 in London (09:00 UTC)
      expect(dms(t)).toEqual([]);
      t.clock.set('2026-06-17T09:00:00Z');
      const before = { ...t.ran };
      const report = await e.tick();
      const ran = { statements: t.ran.statements - before.statements, units: t.ran.transactions - before.transactions };
      expect(report).toMatchObject({ due: 3, sent: 3, planned: 0 });
      expect(dms(t).map((d) => d.text)).toEqual(Array(3).fill('Your window for Coordinator opens on 15 July 2026.'));
      for (const id of [TOKYO, LONDON, NEWYORK]) expect(await sentAt(t, id)).toEqual(['2026-06-17T09:00:00.000Z']);
      // Before any person: ended pauses (a unit of work of one read), the planner's state and cursor (three reads),
      // what is due (one). Then 8 a person: 4 reads, the claim, the notifier's "is the workspace installed", "sent"
      // and the next plan; and one unit of work for the three "sent" (11 a person and a unit each before).
      expect(ran).toEqual({ statements: 5 + 3 * 8, units: 1 + 1 });
    });
  });

  describe.skipIf(skip)('reminders that listen', () => {
    it('a finished check-in counts as the prompt: the next comes six weeks after it, not 2 days later', async () => {
      // Window open since 15 July; a prompt counted from the opening would come on 26 August.
      const t = await start('2026-08-24T12:00:00Z', { engine: engineName });
      await record(t, LONDON);
      const e = engine(t);
      await e.tick();
      expect(dms(t).map((d) => d.text)).toEqual([
        'Your window for Coordinator is open: 15 July 2026 to 15 January 2027.',
      ]);
      t.clock.set('2026-08-24T13:00:00Z');
      await finishCheckin(t, LONDON);
      expect((await t.ctx.stores.checkins.finished(t.api.teamId, LONDON)).length).toBe(1);
      const before = dms(t).length;
      // The next tick plans the person again: due six weeks after the check-in, Monday 5 October 10:00 London.
      t.clock.set('2026-08-25T12:00:00Z');
      await dailyTicksUntil(t, e.tick, '2026-10-04T12:00:00Z');
      expect(dms(t).slice(before)).toEqual([]);
      expect((await t.ctx.stores.reminders.getPlan(t.api.teamId, LONDON))?.dueAt).toBe('2026-10-05T09:00:00.000Z');
      // `/career nudges` lists the same day: one rule for what is shown and what is sent.
      const shown = visibleText((await t.driver.command('nudges', { user: LONDON })).ack);
      expect(shown).toContain('5 October 2026: Check-in prompt');
      expect(shown).not.toContain('26 August 2026');
      await dailyTicksUntil(t, e.tick, '2026-10-05T12:00:00Z');
      const prompts = dms(t).slice(before);
      expect(prompts.map((d) => d.user)).toEqual([LONDON]);
      expect(prompts[0]?.text).toContain('a good moment for a check-in');
      expect(await sentAt(t, LONDON)).toEqual(['2026-08-24T12:00:00.000Z', '2026-10-05T12:00:00.000Z']);
      expect(t.errors).toEqual([]);
    });

    it("a note to a manager about a report arrives in the manager's working hours, not the report's", async () => {
      const t = await start('2027-01-17T12:00:00Z', { engine: engineName });
      await record(t, NEWYORK, '2026-11-01');
      await record(t, TOKYO, '2026-01-15', NEWYORK); // window closed on 15 January 2027
      const e = engine(t);
      await ticksUntil(t, e.tick, '2027-01-18T23:00:00Z');
      const entries = await t.ctx.stores.reminders.entries(t.api.teamId, TOKYO);
      // Monday 10:00 in Tokyo for the report; Monday 10:00 in New York (not 20:00 on Sunday) for the manager.
      expect(entries.map((x) => [x.kind, x.sentAt])).toEqual([
        ['past', '2027-01-18T01:00:00.000Z'],
        ['past-manager', '2027-01-18T15:00:00.000Z'],
      ]);
      const note = dms(t).find((d) => d.user === NEWYORK && d.text.includes(`<@${TOKYO}>`));
      expect(note).toBeDefined();
      expect(t.errors).toEqual([]);
    });
  });

  describe.skipIf(skip)('/career nudges', () => {
    it('shows the window and the reminders to come; off stops them and on starts them again', async () => {
      const t = await start('2026-04-15T12:00:00Z', { engine: engineName });
      await record(t, LONDON);
      const show = await t.driver.command('nudges', { user: LONDON });
      const shown = visibleText(show.ack);
      expect(shown).toContain('Your window for *Coordinator*: 15 July 2026 to 15 January 2027.');
      expect(shown).toContain('17 June 2026: Heads-up before your window opens');
      expect(shown).toContain('15 July 2026: Your window opens');

      const off = await t.driver.command('nudges off', { user: LONDON });
      expect(visibleText(off.ack)).toContain('Growth reminders are off');
      const e = engine(t);
      t.clock.set('2026-06-17T09:00:00Z');
      await ticksUntil(t, e.tick, '2026-06-18T12:00:00Z');
      expect(dms(t)).toEqual([]);

      const on = await t.driver.command('nudges on', { user: LONDON });
      expect(visibleText(on.ack)).toContain('Growth reminders are on');
      await e.tick();
      expect(dms(t).map((d) => d.text)).toEqual(['Your window for Coordinator opens on 15 July 2026.']);
    });

    it('without a record: says so', async () => {
      const t = await start('2026-04-15T12:00:00Z', { engine: engineName });
      const show = await t.driver.command('nudges', { user: TOKYO });
      expect(visibleText(show.ack)).toContain("You don't have a career record yet");
    });
  });
});
