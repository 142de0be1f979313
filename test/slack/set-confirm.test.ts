import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeUser } from '../../src/offline-slack/fake-slack-api.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot, lockOnce } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const ANA = 'U0ANA00001';
const CHEN = 'U0CHEN0001';

const USERS: FakeUser[] = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
  { id: ANA, name: 'ana' },
  { id: CHEN, name: 'chen' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;

/** Runs a command and returns the reply and what the person saw. */
const career = (user: string, text: string) => runCareer(t, user, text);

async function press(user: string, button: { actionId: string; value?: string | undefined } | undefined) {
  const reply = await t.driver.action({ user, actionId: button?.actionId ?? '', value: button?.value });
  expectWithinSlackLimits(reply);
  return { reply, shown: reply.responses.map(visibleText).join('\n') };
}

/** The records and their history, without the table of changes waiting for Confirm. */
async function records() {
  const { pending_changes: _pending, ...rest } = await engineSnapshot(t.engine);
  return rest;
}

const ben = async () => await t.ctx.stores.teammates.get(t.api.teamId, BEN);
const dmsTo = (reply: { calls: { method: string; args: Record<string, unknown> }[] }, user: string) =>
  reply.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}`);

// Every test here on SQLite and on PostgreSQL (skipped with a reason when there is no server here); the hooks
// run only for the tests that do.
describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
    await career(ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    t.api.reset();
  });
  afterEach(async () => {
    await t.stop();
  });

  describe.skipIf(skip)('/career set that confirms', () => {
    it('a demotion typed by mistake is a preview that changes nothing until Confirm', async () => {
      const before = await records();
      const typo = await career(MAYA, `set ${m(BEN)} marketing 1`);
      expect(typo.shown).toContain('Check before saving');
      expect(typo.shown).toContain('*Level:* *Marketing · Level 1 · ');
      expect(typo.shown).toContain('*, was Marketing · Level 2 · Strategist');
      expect(typo.shown).not.toContain('→');
      expect(typo.shown).toContain('not a step forward');
      expect(typo.shown).toContain(`Told once confirmed:* <@${BEN}>`);
      expect(await records()).toEqual(before);
      expect(typo.reply.calls.filter((c) => c.method === 'chat.postMessage')).toEqual([]);
      const [confirm, , cancel] = buttonsOf(typo.reply.responses[0]);
      expect([confirm?.text, cancel?.text]).toEqual(['Confirm', 'Cancel']);
      // Only an id travels in the button: the change itself stays on the server.
      expect(confirm?.value).toMatch(/^[0-9a-f-]{36}$/);

      // Someone else pressing Confirm changes nothing at all.
      const all = await engineSnapshot(t.engine);
      const other = await press(ADMIN, confirm);
      expect(other.shown).toContain(`Only <@${MAYA}>, who asked for this change, can confirm or cancel it`);
      expect(await engineSnapshot(t.engine)).toEqual(all);

      const done = await press(MAYA, confirm);
      expect(done.shown).toContain('Updated');
      expect((await ben())?.levelId).toBe('level-1');
      const dm = dmsTo(done.reply, BEN);
      expect(dm).toHaveLength(1);
      expect(visibleText(dm[0]?.args)).toContain(
        `<@${MAYA}> updated your career record: your level is now *Marketing · Level 1`,
      );
      expect(buttonsOf(dm[0]?.args).map((b) => b.text)).toEqual(['What this level expects']);

      // It works once.
      const after = await engineSnapshot(t.engine);
      const again = await press(MAYA, confirm);
      expect(again.shown).toContain('already confirmed or cancelled');
      expect(await engineSnapshot(t.engine)).toEqual(after);
      expect(t.errors).toEqual([]);
    });

    it('setting the same level with a new since date asks first instead of erasing months', async () => {
      const before = await records();
      const reset = await career(MAYA, `set ${m(BEN)} marketing 2 since 2026-11-01`);
      expect(reset.shown).toContain(
        '*1 November 2026*, was 15 January 2026 (10 months ago) _(restarts their time at the level)_',
      );
      expect(await records()).toEqual(before);
      const [, cancel] = buttonsOf(reset.reply.responses[0]);
      const cancelled = await press(MAYA, cancel);
      expect(cancelled.shown).toContain('Cancelled: the record was not changed.');
      expect(await engineSnapshot(t.engine)).toEqual({ ...before, pending_changes: [] });
    });

    it('a new manager and the former one are both told, after Confirm', async () => {
      const move = await career(ADMIN, `set ${m(BEN)} marketing 2 manager ${m(ANA)}`);
      expect(move.shown).toContain(`*Manager:* *<@${ANA}>*, was <@${MAYA}>`);
      expect(move.shown).toContain(`<@${BEN}>, <@${ANA}>, <@${MAYA}>`);
      expect((await ben())?.managerId).toBe(MAYA);
      const [confirm] = buttonsOf(move.reply.responses[0]);
      const done = await press(ADMIN, confirm);
      expect((await ben())?.managerId).toBe(ANA);
      expect(visibleText(dmsTo(done.reply, ANA)[0]?.args)).toContain(`recorded you as <@${BEN}>'s manager`);
      expect(visibleText(dmsTo(done.reply, MAYA)[0]?.args)).toContain(`from you to <@${ANA}>`);
      expect(visibleText(dmsTo(done.reply, BEN)[0]?.args)).toContain(`your manager is now <@${ANA}>`);
      // "since" is kept: a new manager does not restart anyone's window.
      expect((await ben())?.since).toBe('2026-01-15');
    });

    it('a promotion with today’s date goes straight through', async () => {
      const up = await career(MAYA, `set ${m(BEN)} marketing 3`);
      expect(up.shown).toContain('Updated');
      expect((await ben())?.levelId).toBe('level-3');
    });

    it('a preview made stale by another change does nothing', async () => {
      const typo = await career(MAYA, `set ${m(BEN)} marketing 1`);
      await career(MAYA, `set ${m(BEN)} marketing 3`);
      const before = await engineSnapshot(t.engine);
      const [confirm] = buttonsOf(typo.reply.responses[0]);
      const late = await press(MAYA, confirm);
      expect(late.shown).toContain('The record changed after this preview was shown');
      expect((await ben())?.levelId).toBe('level-3');
      expect(await records()).toEqual((({ pending_changes: _p, ...rest }) => rest)(before));
    });

    it('a confirmation is gone after a day', async () => {
      const typo = await career(MAYA, `set ${m(BEN)} marketing 1`);
      t.clock.advanceDays(2);
      const [confirm] = buttonsOf(typo.reply.responses[0]);
      expect((await press(MAYA, confirm)).shown).toContain('more than a day old');
      expect((await ben())?.levelId).toBe('level-2');
    });
  });

  describe.skipIf(skip)('a lock met half-way through a set', () => {
    it('on Confirm, after the change was taken: the retry applies it, and Ben is told', async () => {
      const typo = await career(MAYA, `set ${m(BEN)} marketing 1`);
      const [confirm] = buttonsOf(typo.reply.responses[0]);
      const lock = lockOnce(t.ctx.stores.teammates, 'upsert');
      const done = await press(MAYA, confirm);
      expect(lock.met()).toBe(true);
      expect(done.shown).toContain('Updated');
      expect(done.shown).not.toContain('already');
      expect((await ben())?.levelId).toBe('level-1');
      expect(dmsTo(done.reply, BEN)).toHaveLength(1);
      expect(await t.engine.sql.get('SELECT COUNT(*) AS n FROM pending_changes')).toEqual({ n: 0 });
    });

    it('on a direct set, at its second write (the time zone): the retry says what changed, and Chen is told', async () => {
      const lock = lockOnce(t.ctx.stores.teammates, 'setTimeZone');
      const first = await career(ADMIN, `set ${m(CHEN)} marketing 2 since 2026-01-15`);
      expect(lock.met()).toBe(true);
      expect(first.shown).not.toMatch(/unchanged|already/i);
      expect(await t.ctx.stores.teammates.get(t.api.teamId, CHEN)).toMatchObject({
        levelId: 'level-2',
        tz: 'America/New_York',
      });
      expect(dmsTo(first.reply, CHEN)).toHaveLength(1);
    });
  });
});
