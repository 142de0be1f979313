import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backgroundJobs } from '../../src/jobs.js';
import type { Reply } from '../../src/offline-slack/driver.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { buttonsOf, visibleText } from '../support/blocks.js';
import { runCareer } from '../support/command.js';
import { engineSnapshot } from '../support/db.js';
import { engines } from '../support/postgres.js';
import { expectWithinSlackLimits } from '../support/slack-limits.js';

/**
 * A case that never moves no longer blocks the person: the proposer (or an admin) withdraws it, and a draft the
 * person does not send on within 14 days expires in the maintenance job, its proposer told once through the outbox.
 * Both are steps in the person's history, and each ends the case once.
 */

const ADMIN = 'U0ADMIN001';
const MAYA = 'U0MAYA0001';
const BEN = 'U0BEN00001';
const USERS = [
  { id: ADMIN, name: 'adi' },
  { id: MAYA, name: 'maya' },
  { id: BEN, name: 'ben' },
];
const m = (id: string) => `<@${id}|${USERS.find((u) => u.id === id)?.name ?? 'x'}>`;

let t: TestApp;

const dms = (reply: Pick<Reply, 'calls'>, user: string) =>
  reply.calls
    .filter((c) => c.method === 'chat.postMessage' && c.args.channel === `D${user}` && c.response?.ok)
    .map((c) => c.args);

async function press(user: string, button: { actionId: string; value?: string | undefined } | undefined) {
  expect(button).toBeDefined();
  const reply = await t.driver.action({
    user,
    actionId: button?.actionId ?? '',
    value: button?.value,
    channel: `D${user}`,
  });
  expect(reply.status).toBe(200);
  expectWithinSlackLimits(reply);
  return { reply, shown: reply.responses.map(visibleText).join('\n') };
}

/** Maya proposes Ben for Marketing Level 3; her copy and Ben's DM. */
async function propose() {
  const asked = await runCareer(t, MAYA, `propose ${m(BEN)}`);
  const form = asked.reply.calls.find((c) => c.method === 'views.open')?.args.view as { private_metadata: string };
  const submitted = await t.driver.viewSubmission({
    user: MAYA,
    callbackId: 'promotion.propose.form',
    privateMetadata: form.private_metadata,
    values: { level: { level: { type: 'static_select', selected_option: { value: 'level-3' } } } },
  });
  const [mayaCopy] = dms(submitted, MAYA);
  const [benCase] = dms(submitted, BEN);
  expect(benCase).toBeDefined();
  return { mayaCopy, benCase };
}

const withdrawOf = (copy: unknown) => buttonsOf(copy).find((b) => b.text === 'Withdraw');

describe.each(engines())('on %s', ({ name: engine, skip }) => {
  beforeEach(async () => {
    if (skip) return;
    t = await startTestApp({ engine, users: USERS, admins: [ADMIN], now: '2026-11-29T15:00:00Z' });
    await runCareer(t, ADMIN, `set ${m(BEN)} marketing 2 since 2026-01-15 manager ${m(MAYA)}`);
    t.api.reset();
  });
  afterEach(async () => {
    if (!skip) await t.stop();
  });

  describe.skipIf(skip)('Withdraw', () => {
    it('the proposer withdraws a draft: Ben is told by whom, nothing else; a new case can be proposed; once only', async () => {
      const { mayaCopy, benCase } = await propose();
      const again = await runCareer(t, MAYA, `propose ${m(BEN)}`);
      expect(again.shown).toContain('already open');

      // Ben cannot withdraw his own case: he simply does not send it.
      const byBen = await press(BEN, withdrawOf(mayaCopy));
      expect(byBen.shown).toContain("You can't do that");

      const withdrawn = await press(MAYA, withdrawOf(mayaCopy));
      expect(withdrawn.shown).toContain(`Withdrawn by <@${MAYA}>`);
      const [told] = dms(withdrawn.reply, BEN);
      expect(visibleText(told)).toBe(`<@${MAYA}> withdrew the promotion case for you.`);
      expect(buttonsOf(told)).toEqual([]);

      // The second press (another instance, a double click) changes nothing.
      const all = await engineSnapshot(t.engine);
      const twice = await press(MAYA, withdrawOf(mayaCopy));
      expect(twice.shown).toContain(`already withdrawn by <@${MAYA}>`);
      expect(dms(twice.reply, BEN)).toEqual([]);
      expect(await engineSnapshot(t.engine)).toEqual(all);
      // Ben's Send on the withdrawn draft goes nowhere.
      const send = await press(
        BEN,
        buttonsOf(benCase).find((b) => b.text === 'Send it on'),
      );
      expect(send.shown).toContain(`already withdrawn by <@${MAYA}>`);
      expect(dms(send.reply, ADMIN)).toEqual([]);

      const history = await runCareer(t, BEN, 'history');
      expect(history.shown).toContain(`29 November 2026: withdrawn by <@${MAYA}>`);
      await propose();
      expect(t.errors).toEqual([]);
    });

    it('an admin withdraws a case with the admins: Approve on it does nothing afterwards, the record stays', async () => {
      const { benCase } = await propose();
      const sent = await press(
        BEN,
        buttonsOf(benCase).find((b) => b.text === 'Send it on'),
      );
      const [adminCopy] = dms(sent.reply, ADMIN);
      const withdrawn = await press(ADMIN, withdrawOf(adminCopy));
      expect(withdrawn.shown).toContain(`Withdrawn by <@${ADMIN}>`);
      expect(visibleText(dms(withdrawn.reply, BEN)[0])).toBe(`<@${ADMIN}> withdrew the promotion case for you.`);
      expect(visibleText(dms(withdrawn.reply, MAYA)[0])).toContain(`withdrew the promotion case for <@${BEN}>`);
      const approve = await press(
        ADMIN,
        buttonsOf(adminCopy).find((b) => b.text === 'Approve'),
      );
      expect(approve.shown).toContain('already withdrawn');
      expect((await t.ctx.stores.teammates.get(t.api.teamId, BEN))?.levelId).toBe('level-2');
      expect(t.errors).toEqual([]);
    });
  });

  describe.skipIf(skip)('A draft not sent on within 14 days', () => {
    const jobs = () => backgroundJobs({ ctx: t.ctx, slack: t.slack.services, log: t.slack.app.logger });

    it('expires in the maintenance job; Maya is told once, through the outbox; it is a step in the history', async () => {
      const { benCase } = await propose();
      t.clock.advanceDays(13);
      expect((await jobs().maintenance()).draftsExpired).toBe(0);
      t.clock.advanceDays(1.1);
      t.api.reset();
      expect((await jobs().maintenance()).draftsExpired).toBe(1);
      // A second instance's run finds nothing left to expire.
      expect((await jobs().maintenance()).draftsExpired).toBe(0);
      await jobs().notificationRetries();
      await jobs().notificationRetries();
      const told = dms(t.api, MAYA);
      expect(told).toHaveLength(1);
      expect(visibleText(told[0])).toContain(`The promotion case you proposed for <@${BEN}> expired`);
      expect(dms(t.api, BEN)).toEqual([]);

      const send = await press(
        BEN,
        buttonsOf(benCase).find((b) => b.text === 'Send it on'),
      );
      expect(send.shown).toContain('This case expired');
      const history = await runCareer(t, BEN, 'history');
      expect(history.shown).toContain('expired: not sent on within 14 days');
      await propose();
      expect(t.errors).toEqual([]);
    });
  });
});
