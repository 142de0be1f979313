import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/offline-slack/driver.js';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { deliverPending } from '../../src/slack/outbox.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * The moments of a career record people feel (issue 16): a promotion, a lower level, a first record, a pause, a new
 * hire without a record, a manager changed alone, `export @someone`. Through the real app and the offline Slack; key
 * facts only (the words are pinned in test/slack/blocks.test.ts).
 */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const ANA = 'U0ANA00001';
const NEW = 'U0NEWHIRE1';
const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: ANA, name: 'ana' },
  { id: NEW, name: 'nia' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;
const GROWTH = '<#C0GROWTH01|growth>';
const CHANNEL = 'C0GROWTH01';

let t: TestApp;
const career = (user: string, text: string) => runCareer(t, user, text);

type Button = ReturnType<typeof buttonsOf>[number];
async function press(user: string, button: Button | undefined, options: { view?: boolean } = {}) {
  expect(button).toBeDefined();
  const reply = await t.driver.action({
    user,
    actionId: button?.actionId ?? '',
    value: button?.value,
    ...(options.view ? { view: { id: 'V0HOME', type: 'home' } } : {}),
  });
  expectWithinSlackLimits(reply);
  return { reply, shown: reply.responses.map(visibleText).join('\n') };
}

const posts = (reply: Pick<Reply, 'calls'>, channel: string) =>
  reply.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === channel && c.response?.ok === true);
const dmsTo = (reply: Pick<Reply, 'calls'>, user: string) => posts(reply, `D${user}`);
const dmText = (reply: Pick<Reply, 'calls'>, user: string) => dmsTo(reply, user).map((c) => visibleText(c.args));
const button = (surface: unknown, text: string) => buttonsOf(surface).find((b) => b.text === text);

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    t.api.reset();
  });
  afterEach(async () => {
    await t.stop();
  });

  describe.skipIf(skip)('a promotion', () => {
    it('congratulates by title, says what the level expects, tells the manager, and posts only on Celebrate', async () => {
      const up = await career(ADMIN, `set ${m(BEN)} marketing 3`);
      const [dm] = dmsTo(up.reply, BEN);
      const text = visibleText(dm?.args);
      expect(text).toContain('Congratulations on Coordinator!');
      expect(text).toContain('What Level 3 (Coordinator) expects');
      expect(text).not.toContain('→');
      expect(buttonsOf(dm?.args).map((b) => b.text)).toEqual([
        'Start a check-in',
        'Celebrate in the growth channel',
        'What this level expects',
      ]);
      // The manager hears of a change made by someone else.
      expect(dmText(up.reply, MAYA).join()).toContain(`<@${ADMIN}> promoted <@${BEN}> to *Marketing · Level 3`);

      // Nothing is posted unless Ben chooses to; without a channel, he is told so.
      expect(up.reply.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === CHANNEL)).toEqual([]);
      const celebrate = button(dm?.args, 'Celebrate in the growth channel');
      expect((await press(BEN, celebrate)).shown).toContain('There is no growth channel yet');

      await career(ADMIN, `admin channel ${GROWTH}`);
      const posted = await press(BEN, celebrate);
      expect(posted.shown).toContain(`Posted in <#${CHANNEL}>`);
      expect(posts(posted.reply, CHANNEL).map((c) => visibleText(c.args))).toEqual([
        expect.stringContaining(`<@${BEN}> is now *Coordinator* (Marketing)`),
      ]);
      // Once: a second click posts nothing.
      const again = await press(BEN, celebrate);
      expect(again.shown).toContain('Already posted');
      expect(posts(again.reply, CHANNEL)).toEqual([]);
      // Two days on, after maintenance has forgotten the day-old claim, the old button still posts nothing.
      t.clock.advanceDays(2);
      await t.ctx.stores.events.prune(t.clock.now().toISOString());
      const later = await press(BEN, celebrate);
      expect(later.shown).toContain('works for a day');
      expect(posts(later.reply, CHANNEL)).toEqual([]);
      expect(t.errors).toEqual([]);
    });

    it('the manager who made it is not told about their own change', async () => {
      const up = await career(MAYA, `set ${m(BEN)} marketing 3`);
      expect(dmsTo(up.reply, MAYA)).toEqual([]);
      expect(dmText(up.reply, BEN).join()).toContain('Congratulations on Coordinator!');
    });
  });

  describe.skipIf(skip)('a lower level', () => {
    it('the preview asks for a note and offers to let the manager speak first', async () => {
      const bare = await career(ADMIN, `set ${m(BEN)} marketing 1`);
      expect(bare.shown).toContain('Add a note');
      expect(buttonsOf(bare.reply.responses[0]).map((b) => b.text)).toEqual([
        'Confirm',
        'Confirm, manager first',
        'Cancel',
      ]);
      const noted = await career(ADMIN, `set ${m(BEN)} marketing 1 note "We agreed on this in our 1:1"`);
      expect(noted.shown).toContain('Your note for');
      expect(noted.shown).toContain('We agreed on this in our 1:1');
    });

    it('with "manager first" the DM waits until the manager sends it, once', async () => {
      const preview = await career(ADMIN, `set ${m(BEN)} marketing 1 note "We agreed on this in our 1:1"`);
      const hold = button(preview.reply.responses[0], 'Confirm, manager first');
      const done = await press(ADMIN, hold);
      expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.levelId).toBe('level-1');
      expect(done.shown).toContain(`DM waits until <@${MAYA}> sends it`);
      expect(dmsTo(done.reply, BEN)).toEqual([]);
      const [note] = dmsTo(done.reply, MAYA);
      expect(visibleText(note?.args)).toContain(`moved <@${BEN}> to a lower level`);
      expect(visibleText(note?.args)).toContain('We agreed on this in our 1:1');
      const send = button(note?.args, 'Send their message now');

      // Only the manager can send it.
      const before = await engineSnapshot(t.engine);
      const other = await press(ADMIN, send);
      expect(other.shown).toContain("Only the person's manager can send this message");
      expect(dmsTo(other.reply, BEN)).toEqual([]);
      expect(await engineSnapshot(t.engine)).toEqual(before);

      const sent = await press(MAYA, send);
      expect(sent.shown).toContain(`<@${BEN}> has their message now`);
      const [dm] = dmText(sent.reply, BEN);
      expect(dm).toContain('your level is now *Marketing · Level 1');
      expect(dm).toContain('We agreed on this in our 1:1');
      expect(dm).not.toContain('→');
      expect(dm).not.toMatch(/congratulations/i);

      // Once: a second click and the background job send nothing more.
      const again = await press(MAYA, send);
      expect(again.shown).toContain('already gone');
      expect(dmsTo(again.reply, BEN)).toEqual([]);
      t.clock.advanceDays(2);
      expect((await deliverPending(t.slack.services.outbox)).sent).toBe(0);
      expect(t.errors).toEqual([]);
    });

    it('left waiting, it goes by itself a day later, once, from the outbox (so a restart does not lose it)', async () => {
      const preview = await career(ADMIN, `set ${m(BEN)} marketing 1`);
      await press(ADMIN, button(preview.reply.responses[0], 'Confirm, manager first'));
      t.api.reset();
      t.clock.advanceDays(0.5);
      expect((await deliverPending(t.slack.services.outbox)).sent).toBe(0);
      t.clock.advanceDays(0.6);
      expect((await deliverPending(t.slack.services.outbox)).sent).toBe(1);
      expect(visibleText(t.api.calls.find((c) => c.args.channel === `D${BEN}`)?.args)).toContain(
        'your level is now *Marketing · Level 1',
      );
      expect((await deliverPending(t.slack.services.outbox)).sent).toBe(0);
    });
  });

  describe.skipIf(skip)('a first record', () => {
    it('arrives as a welcome: the level, the window, privacy and Start a check-in', async () => {
      const set = await career(ADMIN, `set ${m(NEW)} marketing 2 manager ${m(MAYA)}`);
      const [dm] = dmsTo(set.reply, NEW);
      const text = visibleText(dm?.args);
      expect(text).toContain('Welcome to Ripple');
      expect(text).toContain('What Level 2 (Strategist) expects');
      expect(text).toContain('Your window');
      expect(text).toContain('Privacy');
      expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      const start = await press(NEW, button(dm?.args, 'Start a check-in'));
      expect(start.reply.messages.map(visibleText).join()).toContain('1 of');
    });
  });

  describe.skipIf(skip)('a new hire without a record', () => {
    it('gets one message everywhere, with Ask for a record, never "ask your manager"', async () => {
      const shown: string[] = [];
      for (const command of ['me', 'checkin', 'nudges off', 'celebrate on', 'pause']) {
        const reply = await career(NEW, command);
        expect(buttonsOf(reply.reply.responses[0] ?? reply.reply.ack).map((b) => b.text)).toEqual(['Ask for a record']);
        shown.push(reply.shown);
      }
      expect(new Set(shown).size).toBe(1);
      expect(shown[0]).toContain("You don't have a career record yet");
      expect(shown[0]).not.toMatch(/ask your manager/i);

      // The Home tab says the same, and its button answers by DM.
      const home = await t.driver.event({ type: 'app_home_opened', user: NEW, channel: `D${NEW}`, tab: 'home' });
      const view = home.calls.find((c) => c.method === 'views.publish')?.args.view;
      expect(visibleText(view)).toContain("You don't have a career record yet");
      const asked = await press(NEW, button(view, 'Ask for a record'), { view: true });
      expect(dmText(asked.reply, ADMIN).join()).toContain(`<@${NEW}> asked for a career record`);
      expect(dmText(asked.reply, NEW).join()).toContain(`I've asked <@${ADMIN}>`);
    });
  });

  describe.skipIf(skip)('records in few words', () => {
    it('/career set @x manager @y changes only the manager', async () => {
      const move = await career(ADMIN, `set ${m(BEN)} manager ${m(ANA)}`);
      expect(move.shown).toContain(`*Manager:* *<@${ANA}>*, was <@${MAYA}>`);
      expect(move.shown).not.toContain('*Level:*');
      await press(ADMIN, buttonsOf(move.reply.responses[0])[0]);
      expect(await t.ctx.stores.teammates.get(t.api.teamId, BEN)).toMatchObject({
        levelId: 'level-2',
        since: '2026-01-15',
        managerId: ANA,
      });
      const none = await career(ADMIN, `set ${m(NEW)} manager ${m(ANA)}`);
      expect(none.shown).toContain('a first record needs a team and a level');
    });

    it('/career me offers Start a check-in, and writes each date one way', async () => {
      const me = await career(BEN, 'me');
      expect(buttonsOf(me.reply.ack ?? me.reply.responses[0]).map((b) => b.text)).toContain('Start a check-in');
      expect(me.shown).toContain('15 January 2026');
      expect(me.shown).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      expect(me.shown).not.toContain('→');
    });

    it('/career export @someone says export is your own data and points to the admin export', async () => {
      const before = await engineSnapshot(t.engine);
      const other = await career(ADMIN, `export ${m(BEN)}`);
      expect(other.shown).toContain('your own');
      expect(other.shown).toContain('npm run export');
      expect(other.reply.calls.filter((c) => c.method.startsWith('files.') || c.method === 'chat.postMessage')).toEqual(
        [],
      );
      expect(await engineSnapshot(t.engine)).toEqual(before);
    });
  });

  describe.skipIf(skip)('a pause', () => {
    it('tells the person, as it happens, what their manager is told: that they paused, not the dates', async () => {
      const paused = await career(BEN, 'pause until 2027-01-10');
      expect(paused.shown).toContain(`I've told <@${MAYA}> that you paused`);
      expect(paused.shown).toContain('not your return date');
      const told = dmText(paused.reply, MAYA).join();
      expect(told).toContain(`<@${BEN}> paused`);
      expect(told).not.toMatch(/2027|January/);
    });
  });
});
