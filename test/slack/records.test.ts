import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { runMaintenance } from '../../src/scheduler/maintenance.js';
import { SqlPendingChangeStore } from '../../src/store/pending.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot, lockOnce, replaceMethod } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const ADMIN = 'U0ADMIN001'; // listed in CAREER_ADMINS
const OWNER = 'U0OWNER001'; // a Slack workspace owner
const MAYA = 'U0MAYA0001'; // manager
const BEN = 'U0BEN00001'; // Maya's report
const CHEN = 'U0CHEN0001'; // nobody's manager
const GONE = 'U0GONE0001'; // deactivated in Slack

const USERS: FakeUser[] = [
  { id: ADMIN, name: 'ana', tz: 'America/Sao_Paulo' },
  { id: OWNER, name: 'olu', is_owner: true },
  { id: MAYA, name: 'maya', tz: 'Europe/Stockholm' },
  { id: BEN, name: 'ben', tz: 'Europe/London' },
  { id: CHEN, name: 'chen', tz: 'Asia/Singapore' },
  { id: GONE, name: 'gone', deleted: true },
  { id: 'U0BOTUSER1', name: 'buildbot', is_bot: true },
];

const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;

/** Runs a command and returns what the user saw (the response_url replies, as text). */
/** Runs a command and returns the reply and what the person saw. */
const career = (user: string, text: string) => runCareer(t, user, text);

async function setBen() {
  return career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
}

// Every command here on SQLite and on PostgreSQL (skipped with a reason when there is no server here).
describe.each(engines())('on %s', ({ name: engine, skip }) => {
  // Every test below is skipped, and so are these hooks, when the engine is.
  beforeEach(async () => {
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
  });
  afterEach(async () => {
    await t.stop();
  });

  describe.skipIf(skip)('/career set and /career me', () => {
    it('an admin records a level; the teammate sees level, title and window dates', async () => {
      const set = await setBen();
      expect(set.shown).toContain(`Recorded <@${BEN}> at *Marketing · Level 2 · Strategist* since 15 January 2026`);
      // The teammate is told, privately, and their Home tab is refreshed.
      const dm = set.reply.calls.find((c) => c.method === 'chat.postMessage');
      expect(dm?.args.channel).toBe(`D${BEN}`);
      expect(visibleText(dm?.args)).toContain(`<@${ADMIN}> recorded your career level`);
      expect(visibleText(dm?.args)).toContain('Welcome to Ripple');
      expect(set.reply.calls.some((c) => c.method === 'views.publish' && c.args.user_id === BEN)).toBe(true);

      const me = await career(BEN, 'me');
      expect(me.shown).toContain('Your career record');
      expect(me.shown).toContain('Marketing · Level 2 · Strategist');
      expect(me.shown).toContain('15 January 2026 (10 months)');
      expect(me.shown).toContain(`<@${MAYA}>`);
      expect(me.shown).toContain('Expected window for Level 3 (Coordinator):* 15 July 2026 to 15 January 2027');
      expect(me.shown).toMatch(/`▓{8}░{2}` In the expected window now: a good time to talk about the next step\./);
      expect(t.errors).toEqual([]);
    });

    it('the history holds the change with who made it, when, from and to', async () => {
      await setBen();
      await career(MAYA, `set ${m(BEN)} marketing 3 since 2026-11-01`);
      const history = await t.ctx.stores.teammates.history(t.api.teamId, BEN);
      const level = history.filter((h) => h.field === 'level');
      expect(level.map((h) => [h.from, h.to, h.changedBy])).toEqual([
        [null, 'level-2', ADMIN],
        ['level-2', 'level-3', MAYA],
      ]);
      expect(level[1]?.changedAt).toBe('2026-11-29T15:00:00.000Z');
    });

    it('a Slack workspace owner is an admin too', async () => {
      const set = await career(OWNER, `set ${m(CHEN)} engineering "Software Engineer II" since 2025-10-01`);
      expect(set.shown).toContain('Recorded');
      expect((await t.ctx.stores.teammates.get(t.api.teamId, CHEN))?.levelId).toBe('software-engineer-ii');
    });

    it('says when nothing changes', async () => {
      await setBen();
      const again = await setBen();
      expect(again.shown).toContain('Nothing to change');
    });

    it('with no record, /career me says how to get one', async () => {
      const me = await career(CHEN, 'me');
      expect(me.shown).toContain("You don't have a career record yet");
    });

    it('/career level 3 with no team uses the caller’s own framework', async () => {
      await setBen();
      const { reply } = await career(BEN, 'level 3');
      expect(visibleText(reply.ack)).toContain('Marketing · Level 3 · Coordinator');
    });
  });

  describe.skipIf(skip)('who may set a record', () => {
    it('a teammate cannot set anyone, and nothing changes', async () => {
      await setBen();
      const before = await engineSnapshot(t.engine);
      const refused = await career(CHEN, `set ${m(BEN)} marketing 5`);
      expect(refused.shown).toContain(`Only @ben's manager of record or a Ripple admin can set their level.`);
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });

    it('nobody promotes themselves', async () => {
      await setBen();
      const before = await engineSnapshot(t.engine);
      const refused = await career(BEN, `set ${m(BEN)} marketing 5`);
      expect(refused.shown).toContain("You can't set your own level");
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });

    it('a manager sets their report, but not someone else', async () => {
      await setBen();
      await career(ADMIN, `set ${m(CHEN)} engineering 2`);
      const ok = await career(MAYA, `set ${m(BEN)} marketing 3`);
      expect(ok.shown).toContain('Updated');
      const before = await engineSnapshot(t.engine);
      const refused = await career(MAYA, `set ${m(CHEN)} engineering 3`);
      expect(refused.shown).toContain('manager of record');
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });
  });

  describe.skipIf(skip)('bad input leaves the database exactly as it was', () => {
    it.each([
      ['an unknown user', `set <@U0NOBODY01|nobody> marketing 2`, "I can't find @nobody in this workspace"],
      ['a deactivated user', `set ${m(GONE)} marketing 2`, '@gone has been deactivated in Slack'],
      ['a bot', `set <@U0BOTUSER1|buildbot> marketing 2`, '@buildbot is a bot, not a teammate'],
      [
        'a date in the future',
        `set ${m(BEN)} marketing 2 since 2027-01-01`,
        "A level can't start in the future: 1 January 2027 is after today (29 November 2026)",
      ],
      ['a date that does not exist', `set ${m(BEN)} marketing 2 since 2026-02-30`, "isn't a real date"],
      ['a malformed date', `set ${m(BEN)} marketing 2 since 15/01/2026`, 'I can\'t read "15/01/2026" as a date.'],
      ['a level the framework lacks', `set ${m(BEN)} marketing 7`, 'Marketing has levels 1 to 5; there is no level 7.'],
      ['a framework that does not exist', `set ${m(BEN)} sales 2`, 'I don\'t know a team called "sales"'],
      ['a plain @name', `set @ben marketing 2`, "Pick the person from Slack's @-menu"],
      ['an unknown manager', `set ${m(BEN)} marketing 2 manager <@U0NOBODY01|nobody>`, "I can't find @nobody"],
      ['their own manager', `set ${m(BEN)} marketing 2 manager ${m(BEN)}`, 'Someone cannot be their own manager.'],
      ['no level', `set ${m(BEN)} marketing`, 'Say which team and which level.'],
    ])('%s', async (_what, text, message) => {
      await setBen();
      const before = await engineSnapshot(t.engine);
      t.api.reset();
      const { shown, reply } = await career(ADMIN, text);
      expect(shown).toContain(message);
      expect(await engineSnapshot(t.engine)).toEqual(before);
      expect(reply.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'views.publish')).toEqual([]);
    });

    it('Slack failing to answer users.info changes nothing and says so', async () => {
      const before = await engineSnapshot(t.engine);
      t.api.failNext('users.info', { status: 500 }, 10);
      const { shown } = await career(ADMIN, `set ${m(BEN)} marketing 2`);
      expect(shown).toContain("Slack didn't answer");
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });
  });

  describe.skipIf(skip)('/career who', () => {
    it('shows the card to the person, their manager and admins, and no one else', async () => {
      await setBen();
      for (const viewer of [BEN, MAYA, ADMIN, OWNER]) {
        const { shown } = await career(viewer, `who ${m(BEN)}`);
        expect(shown, viewer).toContain('Marketing · Level 2 · Strategist');
      }
      const refused = await career(CHEN, `who ${m(BEN)}`);
      expect(refused.shown).toContain('Only @ben, their manager and Ripple admins can see their career record.');
      expect(refused.shown).not.toContain('Strategist');
    });

    it('does not reveal whether a record exists to someone who may not see it', async () => {
      const a = await career(CHEN, `who ${m(MAYA)}`);
      await setBen();
      const b = await career(CHEN, `who ${m(BEN)}`);
      expect(a.shown.replace('@maya', '@x')).toBe(b.shown.replace('@ben', '@x'));
    });
  });

  describe.skipIf(skip)('pause and resume', () => {
    it('paused time moves the window later', async () => {
      await setBen();
      const paused = await career(BEN, 'pause until 2027-01-10');
      expect(paused.shown).toContain('Paused until 10 January 2027');
      expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.status).toBe('paused');
      t.clock.advanceDays(30);
      const resumed = await career(BEN, 'resume');
      expect(resumed.shown).toContain('Your window moved 30 days later');
      expect(resumed.shown).toContain('14 August 2026 to 14 February 2027');
    });

    it('a pause with a return date ends on that date by itself', async () => {
      await setBen();
      await career(BEN, 'pause until 2026-12-09');
      t.clock.advanceDays(20);
      const before = await engineSnapshot(t.engine);
      const me = await career(BEN, 'me');
      expect(me.shown).toContain('Active');
      // Ten days away (2026-11-29 to 2026-12-09), not twenty.
      expect(me.shown).toContain('25 July 2026 to 25 January 2027');
      // Reading a card never writes: the maintenance job records the end of the pause.
      expect(await engineSnapshot(t.engine)).toEqual(before);
      const report = await runMaintenance({ ...t.ctx.stores, clock: t.clock });
      expect(report.pausesSettled).toBe(1);
      const ended = (await t.ctx.stores.teammates.history(t.api.teamId, BEN)).filter(
        (h) => h.changedBy === 'ripple:pause-ended',
      );
      expect(ended).toHaveLength(1);
      expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.status).toBe('active');
      expect((await career(BEN, 'me')).shown).toContain('25 July 2026 to 25 January 2027');
      expect((await runMaintenance({ ...t.ctx.stores, clock: t.clock })).pausesSettled).toBe(0);
    });

    it('refuses a return date in the past, a second pause, and resume when not paused', async () => {
      await setBen();
      const before = await engineSnapshot(t.engine);
      expect((await career(BEN, 'pause until 2026-11-01')).shown).toContain("isn't after today");
      expect((await career(BEN, 'resume')).shown).toContain("You aren't paused");
      expect(await engineSnapshot(t.engine)).toEqual(before);
      await career(BEN, 'pause');
      const after = await engineSnapshot(t.engine);
      expect((await career(BEN, 'pause')).shown).toContain("You're already paused");
      expect(await engineSnapshot(t.engine)).toEqual(after);
    });
  });

  describe.skipIf(skip)('export and forget', () => {
    it('export sends a short summary and the full data as a JSON file to the caller’s DM', async () => {
      await setBen();
      await career(BEN, 'celebrate on');
      t.api.reset();
      const { shown, reply } = await career(BEN, 'export');
      expect(shown).toContain("I've sent everything Ripple holds about you");
      const dm = reply.calls.filter((c) => c.method === 'chat.postMessage');
      expect(dm.every((c) => c.args.channel === `D${BEN}`)).toBe(true);
      // A summary people can read, not about 100 lines of raw JSON.
      const summary = dm.map((c) => visibleText(c.args)).join('\n');
      expect(summary).toContain('*Record:* Marketing · Level 2 · Strategist since 2026-01-15');
      expect(summary).not.toContain('```');
      expect(summary.split('\n').length).toBeLessThan(12);
      const files = [...t.api.files.values()];
      expect(files).toHaveLength(1);
      expect(files[0]?.channel).toBe(`D${BEN}`);
      const data = JSON.parse(/\{[\s\S]*\}/.exec(files[0]?.data ?? '')?.[0] ?? '');
      expect(data.person).toBe(BEN);
      expect(data.record.level).toBe('Level 2 · Strategist');
      expect(data.history.length).toBeGreaterThan(0);
      // Choices Ripple keeps about the person are part of their data too.
      expect(data.preferences).toEqual({
        remindersAboutOptionalSteps: 'on',
        celebrateLevelUpsInTheGrowthChannel: true,
        weeklyTeamDigest: 'on',
      });
      // No internal ids other than the person's own Slack id.
      const json = JSON.stringify(data);
      for (const id of [t.api.teamId, ADMIN, MAYA, 'level-2', '"id"']) expect(json).not.toContain(id);
    });

    it('export falls back to the JSON as messages when the file cannot be shared', async () => {
      await setBen();
      t.api.reset();
      t.api.failNext('files.getUploadURLExternal', { error: 'missing_scope' });
      const { shown, reply } = await career(BEN, 'export');
      expect(shown).toContain("I've sent everything Ripple holds about you");
      const text = reply.calls
        .filter((c) => c.method === 'chat.postMessage')
        .map((c) => visibleText(c.args))
        .join('\n');
      const json = text
        .split('```')
        .filter((_, i) => i % 2 === 1)
        .join('');
      expect(JSON.parse(json).person).toBe(BEN);
    });

    it('forget me asks first, then deletes everything on confirmation', async () => {
      await setBen();
      const ask = await career(BEN, 'forget me');
      const [confirm, cancel] = buttonsOf(ask.reply.responses[0]);
      expect(confirm?.text).toBe('Delete my data');
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).not.toBeNull();
      // Cancel keeps everything.
      const cancelled = await t.driver.action({ user: BEN, actionId: cancel?.actionId ?? '', value: cancel?.value });
      expect(visibleText(cancelled.responses[0])).toContain('nothing was deleted');
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).not.toBeNull();
      // Someone else pressing the same button deletes nothing.
      const before = await engineSnapshot(t.engine);
      const other = await t.driver.action({ user: CHEN, actionId: confirm?.actionId ?? '', value: confirm?.value });
      expect(visibleText(other.responses[0])).toContain('Only Ripple admins');
      expect(await engineSnapshot(t.engine)).toEqual(before);
      const done = await t.driver.action({ user: BEN, actionId: confirm?.actionId ?? '', value: confirm?.value });
      expect(visibleText(done.responses[0])).toContain('Ripple no longer holds any data about you');
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toBeNull();
      expect(await t.ctx.stores.teammates.history(t.api.teamId, BEN)).toEqual([]);
    });

    it('forget me meeting a lock half-way deletes everything on the retry, changes waiting for Confirm included', async () => {
      await setBen();
      // Maya's demotion waits for her Confirm: it names Ben too.
      expect((await career(MAYA, `set ${m(BEN)} marketing 1`)).shown).toContain('Check before saving');
      const ask = await career(BEN, 'forget me');
      const [confirm] = buttonsOf(ask.reply.responses[0]);
      // The unit of work's own pending store meets it.
      const lock = lockOnce(SqlPendingChangeStore.prototype, 'forgetUser');
      const done = await t.driver.action({ user: BEN, actionId: confirm?.actionId ?? '', value: confirm?.value });
      expect(lock.met()).toBe(true);
      expect(visibleText(done.responses[0])).toContain('Ripple no longer holds any data about you');
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toBeNull();
      expect(await t.engine.sql.get('SELECT COUNT(*) AS n FROM pending_changes')).toEqual({ n: 0 });
    });

    it('an admin can forget someone only once they have left Slack', async () => {
      await setBen();
      const before = await engineSnapshot(t.engine);
      expect((await career(ADMIN, `forget ${m(BEN)}`)).shown).toContain('is still active');
      expect((await career(MAYA, `forget ${m(BEN)}`)).shown).toContain('Only Ripple admins');
      expect(await engineSnapshot(t.engine)).toEqual(before);
      await t.driver.event({ type: 'user_change', user: { id: BEN, name: 'ben', deleted: true } });
      const ask = await career(ADMIN, `forget ${m(BEN)}`);
      const [confirm] = buttonsOf(ask.reply.responses[0]);
      const done = await t.driver.action({ user: ADMIN, actionId: confirm?.actionId ?? '', value: confirm?.value });
      expect(visibleText(done.responses[0])).toContain(`no longer holds any data about <@${BEN}>`);
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toBeNull();
    });
  });

  describe.skipIf(skip)('Slack lifecycle and App Home', () => {
    it('a deactivated user becomes "left" and is kept; a retried event is handled once', async () => {
      await setBen();
      const event = { type: 'user_change', user: { id: BEN, name: 'ben', deleted: true } };
      await t.driver.event(event, { eventId: 'Ev0SAME' });
      await t.driver.event(event, { eventId: 'Ev0SAME', retryNum: 1, retryReason: 'http_timeout' });
      const record = await t.ctx.stores.teammates.get(t.api.teamId, BEN);
      expect(record?.status).toBe('left');
      const statusRows = (await t.ctx.stores.teammates.history(t.api.teamId, BEN)).filter((h) => h.field === 'status');
      expect(statusRows).toHaveLength(1);
      expect(statusRows[0]?.changedBy).toBe('slack:user_change');
    });

    it('a time zone change in Slack updates the record', async () => {
      await setBen();
      await t.driver.event({ type: 'user_change', user: { id: BEN, name: 'ben', tz: 'Asia/Tokyo' } });
      expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.tz).toBe('Asia/Tokyo');
      expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.status).toBe('active');
    });

    it('opening the Home tab shows the person’s card', async () => {
      await setBen();
      t.api.reset();
      const reply = await t.driver.event({ type: 'app_home_opened', user: BEN, channel: `D${BEN}`, tab: 'home' });
      const publish = reply.calls.find((c) => c.method === 'views.publish');
      expect(publish?.args.user_id).toBe(BEN);
      const text = visibleText(publish?.args.view);
      expect(text).toContain('Marketing · Level 2 · Strategist');
      expect(text).toContain('15 July 2026 to 15 January 2027');
      expectWithinSlackLimits(reply);
      // "View this level" opens the level from the Home tab.
      const view = buttonsOf(publish?.args.view).find((b) => b.text === 'View this level');
      const opened = await t.driver.action({
        user: BEN,
        actionId: view?.actionId ?? '',
        value: view?.value,
        view: { id: 'V0HOME', type: 'home' },
      });
      const modal = opened.calls.find((c) => c.method === 'views.open');
      expect(visibleText(modal?.args.view)).toContain('Marketing · Level 2 · Strategist');
      expectWithinSlackLimits(opened);
    });

    it('after app_uninstalled nothing more is sent to the workspace, until a request from it shows Ripple is back', async () => {
      await t.driver.event({ type: 'app_uninstalled' });
      t.api.reset();
      // What background jobs and the outbox send through: nothing while uninstalled.
      expect(await t.slack.services.notifier.dm(t.api.teamId, BEN, [{ text: 'hello', blocks: [] }])).toBe(false);
      expect(t.api.calls).toEqual([]);
      // Slack sends a verified request from the workspace only while Ripple is installed there.
      const set = await setBen();
      expect(set.shown).toContain('Recorded');
      expect(set.reply.calls.filter((c) => c.method === 'chat.postMessage').length).toBeGreaterThan(0);
    });
  });

  describe.skipIf(skip)('failures on our side', () => {
    it('a database failure while deleting gets a friendly reply, not silence or a stack trace', async () => {
      await setBen();
      const ask = await career(BEN, 'forget me');
      const [confirm] = buttonsOf(ask.reply.responses[0]);
      const failing = replaceMethod(t.ctx.stores.teammates, 'forget', () => () => {
        throw new Error('disk I/O error');
      });
      try {
        const done = await t.driver.action({ user: BEN, actionId: confirm?.actionId ?? '', value: confirm?.value });
        const text = visibleText(done.responses[0]);
        expect(text).toContain("Something went wrong on Ripple's side, and nothing was changed");
        expect(text).not.toContain('disk I/O');
      } finally {
        failing.restore();
      }
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).not.toBeNull();
      expect(t.errors).toHaveLength(1);
    });

    it('a command that fails on our side gets a friendly reply with a reference', async () => {
      const store = t.ctx.stores.teammates;
      const { get, getWithPauses } = store;
      const corrupt = () => {
        throw new Error('SQLITE_CORRUPT');
      };
      store.get = corrupt;
      store.getWithPauses = corrupt;
      try {
        const { shown } = await career(BEN, 'me');
        expect(shown).toMatch(/Something went wrong on Ripple's side, and nothing was changed.*reference [0-9a-f]{8}/);
        expect(shown).not.toContain('SQLITE');
      } finally {
        store.get = get;
        store.getWithPauses = getWithPauses;
      }
    });
  });

  describe.skipIf(skip)('/career me, asked again', () => {
    const record = (levelId: string, at: string) => ({
      teamId: t.api.teamId,
      userId: CHEN,
      frameworkId: 'marketing',
      levelId,
      since: '2026-11-01',
      managerId: MAYA,
      changedBy: ADMIN,
      at,
    });

    it('shows a changed record at once, and counts the new day the next day', async () => {
      await t.ctx.stores.teammates.upsert(record('level-1', '2026-11-29T10:00:00.000Z'));
      const first = (await career(CHEN, 'me')).shown;
      expect(first).toContain('Content Crafter');
      expect((await career(CHEN, 'me')).shown).toBe(first);
      await t.ctx.stores.teammates.upsert(record('level-2', '2026-11-29T16:00:00.000Z'));
      const promoted = (await career(CHEN, 'me')).shown;
      expect(promoted).toContain('Strategist');
      expect(promoted).not.toContain('Content Crafter');
      t.clock.advanceDays(1);
      const tomorrow = (await career(CHEN, 'me')).shown;
      expect(tomorrow).not.toBe(promoted);
      expect(tomorrow).toContain('Strategist');
    });
  });
});
